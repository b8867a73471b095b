import { LOCALES, ROLES, type Locale, type Role } from '../roles';
import { field, normaliseEmail, parseId, rawField, type Issues, type Parsed } from './validation';

export interface UserInput {
	email: string;
	displayName: string;
	role: Role;
	clientId: number | null;
	/** Null when the user is invited to set their own password. */
	password: string | null;
}

export function isRole(v: string): v is Role {
	return (ROLES as readonly string[]).includes(v);
}

export function isLocale(v: string): v is Locale {
	return (LOCALES as readonly string[]).includes(v);
}

/** Validate the admin's "new user" form. Mode `invite` takes no password. */
export function parseUserForm(data: FormData | Record<string, unknown>, mode: 'create' | 'invite'): Parsed<UserInput> {
	const issues: Issues = {};
	const email = normaliseEmail(field(data, 'email'));
	if (!email) issues.email = 'error_email_invalid';
	const displayName = field(data, 'displayName');
	if (displayName.length > 100) issues.displayName = 'error_too_long';
	const role = field(data, 'role');
	if (!isRole(role)) issues.role = 'error_role_invalid';
	const clientRaw = field(data, 'clientId');
	const clientId = clientRaw ? parseId(clientRaw) : null;
	if (clientRaw && clientId === null) issues.clientId = 'error_client_invalid';
	if (role === 'client' && clientId === null && !issues.clientId) issues.clientId = 'error_client_required';
	if (role !== 'client' && isRole(role) && clientId !== null) issues.clientId = 'error_client_only_for_clients';
	const password = mode === 'create' ? rawField(data, 'password') : null;
	if (Object.keys(issues).length) return { ok: false, issues };
	return {
		ok: true,
		value: {
			email: email!,
			displayName: displayName || email!.split('@')[0],
			role: role as Role,
			clientId,
			password
		}
	};
}

import { m } from '$lib/paraglide/messages.js';
import type { Role } from '$lib/roles';

const LABELS: Record<Role, () => string> = {
	admin: m.shell_role_admin,
	agent: m.shell_role_agent,
	writer: m.shell_role_writer,
	client: m.shell_role_client
};

/** A role's name in the current language. */
export function roleLabel(role: string): string {
	return LABELS[role as Role]?.() ?? role;
}

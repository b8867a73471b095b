import type { Kysely } from 'kysely';
import type { DB, Locale, Role } from '../db/schema';
import { recordAudit } from '../audit/audit';
import { checkNewPassword, hashPassword, verifyPassword } from '../auth/password';
import { invalidateUserSessions } from '../auth/session';
import { generateToken, parseToken, secretMatches } from '../auth/token';
import { ACCOUNT_POLICY, ThrottledError, clearFailures, recordFailure, secondsUntilUnlocked } from '../auth/throttle';
import { getClientById } from '../clients/clients.repository';
import { InputError, type Issues } from '../../schemas/validation';
import type { UserInput } from '../../schemas/user';
import {
	countActiveAdmins,
	emailExists,
	getUserById,
	getUserPasswordHash,
	insertUser,
	updateUser
} from './users.repository';

/** How long an invitation link stays valid. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

async function checkRoleAndClient(db: Kysely<DB>, role: Role, clientId: number | null, issues: Issues) {
	if (role === 'client') {
		if (clientId === null) issues.clientId = 'error_client_required';
		else if (!(await getClientById(db, clientId))) issues.clientId = 'error_client_invalid';
	} else if (clientId !== null) {
		issues.clientId = 'error_client_only_for_clients';
	}
}

/** Create a user with a password (admin form, CLI, demo). */
export async function createUser(
	db: Kysely<DB>,
	actorUserId: number | null,
	input: UserInput & { locale?: Locale }
): Promise<number> {
	const issues: Issues = {};
	if (input.password === null) issues.password = 'error_required';
	else {
		const pw = checkNewPassword(input.password);
		if (pw) issues.password = `error_${pw}`;
	}
	await checkRoleAndClient(db, input.role, input.clientId, issues);
	if (await emailExists(db, input.email)) issues.email = 'error_email_taken';
	if (Object.keys(issues).length) throw new InputError(issues);

	const passwordHash = await hashPassword(input.password!);
	const now = new Date().toISOString();
	return db.transaction().execute(async (trx) => {
		// Checked again inside the transaction: two admins may submit the same address at once.
		if (await emailExists(trx, input.email)) throw new InputError({ email: 'error_email_taken' });
		const id = await insertUser(trx, {
			email: input.email,
			display_name: input.displayName,
			password_hash: passwordHash,
			role: input.role,
			client_id: input.clientId,
			locale: input.locale ?? 'en',
			disabled_at: null,
			created_at: now,
			updated_at: now
		});
		await recordAudit(trx, {
			actorUserId,
			action: 'user.created',
			subjectType: 'user',
			subjectId: id,
			detail: { role: input.role, clientId: input.clientId }
		});
		return id;
	});
}

/** Invite someone by email address: returns the invitation token to put in a link. */
export async function inviteUser(
	db: Kysely<DB>,
	actorUserId: number,
	input: Omit<UserInput, 'password' | 'displayName'>,
	now: Date = new Date()
): Promise<{ token: string; expiresAt: Date }> {
	const issues: Issues = {};
	await checkRoleAndClient(db, input.role, input.clientId, issues);
	if (await emailExists(db, input.email)) issues.email = 'error_email_taken';
	if (Object.keys(issues).length) throw new InputError(issues);
	const t = generateToken();
	const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
	await db.transaction().execute(async (trx) => {
		// A newer invitation for the same address replaces any older one.
		await trx.deleteFrom('invitations').where('email', '=', input.email).where('accepted_at', 'is', null).execute();
		await trx
			.insertInto('invitations')
			.values({
				id: t.id,
				secret_hash: t.secretHash,
				email: input.email,
				role: input.role,
				client_id: input.clientId,
				created_by: actorUserId,
				created_at: now.toISOString(),
				expires_at: expiresAt.toISOString(),
				accepted_at: null
			})
			.execute();
		await recordAudit(trx, {
			actorUserId,
			action: 'user.invited',
			subjectType: 'invitation',
			subjectId: t.id,
			detail: { role: input.role, clientId: input.clientId }
		});
	});
	return { token: t.token, expiresAt };
}

/** An open invitation for this token, or null when unknown, forged, used or expired. */
export async function findInvitation(db: Kysely<DB>, token: string, now: Date = new Date()) {
	const parsed = parseToken(token);
	if (!parsed) return null;
	const row = await db
		.selectFrom('invitations')
		.leftJoin('clients', 'clients.id', 'invitations.client_id')
		.select([
			'invitations.id',
			'invitations.secret_hash',
			'invitations.email',
			'invitations.role',
			'invitations.client_id',
			'invitations.expires_at',
			'invitations.accepted_at',
			'clients.name as client_name'
		])
		.where('invitations.id', '=', parsed.id)
		.executeTakeFirst();
	if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
	if (row.accepted_at || new Date(row.expires_at) <= now) return null;
	return row;
}

/** Accept an invitation: creates the user with the chosen password. Returns the new user id. */
export async function acceptInvitation(
	db: Kysely<DB>,
	token: string,
	input: { displayName: string; password: string; locale: Locale }
): Promise<number> {
	const invitation = await findInvitation(db, token);
	if (!invitation) throw new InputError({ token: 'error_invitation_invalid' });
	const pw = checkNewPassword(input.password);
	if (pw) throw new InputError({ password: `error_${pw}` });
	if (input.displayName.length > 100) throw new InputError({ displayName: 'error_too_long' });
	const passwordHash = await hashPassword(input.password);
	const now = new Date().toISOString();
	return db.transaction().execute(async (trx) => {
		// Claim the invitation first so that a replayed form cannot create a second account.
		const claimed = await trx
			.updateTable('invitations')
			.set({ accepted_at: now })
			.where('id', '=', invitation.id)
			.where('accepted_at', 'is', null)
			.executeTakeFirst();
		if (Number(claimed.numUpdatedRows) !== 1) throw new InputError({ token: 'error_invitation_invalid' });
		if (await emailExists(trx, invitation.email)) throw new InputError({ email: 'error_email_taken' });
		const id = await insertUser(trx, {
			email: invitation.email,
			display_name: input.displayName || invitation.email.split('@')[0],
			password_hash: passwordHash,
			role: invitation.role,
			client_id: invitation.client_id,
			locale: input.locale,
			disabled_at: null,
			created_at: now,
			updated_at: now
		});
		await recordAudit(trx, { actorUserId: id, action: 'user.invitation_accepted', subjectType: 'user', subjectId: id });
		return id;
	});
}

/** Change a user's role (and client). The last enabled admin cannot stop being one. */
export async function changeUserRole(
	db: Kysely<DB>,
	actorUserId: number,
	userId: number,
	role: Role,
	clientId: number | null
): Promise<void> {
	const issues: Issues = {};
	await checkRoleAndClient(db, role, clientId, issues);
	if (Object.keys(issues).length) throw new InputError(issues);
	await db.transaction().execute(async (trx) => {
		const user = await getUserById(trx, userId);
		if (!user) throw new InputError({ id: 'error_not_found' });
		if (user.role === 'admin' && role !== 'admin' && (await countActiveAdmins(trx, userId)) === 0) {
			throw new InputError({ role: 'error_last_admin' });
		}
		await updateUser(trx, userId, { role, client_id: clientId, updated_at: new Date().toISOString() });
		await recordAudit(trx, {
			actorUserId,
			action: 'user.role_changed',
			subjectType: 'user',
			subjectId: userId,
			detail: { from: user.role, to: role, clientId }
		});
	});
	// A role change ends the user's sessions so that nothing cached under the old role survives.
	await invalidateUserSessions(db, userId);
}

/** Disable (ending every session at once) or re-enable a user. */
export async function setUserDisabled(
	db: Kysely<DB>,
	actorUserId: number,
	userId: number,
	disabled: boolean
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const user = await getUserById(trx, userId);
		if (!user) throw new InputError({ id: 'error_not_found' });
		if (disabled && userId === actorUserId) throw new InputError({ id: 'error_cannot_disable_self' });
		if (disabled && user.role === 'admin' && (await countActiveAdmins(trx, userId)) === 0) {
			throw new InputError({ id: 'error_last_admin' });
		}
		const now = new Date().toISOString();
		await updateUser(trx, userId, { disabled_at: disabled ? now : null, updated_at: now });
		if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
		await recordAudit(trx, {
			actorUserId,
			action: disabled ? 'user.disabled' : 'user.enabled',
			subjectType: 'user',
			subjectId: userId
		});
	});
}

/** Change one's own password: needs the current one; ends every other session. */
export async function changePassword(
	db: Kysely<DB>,
	userId: number,
	currentSessionId: string,
	current: string,
	next: string
): Promise<void> {
	// Guessing the current password through this form is throttled like signing in, so a
	// borrowed session cannot be turned into the password.
	const key = `password:${userId}`;
	const wait = await secondsUntilUnlocked(db, [key]);
	if (wait > 0) throw new ThrottledError(wait);
	const row = await getUserPasswordHash(db, userId);
	if (!row?.password_hash || !(await verifyPassword(row.password_hash, current))) {
		await recordFailure(db, key, ACCOUNT_POLICY);
		throw new InputError({ currentPassword: 'error_password_wrong' });
	}
	await clearFailures(db, key);
	const pw = checkNewPassword(next);
	if (pw) throw new InputError({ newPassword: `error_${pw}` });
	const hash = await hashPassword(next);
	await db.transaction().execute(async (trx) => {
		await updateUser(trx, userId, { password_hash: hash, updated_at: new Date().toISOString() });
		await trx.deleteFrom('sessions').where('user_id', '=', userId).where('id', '<>', currentSessionId).execute();
		await recordAudit(trx, { actorUserId: userId, action: 'auth.password_changed', subjectType: 'user', subjectId: userId });
	});
}

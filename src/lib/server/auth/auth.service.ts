import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { recordAudit } from '../audit/audit';
import { normaliseEmail } from '../../schemas/validation';
import { checkNewPassword, hashPassword, verifyDummyPassword, verifyPassword } from './password';
import { createSession, type SessionInfo } from './session';
import {
	ACCOUNT_POLICY,
	ADDRESS_POLICY,
	accountKey,
	addressKey,
	clearFailures,
	recordFailure,
	secondsUntilUnlocked
} from './throttle';
import { countAdmins, getUserCredentialsByEmail, insertUser } from '../users/users.repository';
import { InputError } from '../../schemas/validation';

export type SignInResult =
	| { ok: true; token: string; session: SessionInfo; user: { id: number; role: string; clientId: number | null; locale: 'en' | 'ja' } }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

/**
 * Sign in with email and password. The answer never tells whether the account exists or is
 * disabled: every failure is "invalid" and costs the same argon2 verification.
 */
export async function signIn(
	db: Kysely<DB>,
	input: { email: string; password: string; ip: string; userAgent?: string | null },
	now: Date = new Date()
): Promise<SignInResult> {
	const email = normaliseEmail(input.email) ?? input.email.trim().toLowerCase().slice(0, 254);
	const keys = [accountKey(email), addressKey(input.ip)];
	const wait = await secondsUntilUnlocked(db, keys, now);
	if (wait > 0) return { ok: false, reason: 'throttled', retryAfterSeconds: wait };

	const user = email ? await getUserCredentialsByEmail(db, email) : undefined;
	let valid = false;
	if (user?.password_hash && !user.disabled_at) valid = await verifyPassword(user.password_hash, input.password);
	else await verifyDummyPassword(input.password);

	if (!valid || !user) {
		await recordFailure(db, keys[0], ACCOUNT_POLICY, now);
		await recordFailure(db, keys[1], ADDRESS_POLICY, now);
		// The subject is the user id when there is one; an unknown address is not stored.
		await recordAudit(db, {
			actorUserId: null,
			action: 'auth.sign_in_failed',
			subjectType: user ? 'user' : null,
			subjectId: user?.id ?? null,
			ip: input.ip
		}, now);
		return { ok: false, reason: 'invalid' };
	}
	await clearFailures(db, keys[0]);
	const { token, session } = await createSession(db, user.id, { ip: input.ip, userAgent: input.userAgent }, now);
	await recordAudit(db, { actorUserId: user.id, action: 'auth.sign_in', subjectType: 'user', subjectId: user.id, ip: input.ip }, now);
	return { ok: true, token, session, user: { id: user.id, role: user.role, clientId: user.client_id, locale: user.locale } };
}

/** Whether the one-time setup page is still open (no admin exists yet). */
export async function needsSetup(db: Kysely<DB>): Promise<boolean> {
	return (await countAdmins(db)) === 0;
}

/** Create the first admin. Refused once any admin exists, even if two setups race. */
export async function setupFirstAdmin(
	db: Kysely<DB>,
	input: { email: string; displayName: string; password: string; locale: 'en' | 'ja' }
): Promise<number> {
	const email = normaliseEmail(input.email);
	if (!email) throw new InputError({ email: 'error_email_invalid' });
	const pw = checkNewPassword(input.password);
	if (pw) throw new InputError({ password: `error_${pw}` });
	const hash = await hashPassword(input.password);
	const now = new Date().toISOString();
	return db.transaction().execute(async (trx) => {
		if ((await countAdmins(trx)) > 0) throw new InputError({ form: 'error_setup_done' });
		// The settings key is a mutex: of two setups racing, the second insert fails on the key.
		const claimed = await trx
			.insertInto('settings')
			.values({ key: 'setup.completed_at', value: now })
			.onConflict((oc) => oc.column('key').doNothing())
			.returning('key')
			.executeTakeFirst();
		if (!claimed) throw new InputError({ form: 'error_setup_done' });
		const existing = await getUserCredentialsByEmail(trx, email);
		if (existing) throw new InputError({ email: 'error_email_taken' });
		const id = await insertUser(trx, {
			email,
			display_name: input.displayName.slice(0, 100) || email.split('@')[0],
			password_hash: hash,
			role: 'admin',
			client_id: null,
			locale: input.locale,
			disabled_at: null,
			created_at: now,
			updated_at: now
		});
		await recordAudit(trx, { actorUserId: id, action: 'auth.setup', subjectType: 'user', subjectId: id });
		return id;
	});
}

import type { Cookies } from '@sveltejs/kit';
import type { Kysely } from 'kysely';
import type { DB, Locale, Role } from '../db/schema';
import { generateToken, parseToken, secretMatches } from './token';

export const SESSION_COOKIE = 'tegami_session';
/** A session left unused this long ends. */
export const INACTIVITY_TIMEOUT_MS = 7 * 24 * 60 * 60 * 1000;
/** A session ends this long after sign-in, however active. */
export const ABSOLUTE_TIMEOUT_MS = 30 * 24 * 60 * 60 * 1000;
/** How often use of a session is written back (and its cookie renewed). */
export const ACTIVITY_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/** What a request knows about its signed-in user. Never holds the password hash. */
export interface SessionUser {
	id: number;
	email: string;
	displayName: string;
	role: Role;
	clientId: number | null;
	locale: Locale;
}

export interface SessionInfo {
	id: string;
	createdAt: Date;
	lastActiveAt: Date;
	/** When the session will end if left unused (never later than its absolute end). */
	expiresAt: Date;
}

export interface ValidatedSession {
	session: SessionInfo;
	user: SessionUser;
	/** True when last-active time was moved on and the cookie should be set again. */
	renewed: boolean;
}

function expiryOf(createdAt: Date, lastActiveAt: Date): Date {
	return new Date(
		Math.min(lastActiveAt.getTime() + INACTIVITY_TIMEOUT_MS, createdAt.getTime() + ABSOLUTE_TIMEOUT_MS)
	);
}

/** Start a session for a user; returns the token for the cookie (its secret is not stored). */
export async function createSession(
	db: Kysely<DB>,
	userId: number,
	meta: { ip?: string | null; userAgent?: string | null } = {},
	now: Date = new Date()
): Promise<{ token: string; session: SessionInfo }> {
	const t = generateToken();
	await db
		.insertInto('sessions')
		.values({
			id: t.id,
			user_id: userId,
			secret_hash: t.secretHash,
			created_at: now.toISOString(),
			last_active_at: now.toISOString(),
			ip: meta.ip ?? null,
			user_agent: meta.userAgent?.slice(0, 300) ?? null
		})
		.execute();
	return {
		token: t.token,
		session: { id: t.id, createdAt: now, lastActiveAt: now, expiresAt: expiryOf(now, now) }
	};
}

/**
 * Check a session token: shape, stored hash (constant time), the user still enabled, inactivity
 * and absolute expiry. Expired sessions are deleted. Use is recorded at most once an interval.
 */
export async function validateSessionToken(
	db: Kysely<DB>,
	token: string | undefined | null,
	now: Date = new Date()
): Promise<ValidatedSession | null> {
	const parsed = parseToken(token);
	if (!parsed) return null;
	const row = await db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.select([
			'sessions.id',
			'sessions.secret_hash',
			'sessions.created_at',
			'sessions.last_active_at',
			'users.id as user_id',
			'users.email',
			'users.display_name',
			'users.role',
			'users.client_id',
			'users.locale',
			'users.disabled_at'
		])
		.where('sessions.id', '=', parsed.id)
		.executeTakeFirst();
	if (!row) return null;
	if (!secretMatches(parsed.secret, row.secret_hash)) return null;

	const createdAt = new Date(row.created_at);
	let lastActiveAt = new Date(row.last_active_at);
	if (row.disabled_at || now >= expiryOf(createdAt, lastActiveAt)) {
		await invalidateSession(db, row.id);
		return null;
	}
	let renewed = false;
	if (now.getTime() - lastActiveAt.getTime() >= ACTIVITY_CHECK_INTERVAL_MS) {
		lastActiveAt = now;
		renewed = true;
		await db
			.updateTable('sessions')
			.set({ last_active_at: now.toISOString() })
			.where('id', '=', row.id)
			.execute();
	}
	return {
		session: { id: row.id, createdAt, lastActiveAt, expiresAt: expiryOf(createdAt, lastActiveAt) },
		user: {
			id: row.user_id,
			email: row.email,
			displayName: row.display_name,
			role: row.role,
			clientId: row.client_id,
			locale: row.locale
		},
		renewed
	};
}

/** End one session on the server. */
export async function invalidateSession(db: Kysely<DB>, sessionId: string): Promise<void> {
	await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** End every session of a user ("sign out everywhere", disabling, password change). */
export async function invalidateUserSessions(
	db: Kysely<DB>,
	userId: number,
	options: { except?: string } = {}
): Promise<number> {
	let q = db.deleteFrom('sessions').where('user_id', '=', userId);
	if (options.except) q = q.where('id', '<>', options.except);
	const result = await q.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Remove sessions past either timeout; run now and then so the table does not grow. */
export async function deleteExpiredSessions(db: Kysely<DB>, now: Date = new Date()): Promise<number> {
	const result = await db
		.deleteFrom('sessions')
		.where((eb) =>
			eb.or([
				eb('last_active_at', '<=', new Date(now.getTime() - INACTIVITY_TIMEOUT_MS).toISOString()),
				eb('created_at', '<=', new Date(now.getTime() - ABSOLUTE_TIMEOUT_MS).toISOString())
			])
		)
		.executeTakeFirst();
	return Number(result.numDeletedRows);
}

/** Set the session cookie: HttpOnly, SameSite=Lax, Secure over https, lasting as long as the session. */
export function setSessionCookie(cookies: Cookies, token: string, expiresAt: Date, secure: boolean): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, secure: boolean): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

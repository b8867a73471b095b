import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

/**
 * Sign-in throttling, kept in the database so several app processes share it. Each key (an
 * account's email, a client address) may fail `free` times; the failure that uses up the last free
 * attempt, and every one after it, locks the key for a doubling period up to `maxLockMs`.
 * Failures are forgotten after `forgetAfterMs` without one.
 */
export interface ThrottlePolicy {
	free: number;
	baseLockMs: number;
	maxLockMs: number;
	forgetAfterMs: number;
}

export const ACCOUNT_POLICY: ThrottlePolicy = {
	free: 5,
	baseLockMs: 30_000,
	maxLockMs: 15 * 60_000,
	forgetAfterMs: 60 * 60_000
};

export const ADDRESS_POLICY: ThrottlePolicy = {
	free: 20,
	baseLockMs: 60_000,
	maxLockMs: 60 * 60_000,
	forgetAfterMs: 60 * 60_000
};

/** Too many failures: try again after `retryAfterSeconds`. */
export class ThrottledError extends Error {
	override name = 'ThrottledError';
	constructor(public readonly retryAfterSeconds: number) {
		super(`Too many attempts; try again in ${retryAfterSeconds} seconds`);
	}
}

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const addressKey = (ip: string) => `address:${ip}`;

/** Seconds until the first of these keys unlocks, or 0 when none is locked. */
export async function secondsUntilUnlocked(
	db: Kysely<DB>,
	keys: string[],
	now: Date = new Date()
): Promise<number> {
	const rows = await db
		.selectFrom('auth_throttle')
		.select(['locked_until'])
		.where('key', 'in', keys)
		.execute();
	let wait = 0;
	for (const r of rows) {
		if (!r.locked_until) continue;
		const ms = new Date(r.locked_until).getTime() - now.getTime();
		if (ms > 0) wait = Math.max(wait, Math.ceil(ms / 1000));
	}
	return wait;
}

/** Count a failed attempt against a key and lock it when it is past its free attempts. */
export async function recordFailure(
	db: Kysely<DB>,
	key: string,
	policy: ThrottlePolicy,
	now: Date = new Date()
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const row = await trx
			.selectFrom('auth_throttle')
			.select(['failures', 'updated_at'])
			.where('key', '=', key)
			.executeTakeFirst();
		const stale = row && now.getTime() - new Date(row.updated_at).getTime() > policy.forgetAfterMs;
		const failures = (row && !stale ? row.failures : 0) + 1;
		const over = failures - policy.free + 1;
		const lockedUntil =
			over > 0
				? new Date(now.getTime() + Math.min(policy.baseLockMs * 2 ** (over - 1), policy.maxLockMs)).toISOString()
				: null;
		const values = { failures, locked_until: lockedUntil, updated_at: now.toISOString() };
		if (row) await trx.updateTable('auth_throttle').set(values).where('key', '=', key).execute();
		else await trx.insertInto('auth_throttle').values({ key, ...values }).execute();
	});
}

/** Forget a key's failures (after a successful sign-in to that account). */
export async function clearFailures(db: Kysely<DB>, key: string): Promise<void> {
	await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}

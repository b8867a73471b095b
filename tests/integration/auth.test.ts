import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { needsSetup, setupFirstAdmin, signIn } from '../../src/lib/server/auth/auth.service';
import {
	ABSOLUTE_TIMEOUT_MS,
	ACTIVITY_CHECK_INTERVAL_MS,
	INACTIVITY_TIMEOUT_MS,
	createSession,
	deleteExpiredSessions,
	invalidateSession,
	invalidateUserSessions,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { ACCOUNT_POLICY, ThrottledError } from '../../src/lib/server/auth/throttle';
import { createClient } from '../../src/lib/server/clients/clients.service';
import {
	acceptInvitation,
	changePassword,
	changeUserRole,
	createUser,
	findInvitation,
	INVITATION_TTL_MS,
	inviteUser,
	setUserDisabled
} from '../../src/lib/server/users/users.service';
import { InputError } from '../../src/lib/schemas/validation';

const PASSWORD = 'a good long password';

async function issues(p: Promise<unknown>): Promise<Record<string, string>> {
	try {
		await p;
	} catch (e) {
		if (e instanceof InputError) return e.issues;
		throw e;
	}
	throw new Error('expected an InputError');
}

describe.each(dialects)('accounts and sessions on %s', (kind) => {
	let database: TestDatabase;
	let adminId: number;
	let clientA: number;
	let clientB: number;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		const db = database.db;
		expect(await needsSetup(db)).toBe(true);
		adminId = await setupFirstAdmin(db, { email: 'Boss@Agency.test', displayName: '社長', password: PASSWORD, locale: 'ja' });
		clientA = await createClient(db, adminId, { name: '株式会社あさひ台所', nameReading: 'あさひだいどころ' });
		clientB = await createClient(db, adminId, { name: 'Northwind Outdoor', nameReading: null });
	});
	afterAll(() => database?.close());

	it('setup runs once: a second attempt is refused and the page closes', async () => {
		expect(await needsSetup(database.db)).toBe(false);
		expect(await issues(setupFirstAdmin(database.db, { email: 'x@y.test', displayName: '', password: PASSWORD, locale: 'en' }))).toEqual({
			form: 'error_setup_done'
		});
	});

	it('stores emails lower-cased and refuses duplicates in any case', async () => {
		const row = await database.db.selectFrom('users').select(['email', 'role']).where('id', '=', adminId).executeTakeFirstOrThrow();
		expect(row).toEqual({ email: 'boss@agency.test', role: 'admin' });
		expect(
			await issues(createUser(database.db, adminId, { email: 'boss@agency.test', displayName: 'x', role: 'agent', clientId: null, password: PASSWORD }))
		).toMatchObject({ email: 'error_email_taken' });
	});

	it('keeps client users to exactly one client and staff to none', async () => {
		const base = { displayName: 'x', password: PASSWORD };
		expect(await issues(createUser(database.db, adminId, { ...base, email: 'c1@x.test', role: 'client', clientId: null }))).toMatchObject({
			clientId: 'error_client_required'
		});
		expect(await issues(createUser(database.db, adminId, { ...base, email: 'c2@x.test', role: 'agent', clientId: clientA }))).toMatchObject({
			clientId: 'error_client_only_for_clients'
		});
		expect(await issues(createUser(database.db, adminId, { ...base, email: 'c3@x.test', role: 'client', clientId: 999_999 }))).toMatchObject({
			clientId: 'error_client_invalid'
		});
		expect(await issues(createUser(database.db, adminId, { ...base, email: 'c4@x.test', role: 'agent', clientId: null, password: 'short' }))).toMatchObject({
			password: 'error_password_too_short'
		});
		// The database itself refuses the combination, whatever the service does.
		await expect(
			database.db
				.insertInto('users')
				.values({ email: 'raw@x.test', display_name: 'r', password_hash: null, role: 'client', client_id: null, locale: 'en', disabled_at: null, created_at: 'x', updated_at: 'x' })
				.execute()
		).rejects.toThrow();
	});

	it('signs in with the right password and gives the same answer for a wrong password, an unknown or a disabled account', async () => {
		const db = database.db;
		const agentId = await createUser(db, adminId, { email: 'agent@x.test', displayName: 'Agent', role: 'agent', clientId: null, password: PASSWORD });
		const ok = await signIn(db, { email: ' AGENT@x.test ', password: PASSWORD, ip: '10.0.0.1' });
		expect(ok.ok).toBe(true);
		const wrong = await signIn(db, { email: 'agent@x.test', password: 'nope nope nope', ip: '10.0.0.1' });
		const unknown = await signIn(db, { email: 'ghost@x.test', password: PASSWORD, ip: '10.0.0.1' });
		expect(wrong).toEqual({ ok: false, reason: 'invalid' });
		expect(unknown).toEqual({ ok: false, reason: 'invalid' });
		await setUserDisabled(db, adminId, agentId, true);
		expect(await signIn(db, { email: 'agent@x.test', password: PASSWORD, ip: '10.0.0.1' })).toEqual({ ok: false, reason: 'invalid' });
		await setUserDisabled(db, adminId, agentId, false);
		// Sign-ins and failures are audited by id, never by the typed address.
		const audit = await db.selectFrom('audit_log').select(['action', 'subject_id', 'detail']).where('action', 'like', 'auth.sign_in%').execute();
		expect(audit.some((a) => a.action === 'auth.sign_in' && a.subject_id === String(agentId))).toBe(true);
		expect(JSON.stringify(audit)).not.toContain('ghost@x.test');
	});

	it('throttles an account after its free attempts, names the wait, and forgets on success', async () => {
		const db = database.db;
		await createUser(db, adminId, { email: 'slow@x.test', displayName: 'S', role: 'writer', clientId: null, password: PASSWORD });
		const now = new Date('2030-01-01T00:00:00Z');
		for (let i = 0; i < ACCOUNT_POLICY.free; i++) {
			expect((await signIn(db, { email: 'slow@x.test', password: 'wrong password', ip: `10.1.0.${i}` }, now)).ok).toBe(false);
		}
		const locked = await signIn(db, { email: 'slow@x.test', password: PASSWORD, ip: '10.2.0.1' }, new Date(now.getTime() + 1000));
		expect(locked).toMatchObject({ ok: false, reason: 'throttled' });
		expect((locked as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
		// After the lock runs out the right password works and clears the count.
		const later = new Date(now.getTime() + ACCOUNT_POLICY.baseLockMs + 2000);
		expect((await signIn(db, { email: 'slow@x.test', password: PASSWORD, ip: '10.2.0.1' }, later)).ok).toBe(true);
		const row = await db.selectFrom('auth_throttle').selectAll().where('key', '=', 'account:slow@x.test').executeTakeFirst();
		expect(row).toBeUndefined();
	});

	it('throttles an address that tries many accounts', async () => {
		const db = database.db;
		const now = new Date('2031-01-01T00:00:00Z');
		for (let i = 0; i < 20; i++) await signIn(db, { email: `nobody${i}@x.test`, password: 'x', ip: '192.0.2.7' }, now);
		const r = await signIn(db, { email: 'boss@agency.test', password: PASSWORD, ip: '192.0.2.7' }, now);
		expect(r).toMatchObject({ ok: false, reason: 'throttled' });
		expect((await signIn(db, { email: 'boss@agency.test', password: PASSWORD, ip: '192.0.2.8' }, now)).ok).toBe(true);
	});

	it('validates session tokens: shape, secret, inactivity and absolute expiry, renewal', async () => {
		const db = database.db;
		const t0 = new Date('2032-01-01T00:00:00Z');
		const { token } = await createSession(db, adminId, { ip: '127.0.0.1' }, t0);
		const [id] = token.split('.');
		const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
		expect(token).not.toContain(row.secret_hash);
		expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);

		const v = await validateSessionToken(db, token, new Date(t0.getTime() + 1000));
		expect(v?.user).toMatchObject({ id: adminId, role: 'admin', email: 'boss@agency.test', locale: 'ja' });
		expect(v?.renewed).toBe(false);
		expect(v?.user).not.toHaveProperty('password_hash');

		// A forged secret with a real id is refused.
		const forged = `${id}.${'a'.repeat(52)}`;
		expect(await validateSessionToken(db, forged, t0)).toBeNull();
		expect(await validateSessionToken(db, 'garbage', t0)).toBeNull();

		// Use after the check interval renews; the renewed session outlives the first inactivity window.
		const t1 = new Date(t0.getTime() + ACTIVITY_CHECK_INTERVAL_MS + 1);
		expect((await validateSessionToken(db, token, t1))?.renewed).toBe(true);
		const t2 = new Date(t0.getTime() + INACTIVITY_TIMEOUT_MS + 1000);
		expect(await validateSessionToken(db, token, t2)).not.toBeNull();

		// Inactivity ends it (and deletes the row).
		const t3 = new Date(t2.getTime() + INACTIVITY_TIMEOUT_MS + 1);
		expect(await validateSessionToken(db, token, t3)).toBeNull();
		expect(await db.selectFrom('sessions').select('id').where('id', '=', id).executeTakeFirst()).toBeUndefined();
	});

	it('ends a session at its absolute limit however active it is', async () => {
		const db = database.db;
		const t0 = new Date('2033-01-01T00:00:00Z');
		const { token } = await createSession(db, adminId, {}, t0);
		let t = t0.getTime();
		while (t < t0.getTime() + ABSOLUTE_TIMEOUT_MS - INACTIVITY_TIMEOUT_MS / 2) {
			t += INACTIVITY_TIMEOUT_MS / 2;
			expect(await validateSessionToken(db, token, new Date(t))).not.toBeNull();
		}
		expect(await validateSessionToken(db, token, new Date(t0.getTime() + ABSOLUTE_TIMEOUT_MS + 1))).toBeNull();
	});

	it('logout ends one session; sign out everywhere ends them all; expired rows are swept', async () => {
		const db = database.db;
		const a = await createSession(db, adminId);
		const b = await createSession(db, adminId);
		await invalidateSession(db, a.session.id);
		expect(await validateSessionToken(db, a.token)).toBeNull();
		expect(await validateSessionToken(db, b.token)).not.toBeNull();
		await invalidateUserSessions(db, adminId);
		expect(await validateSessionToken(db, b.token)).toBeNull();
		await createSession(db, adminId, {}, new Date('2000-01-01T00:00:00Z'));
		expect(await deleteExpiredSessions(db)).toBeGreaterThanOrEqual(1);
	});

	it('disabling a user ends their sessions at once', async () => {
		const db = database.db;
		const id = await createUser(db, adminId, { email: 'leaver@x.test', displayName: 'L', role: 'writer', clientId: null, password: PASSWORD });
		const s = await createSession(db, id);
		await setUserDisabled(db, adminId, id, true);
		expect(await validateSessionToken(db, s.token)).toBeNull();
		expect(await issues(setUserDisabled(db, adminId, adminId, true))).toEqual({ id: 'error_cannot_disable_self' });
	});

	it('a role change applies at once and the last admin stays an admin', async () => {
		const db = database.db;
		const id = await createUser(db, adminId, { email: 'mover@x.test', displayName: 'M', role: 'writer', clientId: null, password: PASSWORD });
		const s = await createSession(db, id);
		await changeUserRole(db, adminId, id, 'client', clientB);
		expect(await validateSessionToken(db, s.token)).toBeNull();
		const row = await db.selectFrom('users').select(['role', 'client_id']).where('id', '=', id).executeTakeFirstOrThrow();
		expect(row).toEqual({ role: 'client', client_id: clientB });
		expect(await issues(changeUserRole(db, adminId, adminId, 'agent', null))).toEqual({ role: 'error_last_admin' });
	});

	it('invitations: accepted once, never replayed, refused when forged or expired', async () => {
		const db = database.db;
		const inv = await inviteUser(db, adminId, { email: 'new.client@a.test', role: 'client', clientId: clientA });
		expect(await findInvitation(db, inv.token)).toMatchObject({ email: 'new.client@a.test', client_name: '株式会社あさひ台所' });
		const [invId] = inv.token.split('.');
		expect(await findInvitation(db, `${invId}.${'b'.repeat(52)}`)).toBeNull();
		expect(await findInvitation(db, inv.token, new Date(Date.now() + INVITATION_TTL_MS + 1000))).toBeNull();
		const id = await acceptInvitation(db, inv.token, { displayName: 'New Client', password: PASSWORD, locale: 'en' });
		const user = await db.selectFrom('users').select(['role', 'client_id']).where('id', '=', id).executeTakeFirstOrThrow();
		expect(user).toEqual({ role: 'client', client_id: clientA });
		expect(await issues(acceptInvitation(db, inv.token, { displayName: 'Again', password: PASSWORD, locale: 'en' }))).toEqual({
			token: 'error_invitation_invalid'
		});
	});

	it('changing a password needs the current one and ends the other sessions', async () => {
		const db = database.db;
		const id = await createUser(db, adminId, { email: 'pw@x.test', displayName: 'P', role: 'agent', clientId: null, password: PASSWORD });
		const here = await createSession(db, id);
		const there = await createSession(db, id);
		expect(await issues(changePassword(db, id, here.session.id, 'wrong', 'another good password'))).toEqual({ currentPassword: 'error_password_wrong' });
		await changePassword(db, id, here.session.id, PASSWORD, 'another good password');
		expect(await validateSessionToken(db, here.token)).not.toBeNull();
		expect(await validateSessionToken(db, there.token)).toBeNull();
		expect((await signIn(db, { email: 'pw@x.test', password: 'another good password', ip: '10.9.9.9' })).ok).toBe(true);
	});
});

describe.each(dialects)('first-run setup races on %s', (kind) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(() => database?.close());

	it('creates exactly one admin when two set-ups arrive together', async () => {
		const results = await Promise.allSettled([
			setupFirstAdmin(database.db, { email: 'one@x.test', displayName: '1', password: PASSWORD, locale: 'en' }),
			setupFirstAdmin(database.db, { email: 'two@x.test', displayName: '2', password: PASSWORD, locale: 'en' })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const admins = await database.db.selectFrom('users').select('id').where('role', '=', 'admin').execute();
		expect(admins).toHaveLength(1);
	});
});

describe.each(dialects)('password change throttling on %s', (kind) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(() => database?.close());

	it('stops guessing the current password through the change form', async () => {
		const db = database.db;
		const id = await createUser(db, null, { email: 'guess@x.test', displayName: 'G', role: 'agent', clientId: null, password: PASSWORD });
		const s = await createSession(db, id);
		for (let i = 0; i < ACCOUNT_POLICY.free; i++) {
			await expect(changePassword(db, id, s.session.id, `wrong guess ${i}`, 'a new long password')).rejects.toBeInstanceOf(InputError);
		}
		await expect(changePassword(db, id, s.session.id, PASSWORD, 'a new long password')).rejects.toBeInstanceOf(ThrottledError);
	});
});

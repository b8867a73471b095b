import { createServer } from 'node:net';
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseConfigError, migrateToLatest, openDatabase } from '../../src/lib/server/db/index';
import { migrations } from '../../migrations/index.js';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const now = () => new Date().toISOString();

/** Tables the foundation migration creates; later migrations only add to this. */
const foundationTables = ['clients', 'users', 'sessions', 'invitations', 'auth_throttle', 'audit_log', 'settings'];

describe.each(dialects)('database on %s', (kind) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(kind, { migrate: false });
	});
	afterAll(() => database?.close());

	it('applies every migration to a fresh database, and nothing on a second run', async () => {
		expect(await migrateToLatest(database.db)).toEqual(Object.keys(migrations));
		expect(await migrateToLatest(database.db)).toEqual([]);
	});

	it('has the tables', async () => {
		const tables = (await database.db.introspection.getTables()).map((t) => t.name);
		expect(tables).toEqual(expect.arrayContaining(foundationTables));
	});

	it('auto-numbers ids as JavaScript integers', async () => {
		const insert = (name: string) =>
			database.db
				.insertInto('clients')
				.values({ name, name_reading: null, created_at: now(), updated_at: now() })
				.returning('id')
				.executeTakeFirstOrThrow();
		const first = await insert('Kagami Foods');
		const second = await insert('Tsubame Books');
		expect(typeof first.id).toBe('number');
		expect(Number.isInteger(first.id)).toBe(true);
		expect(second.id).toBeGreaterThan(first.id);
	});

	it('refuses a foreign key to a missing row', async () => {
		const insert = database.db
			.insertInto('users')
			.values({
				email: `fk-${kind}@example.test`,
				display_name: 'Orphan',
				password_hash: null,
				role: 'client',
				client_id: 987_654,
				locale: 'en',
				created_at: now(),
				updated_at: now()
			})
			.execute();
		// SQLITE_CONSTRAINT_FOREIGNKEY (only with PRAGMA foreign_keys=ON) / PostgreSQL 23503.
		await expect(insert).rejects.toMatchObject({
			code: kind === 'sqlite' ? 'SQLITE_CONSTRAINT_FOREIGNKEY' : '23503'
		});
	});

	it.runIf(kind === 'sqlite')('opens SQLite in WAL mode with foreign keys and a busy timeout', () => {
		const sqlite = database.sqlite!;
		expect(sqlite).not.toBeNull();
		expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
		expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
		expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
	});

	it.runIf(kind === 'postgres')('reports its kind and hides no raw handle', () => {
		expect(database.kind).toBe('postgres');
		expect(database.sqlite).toBeNull();
	});
});

describe('openDatabase configuration errors', () => {
	it('names host:port in one line when PostgreSQL is unreachable', async () => {
		const port = await closedPort();
		const attempt = openDatabase(`postgres://postgres@127.0.0.1:${port}/tegami`);
		await expect(attempt).rejects.toBeInstanceOf(DatabaseConfigError);
		const error = (await attempt.catch((e: unknown) => e)) as Error;
		expect(error.message).toContain(`127.0.0.1:${port}`);
		expect(error.message).not.toContain('\n');
	});

	it('rejects an unknown scheme clearly', async () => {
		const attempt = openDatabase('mysql://root:secret@db.example/tegami');
		await expect(attempt).rejects.toBeInstanceOf(DatabaseConfigError);
		await expect(attempt).rejects.toThrow(/postgres:\/\/ or sqlite:/);
		await expect(attempt).rejects.not.toThrow(/secret/);
	});
});

/** A port nothing listens on: ask the kernel for a free one, then release it. */
function closedPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

describe.each(dialects)('upgrading a database on %s', (kind) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(kind, { migrate: false });
	});
	afterAll(() => database?.close());

	it('gives reporters who already have a reading its comparison key', async () => {
		const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
		expect((await migrator.migrateTo('2026-11-23_07_import_flags')).error).toBeUndefined();
		const at = now();
		for (const [name, reading] of [['河野 栞', 'ｺｳﾉ ｼｵﾘ'], ['Dana Whitfield', null], ['森 一', 'も']] as const) {
			await sql`insert into reporters (display_name, name_key, reading, outlet_id, created_via, created_at, updated_at) values (${name}, ${name}, ${reading}, ${null}, ${'manual'}, ${at}, ${at})`.execute(database.db);
		}
		expect(await migrateToLatest(database.db)).toEqual(['2026-11-23_08_reporter_reading_key']);
		const rows = await database.db.selectFrom('reporters').select(['display_name', 'reading_key']).orderBy('id').execute();
		expect(rows).toEqual([
			{ display_name: '河野 栞', reading_key: 'コウノシオリ' },
			{ display_name: 'Dana Whitfield', reading_key: null },
			{ display_name: '森 一', reading_key: null }
		]);
	});
});

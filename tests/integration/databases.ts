/**
 * Fresh, migrated databases for integration tests, on SQLite and PostgreSQL alike. Every integration
 * test runs against both, because the app supports both and they differ in ways that matter (auto
 * numbering, types returned by the driver, constraint errors, text comparison).
 *
 *   import { dialects, createTestDatabase, type TestDatabase } from './databases';
 *
 *   describe.each(dialects)('%s', (kind) => {
 *     let database: TestDatabase;
 *     beforeAll(async () => { database = await createTestDatabase(kind); });
 *     afterAll(() => database.close());
 *     it('…', async () => { await database.db.selectFrom('clients')… });
 *   });
 *
 * `close()` also deletes the database: the SQLite file's directory, or the PostgreSQL database
 * (dropped after the pool is closed). The PostgreSQL server comes from global-setup.ts.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { migrateToLatest, openDatabase, type Database, type DatabaseKind } from '../../src/lib/server/db/index';

export const dialects = ['sqlite', 'postgres'] as const satisfies readonly DatabaseKind[];
export type Dialect = (typeof dialects)[number];

export interface TestDatabase extends Database {
	/** The DATABASE_URL of this database, e.g. to hand to the CLI in a child process. */
	url: string;
	/** Names of the migrations applied on creation (all of them, unless `migrate: false`). */
	migrated: string[];
}

export interface CreateOptions {
	/** Run migrateToLatest (default true). False gives an empty database, for migration tests. */
	migrate?: boolean;
}

/** Admin URL of the test PostgreSQL server (superuser or CREATEDB role). */
export function pgAdminUrl(): string {
	const url = inject('pgUrl');
	if (!url) throw new Error('no PostgreSQL for tests: tests/integration/global-setup.ts did not provide pgUrl');
	return url;
}

export async function createTestDatabase(kind: Dialect, options: CreateOptions = {}): Promise<TestDatabase> {
	const { url, drop } = kind === 'sqlite' ? createSqliteFile() : await createPostgresDatabase();
	let database: Database;
	try {
		database = await openDatabase(url);
	} catch (e) {
		await drop();
		throw e;
	}
	let closed = false;
	const testDatabase: TestDatabase = {
		...database,
		url,
		migrated: [],
		async close() {
			if (closed) return;
			closed = true;
			try {
				await database.close();
			} finally {
				await drop();
			}
		}
	};
	if (options.migrate ?? true) {
		try {
			testDatabase.migrated = await migrateToLatest(database.db);
		} catch (e) {
			await testDatabase.close();
			throw e;
		}
	}
	return testDatabase;
}

/** Same as `database.close()`; for symmetry with createTestDatabase in afterAll/afterEach. */
export function dropTestDatabase(database: TestDatabase): Promise<void> {
	return database.close();
}

function createSqliteFile(): { url: string; drop: () => Promise<void> } {
	const dir = mkdtempSync(join(tmpdir(), 'tegami-test-'));
	return {
		url: `sqlite:${join(dir, 'tegami.db')}`,
		drop: async () => rmSync(dir, { recursive: true, force: true })
	};
}

async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
	const admin = pgAdminUrl();
	// Random, not per-file: reruns and parallel runs against a shared server must never collide.
	const name = `tegami_t_${randomBytes(6).toString('hex')}`;
	await adminQuery(admin, `create database ${name}`);
	const url = new URL(admin);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		// WITH (FORCE) ends connections a failed test may have leaked, which would block the drop.
		drop: () => adminQuery(admin, `drop database if exists ${name} with (force)`)
	};
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
	const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
	await client.connect();
	try {
		await client.query(text);
	} finally {
		await client.end();
	}
}

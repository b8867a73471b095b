import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
	CompiledQuery,
	Kysely,
	PostgresDialect,
	SqliteDialect,
	type DatabaseConnection,
	type Driver
} from 'kysely';
import type { DB } from './schema';
import { DatabaseConfigError, parseDatabaseUrl, redactUrl, type DatabaseTarget } from './url';
import { registerSqliteConnection } from './sqlite-statements';

export type DatabaseKind = DatabaseTarget['kind'];

/** An open database: the Kysely instance plus what callers need to know about it. */
export interface Database {
	db: Kysely<DB>;
	kind: DatabaseKind;
	/** DATABASE_URL with any password removed. */
	label: string;
	/** The raw better-sqlite3 handle, for backups and bulk work (SQLite only). */
	sqlite: SQLite.Database | null;
	close(): Promise<void>;
}

/**
 * SQLite settings. WAL lets readers run beside the one writer; synchronous=FULL syncs the WAL on
 * every commit, so a committed transaction survives a process kill and a power cut alike.
 */
const SQLITE_PRAGMAS = [
	'journal_mode = WAL',
	'synchronous = FULL',
	'foreign_keys = ON',
	'busy_timeout = 5000'
];

/**
 * Kysely starts SQLite transactions DEFERRED; a read-then-write transaction can then fail with
 * SQLITE_BUSY when another process (the CLI beside the server) writes. IMMEDIATE takes the write
 * lock up front, so busy_timeout applies.
 */
class ImmediateSqliteDialect extends SqliteDialect {
	override createDriver(): Driver {
		const driver = super.createDriver();
		driver.beginTransaction = async (connection: DatabaseConnection) => {
			await connection.executeQuery(CompiledQuery.raw('begin immediate'));
		};
		return driver;
	}
}

// pg returns int8 (count(*), sum()) as strings; our counts fit comfortably in a JS number.
const pgTypes = {
	getTypeParser(oid: number, format?: 'text' | 'binary') {
		if (oid === 20) return (v: string) => Number(v);
		if (oid === 1700) return (v: string) => Number(v);
		return pg.types.getTypeParser(oid, format as 'text');
	}
};

/** Open the database named by `url` (default: DATABASE_URL) and check that it answers. */
export async function openDatabase(url: string | undefined = process.env.DATABASE_URL): Promise<Database> {
	const target = parseDatabaseUrl(url);
	return target.kind === 'sqlite' ? openSqlite(target.path, target.url) : openPostgres(target.connectionString);
}

function openSqlite(path: string, url: string): Database {
	let handle: SQLite.Database;
	try {
		if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
		handle = new SQLite(path);
		for (const p of SQLITE_PRAGMAS) handle.pragma(p);
	} catch (e) {
		throw new DatabaseConfigError(`Cannot open SQLite database ${path}: ${(e as Error).message}`);
	}
	const db = new Kysely<DB>({
		// The import reuses prepared statements on the raw handle (sqlite-statements.ts).
		dialect: new ImmediateSqliteDialect({ database: handle, onCreateConnection: async (c) => registerSqliteConnection(c, handle) })
	});
	return {
		db,
		kind: 'sqlite',
		label: url,
		sqlite: handle,
		close: () => db.destroy()
	};
}

async function openPostgres(connectionString: string): Promise<Database> {
	const pool = new pg.Pool({
		connectionString,
		max: Number(process.env.DATABASE_POOL_MAX ?? 10),
		connectionTimeoutMillis: 5000,
		types: pgTypes
	});
	// An idle client losing its server must not crash the process; the next query reports it.
	pool.on('error', (e) => console.error(`PostgreSQL pool error: ${e.message}`));
	try {
		const client = await pool.connect();
		client.release();
	} catch (e) {
		await pool.end().catch(() => {});
		throw new DatabaseConfigError(
			`Cannot connect to PostgreSQL at ${describePg(connectionString)}: ${pgErrorText(e)}`
		);
	}
	const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
	return {
		db,
		kind: 'postgres',
		label: redactUrl(connectionString),
		sqlite: null,
		// Kysely adopts the pool only on its first query; end it ourselves if that never happened.
		close: async () => {
			await db.destroy();
			if (!pool.ended) await pool.end();
		}
	};
}

function describePg(connectionString: string): string {
	try {
		const u = new URL(connectionString);
		return `${u.hostname || 'localhost'}:${u.port || 5432}${u.pathname}`;
	} catch {
		return redactUrl(connectionString);
	}
}

function pgErrorText(e: unknown): string {
	const err = e as { code?: string; message?: string; errors?: { message: string }[] };
	const msg = err.message || err.errors?.map((x) => x.message).join('; ') || String(e);
	return err.code && !msg.includes(err.code) ? `${err.code} ${msg}` : msg;
}

/** Answer whether the database responds to a trivial query. */
export async function pingDatabase(database: Database): Promise<boolean> {
	try {
		await database.db.executeQuery(CompiledQuery.raw('select 1'));
		return true;
	} catch {
		return false;
	}
}

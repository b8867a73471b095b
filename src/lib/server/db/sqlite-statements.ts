/**
 * Prepared statements kept for the life of a SQLite connection, for the import's hot path. Kysely
 * prepares every statement afresh: a 100-row insert into articles took ~450 µs to prepare, and a
 * batch runs the same few statements again and again. Statements run through the raw handle are
 * inside whatever transaction the Kysely connection has open (SQLite has one connection, and
 * better-sqlite3 runs synchronously).
 */
import type SQLite from 'better-sqlite3';
import type { DatabaseConnection, Kysely } from 'kysely';

const handles = new WeakMap<DatabaseConnection, SQLite.Database>();
const caches = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();
/** Enough for the import's statements, including a few sizes of its last, shorter chunks. */
const MAX_CACHED = 32;

/** Records the better-sqlite3 handle behind a Kysely connection (called as the dialect makes the connection). */
export function registerSqliteConnection(connection: DatabaseConnection, handle: SQLite.Database): void {
	handles.set(connection, handle);
}

/**
 * The better-sqlite3 handle a Kysely transaction runs on; null for PostgreSQL, an unregistered
 * connection, or a Kysely instance outside a transaction: the server shares its one SQLite
 * connection, so a statement run on the handle outside our own transaction could land in another
 * request's.
 */
export async function sqliteHandleOf(db: Pick<Kysely<unknown>, 'getExecutor' | 'isTransaction'>): Promise<SQLite.Database | null> {
	if (!db.isTransaction) return null;
	return db.getExecutor().provideConnection(async (connection) => handles.get(connection) ?? null);
}

/** A statement for `sql`, prepared on first use and kept (least recently used ones are dropped past MAX_CACHED). */
export function cachedStatement(handle: SQLite.Database, sql: string): SQLite.Statement {
	let cache = caches.get(handle);
	if (!cache) caches.set(handle, (cache = new Map()));
	let statement = cache.get(sql);
	if (statement) {
		// Map order is insertion order: moving a hit to the end keeps the oldest entry the least used.
		cache.delete(sql);
	} else {
		statement = handle.prepare(sql);
		if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
	}
	cache.set(sql, statement);
	return statement;
}

function quoteIdentifier(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Inserts rows (all with the keys of the first; undefined is stored as NULL) in one statement kept on
 * the connection, and returns the `returning` columns of each. Building this SQL by hand skips
 * Kysely's query compilation, ~5 µs a row for a 23-column insert.
 */
export function insertRowsReturning<R>(
	handle: SQLite.Database,
	table: string,
	rows: readonly Record<string, unknown>[],
	returning: readonly string[]
): R[] {
	if (!rows.length) return [];
	const columns = Object.keys(rows[0]);
	const tuple = `(${columns.map(() => '?').join(', ')})`;
	const sql = `insert into ${quoteIdentifier(table)} (${columns.map(quoteIdentifier).join(', ')}) values ${Array(rows.length).fill(tuple).join(', ')} returning ${returning.map(quoteIdentifier).join(', ')}`;
	const parameters: unknown[] = [];
	for (const row of rows) for (const c of columns) parameters.push(row[c]);
	return cachedStatement(handle, sql).all(parameters) as R[];
}

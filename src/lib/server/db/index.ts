import { openDatabase, type Database } from './connect';
import { migrateToLatest } from './migrate';

export type { Database, DatabaseKind } from './connect';
export { openDatabase, pingDatabase } from './connect';
export { migrateToLatest } from './migrate';
export { DatabaseConfigError } from './url';

let current: Promise<Database> | null = null;

/**
 * The app's one database, opened from DATABASE_URL and migrated on first use. The server opens it
 * in the `init` hook, before it listens.
 */
export function getDatabase(): Promise<Database> {
	current ??= (async () => {
		const database = await openDatabase();
		try {
			await migrateToLatest(database.db);
		} catch (e) {
			await database.close();
			throw e;
		}
		return database;
	})();
	current.catch(() => {
		current = null;
	});
	return current;
}

/** UTC now as the ISO string every timestamp column holds. */
export function nowIso(date: Date = new Date()): string {
	return date.toISOString();
}

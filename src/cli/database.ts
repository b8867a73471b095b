import { existsSync } from 'node:fs';
import { Migrator } from 'kysely';
import { migrations } from '../../migrations/index.js';
import { openDatabase, type Database } from '../lib/server/db/index';
import { parseDatabaseUrl } from '../lib/server/db/url';
import { CliError } from './errors';
import type { CliContext } from './context';

export interface OpenOptions {
	/** Refuse to create a new SQLite file: every command but `migrate` needs an existing database. */
	mustExist?: boolean;
	/** Refuse when migrations are pending, rather than fail later on a missing table or column. */
	requireMigrated?: boolean;
}

/** Open DATABASE_URL from the command's environment, run `fn`, and always close it. */
export async function withDatabase<T>(
	context: CliContext,
	options: OpenOptions,
	fn: (database: Database) => Promise<T>
): Promise<T> {
	const url = context.env.DATABASE_URL;
	const target = parseDatabaseUrl(url);
	if (options.mustExist && target.kind === 'sqlite' && target.path !== ':memory:' && !existsSync(target.path)) {
		throw new CliError(
			`no database at ${target.path} (DATABASE_URL=${target.url}); create it with: tegami migrate`
		);
	}
	const database = await openDatabase(url);
	try {
		if (options.requireMigrated) await checkMigrated(database);
		return await fn(database);
	} finally {
		await database.close();
	}
}

async function checkMigrated(database: Database): Promise<void> {
	const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
	const pending = (await migrator.getMigrations()).filter((m) => !m.executedAt);
	if (pending.length) {
		const n = pending.length;
		throw new CliError(
			`the database ${database.label} has ${n} pending migration${n === 1 ? '' : 's'}; run: tegami migrate`
		);
	}
}

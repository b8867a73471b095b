import { migrateToLatest } from '../../lib/server/db/index';
import { withDatabase } from '../database';
import type { Command } from '../context';

export const migrateCommands: Command[] = [
	{
		name: 'migrate',
		summary: 'apply pending database migrations',
		description:
			'Creates the SQLite file (and its directory) when it does not exist yet. The app also migrates when it starts; run this before a deployment to see what changes.',
		options: {},
		examples: ['DATABASE_URL=sqlite:./data/tegami.db tegami migrate'],
		async run(_args, context) {
			await withDatabase(context, {}, async (database) => {
				const applied = await migrateToLatest(database.db);
				if (applied.length === 0) {
					context.out(`${database.label} is up to date: no migrations to apply.`);
					return;
				}
				const n = applied.length;
				context.out(`Applied ${n} migration${n === 1 ? '' : 's'} to ${database.label}:`);
				for (const name of applied) context.out(`  ${name}`);
			});
		}
	}
];

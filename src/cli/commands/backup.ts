import { BackupError, backupSqlite, postgresBackupAdvice } from '../../lib/server/db/backup';
import { parseDatabaseUrl, redactUrl } from '../../lib/server/db/url';
import { withDatabase } from '../database';
import { CliError } from '../errors';
import type { Command } from '../context';

export const backupCommands: Command[] = [
	{
		name: 'backup',
		summary: 'copy the SQLite database consistently, even while the app runs',
		description:
			'Writes a single self-contained SQLite file, checks it with PRAGMA integrity_check, and records "backup.created" in the audit log. Refuses to replace an existing file unless --force. For PostgreSQL use pg_dump instead.',
		options: {
			force: { type: 'boolean', description: 'replace FILE if it exists' }
		},
		positionals: [{ name: 'FILE', description: 'where to write the copy, e.g. backups/tegami-2026-01-31.db', required: true }],
		examples: ['tegami backup backups/tegami-$(date +%F).db'],
		async run(args, context) {
			const file = args.positionals[0];
			// Refused before connecting: there is nothing to ask the server.
			const target = parseDatabaseUrl(context.env.DATABASE_URL);
			if (target.kind === 'postgres') throw new CliError(postgresBackupAdvice(redactUrl(target.url)));
			await withDatabase(context, { mustExist: true }, async (database) => {
				try {
					const result = await backupSqlite(database, file, { overwrite: args.values.force === true });
					context.out(`Backed up ${database.label} to ${result.file} (${formatBytes(result.bytes)}, integrity check ok).`);
				} catch (e) {
					if (e instanceof BackupError) {
						const hint = e.reason === 'exists' ? '; choose another name or pass --force to replace it' : '';
						throw new CliError(`${e.message}${hint}`);
					}
					throw e;
				}
			});
		}
	}
];

function formatBytes(n: number): string {
	if (n < 1024) return `${n} bytes`;
	if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
	return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

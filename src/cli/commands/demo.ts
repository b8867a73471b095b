import { DEMO_DEFAULT_PASSWORD, DemoRefusedError, loadDemo, type DemoResult } from '../../lib/server/demo/demo';
import { withDatabase } from '../database';
import { CliError } from '../errors';
import type { Command } from '../context';

export const demoCommands: Command[] = [
	{
		name: 'demo',
		summary: 'load the demo workspace (fictional agency, clients and one user per role)',
		description: `Loads into the database named by DATABASE_URL, which must be migrated ("tegami migrate"). Running it again adds nothing. Every demo account gets the password in DEMO_PASSWORD (default "${DEMO_DEFAULT_PASSWORD}"). Refused on a database that has other accounts, since the demo admin's password is public, unless --force.`,
		options: {
			force: { type: 'boolean', description: 'load even though the database has accounts that are not part of the demo' }
		},
		fields: { password: 'DEMO_PASSWORD' },
		examples: ['DATABASE_URL=sqlite:./data/demo.db tegami demo'],
		async run(args, context) {
			const password = context.env.DEMO_PASSWORD || DEMO_DEFAULT_PASSWORD;
			await withDatabase(context, { mustExist: true, requireMigrated: true }, async (database) => {
				let result: DemoResult;
				try {
					result = await loadDemo(database.db, { password, force: args.values.force === true });
				} catch (e) {
					if (e instanceof DemoRefusedError) throw new CliError(`${e.message} (or pass --force)`);
					throw e;
				}
				const { created } = result;
				if (created.clients + created.users + created.settings === 0) {
					context.out(`The demo workspace is already loaded in ${database.label}; nothing added.`);
				} else {
					context.out(
						`Loaded the demo workspace into ${database.label}: agency "${result.agencyName}", ` +
							`${created.clients} client${created.clients === 1 ? '' : 's'} and ${created.users} user${created.users === 1 ? '' : 's'} added.`
					);
				}
				context.out('');
				for (const line of demoLogins(result, context.env.DEMO_PASSWORD ? null : password)) context.out(line);
			});
		}
	}
];

/** The sign-in table printed after loading; the password only when it is the published default. */
export function demoLogins(result: DemoResult, shownPassword: string | null): string[] {
	const kept = result.users.some((u) => !u.created) ? ' (accounts that existed before keep their password)' : '';
	const lines = [
		shownPassword
			? `Demo sign-ins, all with the password "${shownPassword}"${kept}:`
			: `Demo sign-ins, all with the password in DEMO_PASSWORD${kept}:`
	];
	const width = Math.max(...result.users.map((u) => u.email.length));
	for (const u of result.users) {
		const extra = [u.clientName ? `client: ${u.clientName}` : '', u.locale === 'ja' ? '日本語' : ''].filter(Boolean).join(', ');
		lines.push(`  ${u.role.padEnd(7)} ${u.email.padEnd(width)}  ${u.displayName}${extra ? ` (${extra})` : ''}`);
	}
	return lines;
}

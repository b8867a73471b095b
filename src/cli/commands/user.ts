import { LOCALES, ROLES, type Locale } from '../../lib/roles';
import { parseUserForm } from '../../lib/schemas/user';
import { InputError } from '../../lib/schemas/validation';
import { getClientByName } from '../../lib/server/clients/clients.repository';
import { createUser } from '../../lib/server/users/users.service';
import { UsageError, stringOption } from '../args';
import { withDatabase } from '../database';
import { CliError } from '../errors';
import type { Command } from '../context';

export const userCommands: Command[] = [
	{
		name: 'user add',
		summary: 'create a user who signs in with a password',
		description:
			'A client user belongs to one client company (--client, required for --role client and refused for the other roles); create the client first with "tegami client add". The password must be 8 to 256 characters; note that it stays in your shell history.',
		options: {
			email: { type: 'string', placeholder: 'EMAIL', description: 'sign-in address', required: true },
			password: { type: 'string', placeholder: 'PASSWORD', description: 'initial password', required: true },
			role: { type: 'string', placeholder: 'ROLE', description: 'what the user may do', required: true, choices: ROLES },
			client: { type: 'string', placeholder: 'NAME', description: 'the client company a client user belongs to, by name' },
			name: { type: 'string', placeholder: 'DISPLAY', description: 'display name (default: the part of the email before @)' },
			locale: { type: 'string', placeholder: 'LOCALE', description: 'interface language', choices: LOCALES, defaultValue: 'en' }
		},
		fields: { email: '--email', password: '--password', role: '--role', clientId: '--client', displayName: '--name' },
		examples: [
			'tegami user add --email admin@example.com --password "correct horse" --role admin',
			'tegami user add --email pr@client.example --password "correct horse" --role client --client "Kumonoito Kitchenware" --locale ja'
		],
		validate(args) {
			const role = stringOption(args, 'role');
			const client = stringOption(args, 'client');
			if (role === 'client' && client === undefined) {
				throw new UsageError('--role client needs --client NAME (the client company the user belongs to)', 'user add');
			}
			if (role !== 'client' && client !== undefined) {
				throw new UsageError(`--client is only for --role client (not for --role ${role})`, 'user add');
			}
		},
		async run(args, context) {
			const clientName = stringOption(args, 'client')?.trim().normalize('NFC');
			const locale = (stringOption(args, 'locale') ?? 'en') as Locale;
			await withDatabase(context, { mustExist: true, requireMigrated: true }, async (database) => {
				let clientId = '';
				if (clientName !== undefined) {
					const client = await getClientByName(database.db, clientName);
					if (!client) {
						throw new CliError(
							`no client named "${clientName}" in ${database.label}; create it first with: tegami client add --name "${clientName}"`
						);
					}
					clientId = String(client.id);
				}
				const parsed = parseUserForm(
					{
						email: stringOption(args, 'email'),
						password: stringOption(args, 'password'),
						role: stringOption(args, 'role'),
						displayName: stringOption(args, 'name'),
						clientId
					},
					'create'
				);
				if (!parsed.ok) throw new InputError(parsed.issues);
				const id = await createUser(database.db, null, { ...parsed.value, locale });
				const of = clientName !== undefined ? ` of "${clientName}"` : '';
				context.out(`Created ${parsed.value.role} user ${parsed.value.email}${of} (id ${id}) in ${database.label}.`);
			});
		}
	}
];

import { createClient, parseClientForm } from '../../lib/server/clients/clients.service';
import { stringOption } from '../args';
import { withDatabase } from '../database';
import type { Command } from '../context';

export const clientCommands: Command[] = [
	{
		name: 'client add',
		summary: 'create a client company (the agency represents it)',
		options: {
			name: { type: 'string', placeholder: 'NAME', description: 'the client company\'s name, unique', required: true },
			reading: { type: 'string', placeholder: 'KANA', description: 'how the name reads (kana), for sorting and search' }
		},
		fields: { name: '--name', nameReading: '--reading' },
		examples: ['tegami client add --name "Kumonoito Kitchenware" --reading "くものいときっちんうぇあ"'],
		async run(args, context) {
			const input = parseClientForm({ name: stringOption(args, 'name'), nameReading: stringOption(args, 'reading') });
			await withDatabase(context, { mustExist: true, requireMigrated: true }, async (database) => {
				const id = await createClient(database.db, null, input);
				context.out(`Created client "${input.name}" (id ${id}) in ${database.label}.`);
			});
		}
	}
];

import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { recordAudit } from '../audit/audit';
import { InputError, field, type Issues } from '../../schemas/validation';
import { getClientById, getClientByName, insertClient, updateClient } from './clients.repository';

export interface ClientInput {
	name: string;
	nameReading: string | null;
}

/** Validate a client form: a name of at most 200 characters, unique. */
export function parseClientForm(data: FormData | Record<string, unknown>): ClientInput {
	const issues: Issues = {};
	const name = field(data, 'name').normalize('NFC');
	const nameReading = field(data, 'nameReading').normalize('NFC') || null;
	if (!name) issues.name = 'error_required';
	else if (name.length > 200) issues.name = 'error_too_long';
	if (nameReading && nameReading.length > 200) issues.nameReading = 'error_too_long';
	if (Object.keys(issues).length) throw new InputError(issues);
	return { name, nameReading };
}

/** Create a client company; the name must be new. */
export async function createClient(db: Kysely<DB>, actorUserId: number | null, input: ClientInput): Promise<number> {
	return db.transaction().execute(async (trx) => {
		if (await getClientByName(trx, input.name)) throw new InputError({ name: 'error_client_name_taken' });
		const id = await insertClient(trx, { name: input.name, name_reading: input.nameReading, now: new Date().toISOString() });
		await recordAudit(trx, { actorUserId, action: 'client.created', subjectType: 'client', subjectId: id });
		return id;
	});
}

/** Rename a client; the new name must not belong to another client. */
export async function renameClient(db: Kysely<DB>, actorUserId: number, id: number, input: ClientInput): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const existing = await getClientById(trx, id);
		if (!existing) throw new InputError({ id: 'error_not_found' });
		const clash = await getClientByName(trx, input.name);
		if (clash && clash.id !== id) throw new InputError({ name: 'error_client_name_taken' });
		await updateClient(trx, id, { name: input.name, name_reading: input.nameReading, now: new Date().toISOString() });
		await recordAudit(trx, { actorUserId, action: 'client.updated', subjectType: 'client', subjectId: id });
	});
}

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

const CLIENT_COLUMNS = ['clients.id', 'clients.name', 'clients.name_reading', 'clients.created_at'] as const;

/** Clients with how many client users each has. */
export function listClients(db: Db) {
	return db
		.selectFrom('clients')
		.select([
			...CLIENT_COLUMNS,
			(eb) =>
				eb
					.selectFrom('users')
					.select((e) => e.fn.countAll<number>().as('n'))
					.whereRef('users.client_id', '=', 'clients.id')
					.as('user_count')
		])
		.orderBy('clients.name')
		.execute();
}

export function getClientById(db: Db, id: number) {
	return db.selectFrom('clients').select(CLIENT_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function getClientByName(db: Db, name: string) {
	return db.selectFrom('clients').select(CLIENT_COLUMNS).where('name', '=', name).executeTakeFirst();
}

export async function insertClient(db: Db, values: { name: string; name_reading: string | null; now: string }) {
	const row = await db
		.insertInto('clients')
		.values({ name: values.name, name_reading: values.name_reading, created_at: values.now, updated_at: values.now })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function updateClient(db: Db, id: number, values: { name: string; name_reading: string | null; now: string }) {
	await db
		.updateTable('clients')
		.set({ name: values.name, name_reading: values.name_reading, updated_at: values.now })
		.where('id', '=', id)
		.execute();
}

/** The users belonging to a client (for its admin page). */
export function listClientUsers(db: Db, clientId: number) {
	return db
		.selectFrom('users')
		.select(['id', 'email', 'display_name', 'disabled_at'])
		.where('client_id', '=', clientId)
		.orderBy('email')
		.execute();
}

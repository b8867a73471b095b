import type { Kysely, Transaction } from 'kysely';
import type { DB, Locale, NewUser, Role, UserUpdate } from '../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/** The columns an admin's user list may show: never the password hash. */
const USER_LIST_COLUMNS = [
	'users.id',
	'users.email',
	'users.display_name',
	'users.role',
	'users.client_id',
	'users.locale',
	'users.disabled_at',
	'users.created_at'
] as const;

export type UserSummary = Awaited<ReturnType<typeof listUsers>>[number];

/** Users with their client's name, for the admin's list. */
export function listUsers(db: Db) {
	return db
		.selectFrom('users')
		.leftJoin('clients', 'clients.id', 'users.client_id')
		.select([...USER_LIST_COLUMNS, 'clients.name as client_name'])
		.orderBy('users.role')
		.orderBy('users.email')
		.execute();
}

export function getUserById(db: Db, id: number) {
	return db
		.selectFrom('users')
		.leftJoin('clients', 'clients.id', 'users.client_id')
		.select([...USER_LIST_COLUMNS, 'clients.name as client_name'])
		.where('users.id', '=', id)
		.executeTakeFirst();
}

/** The row a sign-in needs, including the password hash. Only the auth service calls this. */
export function getUserCredentialsByEmail(db: Db, email: string) {
	return db
		.selectFrom('users')
		.select(['id', 'email', 'password_hash', 'role', 'client_id', 'locale', 'disabled_at'])
		.where('email', '=', email)
		.executeTakeFirst();
}

export function getUserPasswordHash(db: Db, id: number) {
	return db.selectFrom('users').select(['password_hash']).where('id', '=', id).executeTakeFirst();
}

export async function emailExists(db: Db, email: string): Promise<boolean> {
	const row = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
	return !!row;
}

export async function insertUser(db: Db, values: NewUser): Promise<number> {
	const row = await db.insertInto('users').values(values).returning('id').executeTakeFirstOrThrow();
	return row.id;
}

export async function updateUser(db: Db, id: number, patch: UserUpdate): Promise<void> {
	await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

/** Enabled admins, optionally leaving one user out (to protect the last admin). */
export async function countActiveAdmins(db: Db, exceptUserId?: number): Promise<number> {
	let q = db
		.selectFrom('users')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('role', '=', 'admin' satisfies Role)
		.where('disabled_at', 'is', null);
	if (exceptUserId !== undefined) q = q.where('id', '<>', exceptUserId);
	const row = await q.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function countAdmins(db: Db): Promise<number> {
	const row = await db
		.selectFrom('users')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('role', '=', 'admin')
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export async function setUserLocale(db: Db, id: number, locale: Locale): Promise<void> {
	await db.updateTable('users').set({ locale, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
}

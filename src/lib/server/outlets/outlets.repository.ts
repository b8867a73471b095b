import type { Kysely, Transaction } from 'kysely';
import type { DB, OutletKind } from '../db/schema';
import { outletKey } from '../articles/identity';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * Outlet ids by name, creating the outlets that do not exist yet. `cache` (name_key → id) lives
 * for one import so that a 100,000-article file asks the database once per outlet.
 */
export async function resolveOutlets(
	db: Db,
	names: Iterable<string>,
	cache: Map<string, number>,
	now: string
): Promise<Map<string, number>> {
	const byKey = new Map<string, string>();
	for (const name of names) {
		const clean = name.normalize('NFC').trim().slice(0, 200);
		if (!clean) continue;
		const key = outletKey(clean);
		if (key && !cache.has(key) && !byKey.has(key)) byKey.set(key, clean);
	}
	if (byKey.size) {
		const keys = [...byKey.keys()];
		const existing = await db.selectFrom('outlets').select(['id', 'name_key']).where('name_key', 'in', keys).execute();
		for (const row of existing) cache.set(row.name_key, row.id);
		const missing = keys.filter((k) => !cache.has(k));
		if (missing.length) {
			const inserted = await db
				.insertInto('outlets')
				.values(missing.map((k) => ({ name: byKey.get(k)!, name_key: k, created_at: now, updated_at: now })))
				.onConflict((oc) => oc.column('name_key').doNothing())
				.returning(['id', 'name_key'])
				.execute();
			for (const row of inserted) cache.set(row.name_key, row.id);
			// Another process may have created some of them between our select and insert.
			const still = missing.filter((k) => !cache.has(k));
			if (still.length) {
				const rows = await db.selectFrom('outlets').select(['id', 'name_key']).where('name_key', 'in', still).execute();
				for (const row of rows) cache.set(row.name_key, row.id);
			}
		}
	}
	return cache;
}

/** The outlet id for one name (creating it), or null for an empty name. */
export async function resolveOutlet(db: Db, name: string | null | undefined, now = new Date().toISOString()): Promise<number | null> {
	if (!name?.trim()) return null;
	const cache = await resolveOutlets(db, [name], new Map(), now);
	return cache.get(outletKey(name.normalize('NFC').trim().slice(0, 200))) ?? null;
}

export function listOutlets(db: Db) {
	return db
		.selectFrom('outlets')
		.select(['id', 'name', 'kind', 'desk_phone', 'website'])
		.orderBy('name')
		.execute();
}

export function getOutlet(db: Db, id: number) {
	return db
		.selectFrom('outlets')
		.select(['id', 'name', 'kind', 'desk_phone', 'website', 'address', 'lang'])
		.where('id', '=', id)
		.executeTakeFirst();
}

export async function updateOutletContact(
	db: Db,
	id: number,
	values: { kind?: OutletKind | null; desk_phone?: string | null; website?: string | null; address?: string | null }
) {
	await db.updateTable('outlets').set({ ...values, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
}

import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './connect';
import { cachedStatement, insertRowsReturning, sqliteHandleOf } from './sqlite-statements';

describe('statements kept on the SQLite connection', () => {
	let database: Database | null = null;
	afterEach(async () => {
		await database?.close();
		database = null;
	});

	async function open(): Promise<Database> {
		database = await openDatabase('sqlite::memory:');
		await sql`create table t (id integer primary key, name text not null unique, note text)`.execute(database.db);
		return database;
	}

	it('gives the handle only inside a transaction, and its statements are part of that transaction', async () => {
		const { db } = await open();
		expect(await sqliteHandleOf(db)).toBeNull();
		await db.transaction().execute(async (trx) => {
			const handle = await sqliteHandleOf(trx);
			expect(handle).not.toBeNull();
			cachedStatement(handle!, 'insert into t (name) values (?)').run('kept');
		});
		await expect(
			db.transaction().execute(async (trx) => {
				const handle = (await sqliteHandleOf(trx))!;
				cachedStatement(handle, 'insert into t (name) values (?)').run('rolled back');
				throw new Error('the batch fails');
			})
		).rejects.toThrow('the batch fails');
		const rows = await sql<{ name: string }>`select name from t order by id`.execute(db);
		expect(rows.rows.map((r) => r.name)).toEqual(['kept']);
	});

	it('prepares a statement once and reuses it', async () => {
		const { db } = await open();
		await db.transaction().execute(async (trx) => {
			const handle = (await sqliteHandleOf(trx))!;
			const first = cachedStatement(handle, 'select count(*) as n from t');
			expect(cachedStatement(handle, 'select count(*) as n from t')).toBe(first);
			// Past the cache's size the least recently used statement is prepared again.
			for (let i = 0; i < 40; i++) cachedStatement(handle, `select ${i} as n`);
			expect(cachedStatement(handle, 'select count(*) as n from t')).not.toBe(first);
		});
	});

	it('inserts rows as Kysely would and returns the asked-for columns in order', async () => {
		const { db } = await open();
		const rows = [
			{ name: 'a', note: 'x' },
			{ name: 'b', note: null },
			{ name: 'c', note: undefined }
		];
		const inserted = await db.transaction().execute(async (trx) =>
			insertRowsReturning<{ id: number; name: string }>((await sqliteHandleOf(trx))!, 't', rows, ['id', 'name'])
		);
		expect(inserted).toEqual([
			{ id: 1, name: 'a' },
			{ id: 2, name: 'b' },
			{ id: 3, name: 'c' }
		]);
		const stored = await sql<{ name: string; note: string | null }>`select name, note from t order by id`.execute(db);
		expect(stored.rows).toEqual([
			{ name: 'a', note: 'x' },
			{ name: 'b', note: null },
			{ name: 'c', note: null }
		]);
		// A constraint failure is reported like any other statement's.
		await expect(
			db.transaction().execute(async (trx) => insertRowsReturning((await sqliteHandleOf(trx))!, 't', [{ name: 'a', note: null }], ['id']))
		).rejects.toThrow(/UNIQUE/);
	});
});

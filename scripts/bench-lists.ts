/**
 * The media-list part of `npm run bench`: a CSV of N contacts (half Japanese with a reading, half
 * English; emails, phones, outlets, tiers, notes) imported into a new list beside EXISTING reporters
 * who have readings (the duplicate check compares readings), then the same file again (every row
 * matches a reporter already on the list). Milliseconds for each, and rows per second.
 */
import type { Database } from '../src/lib/server/db/index';
import { readingKey } from '../src/lib/server/articles/byline';
import { createList, importListCsv } from '../src/lib/server/lists/lists.service';
import { createUser } from '../src/lib/server/users/users.service';

export async function benchListImport(database: Database, rows = 2000, existing = 20_000) {
	const db = database.db;
	const userId = await createUser(db, null, { email: `bench-lists-${Date.now()}@bench.test`, displayName: 'Bench', role: 'agent', clientId: null, password: 'a long bench password' });
	const now = new Date().toISOString();
	for (let i = 0; i < existing; i += 500) {
		const values = Array.from({ length: Math.min(500, existing - i) }, (_, j) => {
			const n = i + j;
			return { display_name: `既存 記者${n}`, name_key: `既存記者${n}`, reading: `きそん きしゃ${n}`, reading_key: readingKey(`きそん きしゃ${n}`), romanized: null, outlet_id: null, created_via: 'import' as const, created_from_article_id: null, created_by: null, created_at: now, updated_at: now };
		});
		await db.insertInto('reporters').values(values).execute();
	}
	const lines = Array.from({ length: rows }, (_, i) =>
		i % 2
			? `Reporter Number${i},,Daily Paper ${i % 50},Editor,Business,r${i}@paper${i % 50}.example,+44 20 7946 ${String(1000 + (i % 9000))},B,note ${i}`
			: `記者 太郎${i},きしゃ たろう${i},新聞${i % 50},記者,経済部,k${i}@shinbun${i % 50}.example,03-1234-${String(1000 + (i % 9000))},A,メモ${i}`
	);
	const bytes = new TextEncoder().encode(['Name,Reading,Outlet,Title,Desk,Email,Phone,Tier,Note', ...lines].join('\n'));
	const listId = await createList(db, userId, { name: `Bench list ${Date.now()}` });
	let t = performance.now();
	const first = await importListCsv(db, userId, listId, bytes, { fileName: 'bench.csv' });
	const firstMs = performance.now() - t;
	t = performance.now();
	const again = await importListCsv(db, userId, listId, bytes, { fileName: 'bench.csv' });
	const againMs = performance.now() - t;
	if (first.added !== rows || again.alreadyOnList !== rows) throw new Error(`bench list import: ${first.added} added and ${again.alreadyOnList} matched of ${rows}`);
	return {
		rows,
		existingReporters: existing,
		firstMs: Math.round(firstMs),
		firstRowsPerSec: Math.round(rows / (firstMs / 1000)),
		againMs: Math.round(againMs),
		againRowsPerSec: Math.round(rows / (againMs / 1000))
	};
}

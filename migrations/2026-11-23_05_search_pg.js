// PostgreSQL search index: timeline stretches in the tsvector, and the tsvector kept in its row.
// Frozen in time: never import application code here.
//
// - Every search_docs.doc gets lexemes naming the stretches of the timeline its document key falls
//   in: '#t' || (hour / 512) and '#y' || (hour / 8192) (hour = doc_key / 4096, see doc-key.ts). A
//   GIN scan cannot read a word's matches by key range: each newest-first search window built a
//   bitmap of all the word's matches and ANDed it with a bitmap of the window's keys. A window of
//   whole stretches ANDs the word with them inside the tsquery instead, and GIN skips to them.
// - doc is stored 'main' instead of 'extended': a tsvector of a few kilobytes does not compress, so
//   any row over ~2 kB moved it to TOAST, and checking a phrase against a candidate (GIN only finds
//   articles with all the words) cost a TOAST index lookup and chunk fetch each — most of a phrase
//   search's time. 'main' keeps it in the row up to the page size (~8 kB): nearly every English
//   article, few long Japanese ones. Rewriting the rows below lays out the existing ones too.
// SQLite: nothing to do (FTS5 reads its index in key order and checks phrases from its own positions).
import { sql } from 'kysely';

/** @param {import('kysely').Kysely<any>} db */
function isPostgres(db) {
	return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
	if (!isPostgres(db)) return;
	await sql`alter table search_docs alter column doc set storage main`.execute(db);
	const existing = await sql`select 1 from search_docs limit 1`.execute(db);
	if (!existing.rows.length) return;
	// Rebuilding the GIN index once is far faster than updating it for every rewritten row.
	await sql`drop index if exists search_docs_doc_idx`.execute(db);
	await sql`update search_docs set doc = doc || array_to_tsvector(array['#t' || (doc_key / 4096 / 512)::text, '#y' || (doc_key / 4096 / 8192)::text])`.execute(db);
	await sql`create index search_docs_doc_idx on search_docs using gin (doc)`.execute(db);
	await sql`analyze search_docs`.execute(db);
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
	if (!isPostgres(db)) return;
	await sql`alter table search_docs alter column doc set storage extended`.execute(db);
	await sql`update search_docs set doc = ts_delete(doc, array(select l from unnest(tsvector_to_array(doc)) l where l like '#t%' or l like '#y%'))`.execute(db);
}

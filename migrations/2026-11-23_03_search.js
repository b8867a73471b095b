// Full-text search over the article index. Frozen in time: never import application code here.
//
// Every indexed article has a row in search_docs keyed by a "document key" that orders articles by
// publication time: hour since 1900-01-01 UTC × 4096 + a sequence number within that hour. Search
// reads matches newest-first straight from the index in that order, which is what lets it rank only
// a bounded set of recent matches (and filter by date) without visiting every match.
// - SQLite: search_fts, an FTS5 table whose rowid is the document key. It is contentless (the indexed
//   text is the tokeniser's output — CJK bigrams, Latin stems — which nobody reads back; snippets are
//   made from articles.body) with contentless_delete so a changed article can be removed by key.
//   Columns: title and body (a phrase never spans them) and meta (filter tokens such as the outlet,
//   never matched by what a user types).
// - PostgreSQL: search_docs.doc, a tsvector built from the same tokens (weight A for the title), with
//   a GIN index; filter tokens start with '#', which no word token can contain. rank_doc holds the
//   title and the first 300 body tokens for ranking.
// search_meta records the tokeniser version the index was built with; '0' means "articles exist that
// were never indexed": `tegami search reindex` builds it.
import { sql } from 'kysely';

/** @param {import('kysely').Kysely<any>} db */
function isPostgres(db) {
	return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
	const pg = isPostgres(db);
	await db.schema
		.createTable('search_docs')
		.addColumn('doc_key', pg ? 'bigint' : 'integer', (c) => c.primaryKey())
		.addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
		.addColumn('outlet_id', 'integer')
		.addColumn('lang', 'text')
		.addColumn('signed', 'integer', (c) => c.notNull().defaultTo(0))
		// 0 when the article has no publication date and its key was made from the import time.
		.addColumn('dated', 'integer', (c) => c.notNull().defaultTo(1))
		.$call((t) =>
			pg
				? t
						.addColumn('doc', sql`tsvector`, (c) => c.notNull())
						// The title and the start of the body, for ts_rank: small enough to stay in the row,
						// where ranking the whole doc meant fetching it from TOAST (~6 µs an article).
						.addColumn('rank_doc', sql`tsvector`, (c) => c.notNull())
				: t
		)
		.execute();
	await db.schema.createIndex('search_docs_article_key').unique().on('search_docs').column('article_id').execute();

	if (pg) {
		await sql`alter table search_docs alter column rank_doc set storage main`.execute(db);
		await sql`create index search_docs_doc_idx on search_docs using gin (doc)`.execute(db);
	} else {
		// The text given to FTS5 is already tokens (lower-case, letters/digits/marks) joined by spaces,
		// so the plain 'ascii' tokenizer splits it exactly as written: ~10% faster than unicode61.
		await sql`create virtual table search_fts using fts5(
			title, body, meta,
			content = '', contentless_delete = 1,
			tokenize = 'ascii'
		)`.execute(db);
		// Fewer, larger merges while importing: ~13% faster inserts (measured), for a few more segments to read.
		await sql`insert into search_fts (search_fts, rank) values ('automerge', 16)`.execute(db);
	}

	await db.schema
		.createTable('search_meta')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.execute();
	const existing = await db.selectFrom('articles').select('id').limit(1).execute();
	// Tokeniser version 1 is the one this migration was written for; an empty index is valid for any
	// version, and articles already present still need indexing (version '0').
	await db
		.insertInto('search_meta')
		.values({ key: 'tokenizer_version', value: existing.length ? '0' : '1' })
		.execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
	await db.schema.dropTable('search_meta').execute();
	if (!isPostgres(db)) await sql`drop table search_fts`.execute(db);
	await db.schema.dropTable('search_docs').execute();
}

/**
 * Keeping the search index in step with the articles: the import adds and replaces entries inside
 * its own transactions (so an article is searchable exactly when it is committed), and a rebuild
 * re-indexes everything after a tokeniser change. See migrations/2026-11-23_03_search.js for the
 * tables and doc-key.ts for the keys.
 */
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DatabaseKind } from '../db/connect';
import type { DB } from '../db/schema';
import { cachedStatement, sqliteHandleOf } from '../db/sqlite-statements';
import { allocateKeys, hourOf, hourOfKey, SEQ_PER_HOUR } from './doc-key';
import { indexTokenSequence, indexTokensWithText, TOKENIZER_VERSION } from './query';

type Db = Kysely<DB> | Transaction<DB>;

/** What the index needs of an article. */
export interface IndexRow {
	id: number;
	title: string;
	body: string | null;
	publishedAt: string | null;
	/** Stands in for the publication time of an undated article (default: now). */
	createdAt?: string | null;
	outletId: number | null;
	lang: string | null;
	signed: boolean;
}

/**
 * Body tokens indexed per article: far above any real article (~200,000 characters of Japanese),
 * it bounds the work a pathological input can cause and keeps PostgreSQL's tsvector under its 1 MB.
 */
export const MAX_BODY_TOKENS = 200_000;
/** tsvector positions stop at 16,383 and keep at most 256 positions per lexeme. */
const PG_MAX_POS = 16_383;
const PG_MAX_POSITIONS = 256;
const PG_MAX_VECTOR_CHARS = 900_000;
/** Body tokens in rank_doc: the lede, which is what a news article is about. */
export const PG_RANK_BODY_TOKENS = 300;
/**
 * The stretches of the timeline that each PostgreSQL tsvector names with a lexeme: '#t' + the
 * 512-hour stretch its key falls in (hour / 512) and '#y' + the 8,192-hour one (hour / 8192, about
 * 11 months). A GIN scan cannot read a word's matches by key range: a search window built a bitmap
 * of all the word's matches (34,000 for "year" at 100,000 articles: 5 ms, ten times that at a
 * million) and ANDed it with one of the window's keys (230,000 for a wide window at a million: 65 ms).
 * A window made of whole stretches ANDs the word with them in the tsquery instead, and GIN reads
 * only those articles (0.3 ms). Migration 2026-11-23_05 writes the same lexemes.
 */
export const PG_SPAN_HOURS = { fine: 512, coarse: 8192 } as const;
const PER_HOUR = sql.lit(SEQ_PER_HOUR);
/** Serialises key allocation between PostgreSQL sessions ("tegm"). */
const PG_KEY_LOCK = 0x7465676d;

/** Filter tokens of the meta column / '#'-lexemes: outlet, language and signed, never typed by users. */
export function metaTokens(row: Pick<IndexRow, 'outletId' | 'lang' | 'signed'>): string[] {
	const out: string[] = [];
	if (row.outletId !== null) out.push(`o${row.outletId}`);
	const lang = langToken(row.lang);
	if (lang) out.push(lang);
	out.push(row.signed ? 's1' : 's0');
	return out;
}

/** The meta token of a language ('ja' → 'lja'); null for none or an unusable code. */
export function langToken(lang: string | null | undefined): string | null {
	const l = (lang ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
	return l ? `l${l}` : null;
}

interface Prepared {
	row: IndexRow;
	hour: number;
	dated: boolean;
	title: string[];
	body: string[];
	/** SQLite: the title's and body's tokens joined by spaces, as UTF-8 (null: join the arrays). */
	titleUtf8: Uint8Array | null;
	bodyUtf8: Uint8Array | null;
	key: number;
}

function prepare(row: IndexRow, now: string, kind: DatabaseKind): Prepared {
	const published = hourOf(row.publishedAt);
	const tokenise = (text: string | null) =>
		kind === 'sqlite' ? indexTokensWithText(text ?? '') : { tokens: indexTokenSequence(text ?? ''), utf8: null };
	const title = tokenise(row.title);
	const body = tokenise(row.body);
	if (body.tokens.length > MAX_BODY_TOKENS) {
		body.tokens.length = MAX_BODY_TOKENS;
		body.utf8 = null;
	}
	return {
		row,
		hour: published ?? hourOf(row.createdAt ?? now) ?? hourOf(now)!,
		dated: published !== null,
		title: title.tokens,
		body: body.tokens,
		titleUtf8: title.utf8,
		bodyUtf8: body.utf8,
		key: 0
	};
}

/**
 * Two PostgreSQL sessions must neither hand out the same key nor index the same article twice, so
 * index writes take a transaction-scoped lock; SQLite already has one writer at a time.
 */
async function lockIndex(trx: Db, kind: DatabaseKind): Promise<void> {
	if (kind === 'postgres' && trx.isTransaction) await sql`select pg_advisory_xact_lock(${PG_KEY_LOCK})`.execute(trx);
}

/** The largest key used in each hour's slots (null for an empty hour). */
async function usedMaxima(db: Db, hours: number[]): Promise<Map<number, number | null>> {
	const out = new Map<number, number | null>();
	for (let i = 0; i < hours.length; i += 400) {
		const chunk = hours.slice(i, i + 400);
		const values = sql.join(chunk.map((h) => sql`(cast(${h} as bigint))`));
		// One statement for the batch: a correlated max() per hour, each an index seek on the key.
		const { rows } = await sql<{ hour: number; used: number | null }>`
			with h(hour) as (values ${values})
			select h.hour as hour,
				(select max(doc_key) from search_docs where doc_key >= h.hour * ${PER_HOUR} and doc_key < (h.hour + 1) * ${PER_HOUR}) as used
			from h`.execute(db);
		for (const r of rows) out.set(Number(r.hour), r.used === null ? null : Number(r.used));
	}
	return out;
}

async function assignKeys(db: Db, prepared: Prepared[]): Promise<void> {
	const hours = prepared.map((p) => p.hour);
	const known = await usedMaxima(db, [...new Set(hours)]);
	for (;;) {
		const result = allocateKeys(hours, known);
		if ('keys' in result) {
			result.keys.forEach((k, i) => (prepared[i].key = k));
			return;
		}
		// An hour ran out of slots and spills into the next one: learn that one too.
		for (const [h, used] of await usedMaxima(db, [result.missingHour])) known.set(h, used);
	}
}

/** An indexed article's token sequences (indexTokenSequence of title and body, the body cut at MAX_BODY_TOKENS), for callers that would tokenise again. */
export interface IndexedTokens {
	id: number;
	title: string[];
	body: string[];
}

/**
 * Adds articles to the index (call inside the transaction that writes them) and returns their
 * tokens, so that topic rules (PreparedDocument) need not tokenise the same text again. Articles
 * already indexed must be removed first (removeFromIndex), as the import does for updated articles.
 */
export async function indexArticles(trx: Db, kind: DatabaseKind, rows: readonly IndexRow[]): Promise<IndexedTokens[]> {
	if (!rows.length) return [];
	const now = new Date().toISOString();
	const prepared = rows.map((r) => prepare(r, now, kind));
	await lockIndex(trx, kind);
	await assignKeys(trx, prepared);
	// FTS5 flushes its pending segment whenever a rowid is not larger than the previous one: keys in
	// ascending order keep one segment per batch instead of one per article.
	prepared.sort((a, b) => a.key - b.key);

	for (let i = 0; i < prepared.length; i += 200) {
		const chunk = prepared.slice(i, i + 200);
		if (kind === 'sqlite') {
			await insertSqlite(trx, chunk);
		} else {
			await sql`insert into search_docs (doc_key, article_id, outlet_id, lang, signed, dated, doc, rank_doc) values ${sql.join(
				chunk.map((p) => {
					const { doc, rankDoc } = tsvectorTexts(p);
					return sql`(${p.key}, ${p.row.id}, ${p.row.outletId}, ${p.row.lang}, ${p.row.signed ? 1 : 0}, ${p.dated ? 1 : 0}, ${doc}::tsvector, ${rankDoc}::tsvector)`;
				})
			)}`.execute(trx);
		}
	}
	return prepared.map((p) => ({ id: p.row.id, title: p.title, body: p.body }));
}

const SQLITE_INSERT_DOC = 'insert into search_docs (doc_key, article_id, outlet_id, lang, signed, dated) values (?, ?, ?, ?, ?, ?)';
const SQLITE_INSERT_FTS = 'insert into search_fts (rowid, title, body, meta) values (?, ?, ?, ?)';

/**
 * Writes a chunk's rows to search_docs and search_fts. One prepared single-row statement per table,
 * kept on the connection: no parsing or preparing per chunk, and a single-row insert needs no
 * statement journal, whose savepoint makes FTS5 flush its pending terms to a new segment (a
 * multi-row insert did that once per statement: more segments to write and merge).
 */
async function insertSqlite(trx: Db, chunk: readonly Prepared[]): Promise<void> {
	const handle = await sqliteHandleOf(trx);
	if (!handle) {
		// A connection not made by openDatabase: the same rows through Kysely.
		await sql`insert into search_docs (doc_key, article_id, outlet_id, lang, signed, dated) values ${sql.join(
			chunk.map((p) => sql`(${p.key}, ${p.row.id}, ${p.row.outletId}, ${p.row.lang}, ${p.row.signed ? 1 : 0}, ${p.dated ? 1 : 0})`)
		)}`.execute(trx);
		await sql`insert into search_fts (rowid, title, body, meta) values ${sql.join(
			chunk.map((p) => sql`(${p.key}, ${p.title.join(' ')}, ${p.body.join(' ')}, ${metaTokens(p.row).join(' ')})`)
		)}`.execute(trx);
		return;
	}
	const insertDoc = cachedStatement(handle, SQLITE_INSERT_DOC);
	const insertFts = cachedStatement(handle, SQLITE_INSERT_FTS);
	for (const p of chunk) {
		insertDoc.run(p.key, p.row.id, p.row.outletId, p.row.lang, p.row.signed ? 1 : 0, p.dated ? 1 : 0);
		// The text goes in as UTF-8 bytes (a blob), which FTS5 tokenises exactly as the same text:
		// search_fts is contentless, so only its tokens are kept.
		insertFts.run(p.key, p.titleUtf8 ?? p.title.join(' '), p.bodyUtf8 ?? p.body.join(' '), metaTokens(p.row).join(' '));
	}
}

/**
 * The tsvector literals of an article: `doc`, its tokens with positions as in the text (title first,
 * weight A), then filter lexemes; and `rankDoc`, the title and lede the same way. rank_doc is
 * always a part of doc (same positions, no lexeme doc lacks), so a query without NOT that matches
 * rank_doc matches doc: phrase checks try it first (see search.service.ts).
 */
function tsvectorTexts(p: Prepared): { doc: string; rankDoc: string } {
	for (let bodyLimit = p.body.length; ; bodyLimit = Math.floor(bodyLimit / 2)) {
		const body = p.body.length > bodyLimit ? p.body.slice(0, bodyLimit) : p.body;
		const doc = vectorLiteral(p.title, body, pgMetaLexemes(p));
		if (doc.length <= PG_MAX_VECTOR_CHARS || bodyLimit === 0) return { doc, rankDoc: vectorLiteral(p.title, body.slice(0, PG_RANK_BODY_TOKENS), []) };
	}
}

/** The lexemes naming the stretches of the timeline a document key falls in (see PG_SPAN_HOURS). */
export function pgSpanLexemes(key: number): string[] {
	const hour = hourOfKey(key);
	return [`#t${Math.floor(hour / PG_SPAN_HOURS.fine)}`, `#y${Math.floor(hour / PG_SPAN_HOURS.coarse)}`];
}

/** '#'-prefixed lexemes: no word token contains '#', so a user's words never match them. */
function pgMetaLexemes(p: Prepared): string[] {
	return [...metaTokens(p.row).map((t) => `#${t}`), ...pgSpanLexemes(p.key)];
}

function vectorLiteral(title: string[], body: string[], meta: string[]): string {
	const positions = new Map<string, string[]>();
	const add = (token: string, pos: number, weight: string) => {
		const entry = `${Math.min(pos, PG_MAX_POS)}${weight}`;
		const list = positions.get(token);
		if (!list) positions.set(token, [entry]);
		else if (list.length < PG_MAX_POSITIONS) list.push(entry);
	};
	title.forEach((t, i) => add(t, i + 1, 'A'));
	// One position left empty between title and body, so that a phrase cannot run from one into the other.
	const offset = title.length + 2;
	body.forEach((t, i) => add(t, offset + i, ''));
	const parts: string[] = [];
	for (const [token, list] of positions) parts.push(`${quoteLexeme(token)}:${list.join(',')}`);
	for (const m of meta) parts.push(quoteLexeme(m));
	return parts.join(' ');
}

function quoteLexeme(s: string): string {
	return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** Removes articles from the index (before re-indexing a changed article, or when deleting one). */
export async function removeFromIndex(trx: Db, kind: DatabaseKind, articleIds: readonly number[]): Promise<void> {
	if (!articleIds.length) return;
	await lockIndex(trx, kind);
	for (let i = 0; i < articleIds.length; i += 500) {
		const ids = articleIds.slice(i, i + 500);
		if (kind === 'sqlite') {
			const { rows } = await sql<{ doc_key: number }>`select doc_key from search_docs where article_id in (${sql.join(ids)})`.execute(trx);
			if (!rows.length) continue;
			const keys = rows.map((r) => r.doc_key);
			await sql`delete from search_fts where rowid in (${sql.join(keys)})`.execute(trx);
			await sql`delete from search_docs where doc_key in (${sql.join(keys)})`.execute(trx);
		} else {
			await sql`delete from search_docs where article_id in (${sql.join(ids)})`.execute(trx);
		}
	}
}

/** The tokeniser version the index was built with (0: articles exist that were never indexed). */
export async function indexedTokenizerVersion(db: Db): Promise<number> {
	const { rows } = await sql<{ value: string }>`select value from search_meta where key = 'tokenizer_version'`.execute(db);
	return rows.length ? Number(rows[0].value) : 0;
}

export interface SearchIndexState {
	indexedVersion: number;
	currentVersion: number;
	/** False when `tegami search reindex` must run before search finds every article. */
	upToDate: boolean;
}

/** Whether the index matches the running tokeniser; an empty index is brought up to date on the spot. */
export async function searchIndexState(db: Db): Promise<SearchIndexState> {
	let indexedVersion = await indexedTokenizerVersion(db);
	if (indexedVersion !== TOKENIZER_VERSION) {
		const articles = await db.selectFrom('articles').select('id').limit(1).execute();
		// A database without articles has nothing to rebuild: any version describes its empty index.
		if (!articles.length) {
			await setTokenizerVersion(db, TOKENIZER_VERSION);
			indexedVersion = TOKENIZER_VERSION;
		}
	}
	return { indexedVersion, currentVersion: TOKENIZER_VERSION, upToDate: indexedVersion === TOKENIZER_VERSION };
}

async function setTokenizerVersion(db: Db, version: number): Promise<void> {
	await sql`update search_meta set value = ${String(version)} where key = 'tokenizer_version'`.execute(db);
}

export interface RebuildProgress {
	done: number;
	total: number;
}

/**
 * Re-indexes every article (`tegami search reindex`, after a tokeniser change). Works in committed
 * batches, so imports and searches go on meanwhile; until it ends, search finds only the articles
 * indexed so far, and the index is marked out of date so that an interrupted rebuild is noticed.
 */
export async function rebuildSearchIndex(
	database: Database,
	options: { batchSize?: number; onProgress?: (p: RebuildProgress) => void } = {}
): Promise<{ articles: number; ms: number }> {
	const t0 = performance.now();
	const { db, kind } = database;
	const batchSize = options.batchSize ?? 2000;
	const total = Number((await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
	await db.transaction().execute(async (trx) => {
		await setTokenizerVersion(trx, 0);
		if (kind === 'sqlite') {
			await sql`delete from search_docs`.execute(trx);
			await sql`insert into search_fts (search_fts) values ('delete-all')`.execute(trx);
		} else {
			await sql`truncate search_docs`.execute(trx);
		}
	});
	// Building a GIN index once is several times faster than updating it row by row.
	if (kind === 'postgres') await sql`drop index if exists search_docs_doc_idx`.execute(db);
	let done = 0;
	let lastId = 0;
	try {
		for (;;) {
			const batch = await db
				.selectFrom('articles')
				.select(['id', 'title', 'body', 'published_at', 'created_at', 'outlet_id', 'lang', 'signed'])
				.where('id', '>', lastId)
				.orderBy('id')
				.limit(batchSize)
				.execute();
			if (!batch.length) break;
			lastId = batch[batch.length - 1].id;
			await db.transaction().execute((trx) =>
				// An article changed by an import since the batch was read was re-indexed by that import.
				removeFromIndex(trx, kind, batch.map((a) => a.id)).then(() =>
					indexArticles(
						trx,
						kind,
						batch.map((a) => ({
							id: a.id,
							title: a.title,
							body: a.body,
							publishedAt: a.published_at,
							createdAt: a.created_at,
							outletId: a.outlet_id,
							lang: a.lang,
							signed: a.signed === 1
						}))
					)
				)
			);
			done += batch.length;
			options.onProgress?.({ done, total: Math.max(total, done) });
		}
	} finally {
		if (kind === 'postgres') await sql`create index if not exists search_docs_doc_idx on search_docs using gin (doc)`.execute(db);
	}
	// One segment per term: the fastest index to read, worth a minute once per rebuild.
	if (kind === 'sqlite') await sql`insert into search_fts (search_fts) values ('optimize')`.execute(db);
	else await sql`analyze search_docs`.execute(db);
	await setTokenizerVersion(db, TOKENIZER_VERSION);
	return { articles: done, ms: Math.round(performance.now() - t0) };
}

/** Which database a Kysely instance or transaction talks to (for callers that only hold `trx`). */
export function databaseKindOf(db: Db): DatabaseKind {
	return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

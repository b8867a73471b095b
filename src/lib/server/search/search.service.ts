/**
 * Full-text search and "who covers this?" over the article index, on SQLite (FTS5) and PostgreSQL
 * (tsvector + GIN) behind one interface.
 *
 * How it stays fast at a million articles: the index is read newest-first by document key (which
 * orders articles by publication time, see doc-key.ts). Date order is then a LIMIT. Relevance order
 * ranks a bounded candidate set — the newest RELEVANCE_CANDIDATES matches — by bm25 (SQLite) or
 * ts_rank (PostgreSQL) blended with recency: exact for any query with fewer matches than that, and
 * for a very common word the most relevant of its recent articles, which is what an agent looking for
 * a reporter's recent work wants. Ranking every match instead costs ~1.2 µs per match (STACK.md):
 * ~100 ms p95 for words in 7% of a million articles.
 * - SQLite: FTS5 returns matches in rowid (= key) order; filters on a small side table row
 *   (search_docs) or, for selective ones, as tokens of the index's meta column.
 * - PostgreSQL: a GIN index cannot return matches in order, so matches are read a window of keys
 *   (a stretch of time) at a time from the newest, the window widening until enough are found; each
 *   tsvector names its 512-hour stretch of the timeline ('#t…'), and a narrow window's tsquery ANDs
 *   the words with its stretches so that GIN reads only their articles, not all of a common word's.
 *   Ranking reads rank_doc (title and lede); phrases are checked on rank_doc, then doc, both kept in
 *   the row (a long Japanese doc still lives in TOAST).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database, DatabaseKind } from '../db/connect';
import type { DB } from '../db/schema';
import { reportersOfArticles } from '../articles/articles.repository';
import { explainQuery, parseQuery, termToIndexTokens, type QueryError, type QueryErrorCode, type QueryNode } from './query';
import { positiveLeaves, queryScript, QueryTooComplexError, toFtsMatch, toPgMatch, toTsQuery, type PgMatchPlan } from './backend-query';
import { firstKeyOfHour, hourOfKey, keyRange, timeOfKey } from './doc-key';
import { langToken, PG_SPAN_HOURS, searchIndexState } from './search.index';
import { Highlighter, type SnippetPart } from './snippet';
import { topicArticlesCondition } from '../topics/topics.repository';
import { suppressedReporterCondition } from '../privacy/suppression';

/** Matches ranked for relevance order (newest first), per database; more only when a page reaches past them. */
export const RELEVANCE_CANDIDATES: Record<DatabaseKind, number> = { sqlite: 2000, postgres: 1000 };
/** Matches "who covers this?" weighs (newest first), per database. */
export const WHO_COVERS_CANDIDATES: Record<DatabaseKind, number> = { sqlite: 5000, postgres: 2500 };
/** Counting stops here; a larger total is reported as "at least". */
export const COUNT_CAP = 1000;
export const MAX_LIMIT = 100;
export const MAX_OFFSET = 10_000;
/** Recency: a match loses half its weight above the floor every HALF_LIFE_DAYS. */
const HALF_LIFE_DAYS = 180;
const RECENCY_FLOOR = 0.25;
/** bm25 column weights: a word in the title counts three times one in the body; meta never counts. */
const BM25 = sql.raw('bm25(search_fts, 3.0, 1.0, 0.0)');
/**
 * ts_rank weights {D, C, B, A}: the title is weight A. No length normalisation: ts_rank already
 * damps repeats (the j-th occurrence counts 1/j²), and dividing by log(length) as well made one
 * mention in a long article count for ~7 times less than bm25 does.
 */
const TS_WEIGHTS = '{0.4,0.4,0.4,1.0}';
const DAY_MS = 86_400_000;

export type SearchErrorCode = QueryErrorCode | 'too_short' | 'invalid_filter' | 'topic_filter_unavailable';

export interface SearchError {
	code: SearchErrorCode;
	/** English explanation for the person who typed the query. */
	message: string;
	/** Where in the query the problem is (UTF-16 index), when it is in the query. */
	position?: number;
}

export interface SearchOptions {
	query: string;
	topicId?: number | null;
	outletId?: number | null;
	reporterId?: number | null;
	/** Inclusive; 'YYYY-MM-DD' (whole day) or an ISO timestamp (to the hour). */
	from?: string | null;
	to?: string | null;
	lang?: string | null;
	signed?: boolean | null;
	order?: 'relevance' | 'date';
	limit?: number;
	offset?: number;
}

export interface SearchHit {
	id: number;
	url: string | null;
	title: string;
	/** The title with the query's words marked. */
	titleParts: SnippetPart[];
	outlet: string | null;
	outletId: number | null;
	/** Reporter names in byline order, and their ids in the same order. */
	reporters: string[];
	reporterIds: number[];
	publishedAt: string | null;
	lang: string | null;
	/** A passage of the body around the query's words, matched words marked. */
	snippet: SnippetPart[];
	/** Relevance blended with recency (relevance order); null in date order. */
	score: number | null;
}

export interface SearchResult {
	/** Matching articles: exact when `totalExact`, else a lower bound ("at least"). */
	total: number;
	totalExact: boolean;
	hits: SearchHit[];
	order: 'relevance' | 'date';
	/** The query as understood, e.g. `(広報 OR PR) AND NOT 求人`. */
	understood: string;
	/** False when articles exist that the index does not hold yet (run `tegami search reindex`). */
	indexUpToDate: boolean;
}

export interface WhoCoversOptions {
	query: string;
	topicId?: number | null;
	lang?: string | null;
	/** outlets.kind: newspaper, magazine, tv, radio, web, wire. */
	outletKind?: string | null;
	limit?: number;
}

export interface Evidence {
	id: number;
	title: string;
	titleParts: SnippetPart[];
	url: string | null;
	outlet: string | null;
	publishedAt: string | null;
	snippet: SnippetPart[];
}

export interface CoveringReporter {
	id: number;
	name: string;
	outlet: string | null;
	score: number;
	/** Matching articles among those weighed. */
	articles: number;
	latestAt: string | null;
	/** The three articles that weigh most for this reporter. */
	evidence: Evidence[];
}

export interface WhoCoversResult {
	reporters: CoveringReporter[];
	/** Matching articles weighed (the newest ones when there are more). */
	considered: number;
	/** True when every matching article was weighed. */
	exhaustive: boolean;
	understood: string;
	indexUpToDate: boolean;
}

/**
 * Conditions owned by other features, filled in by them: the topics feature says which articles
 * carry a topic, the reporters feature which reporters must never be suggested (do-not-contact).
 * Each returns an SQL condition over the given column reference, valid on both databases.
 */
export interface SearchSeams {
	topicFilter?: (articleId: RawBuilder<unknown>, topicId: number) => RawBuilder<unknown>;
	reporterSuppressed?: (reporterId: RawBuilder<unknown>) => RawBuilder<unknown>;
}

const DEFAULT_SEAMS: SearchSeams = { topicFilter: topicArticlesCondition, reporterSuppressed: suppressedReporterCondition };
const seams: SearchSeams = { ...DEFAULT_SEAMS };

/** Installs the topic filter and the do-not-contact rule (called once by the features that own them). */
export function setSearchSeams(next: SearchSeams): void {
	Object.assign(seams, next);
}

/** Back to the built-in conditions (tests that replaced one). */
export function resetSearchSeams(): void {
	for (const key of Object.keys(seams) as (keyof SearchSeams)[]) delete seams[key];
	Object.assign(seams, DEFAULT_SEAMS);
}

type Db = Kysely<DB>;

interface Candidate {
	key: number;
	id: number;
	/** Raw relevance (higher is better), when ranked. */
	rel: number | null;
}

interface Plan {
	kind: DatabaseKind;
	ast: QueryNode;
	/** SQLite: the FTS5 MATCH (user words + meta tokens). */
	match: string;
	/** PostgreSQL: the user's tsquery (for ranking) and the full one (with filter lexemes). */
	tsUser: string;
	tsFull: string;
	/** PostgreSQL: the condition a GIN index answers without rechecks, and the exact one when it differs. */
	tsMatch: RawBuilder<unknown>;
	/** PostgreSQL: the parts of tsMatch, for conditions that add a window's stretches of time (pgConditions). */
	pgMatch?: PgMatch;
	lo: number;
	hi: number;
	/** Conditions on the search_docs row `d` (SQLite) / search_docs (PostgreSQL). */
	where: RawBuilder<unknown>[];
}

const MESSAGES = {
	too_short: 'A single character matches too many articles to search for on its own: use a word of two or more characters (for example 自民党 rather than 党).',
	kana: 'A single kana character (such as の) appears in almost every Japanese article: search for a longer word or put it inside a phrase.',
	invalid_date: 'A date filter is not a date: use YYYY-MM-DD.',
	topic: 'Filtering by topic is not available yet.',
	too_complex: 'The query is too complex: simplify its combination of OR and NOT.'
};

function fail(code: SearchErrorCode, message: string, position?: number): { error: SearchError } {
	return { error: position === undefined ? { code, message } : { code, message, position } };
}

function fromQueryError(e: QueryError): { error: SearchError } {
	return fail(e.code, e.message, e.position);
}

const KANA_RE = /^[\p{sc=Hiragana}\p{sc=Katakana}\u30FC]$/u;
const CJK_RE = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30FC]/u;

/**
 * Refuses queries an index cannot answer sensibly: nothing but one-character words, or a lone kana
 * (which FTS5 and tsquery would expand to every token starting with it — seconds at a million articles).
 */
function checkSearchable(ast: QueryNode): { error: SearchError } | null {
	const all: QueryNode[] = [];
	const walk = (n: QueryNode) => {
		if (n.type === 'term' || n.type === 'phrase') all.push(n);
		else if (n.type === 'not') walk(n.child);
		else n.children.forEach(walk);
	};
	walk(ast);
	for (const leaf of all) {
		const { tokens, prefixLast } = termToIndexTokens(leaf as Parameters<typeof termToIndexTokens>[0]);
		const last = tokens[tokens.length - 1] ?? '';
		if (prefixLast && KANA_RE.test(last)) return fail('too_short', MESSAGES.kana);
	}
	const positives = positiveLeaves(ast);
	const long = positives.some((l) => [...l.text.replace(/\s+/g, '')].length > 1);
	if (!long) return fail('too_short', MESSAGES.too_short);
	return null;
}

function recency(key: number, now: number): number {
	const ageDays = Math.max(0, (now - timeOfKey(key)) / DAY_MS);
	return RECENCY_FLOOR + (1 - RECENCY_FLOOR) * 0.5 ** (ageDays / HALF_LIFE_DAYS);
}

function clampInt(v: number | undefined, min: number, max: number, fallback: number): number {
	if (v === undefined || !Number.isFinite(v)) return fallback;
	return Math.min(max, Math.max(min, Math.trunc(v)));
}

/** Builds the backend query and filters; an error result when the query or a filter is unusable. */
async function plan(
	db: Db,
	kind: DatabaseKind,
	query: string,
	filters: { topicId?: number | null; outletId?: number | null; reporterId?: number | null; from?: string | null; to?: string | null; lang?: string | null; signed?: boolean | null; outletKind?: string | null }
): Promise<Plan | { error: SearchError }> {
	const parsed = parseQuery(query);
	if (!parsed.ok) return fromQueryError(parsed.error);
	const ast = parsed.ast;
	const refused = checkSearchable(ast);
	if (refused) return refused;
	let userMatch: string;
	try {
		userMatch = toFtsMatch(ast);
	} catch (e) {
		if (e instanceof QueryTooComplexError) return fail('too_complex', MESSAGES.too_complex);
		throw e;
	}
	const range = keyRange(filters.from, filters.to);
	if (!range) return fail('invalid_filter', MESSAGES.invalid_date);
	const p: Plan = { kind, ast, match: userMatch, tsUser: toTsQuery(ast), tsFull: '', tsMatch: sql``, lo: range.lo, hi: range.hi, where: [] };
	const metaFts: string[] = [];
	const metaTs: string[] = [];
	const d = (column: string) => sql.ref(kind === 'sqlite' ? `d.${column}` : `search_docs.${column}`);

	if (filters.from || filters.to) p.where.push(sql`${d('dated')} = 1`);
	if (filters.outletId != null) {
		// An outlet is a small share of the index: intersecting with its token beats checking each match.
		metaFts.push(`o${Math.trunc(filters.outletId)}`);
		metaTs.push(`#o${Math.trunc(filters.outletId)}`);
	}
	if (filters.lang) {
		const token = langToken(filters.lang);
		if (!token) return fail('invalid_filter', 'The language filter is not a language code.');
		metaTs.push(`#${token}`);
		// Most matches of a Japanese word are Japanese articles (and of an English word English ones),
		// so checking each match's language rarely rejects any; across scripts it would reject nearly
		// all, and the language token is the faster way.
		const script = queryScript(ast);
		const filterIsJa = token === 'lja';
		if ((script === 'latin' && filterIsJa) || (script === 'ja' && !filterIsJa)) metaFts.push(token);
		else p.where.push(sql`${d('lang')} = ${filters.lang.toLowerCase()}`);
	}
	if (filters.signed != null) {
		metaTs.push(filters.signed ? '#s1' : '#s0');
		// Unsigned articles are the minority: a token; signed ones are nearly all: a check.
		if (filters.signed) p.where.push(sql`${d('signed')} = 1`);
		else metaFts.push('s0');
	}
	if (filters.outletKind) {
		p.where.push(sql`${d('outlet_id')} in (select id from outlets where kind = ${filters.outletKind})`);
	}
	if (filters.reporterId != null) {
		const reporterId = Math.trunc(filters.reporterId);
		p.where.push(sql`${d('article_id')} in (select article_id from article_reporters where reporter_id = ${reporterId})`);
		// Only the reporter's own stretch of the timeline needs reading.
		const { rows } = await sql<{ lo: number | null; hi: number | null }>`
			select min(s.doc_key) as lo, max(s.doc_key) as hi from search_docs s
			join article_reporters ar on ar.article_id = s.article_id where ar.reporter_id = ${reporterId}`.execute(db);
		p.lo = Math.max(p.lo, rows[0]?.lo == null ? 1 : Number(rows[0].lo));
		p.hi = Math.min(p.hi, rows[0]?.hi == null ? 0 : Number(rows[0].hi));
	}
	if (filters.topicId != null) {
		if (!seams.topicFilter) return fail('topic_filter_unavailable', MESSAGES.topic);
		p.where.push(seams.topicFilter(d('article_id') as RawBuilder<unknown>, Math.trunc(filters.topicId)));
	}
	if (metaFts.length) p.match = `${userMatch} AND {meta} : (${metaFts.map((t) => `"${t}"`).join(' AND ')})`;
	const meta = metaTs.map((t) => ` & '${t}'`).join('');
	p.tsFull = `(${p.tsUser})${meta}`;
	p.pgMatch = pgMatchPlan(ast, meta);
	p.tsMatch = sql.join(pgConditions(p, null).map((c) => sql`(${c})`), sql` or `);
	return p;
}

/** The plan of "who covers this?" for a topic without words: the topic's articles, filtered like a search. */
async function topicPlan(kind: DatabaseKind, topicId: number, filters: { lang?: string | null; outletKind?: string | null }): Promise<Plan | { error: SearchError }> {
	const d = (column: string) => sql.ref(`d.${column}`);
	const where: RawBuilder<unknown>[] = [];
	if (filters.lang) {
		if (!langToken(filters.lang)) return fail('invalid_filter', 'The language filter is not a language code.');
		where.push(sql`${d('lang')} = ${filters.lang.toLowerCase()}`);
	}
	if (filters.outletKind) where.push(sql`${d('outlet_id')} in (select id from outlets where kind = ${filters.outletKind})`);
	const ast: QueryNode = { type: 'and', children: [] };
	return { kind, ast, match: '', tsUser: '', tsFull: '', tsMatch: sql``, lo: 0, hi: Number.MAX_SAFE_INTEGER, where: [topicArticlesCondition(d('article_id') as RawBuilder<unknown>, topicId), ...where] };
}

/** The newest `limit` articles of a topic plan, each of the same relevance. */
async function topicMatches(db: Db, p: Plan, limit: number): Promise<Candidate[]> {
	const { rows } = await sql<{ k: number; id: number }>`
		select d.doc_key as k, d.article_id as id from search_docs d
		where ${sql.join(p.where, sql` and `)}
		order by d.doc_key desc limit ${limit}`.execute(db);
	return rows.map((r) => ({ key: Number(r.k), id: r.id, rel: 1 }));
}

function whereSql(conditions: RawBuilder<unknown>[]): RawBuilder<unknown> {
	return conditions.length ? sql`and ${sql.join(conditions, sql` and `)}` : sql``;
}

// --- SQLite ---------------------------------------------------------------------------------------

/** Newest matches first, `limit` of them after skipping `offset`, with bm25 when `rank`. */
async function sqliteMatches(db: Db, p: Plan, limit: number, offset: number, rank: boolean): Promise<Candidate[]> {
	if (p.lo > p.hi) return [];
	const { rows } = await sql<{ k: number; id: number; s: number | null }>`
		select search_fts.rowid as k, d.article_id as id, ${rank ? BM25 : sql`null`} as s
		from search_fts join search_docs d on d.doc_key = search_fts.rowid
		where search_fts match ${p.match} and search_fts.rowid between ${p.lo} and ${p.hi} ${whereSql(p.where)}
		order by search_fts.rowid desc limit ${limit} offset ${offset}`.execute(db);
	return rows.map((r) => ({ key: r.k, id: r.id, rel: r.s === null ? null : -r.s }));
}

async function sqliteCount(db: Db, p: Plan, cap: number): Promise<number> {
	if (p.lo > p.hi) return 0;
	const { rows } = await sql<{ n: number }>`
		select count(*) as n from (select 1 from search_fts join search_docs d on d.doc_key = search_fts.rowid
		where search_fts match ${p.match} and search_fts.rowid between ${p.lo} and ${p.hi} ${whereSql(p.where)} limit ${cap})`.execute(db);
	return Number(rows[0].n);
}

// --- PostgreSQL -----------------------------------------------------------------------------------

/** Every key: the range of a plan without a date range. */
const TIMELINE = keyRange(null, null)!;
/** The first window read on PostgreSQL: the newest 30 days of the timeline. */
const FIRST_WINDOW_HOURS = 30 * 24;
/**
 * A window names at most this many stretches of the timeline of each size in its tsquery (more
 * would make GIN merge many lists for little: measured, a rare word's own list is then cheaper).
 */
const MAX_SPANS = 16;

interface PgMatch extends PgMatchPlan {
	/** The first and last key of the plan's date range that are used: read once, before index scans are off. */
	bounds?: { lo: number | null; hi: number | null };
}

/** The match plan with the filters' lexemes (`meta`: ` & '#…'` each) added to what the index answers. */
function pgMatchPlan(ast: QueryNode, meta: string): PgMatch {
	const m = toPgMatch(ast);
	return { ...m, index: `(${m.index})${meta}`, sure: m.sure === null ? null : `(${m.sure})${meta}` };
}

/**
 * The match condition as disjoint parts whose matches together are the query's, each part's index
 * tsquery ANDed with `narrow` (a window's stretches) when given. A phrase makes GIN recheck every
 * candidate against its stored tsvector, and PostgreSQL underestimates phrases so badly that it
 * rechecks all of them before looking at the key range; the index gets the phrase's words ANDed
 * instead, and the exact query (IS TRUE keeps it out of the index) is checked only on the window's
 * rows — on rank_doc first when that is enough, and not on rows the index alone shows to match:
 * "映画 -アニメ" checks only articles with both アニ and ニメ instead of every one with 映画 (a long
 * Japanese article's tsvector is in TOAST: 30 instead of 127 ms for 映画's 5,000 at 100,000).
 */
function pgConditions(p: Plan, narrow: string | null): RawBuilder<unknown>[] {
	const m = p.pgMatch;
	if (!m) return [p.tsMatch];
	const and = (q: string) => (narrow ? `${q} & (${narrow})` : q);
	if (m.check === null) return [sql`doc @@ ${and(m.index)}::tsquery`];
	const exact = m.lede ? sql`rank_doc @@ ${m.check}::tsquery or doc @@ ${m.check}::tsquery` : sql`doc @@ ${m.check}::tsquery`;
	if (m.sure === null) return [sql`doc @@ ${and(m.index)}::tsquery and (${exact}) is true`];
	return [sql`doc @@ ${and(m.sure)}::tsquery`, sql`doc @@ ${and(`${m.index} & !(${m.sure})`)}::tsquery and (${exact}) is true`];
}

/**
 * The window ending at hour `top` that is about `width` hours wide and made of whole stretches of
 * the timeline (PG_SPAN_HOURS), so that naming them in the tsquery selects exactly its articles:
 * its first hour and those stretches' tsquery (null when there would be too many).
 */
function pgWindow(top: number, width: number): { first: number; spans: string | null } {
	const { fine, coarse } = PG_SPAN_HOURS;
	const names = (prefix: string, size: number, from: number, to: number) => {
		const out: string[] = [];
		for (let b = from / size; b <= Math.floor(to / size); b++) out.push(`'${prefix}${b}'`);
		return out;
	};
	const target = Math.max(0, top - width + 1);
	if (width <= fine * (MAX_SPANS - 4)) {
		const first = Math.min(Math.round(target / fine) * fine, Math.floor(top / fine) * fine);
		return { first, spans: names('#t', fine, first, top).join(' | ') };
	}
	// The long stretches below the one `top` ends inside; the short ones of that one up to `top`.
	const cut = Math.floor((top + 1) / coarse) * coarse;
	const first = Math.min(Math.round(target / coarse) * coarse, cut);
	if ((cut - first) / coarse > MAX_SPANS) return { first, spans: null };
	const spans = [...(cut <= top ? names('#t', fine, cut, top) : []), ...(first < cut ? names('#y', coarse, first, cut - 1) : [])];
	return { first, spans: spans.join(' | ') };
}

/**
 * Reads a plan's matches a window (a stretch of time) at a time from the newest, widening the
 * window by what the windows so far suggest is still needed, until `need` are found or the timeline
 * is exhausted. `read` gets a window's conditions (disjoint parts, see pgConditions) and how many
 * matches are still needed, and says how many it found (at most that many, the window's newest).
 * Returns whether every match was seen.
 */
async function pgWindows(db: Db, p: Plan, need: number, read: (parts: RawBuilder<unknown>[], take: number) => Promise<number>): Promise<boolean> {
	if (p.lo > p.hi) return true;
	let bounds = p.pgMatch?.bounds;
	if (!bounds) {
		// The ends of the timeline need the primary key's order; from the next statement on, this
		// transaction plans without plain index scans (see onConnection).
		const { rows } = await sql<{ lo: number | null; hi: number | null }>`
			select (select min(doc_key) from search_docs where doc_key >= ${p.lo}) as lo,
				(select max(doc_key) from search_docs where doc_key <= ${p.hi}) as hi,
				set_config('enable_indexscan', 'off', true) as enable_indexscan`.execute(db);
		bounds = rows[0];
		if (p.pgMatch) p.pgMatch.bounds = bounds;
	}
	if (bounds.lo == null || bounds.hi == null) return true;
	// With no date range, a window reaching the oldest article holds every match not yet seen: its
	// stretches would only make GIN merge as many more lists (an English word in Japanese articles:
	// 130 instead of 17 ms at 1,000,000), while without them the index also returns the matches
	// already seen, fewer than `need`, which the key range then drops.
	const wholeTimeline = p.lo <= TIMELINE.lo && p.hi >= TIMELINE.hi;
	const oldest = hourOfKey(Number(bounds.lo));
	let hour = hourOfKey(Number(bounds.hi));
	let width = FIRST_WINDOW_HOURS;
	let covered = 0;
	let found = 0;
	while (hour >= oldest) {
		const { first, spans: windowSpans } = pgWindow(hour, width);
		const spans = wholeTimeline && first <= oldest ? null : windowSpans;
		const lo = Math.max(p.lo, firstKeyOfHour(first));
		const hi = Math.min(p.hi, firstKeyOfHour(hour + 1) - 1);
		// The stretches select the window: a bitmap of its keys would cost more than the rows it
		// saves from being read (IS TRUE keeps the range out of the index), and more still without
		// stretches, when the window is wide.
		const parts = pgConditions(p, spans).map((c) => sql`${c} and (doc_key between ${lo} and ${hi}) is true ${whereSql(p.where)}`);
		found += await read(parts, need - found);
		covered += hour - Math.max(first, oldest) + 1;
		hour = first - 1;
		// Having found all it needed, the last window may have had more.
		if (found >= need) return false;
		const perHour = found / covered;
		const wanted = perHour > 0 ? Math.ceil(((need - found) / perHour) * 1.2) : width * 8;
		width = Math.max(width * 2, wanted);
	}
	return true;
}

/**
 * The newest `need` matches, newest first (windows are disjoint and ordered, so they are exactly
 * right), with ts_rank over rank_doc when `rank`. A window returns only the newest of its matches
 * that are still needed.
 */
async function pgMatches(db: Db, p: Plan, need: number, rank: boolean): Promise<{ rows: Candidate[]; complete: boolean }> {
	const out: Candidate[] = [];
	const select = sql`select doc_key as k, article_id as id, ${rank ? sql`ts_rank(${TS_WEIGHTS}::float4[], rank_doc, ${p.tsUser}::tsquery)` : sql`null`} as s from search_docs`;
	const complete = await pgWindows(db, p, need, async (parts, take) => {
		const { rows } = await sql<{ k: number; id: number; s: number | null }>`
			select * from (${sql.join(parts.map((where) => sql`${select} where ${where}`), sql` union all `)}) m
			order by k desc limit ${take}`.execute(db);
		for (const r of rows) out.push({ key: Number(r.k), id: r.id, rel: r.s });
		return rows.length;
	});
	return { rows: out, complete };
}

/** The number of matches, counting stops at `cap`: newest first like pgMatches, for the same reasons. */
async function pgCount(db: Db, p: Plan, cap: number): Promise<number> {
	let n = 0;
	await pgWindows(db, p, cap, async (parts, take) => {
		const { rows } = await sql<{ n: number }>`
			select count(*) as n from (${sql.join(parts.map((where) => sql`select 1 from search_docs where ${where}`), sql` union all `)} limit ${take}) x`.execute(db);
		n += Number(rows[0].n);
		return Number(rows[0].n);
	});
	return n;
}

// --- shared ---------------------------------------------------------------------------------------

/**
 * Runs `fn` on one connection. On PostgreSQL that is a transaction whose statements are planned for
 * their parameters, and whose window queries are planned without plain index scans: a generic plan for a search once scanned a whole
 * index for 12.8 s (STACK.md), and for a common word in a key window the planner preferred walking
 * the primary key and testing every row's tsvector — fetched from TOAST, which its cost model does
 * not see (35 ms instead of 6 for "profit" at 100,000 articles) — over ANDing the two bitmaps.
 * JIT compilation is off too: tsquery conditions are estimated to match many times the rows they
 * do, which crosses jit_above_cost, and compiling cost more than it saved (an English word in
 * Japanese articles: 44 instead of 25 ms at 1,000,000).
 * Servers are not configured for any of this, so the session asks itself.
 */
async function onConnection<T>(database: Database, fn: (db: Db) => Promise<T>): Promise<T> {
	if (database.kind === 'sqlite') return database.db.connection().execute(fn);
	return database.db.connection().execute(async (db) => {
		await sql`begin`.execute(db);
		try {
			await sql`select set_config('plan_cache_mode', 'force_custom_plan', false), set_config('jit', 'off', true)`.execute(db);
			const result = await fn(db);
			await sql`commit`.execute(db);
			return result;
		} catch (e) {
			await sql`rollback`.execute(db).catch(() => {});
			throw e;
		}
	});
}

const indexStateCache = new WeakMap<Database, { at: number; upToDate: boolean }>();
/** How long "the index is up to date" is believed: it only changes when a rebuild starts or ends. */
const INDEX_STATE_TTL_MS = 5000;

async function indexUpToDate(database: Database, db: Db): Promise<boolean> {
	const cached = indexStateCache.get(database);
	if (cached && Date.now() - cached.at < INDEX_STATE_TTL_MS) return cached.upToDate;
	const { upToDate } = await searchIndexState(db);
	indexStateCache.set(database, { at: Date.now(), upToDate });
	return upToDate;
}

/** Every match counts for at least this share of the best one (PostgreSQL ranks by the lede only). */
const REL_FLOOR = 0.05;

/** Ranked candidates: relevance (normalised to the best) times recency, best first. */
function rankCandidates(rows: Candidate[], now: number): (Candidate & { score: number })[] {
	const best = rows.reduce((m, r) => Math.max(m, r.rel ?? 0), 0) || 1;
	return rows
		.map((r) => ({ ...r, score: Math.max(REL_FLOOR, (r.rel ?? 0) / best) * recency(r.key, now) }))
		.sort((a, b) => b.score - a.score || b.key - a.key);
}

async function articleDetails(db: Db, ids: number[]) {
	if (!ids.length) return new Map<number, { id: number; url: string | null; title: string; body: string | null; excerpt: string | null; published_at: string | null; lang: string | null; outlet_id: number | null; outlet: string | null }>();
	const rows = await db
		.selectFrom('articles')
		.leftJoin('outlets', 'outlets.id', 'articles.outlet_id')
		.select([
			'articles.id',
			'articles.url',
			'articles.title',
			'articles.body',
			'articles.excerpt',
			'articles.published_at',
			'articles.lang',
			'articles.outlet_id',
			'outlets.name as outlet'
		])
		.where('articles.id', 'in', ids)
		.execute();
	return new Map(rows.map((r) => [r.id, r]));
}

/** Searches the article index; a query or filter the index cannot use comes back as `{ error }`, never as a throw. */
export async function searchArticles(database: Database, options: SearchOptions): Promise<SearchResult | { error: SearchError }> {
	const order = options.order ?? 'relevance';
	const limit = clampInt(options.limit, 1, MAX_LIMIT, 20);
	const offset = clampInt(options.offset, 0, MAX_OFFSET, 0);
	return onConnection(database, async (db) => {
		const p = await plan(db, database.kind, options.query, options);
		if ('error' in p) return p;
		const now = Date.now();
		/** The total: `known` when the matches were all seen, else counted up to the cap (unless `atLeast` reaches it). */
		const totals = async (known: number | null, atLeast = 0): Promise<{ total: number; totalExact: boolean }> => {
			if (known !== null) return { total: known, totalExact: true };
			if (atLeast >= COUNT_CAP) return { total: COUNT_CAP, totalExact: false };
			const n = database.kind === 'sqlite' ? await sqliteCount(db, p, COUNT_CAP + 1) : await pgCount(db, p, COUNT_CAP + 1);
			return n > COUNT_CAP ? { total: COUNT_CAP, totalExact: false } : { total: n, totalExact: true };
		};
		let page: { id: number; score: number | null }[];
		let total: number;
		let totalExact: boolean;
		if (order === 'date') {
			let rows: Candidate[];
			let known: number | null;
			if (database.kind === 'sqlite') {
				rows = await sqliteMatches(db, p, limit, offset, false);
				// A short page ends the matches, unless the offset went past them all.
				known = rows.length < limit && (rows.length > 0 || offset === 0) ? offset + rows.length : null;
			} else {
				const got = await pgMatches(db, p, offset + limit, false);
				rows = got.rows.slice(offset, offset + limit);
				known = got.complete ? got.rows.length : null;
			}
			page = rows.map((r) => ({ id: r.id, score: null }));
			({ total, totalExact } = await totals(known));
		} else {
			const k = Math.max(RELEVANCE_CANDIDATES[database.kind], offset + limit);
			let rows: Candidate[];
			let complete: boolean;
			if (database.kind === 'sqlite') {
				rows = await sqliteMatches(db, p, k, 0, true);
				complete = rows.length < k;
			} else {
				const got = await pgMatches(db, p, k, true);
				// A window may overshoot: rank the newest k only, as SQLite does.
				rows = got.rows.slice(0, k);
				complete = got.complete && got.rows.length <= k;
			}
			page = rankCandidates(rows, now)
				.slice(offset, offset + limit)
				.map((r) => ({ id: r.id, score: Math.round(r.score * 1e6) / 1e6 }));
			({ total, totalExact } = await totals(complete ? rows.length : null, rows.length));
		}
		const ids = page.map((r) => r.id);
		const [details, reporters] = await Promise.all([articleDetails(db, ids), reportersOfArticles(db, ids)]);
		const highlighter = new Highlighter(positiveLeaves(p.ast));
		const hits: SearchHit[] = [];
		for (const r of page) {
			const a = details.get(r.id);
			if (!a) continue; // deleted after the index was read
			const people = reporters.get(r.id) ?? [];
			hits.push({
				id: a.id,
				url: a.url,
				title: a.title,
				titleParts: highlighter.highlight(a.title),
				outlet: a.outlet,
				outletId: a.outlet_id,
				reporters: people.map((x) => x.name),
				reporterIds: people.map((x) => x.id),
				publishedAt: a.published_at,
				lang: a.lang,
				snippet: highlighter.snippet(a.body ?? a.excerpt ?? ''),
				score: r.score
			});
		}
		return { total, totalExact, hits, order, understood: explainQuery(p.ast), indexUpToDate: await indexUpToDate(database, db) };
	});
}

/**
 * "Who covers this?": reporters ranked by their matching articles — each article's relevance times
 * its recency, summed with diminishing weight (0.85^i for the i-th best) so that volume counts but a
 * few strong, recent articles count most — each with the three articles that weigh most. Reporters
 * the do-not-contact rule excludes never appear.
 */
export async function whoCovers(database: Database, options: WhoCoversOptions): Promise<WhoCoversResult | { error: SearchError }> {
	const limit = clampInt(options.limit, 1, MAX_LIMIT, 20);
	return onConnection(database, async (db) => {
		const topicOnly = options.query.trim() === '' && options.topicId != null;
		// A topic on its own: its articles are all equally relevant, so recency and volume decide.
		const p = topicOnly
			? await topicPlan(database.kind, Math.trunc(options.topicId!), options)
			: await plan(db, database.kind, options.query, { lang: options.lang, outletKind: options.outletKind, topicId: options.topicId });
		if ('error' in p) return p;
		const now = Date.now();
		let rows: Candidate[];
		let complete: boolean;
		if (topicOnly) {
			rows = await topicMatches(db, p, WHO_COVERS_CANDIDATES[database.kind]);
			complete = rows.length < WHO_COVERS_CANDIDATES[database.kind];
		} else if (database.kind === 'sqlite') {
			rows = await sqliteMatches(db, p, WHO_COVERS_CANDIDATES.sqlite, 0, true);
			complete = rows.length < WHO_COVERS_CANDIDATES.sqlite;
		} else {
			const got = await pgMatches(db, p, WHO_COVERS_CANDIDATES.postgres, true);
			rows = got.rows.slice(0, WHO_COVERS_CANDIDATES.postgres);
			complete = got.complete && got.rows.length <= WHO_COVERS_CANDIDATES.postgres;
		}
		const ranked = rankCandidates(rows, now);
		const byArticle = new Map(ranked.map((r) => [r.id, r]));
		const links = await reportersOf(db, database.kind, ranked.map((r) => r.id));
		const perReporter = new Map<number, (Candidate & { score: number })[]>();
		for (const { articleId, reporterId } of links) {
			const a = byArticle.get(articleId);
			if (!a) continue;
			const list = perReporter.get(reporterId);
			if (list) list.push(a);
			else perReporter.set(reporterId, [a]);
		}
		const scored = [...perReporter.entries()].map(([id, articles]) => {
			articles.sort((a, b) => b.score - a.score || b.key - a.key);
			const score = articles.reduce((s, a, i) => s + a.score * 0.85 ** i, 0);
			return { id, articles, score, latest: articles.reduce((m, a) => Math.max(m, a.key), 0) };
		});
		scored.sort((a, b) => b.score - a.score || b.latest - a.latest || a.id - b.id);
		const top = scored.slice(0, limit);
		// The three strongest articles, and the newest one for "latest".
		const newest = (r: (typeof top)[number]) => r.articles.reduce((m, a) => (a.key > m.key ? a : m));
		const evidenceIds = [...new Set(top.flatMap((r) => [...r.articles.slice(0, 3).map((a) => a.id), newest(r).id]))];
		const [people, details] = await Promise.all([
			top.length
				? db
						.selectFrom('reporters')
						.leftJoin('outlets', 'outlets.id', 'reporters.outlet_id')
						.select(['reporters.id', 'reporters.display_name as name', 'outlets.name as outlet'])
						.where('reporters.id', 'in', top.map((r) => r.id))
						.execute()
				: Promise.resolve([]),
			articleDetails(db, evidenceIds)
		]);
		const personById = new Map(people.map((x) => [x.id, x]));
		const highlighter = new Highlighter(positiveLeaves(p.ast));
		const reporters: CoveringReporter[] = [];
		for (const r of top) {
			const person = personById.get(r.id);
			if (!person) continue;
			const evidence: Evidence[] = [];
			for (const a of r.articles.slice(0, 3)) {
				const d = details.get(a.id);
				if (!d) continue;
				evidence.push({
					id: d.id,
					title: d.title,
					titleParts: highlighter.highlight(d.title),
					url: d.url,
					outlet: d.outlet,
					publishedAt: d.published_at,
					snippet: highlighter.snippet(d.body ?? d.excerpt ?? '', 120)
				});
			}
			reporters.push({
				id: r.id,
				name: person.name,
				outlet: person.outlet,
				score: Math.round(r.score * 1e6) / 1e6,
				articles: r.articles.length,
				latestAt: details.get(newest(r).id)?.published_at ?? null,
				evidence
			});
		}
		return { reporters, considered: rows.length, exhaustive: complete, understood: topicOnly ? '' : explainQuery(p.ast), indexUpToDate: await indexUpToDate(database, db) };
	});
}

/** Byline links of the weighed articles, without reporters the do-not-contact rule excludes. */
async function reportersOf(db: Db, kind: DatabaseKind, articleIds: number[]): Promise<{ articleId: number; reporterId: number }[]> {
	const out: { articleId: number; reporterId: number }[] = [];
	const excluded = seams.reporterSuppressed ? sql`and not (${seams.reporterSuppressed(sql.ref('article_reporters.reporter_id'))})` : sql``;
	for (let i = 0; i < articleIds.length; i += 1000) {
		const ids = articleIds.slice(i, i + 1000);
		const inIds = kind === 'postgres' ? sql`= any(${ids}::int[])` : sql`in (${sql.join(ids)})`;
		const { rows } = await sql<{ a: number; r: number }>`
			select article_reporters.article_id as a, article_reporters.reporter_id as r from article_reporters
			where article_reporters.article_id ${inIds} ${excluded}`.execute(db);
		for (const r of rows) out.push({ articleId: r.a, reporterId: r.r });
	}
	return out;
}

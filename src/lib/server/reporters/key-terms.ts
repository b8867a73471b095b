/**
 * "What this reporter seems to want": the terms that are distinctive of a reporter's articles
 * against the whole index, and the recent angles (the same over their latest articles).
 *
 * A term scores by how many of the reporter's articles use it times how rare it is in the index
 * (tf-idf over documents): "cocoa" in half of a commodities reporter's articles beats "said", which
 * is in all of them and everyone else's too. The index's document frequencies are estimated from a
 * random sample of articles, kept for an hour per database, so a profile costs the reporter's own
 * articles only.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { forEachTerm } from '../topics/features';

export interface TermDoc {
	title: string;
	body?: string | null;
}

export interface KeyTerm {
	/** The word as it is most often written in the reporter's articles. */
	term: string;
	/** Articles of theirs that use it. */
	articles: number;
	score: number;
}

/** Body characters read per article: the start says what it is about. */
const BODY_CHARS = 3000;
const SAMPLE_SIZE = 3000;
const SAMPLE_MAX_AGE_MS = 60 * 60_000;

/** Per document, the set of terms it uses, with each term's written forms counted. */
function termSets(docs: readonly TermDoc[], surfaces?: Map<string, Map<string, number>>): Set<string>[] {
	return docs.map((d) => {
		const set = new Set<string>();
		forEachTerm(`${d.title}\n${(d.body ?? '').slice(0, BODY_CHARS)}`, (term, surface) => {
			set.add(term);
			if (surfaces) {
				let forms = surfaces.get(term);
				if (!forms) surfaces.set(term, (forms = new Map()));
				forms.set(surface, (forms.get(surface) ?? 0) + 1);
			}
		});
		return set;
	});
}

/** Document frequencies of a background sample. */
export interface Background {
	size: number;
	df: Map<string, number>;
}

/** Counts in how many of the sample's documents each term appears. */
export function backgroundOf(docs: readonly TermDoc[]): Background {
	const df = new Map<string, number>();
	for (const set of termSets(docs)) for (const t of set) df.set(t, (df.get(t) ?? 0) + 1);
	return { size: docs.length, df };
}

const NUMERIC = /^[\d\p{N}.,:%-]+$/u;

/**
 * The `limit` terms most distinctive of `docs` against `background`. A term must appear in at least
 * two of the documents (one when there are fewer than four), so a single article's odd word does not
 * define a reporter.
 */
export function distinctiveTerms(docs: readonly TermDoc[], background: Background, limit = 12): KeyTerm[] {
	if (!docs.length) return [];
	const surfaces = new Map<string, Map<string, number>>();
	const df = new Map<string, number>();
	for (const set of termSets(docs, surfaces)) for (const t of set) df.set(t, (df.get(t) ?? 0) + 1);
	const minDocs = docs.length < 4 ? 1 : 2;
	const scored: KeyTerm[] = [];
	for (const [term, n] of df) {
		if (n < minDocs || NUMERIC.test(term) || [...term].length < 2) continue;
		const idf = Math.log((background.size + 1) / ((background.df.get(term) ?? 0) + 1));
		if (idf <= 0.5) continue; // in more than ~60% of all articles: says nothing about anyone
		const forms = surfaces.get(term)!;
		const shown = [...forms.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
		scored.push({ term: shown, articles: n, score: Math.round((n / docs.length) * idf * 1000) / 1000 });
	}
	return scored.sort((a, b) => b.score - a.score || b.articles - a.articles || a.term.localeCompare(b.term)).slice(0, limit);
}

const samples = new WeakMap<Kysely<DB>, { at: number; background: Promise<Background> }>();

/** A random sample of the index's articles as a background, rebuilt hourly (new imports shift it slowly). */
export function indexBackground(db: Kysely<DB>, now = Date.now()): Promise<Background> {
	const cached = samples.get(db);
	if (cached && now - cached.at < SAMPLE_MAX_AGE_MS) return cached.background;
	const background = (async () => {
		const bounds = await db.selectFrom('articles').select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')]).executeTakeFirst();
		const lo = Number(bounds?.lo ?? 0);
		const hi = Number(bounds?.hi ?? 0);
		if (!hi) return { size: 0, df: new Map() };
		// Evenly spread ids stand in for a random sample without ORDER BY random() over a million rows.
		const step = Math.max(1, Math.floor((hi - lo + 1) / SAMPLE_SIZE));
		const rows = await db
			.selectFrom('articles')
			.select(['title', sql<string>`substr(coalesce(body, ''), 1, ${BODY_CHARS})`.as('body')])
			.where(sql<boolean>`(id - ${lo}) % ${step} = 0`)
			.limit(SAMPLE_SIZE)
			.execute();
		return backgroundOf(rows);
	})();
	samples.set(db, { at: now, background });
	background.catch(() => samples.delete(db));
	return background;
}

/** The reporter's distinctive terms over their latest 300 articles, and over their latest 10 ("recent angles"). */
export async function reporterKeyTerms(db: Kysely<DB>, reporterId: number): Promise<{ overall: KeyTerm[]; recent: KeyTerm[]; articles: number }> {
	const rows = await db
		.selectFrom('article_reporters')
		.innerJoin('articles', 'articles.id', 'article_reporters.article_id')
		.select(['articles.title', sql<string>`substr(coalesce(articles.body, ''), 1, ${BODY_CHARS})`.as('body')])
		.where('article_reporters.reporter_id', '=', reporterId)
		.orderBy('articles.published_at', (o) => o.desc().nullsLast())
		.orderBy('articles.id', 'desc')
		.limit(300)
		.execute();
	if (!rows.length) return { overall: [], recent: [], articles: 0 };
	const background = await indexBackground(db);
	return {
		overall: distinctiveTerms(rows, background, 12),
		recent: rows.length > 10 ? distinctiveTerms(rows.slice(0, 10), background, 8) : [],
		articles: rows.length
	};
}

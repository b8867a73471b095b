/**
 * Full-text search and "who covers this?" on both databases, against real text from the corpora:
 * every query's matches equal the in-memory reference (matchesQuery) over the same articles, so
 * Japanese two-character words, English word forms, phrases, NOT and prefixes are exact; filters,
 * both orders, pagination, highlighted snippets, reporter ranking with its evidence; and bad input —
 * broken syntax, FTS/SQL operators typed as text, a search during an import.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { importArticles } from '../../src/lib/server/articles/import.service';
import { parseSource } from '../../src/lib/server/articles/sources';
import type { ArticleCandidate } from '../../src/lib/server/articles/candidate';
import { matchesQuery, parseQuery, prepareDocument, type PreparedDocument, indexTokenSequence } from '../../src/lib/server/search/query';
import { rebuildSearchIndex, searchIndexState } from '../../src/lib/server/search/search.index';
import {
	resetSearchSeams,
	searchArticles,
	setSearchSeams,
	whoCovers,
	type SearchOptions,
	type SearchResult,
	type WhoCoversResult
} from '../../src/lib/server/search/search.service';
import { partsToText } from '../../src/lib/server/search/snippet';
import { createTopic, tagArticle } from '../../src/lib/server/topics/topics.service';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'bin/tegami.js');
const DATA = join(ROOT, '../shared/data');
const haveData = existsSync(join(DATA, 'corpora/livedoor.jsonl'));

/** A few hundred real articles of each corpus: every Reuters article with a byline, and the first livedoor and BBC ones. */
function corpusSample(): Buffer {
	const lines = (file: string) => readFileSync(join(DATA, 'corpora', file), 'utf8').split('\n').filter((l) => l.trim());
	const reuters = lines('reuters21578.jsonl').filter((l) => JSON.parse(l).byline);
	return Buffer.from([...reuters, ...lines('livedoor.jsonl').slice(0, 400), ...lines('bbc.jsonl').slice(0, 150)].join('\n'));
}

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

function candidate(over: Partial<ArticleCandidate> & { title: string }): ArticleCandidate {
	return { location: 'test', url: null, guid: null, body: null, excerpt: null, publishedAt: null, lang: 'en', outletName: 'Test Wire', section: null, bylineRaw: null, categories: [], ...over };
}

function ok(r: SearchResult | { error: unknown }): SearchResult {
	if ('error' in r) throw new Error(`search failed: ${JSON.stringify(r.error)}`);
	return r;
}

function okWho(r: WhoCoversResult | { error: unknown }): WhoCoversResult {
	if ('error' in r) throw new Error(`whoCovers failed: ${JSON.stringify(r.error)}`);
	return r;
}

interface Held {
	id: number;
	doc: PreparedDocument;
	outletId: number | null;
	lang: string | null;
	signed: number;
	publishedAt: string | null;
}

describe.skipIf(!haveData).each(dialects)('search on %s', (kind) => {
	let database: TestDatabase;
	let held: Held[] = [];

	/** Every match of a query, by paging through date order. */
	async function allIds(options: Omit<SearchOptions, 'limit' | 'offset' | 'order'>): Promise<number[]> {
		const ids: number[] = [];
		for (let offset = 0; ; offset += 100) {
			const r = ok(await searchArticles(database, { ...options, order: 'date', limit: 100, offset }));
			ids.push(...r.hits.map((h) => h.id));
			if (r.hits.length < 100) return ids;
		}
	}

	function expected(query: string, keep: (a: Held) => boolean = () => true): number[] {
		const parsed = parseQuery(query);
		if (!parsed.ok) throw new Error(parsed.error.message);
		return held.filter((a) => keep(a) && matchesQuery(parsed.ast, a.doc)).map((a) => a.id);
	}

	async function loadHeld() {
		const rows = await database.db.selectFrom('articles').select(['id', 'title', 'body', 'outlet_id', 'lang', 'signed', 'published_at']).execute();
		held = rows.map((r) => ({ id: r.id, doc: prepareDocument({ title: r.title, body: r.body ?? '' }), outletId: r.outlet_id, lang: r.lang, signed: r.signed, publishedAt: r.published_at }));
	}

	const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		const source = parseSource(corpusSample(), { name: 'sample.jsonl' });
		const report = await importArticles(database.db, source.parsed, { kind: source.kind, label: 'sample', userId: null });
		expect(report.added).toBeGreaterThan(1000);
		await loadHeld();
	}, 120_000);
	afterAll(() => database?.close());
	afterEach(() => resetSearchSeams());

	describe('matches are exactly those of the reference evaluator', () => {
		const queries: [string, number][] = [
			// Japanese: two-character words are exact substrings; longer words are phrases of bigrams.
			['広報', 1],
			['携帯', 10],
			['女性', 10],
			['日本', 10],
			['映画', 10],
			['独女', 10],
			['携帯電話', 5],
			['「携帯電話」', 5],
			['日本 -映画', 10],
			['女性 OR 独女', 10],
			['東京都', 1],
			['ＮＨＫ', 1],
			['iPhone', 1],
			['日本 党', 0],
			// English: word forms share a stem, phrases keep their order, prefixes match stems.
			['rising', 5],
			['rises', 5],
			['"oil prices"', 5],
			['oil -opec', 5],
			['econom*', 10],
			['"interest rates" OR tariff*', 10],
			['dlrs', 10],
			['U.S.', 10],
			['cocoa (brazil OR ghana)', 1],
			['oil (prices OR NOT opec)', 5],
			['NOT (oil OR gas) bank', 5],
			// Phrases beside words that settle a match on their own (PostgreSQL checks only the rest).
			['映画 -アニメ', 1],
			['携帯電話 OR 家電', 1],
			['oil -"crude oil"', 1],
			['"oil prices" OR opec', 1],
			// Operators of FTS5, tsquery and SQL typed as text are words, not syntax.
			['"a" OR 1=1; --', 1],
			['title:x oil', 0],
			['NEAR(oil prices)', 1],
			['meta:o1 oil', 0],
			['o1', 0],
			['{title} : oil', 0],
			["oil's", 5],
			['s0 lja', 0]
		];
		it.each(queries)('%s', async (query, atLeast) => {
			const want = expected(query);
			const got = await allIds({ query });
			expect(sorted(got)).toEqual(sorted(want));
			expect(new Set(got).size).toBe(got.length);
			expect(got.length).toBeGreaterThanOrEqual(atLeast);
		});

		it('finds a two-character Japanese word inside longer words, and only where it occurs', async () => {
			const got = await allIds({ query: '広報' });
			const rows = await database.db.selectFrom('articles').select(['id', 'title', 'body']).execute();
			const bySubstring = rows.filter((r) => `${r.title}\n${r.body ?? ''}`.normalize('NFKC').includes('広報')).map((r) => r.id);
			expect(sorted(got)).toEqual(sorted(bySubstring));
		});

		it('finds other forms of an English word', async () => {
			const r = ok(await searchArticles(database, { query: 'rising', limit: 100 }));
			const forms = new Set(r.hits.flatMap((h) => [...h.snippet, ...h.titleParts].filter((p) => p.match).map((p) => p.text.toLowerCase())));
			expect(forms.has('rising')).toBe(true);
			expect([...forms].some((f) => f === 'rise' || f === 'rises' || f === 'risen')).toBe(true);
		});
	});

	describe('filters', () => {
		it('by outlet, language, signed and date, each equal to the reference with the same condition', async () => {
			const bbc = await database.db.selectFrom('outlets').select('id').where('name', '=', 'BBC News').executeTakeFirstOrThrow();
			expect(sorted(await allIds({ query: 'oil', outletId: bbc.id }))).toEqual(sorted(expected('oil', (a) => a.outletId === bbc.id)));
			expect(sorted(await allIds({ query: '日本', lang: 'ja' }))).toEqual(sorted(expected('日本', (a) => a.lang === 'ja')));
			// Across scripts: an English word in Japanese articles, a Japanese word in English ones.
			expect(sorted(await allIds({ query: 'iPhone', lang: 'ja' }))).toEqual(sorted(expected('iPhone', (a) => a.lang === 'ja')));
			expect(sorted(await allIds({ query: 'year', lang: 'ja' }))).toEqual(sorted(expected('year', (a) => a.lang === 'ja')));
			expect(sorted(await allIds({ query: 'oil', signed: true }))).toEqual(sorted(expected('oil', (a) => a.signed === 1)));
			expect(sorted(await allIds({ query: 'oil', signed: false }))).toEqual(sorted(expected('oil', (a) => a.signed === 0)));
			const inRange = (a: Held) => !!a.publishedAt && a.publishedAt >= '1987-03-01' && a.publishedAt < '1987-03-11';
			expect(sorted(await allIds({ query: 'oil', from: '1987-03-01', to: '1987-03-10' }))).toEqual(sorted(expected('oil', inRange)));
			const some = await allIds({ query: 'oil', from: '1987-03-01', to: '1987-03-10' });
			expect(some.length).toBeGreaterThan(0);
		});

		it('by reporter: only that reporter\'s articles', async () => {
			const reporter = await database.db
				.selectFrom('article_reporters')
				.select(['reporter_id', (eb) => eb.fn.countAll<number>().as('n')])
				.groupBy('reporter_id')
				.orderBy('n', 'desc')
				.executeTakeFirstOrThrow();
			const theirs = new Set((await database.db.selectFrom('article_reporters').select('article_id').where('reporter_id', '=', reporter.reporter_id).execute()).map((r) => r.article_id));
			const got = await allIds({ query: 'the', reporterId: reporter.reporter_id });
			expect(sorted(got)).toEqual(sorted(expected('the', (a) => theirs.has(a.id))));
			expect(got.length).toBeGreaterThan(3);
		});

		it('by topic: only the articles the topic carries', async () => {
			const chosen = expected('oil').slice(0, 5);
			const topicId = await createTopic(database.db, null, { name: 'Hand-picked oil', nameReading: null, description: null, rule: null });
			for (const id of chosen) await tagArticle(database.db, null, id, topicId);
			expect(sorted(await allIds({ query: 'oil', topicId }))).toEqual(sorted(chosen));
			expect(await allIds({ query: 'oil', topicId: topicId + 1000 })).toEqual([]);
			// Who covers a topic without words: the reporters of its articles, each with them as evidence.
			const who = okWho(await whoCovers(database, { query: '', topicId, limit: 50 }));
			const evidence = who.reporters.flatMap((r) => r.evidence.map((e) => e.id));
			expect(evidence.length).toBeGreaterThan(0);
			for (const id of evidence) expect(chosen).toContain(id);
			expect(await whoCovers(database, { query: '  ' })).toMatchObject({ error: { code: 'empty' } });
		});

		it('refuses a date that is not a date', async () => {
			expect(await searchArticles(database, { query: 'oil', from: 'last tuesday' })).toMatchObject({ error: { code: 'invalid_filter' } });
		});
	});

	describe('order, pagination and totals', () => {
		it('date order is newest first', async () => {
			const r = ok(await searchArticles(database, { query: '日本', lang: 'ja', order: 'date', limit: 50 }));
			const dates = r.hits.map((h) => h.publishedAt!);
			expect(dates.length).toBe(50);
			expect([...dates].sort().reverse()).toEqual(dates);
		});

		it('pages in both orders add up to one long page, without repeats', async () => {
			for (const order of ['date', 'relevance'] as const) {
				const whole = ok(await searchArticles(database, { query: 'oil', order, limit: 30 })).hits.map((h) => h.id);
				const pages: number[] = [];
				for (const offset of [0, 10, 20]) pages.push(...ok(await searchArticles(database, { query: 'oil', order, limit: 10, offset })).hits.map((h) => h.id));
				expect(pages).toEqual(whole);
				expect(new Set(whole).size).toBe(30);
			}
		});

		it('gives exact totals below the cap and "at least" above it', async () => {
			const r = ok(await searchArticles(database, { query: '携帯電話' }));
			expect(r.totalExact).toBe(true);
			expect(r.total).toBe(expected('携帯電話').length);
			const common = ok(await searchArticles(database, { query: 'the', order: 'date' }));
			const n = expected('the').length;
			if (n > 1000) expect(common).toMatchObject({ total: 1000, totalExact: false });
			else expect(common).toMatchObject({ total: n, totalExact: true });
		});

		it('relevance blends bm25 with recency: a strong recent match first, then relevance beats mere recency', async () => {
			const articles = [
				candidate({ title: 'Zorblat fleet returns to the skies', body: 'The zorblat operator said its zorblat fleet would fly daily. Zorblat tours sold out.', publishedAt: daysAgo(2), url: 'https://t.example/z1' }),
				candidate({ title: 'City council notes', body: `${'The council discussed parking, budgets and schools at length. '.repeat(20)}A zorblat was mentioned once.`, publishedAt: daysAgo(1), url: 'https://t.example/z2' }),
				candidate({ title: 'Zorblat history revisited', body: 'An archive story about the zorblat age and the zorblat builders.', publishedAt: daysAgo(3000), url: 'https://t.example/z3' })
			];
			await importArticles(database.db, { candidates: articles, problems: [] }, { kind: 'jsonl', label: 'zorblats', userId: null });
			const r = ok(await searchArticles(database, { query: 'zorblat' }));
			expect(r.hits.map((h) => h.url)).toEqual(['https://t.example/z1', 'https://t.example/z2', 'https://t.example/z3']);
			expect(r.hits[0].score!).toBeGreaterThan(r.hits[1].score!);
			const byDate = ok(await searchArticles(database, { query: 'zorblat', order: 'date' }));
			expect(byDate.hits.map((h) => h.url)).toEqual(['https://t.example/z2', 'https://t.example/z1', 'https://t.example/z3']);
			expect(byDate.hits.every((h) => h.score === null)).toBe(true);
			await loadHeld();
		});
	});

	describe('hits', () => {
		it('carry outlet, reporters and a snippet whose marked parts are the query\'s words', async () => {
			const r = ok(await searchArticles(database, { query: '"oil prices"', limit: 20 }));
			expect(r.hits.length).toBe(20);
			for (const h of r.hits) {
				expect(h.outlet).toBeTruthy();
				const marked = [...h.snippet, ...h.titleParts].filter((p) => p.match).map((p) => p.text.toLowerCase().replace(/\s+/g, ' '));
				expect(marked.length).toBeGreaterThan(0);
				for (const m of marked) expect(indexTokenSequence(m)).toEqual(['oil', 'price']);
				expect(partsToText(h.snippet).length).toBeLessThan(200);
			}
			expect(r.hits.some((h) => h.reporters.length > 0)).toBe(true);
			const signed = r.hits.find((h) => h.reporters.length)!;
			expect(signed.reporterIds).toHaveLength(signed.reporters.length);
		});

		it('marks Japanese words as substrings, in title and body', async () => {
			const r = ok(await searchArticles(database, { query: '携帯 独女', limit: 10 }));
			expect(r.hits.length).toBeGreaterThan(0);
			for (const h of r.hits) {
				const marked = new Set([...h.snippet, ...h.titleParts].filter((p) => p.match).map((p) => p.text));
				for (const m of marked) expect(['携帯', '独女']).toContain(m);
				expect(marked.size).toBeGreaterThan(0);
			}
		});

		it('keeps article text as text: markup in an article is never interpreted', async () => {
			await importArticles(
				database.db,
				{ candidates: [candidate({ title: 'Widget <script>alert(1)</script> launch', body: 'The <b>widgetry</b> launch & more: widgetry.', url: 'https://t.example/w1', publishedAt: daysAgo(1) })], problems: [] },
				{ kind: 'jsonl', label: 'markup', userId: null }
			);
			const r = ok(await searchArticles(database, { query: 'widgetry' }));
			expect(r.hits).toHaveLength(1);
			expect(partsToText(r.hits[0].snippet)).toBe('The <b>widgetry</b> launch & more: widgetry.');
			expect(r.hits[0].snippet.filter((p) => p.match).map((p) => p.text)).toEqual(['widgetry', 'widgetry']);
			await loadHeld();
		});
	});

	describe('who covers this?', () => {
		it('ranks reporters by relevant, recent, plentiful work, with the articles that justify it', async () => {
			const articles = [
				...[1, 5, 9].map((d, i) => candidate({ title: `Kelpmobile ferry trial ${i}`, body: 'The kelpmobile ferry completed another kelpmobile-powered crossing.', bylineRaw: 'By Alma Quist', publishedAt: daysAgo(d), url: `https://t.example/h${i}` })),
				candidate({ title: 'Kelpmobile ferry plan', body: 'A kelpmobile ferry was proposed.', bylineRaw: 'By Boris Lund', publishedAt: daysAgo(2000), url: 'https://t.example/h9' }),
				candidate({ title: 'Harbour news', body: 'Boats, tides and a kelpmobile mention.', bylineRaw: 'By Carl Moe', publishedAt: daysAgo(4), url: 'https://t.example/h8' })
			];
			await importArticles(database.db, { candidates: articles, problems: [] }, { kind: 'jsonl', label: 'kelpmobile', userId: null });
			const r = okWho(await whoCovers(database, { query: 'kelpmobile ferry', limit: 5 }));
			expect(r.exhaustive).toBe(true);
			expect(r.reporters.map((x) => x.name)).toEqual(['Alma Quist', 'Boris Lund']);
			const alma = r.reporters[0];
			expect(alma.articles).toBe(3);
			expect(alma.evidence.map((e) => e.url)).toEqual(['https://t.example/h0', 'https://t.example/h1', 'https://t.example/h2']);
			expect(alma.latestAt).toBe(articles[0].publishedAt);
			expect(alma.score).toBeGreaterThan(r.reporters[1].score);
			expect(alma.evidence[0].titleParts.filter((p) => p.match).map((p) => p.text)).toEqual(['Kelpmobile', 'ferry']);

			// A do-not-contact rule from the reporters feature removes a reporter everywhere here.
			setSearchSeams({ reporterSuppressed: (reporterId) => sql`${reporterId} = ${alma.id}` });
			const without = okWho(await whoCovers(database, { query: 'kelpmobile ferry', limit: 5 }));
			expect(without.reporters.map((x) => x.name)).toEqual(['Boris Lund']);
			await loadHeld();
		});

		it('on the real corpus: every evidence article matches and belongs to its reporter', async () => {
			const r = okWho(await whoCovers(database, { query: 'oil', limit: 10 }));
			expect(r.reporters.length).toBe(10);
			const parsed = parseQuery('oil');
			if (!parsed.ok) throw new Error('unreachable');
			for (let i = 1; i < r.reporters.length; i++) expect(r.reporters[i - 1].score).toBeGreaterThanOrEqual(r.reporters[i].score);
			for (const rep of r.reporters) {
				expect(rep.evidence.length).toBeGreaterThan(0);
				expect(rep.evidence.length).toBeLessThanOrEqual(3);
				const mine = new Set((await database.db.selectFrom('article_reporters').select('article_id').where('reporter_id', '=', rep.id).execute()).map((x) => x.article_id));
				for (const e of rep.evidence) {
					expect(mine.has(e.id)).toBe(true);
					expect(matchesQuery(parsed.ast, held.find((a) => a.id === e.id)!.doc)).toBe(true);
				}
			}
			const ja = okWho(await whoCovers(database, { query: 'oil', lang: 'ja' }));
			expect(ja.reporters).toEqual([]);
			const wires = okWho(await whoCovers(database, { query: 'oil', outletKind: 'wire' }));
			expect(wires.reporters).toEqual([]);
		});
	});

	describe('bad input is explained, never thrown', () => {
		it.each([
			['"oil prices', 'unbalanced_quote'],
			['(oil OR gas', 'unbalanced_paren'],
			['oil)', 'unbalanced_paren'],
			['「広報', 'unbalanced_quote'],
			['a', 'too_short'],
			['党', 'too_short'],
			['の 日本', 'too_short'],
			["'", 'empty'],
			['', 'empty'],
			['NOT oil', 'only_negative'],
			['oil AND', 'dangling_operator'],
			['x'.repeat(10_000), 'too_long']
		])('%s → %s', async (query, code) => {
			const r = await searchArticles(database, { query });
			expect(r).toMatchObject({ error: { code } });
			if ('error' in r) expect(r.error.message.length).toBeGreaterThan(20);
			const w = await whoCovers(database, { query });
			expect(w).toMatchObject({ error: { code } });
		});

		it('a 10,000-character query of real words is refused as too long, not run', async () => {
			const long = Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' ');
			expect(await searchArticles(database, { query: long })).toMatchObject({ error: { code: 'too_long' } });
		});

		it('tolerates silly limits and offsets', async () => {
			const r = ok(await searchArticles(database, { query: 'oil', limit: -5, offset: -3 }));
			expect(r.hits).toHaveLength(1);
			const n = expected('oil').length;
			const exact = n > 1000 ? { total: 1000, totalExact: false } : { total: n, totalExact: true };
			for (const order of ['relevance', 'date'] as const) {
				const far = ok(await searchArticles(database, { query: 'oil', offset: 1e9, order }));
				expect(far.hits).toEqual([]);
				expect(far).toMatchObject(exact);
			}
		});
	});

	describe('changes to the index', () => {
		it('an article changed at its source is found by its new words only', async () => {
			const url = 'https://t.example/changing';
			const opts = { kind: 'jsonl' as const, label: 'changing', userId: null };
			await importArticles(database.db, { candidates: [candidate({ title: 'Quokka census', body: 'Rangers counted quokkas.', url, publishedAt: daysAgo(3) })], problems: [] }, opts);
			expect((await allIds({ query: 'quokka' })).length).toBe(1);
			const report = await importArticles(database.db, { candidates: [candidate({ title: 'Wombat census', body: 'Rangers counted wombats.', url, publishedAt: daysAgo(3) })], problems: [] }, opts);
			expect(report.updated).toBe(1);
			expect(await allIds({ query: 'quokka' })).toEqual([]);
			expect((await allIds({ query: 'wombat' })).length).toBe(1);
			await loadHeld();
		});

		it('a search while an import is running: both succeed, and the import is searchable once committed', async () => {
			const more = readFileSync(join(DATA, 'corpora/livedoor.jsonl'), 'utf8').split('\n').filter((l) => l.trim()).slice(400, 1400).join('\n');
			const source = parseSource(Buffer.from(more), { name: 'more.jsonl' });
			const before = (await allIds({ query: '独女' })).length;
			const importing = importArticles(database.db, source.parsed, { kind: source.kind, label: 'more', userId: null, batchSize: 100 });
			const searches: Promise<SearchResult | { error: unknown }>[] = [];
			for (let i = 0; i < 10; i++) {
				searches.push(searchArticles(database, { query: i % 2 ? '独女' : 'oil', limit: 5 }));
				await new Promise((r) => setTimeout(r, 5));
			}
			const [report, ...results] = await Promise.all([importing, ...searches]);
			expect(report.added).toBe(1000);
			for (const r of results) expect(ok(r).hits.length).toBeGreaterThan(0);
			await loadHeld();
			const after = await allIds({ query: '独女' });
			expect(after.length).toBeGreaterThan(before);
			expect(sorted(after)).toEqual(sorted(expected('独女')));
		});

		it('a rebuild gives the same results', async () => {
			const queries = ['日本 -映画', '"oil prices"', '携帯電話'];
			const before = await Promise.all(queries.map((q) => allIds({ query: q })));
			const rebuilt = await rebuildSearchIndex(database, { batchSize: 700 });
			expect(rebuilt.articles).toBe(held.length);
			const after = await Promise.all(queries.map((q) => allIds({ query: q })));
			expect(after.map(sorted)).toEqual(before.map(sorted));
			expect(await searchIndexState(database.db)).toMatchObject({ upToDate: true });
		});
	});

	describe('tegami search', () => {
		function tegami(args: string[]) {
			const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: database.url, TEGAMI_DEBUG: '' }, encoding: 'utf8', timeout: 60_000 });
			return { status: r.status, stdout: r.stdout, stderr: r.stderr };
		}

		it('prints the ranked hits as a JSON array', () => {
			const r = tegami(['search', '携帯電話', '--lang', 'ja', '--limit', '3', '--json']);
			expect(r.stderr).toBe('');
			expect(r.status).toBe(0);
			const hits = JSON.parse(r.stdout);
			expect(hits).toHaveLength(3);
			for (const h of hits) {
				expect(Object.keys(h).sort()).toEqual(['id', 'outlet', 'publishedAt', 'reporters', 'snippet', 'title', 'url']);
				expect(typeof h.snippet).toBe('string');
				expect(`${h.title}${h.snippet}`).toContain('携帯電話');
			}
		});

		it('rebuilds the index with `search reindex`', () => {
			const r = tegami(['search', 'reindex', '--json']);
			expect(r.status).toBe(0);
			expect(JSON.parse(r.stdout)).toMatchObject({ articles: held.length });
			expect(r.stderr).toMatch(/indexed \d+ of \d+ articles/);
			const after = tegami(['search', '携帯電話', '--json', '--limit', '100']);
			expect(JSON.parse(after.stdout)).toHaveLength(Math.min(100, expected('携帯電話').length));
		});

		it('explains a syntax error with exit status 1', () => {
			const r = tegami(['search', '"oil prices']);
			expect(r.status).toBe(1);
			expect(r.stdout).toBe('');
			expect(r.stderr).toMatch(/quotation mark is not paired/);
		});
	});
});

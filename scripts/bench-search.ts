/**
 * The search part of `npm run bench`: builds the N-article set of bench-corpus.ts through the real
 * import path (store + byline linking + search indexing, in the import's own batches), then measures
 * search and "who covers this?" latency for a fixed query mix, the index's size on disk, and a
 * fuse.js baseline over a sample of the same set.
 */
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import Fuse from 'fuse.js';
import { sql } from 'kysely';
import type { Database } from '../src/lib/server/db/index';
import { importArticles } from '../src/lib/server/articles/import.service';
import { searchArticles, whoCovers, type SearchOptions } from '../src/lib/server/search/search.service';
import { articleBatches, makeArticle, type Corpora, type DateOrder, type SetShape } from './bench-corpus';

/** Articles handed to one importArticles call: a feed poll or a file import, each in batches of 500. */
const IMPORT_CHUNK = 10_000;
const RUNS_PER_CLASS = 200;
const WARM_UP_RUNS = 3;

export interface Percentiles {
	p50: number;
	p95: number;
	p99: number;
	max: number;
	runs: number;
}

export function percentiles(samples: number[]): Percentiles {
	const s = [...samples].sort((a, b) => a - b);
	const at = (q: number) => Math.round(s[Math.min(s.length - 1, Math.floor(q * s.length))] * 100) / 100;
	return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1), runs: s.length };
}

/** Peak resident memory while `fn` runs, sampled every 50 ms (the process-wide peak would include earlier phases). */
export async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peakRssBytes: number }> {
	let peak = process.memoryUsage().rss;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
	try {
		const result = await fn();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { result, peakRssBytes: peak };
	} finally {
		clearInterval(timer);
	}
}

function load(): number[] {
	return loadavg().map((l) => Math.round(l * 100) / 100);
}

/** Imports the N-article set through importArticles, a chunk at a time; nothing holds the whole set. */
export async function importSet(database: Database, corpora: Corpora, shape: SetShape, n: number, log: (s: string) => void, order: DateOrder = 'chronological') {
	let ms = 0;
	let added = 0;
	let reporters = 0;
	const loadBefore = load();
	let done = 0;
	for (const batch of articleBatches(corpora, shape, n, IMPORT_CHUNK, order)) {
		const t0 = performance.now();
		const report = await importArticles(database.db, { candidates: batch, problems: [] }, { kind: 'jsonl', label: `bench set ${done + 1}–${done + batch.length}`, userId: null });
		ms += performance.now() - t0;
		added += report.added;
		reporters += report.reportersCreated;
		done += batch.length;
		if (done % 100_000 === 0 || done === n) log(`  ${database.kind}: imported ${done} of ${n} (${Math.round(done / (ms / 1000))}/s)`);
	}
	return { importPerSec: Math.round(n / (ms / 1000)), importMs: Math.round(ms), added, reportersCreated: reporters, loadAverage: { before: loadBefore, after: load() } };
}

/** Bytes on disk: the whole database and the search index's own tables. */
export async function diskUsage(database: Database, sqlitePath: string | null) {
	if (database.kind === 'sqlite') {
		await sql`pragma wal_checkpoint(truncate)`.execute(database.db);
		const size = (p: string) => {
			try {
				return statSync(p).size;
			} catch {
				return 0;
			}
		};
		const { rows } = await sql<{ bytes: number }>`select sum(pgsize) as bytes from dbstat where name like 'search_%' or name = 'search_docs_article_key'`.execute(database.db);
		return { diskBytes: size(sqlitePath!) + size(`${sqlitePath}-wal`), searchIndexBytes: Number(rows[0].bytes) };
	}
	const { rows } = await sql<{ db: number; idx: number }>`select pg_database_size(current_database()) as db, pg_total_relation_size('search_docs') as idx`.execute(database.db);
	return { diskBytes: Number(rows[0].db), searchIndexBytes: Number(rows[0].idx) };
}

type Run = Omit<SearchOptions, 'limit'>;

interface QueryClass {
	name: string;
	what: string;
	runs: Run[];
}

/** The fixed query mix; outlets are looked up by name, dates are relative to the set's last year. */
export async function queryMix(database: Database, shape: SetShape): Promise<QueryClass[]> {
	const outletId = async (name: string) => (await database.db.selectFrom('outlets').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
	const bigEn = await outletId(shape.outlets[0].name);
	const midEn = await outletId(shape.outlets[40].name);
	const bigJa = await outletId(shape.outlets[240].name);
	const q = (...queries: string[]): Run[] => queries.map((query) => ({ query }));
	return [
		{ name: 'en-common', what: 'very common English words (3–35% of English articles)', runs: q('oil', 'profit', 'year', 'market', 'company', 'price') },
		{ name: 'ja-common', what: 'very common Japanese words', runs: q('女性', '映画', '日本', '仕事', '結婚') },
		{ name: 'en-rare', what: 'rare English words', runs: q('cocoa', 'greenspan', 'sorghum', 'bankruptcy', 'copper', 'tariffs') },
		{ name: 'ja-2char', what: 'two-character Japanese words, less common', runs: q('広報', '携帯', '家電', '婚活', '恋愛', '独女') },
		{ name: 'phrase', what: 'phrases in both languages', runs: q('"oil prices"', '"interest rates"', '"trade deficit"', '「携帯電話」', '「結婚式」', '"stock market"') },
		{ name: 'boolean', what: 'OR and NOT', runs: q('oil OR gas', 'market -stock', '映画 -アニメ', '(bank OR banks) rates', '女性 OR 独女') },
		{
			name: 'filtered',
			what: 'common words with an outlet, language or date-range filter (incl. an English word in Japanese articles)',
			runs: [
				{ query: 'oil', outletId: bigEn },
				{ query: 'year', outletId: midEn },
				{ query: '日本', outletId: bigJa },
				{ query: '女性', lang: 'ja' },
				{ query: 'profit', lang: 'en' },
				{ query: 'year', lang: 'ja' },
				{ query: 'market', from: '2025-11-01', to: '2026-10-31' },
				{ query: '映画', from: '2019-01-01', to: '2019-12-31' }
			]
		},
		{ name: 'date-order', what: 'newest first', runs: ['oil', '日本', '"interest rates"', '広報', 'year'].map((query) => ({ query, order: 'date' as const })) }
	];
}

/** Runs every class RUNS_PER_CLASS times (round-robin over its queries) after a warm-up; milliseconds. */
export async function benchSearch(database: Database, classes: QueryClass[]) {
	const perClass: Record<string, Percentiles & { what: string; totals: Record<string, string>; queries: Record<string, { p50: number; p95: number }> }> = {};
	const all: number[] = [];
	const loadBefore = load();
	for (const c of classes) {
		for (const run of c.runs) for (let i = 0; i < WARM_UP_RUNS; i++) await searchArticles(database, { ...run, limit: 20 });
		const samples: number[] = [];
		const totals: Record<string, string> = {};
		const perQuery: Record<string, number[]> = {};
		for (let i = 0; i < RUNS_PER_CLASS; i++) {
			const run = c.runs[i % c.runs.length];
			const t0 = performance.now();
			const r = await searchArticles(database, { ...run, limit: 20 });
			const ms = performance.now() - t0;
			samples.push(ms);
			if ('error' in r) throw new Error(`bench query ${run.query} failed: ${r.error.message}`);
			totals[describeRun(run)] = `${r.totalExact ? '' : '≥'}${r.total}`;
			(perQuery[describeRun(run)] ??= []).push(ms);
		}
		all.push(...samples);
		perClass[c.name] = { what: c.what, ...percentiles(samples), totals, queries: perQueryPercentiles(perQuery) };
	}
	return { ...percentiles(all), classes: perClass, loadAverage: { before: loadBefore, after: load() } };
}

/** p50 and p95 of each query's own runs. */
function perQueryPercentiles(perQuery: Record<string, number[]>): Record<string, { p50: number; p95: number }> {
	return Object.fromEntries(Object.entries(perQuery).map(([q, s]) => [q, { p50: percentiles(s).p50, p95: percentiles(s).p95 }]));
}

function describeRun(run: Run): string {
	const f = [run.outletId != null ? `outlet ${run.outletId}` : '', run.lang ? `lang ${run.lang}` : '', run.from ? `${run.from}..${run.to}` : '', run.order === 'date' ? 'by date' : '']
		.filter(Boolean)
		.join(', ');
	return f ? `${run.query} (${f})` : run.query;
}

const WHO_COVERS_MIX: { query: string; lang?: string }[] = [
	{ query: 'oil' },
	{ query: 'profit' },
	{ query: 'year' },
	{ query: '女性' },
	{ query: '映画' },
	{ query: 'cocoa' },
	{ query: '広報' },
	{ query: '"interest rates"' },
	{ query: 'market -stock', lang: 'en' }
];

export async function benchWhoCovers(database: Database) {
	for (const w of WHO_COVERS_MIX) await whoCovers(database, { ...w, limit: 20 });
	const samples: number[] = [];
	const perQuery: Record<string, number[]> = {};
	const loadBefore = load();
	for (let i = 0; i < RUNS_PER_CLASS; i++) {
		const w = WHO_COVERS_MIX[i % WHO_COVERS_MIX.length];
		const t0 = performance.now();
		const r = await whoCovers(database, { ...w, limit: 20 });
		const ms = performance.now() - t0;
		if ('error' in r) throw new Error(`bench whoCovers ${w.query} failed: ${r.error.message}`);
		samples.push(ms);
		(perQuery[w.query] ??= []).push(ms);
	}
	const { p50, p95, p99, runs } = percentiles(samples);
	return {
		p50,
		p95,
		p99,
		runs,
		queries: perQueryPercentiles(perQuery),
		loadAverage: { before: loadBefore, after: load() }
	};
}

/**
 * fuse.js over title + the first 300 characters of the body, for a sample of the set (its search is
 * a linear scan, so the time for N articles is the sample's time × N / sample size).
 */
export function fuseBaseline(corpora: Corpora, shape: SetShape, n: number, sampleSize: number, log: (s: string) => void) {
	const size = Math.min(n, sampleSize);
	const docs = Array.from({ length: size }, (_, i) => {
		const a = makeArticle(Math.floor((i * n) / size), corpora, shape);
		return { title: a.title, text: (a.body ?? '').slice(0, 300) };
	});
	const t0 = performance.now();
	const fuse = new Fuse(docs, { keys: ['title', 'text'], threshold: 0.3, ignoreLocation: true });
	const buildMs = performance.now() - t0;
	const queries = ['oil', 'profit', 'year', '女性', '映画', '日本', 'cocoa', '広報', 'oil prices', '携帯電話'];
	const samples: number[] = [];
	for (const q of queries) {
		fuse.search(q, { limit: 20 });
		const t = performance.now();
		fuse.search(q, { limit: 20 });
		samples.push(performance.now() - t);
	}
	const sample = percentiles(samples);
	const scale = n / size;
	log(`  fuse.js: ${size} articles sampled, ${queries.length} queries, p50 ${sample.p50} ms on the sample`);
	return {
		search: { p50: Math.round(sample.p50 * scale), p95: Math.round(sample.p95 * scale) },
		method: `fuse.js 7 (threshold 0.3, ignoreLocation) over title + first 300 characters of the body of ${size} articles sampled evenly from the set; each of ${queries.length} queries timed once after one warm-up run; milliseconds scaled by ${Math.round(scale * 100) / 100} (N / sample) because its search scans every document`,
		sample: { articles: size, p50: sample.p50, p95: sample.p95, buildMs: Math.round(buildMs) }
	};
}

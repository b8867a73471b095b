/**
 * `npm run bench`: Tegami's own benchmark. Measures, on a fresh database of each kind:
 *   - import: articles/s for the real corpora in ../shared/data (parse + store + byline linking +
 *     search indexing), first import and re-import (all duplicates);
 *   - listImport: a 2,000-contact media-list CSV beside 20,000 reporters, then again (bench-lists.ts);
 *   - search: a set of N articles built from the real corpora (bench-corpus.ts says how) imported
 *     through the import path (importPerSec), then search p50/p95/p99 for a fixed query mix and
 *     "who covers this?" p50/p95 (bench-search.ts), bytes on disk and peak memory; and a fuse.js
 *     baseline over a sample of the same set;
 *   - bylines: person-name precision/recall on the postlight pages, end to end (page → extraction
 *     → normaliser) and for the normaliser alone.
 * Prints one JSON report. Options: --db sqlite|postgres|both (default both), --articles N (default
 * 100000), --fuse-sample N (default 20000), --out FILE.
 * PostgreSQL: TEST_DATABASE_URL, or a throwaway server started by scripts/pg-test-server.sh.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type Database } from '../src/lib/server/db/index';
import { importArticles } from '../src/lib/server/articles/import.service';
import { parseSource } from '../src/lib/server/articles/sources';
import { measureBylines } from './measure-bylines';
import { loadCorpora, setShape, SET_DESCRIPTION } from './bench-corpus';
import { benchSearch, benchWhoCovers, diskUsage, fuseBaseline, importSet, queryMix, withPeakRss } from './bench-search';
import { benchListImport } from './bench-lists';

const root = new URL('..', import.meta.url).pathname;
const DATA = join(root, '../shared/data');
const { values } = parseArgs({
	options: {
		db: { type: 'string', default: 'both' },
		out: { type: 'string' },
		articles: { type: 'string', default: '100000' },
		'fuse-sample': { type: 'string', default: '20000' }
	}
});
const ARTICLES = Number(values.articles);
const FUSE_SAMPLE = Number(values['fuse-sample']);
if (!Number.isInteger(ARTICLES) || ARTICLES < 1000) {
	console.error('tegami bench: --articles must be a whole number of at least 1000');
	process.exit(2);
}
if (!['sqlite', 'postgres', 'both'].includes(values.db!)) {
	console.error('tegami bench: --db must be sqlite, postgres or both');
	process.exit(2);
}
const log = (s: string) => process.stderr.write(`${s}\n`);

function machine(): string {
	return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

async function startPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
	if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL, stop: async () => {} };
	const child = spawn('bash', [join(root, 'scripts/pg-test-server.sh')], { stdio: ['pipe', 'pipe', 'inherit'] });
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout.on('data', (d) => {
			out += d;
			const m = out.match(/TEST_DATABASE_URL=(\S+)/);
			if (m) resolve(m[1]);
		});
		child.on('exit', (code) => reject(new Error(`pg-test-server.sh exited with ${code}`)));
	});
	return {
		url,
		stop: async () => {
			child.stdin.end();
			await new Promise((r) => child.once('exit', r));
		}
	};
}

async function freshDatabase(kind: 'sqlite' | 'postgres', pgAdmin: string | null): Promise<{ database: Database; path: string | null; drop: () => Promise<void> }> {
	if (kind === 'sqlite') {
		const dir = mkdtempSync(join(tmpdir(), 'tegami-bench-'));
		const path = join(dir, 'bench.db');
		const database = await openDatabase(`sqlite:${path}`);
		await migrateToLatest(database.db);
		return { database, path, drop: async () => { await database.close(); rmSync(dir, { recursive: true, force: true }); } };
	}
	const name = `tegami_bench_${Date.now().toString(36)}`;
	const admin = new pg.Client({ connectionString: pgAdmin! });
	await admin.connect();
	await admin.query(`create database ${name}`);
	await admin.end();
	const u = new URL(pgAdmin!);
	u.pathname = `/${name}`;
	const database = await openDatabase(u.toString());
	await migrateToLatest(database.db);
	return {
		database,
		path: null,
		drop: async () => {
			await database.close();
			const a = new pg.Client({ connectionString: pgAdmin! });
			await a.connect();
			await a.query(`drop database if exists ${name} with (force)`);
			await a.end();
		}
	};
}

async function benchImport(database: Database) {
	const files = ['reuters21578.jsonl', 'bbc.jsonl', 'livedoor.jsonl'];
	const result: Record<string, unknown> = {};
	let total = 0;
	let totalMs = 0;
	for (const file of files) {
		const bytes = readFileSync(join(DATA, 'corpora', file));
		const t0 = performance.now();
		const source = parseSource(bytes, { name: file });
		const t1 = performance.now();
		const first = await importArticles(database.db, source.parsed, { kind: source.kind, label: file, userId: null });
		const t2 = performance.now();
		const again = await importArticles(database.db, source.parsed, { kind: source.kind, label: file, userId: null });
		const t3 = performance.now();
		const n = source.parsed.candidates.length;
		total += n;
		totalMs += t2 - t0;
		result[file] = {
			articles: n,
			added: first.added,
			parseMs: Math.round(t1 - t0),
			importPerSec: Math.round(n / ((t2 - t0) / 1000)),
			reimportPerSec: Math.round(n / ((t3 - t2) / 1000)),
			reportersCreated: first.reportersCreated
		};
	}
	return { importPerSec: Math.round(total / (totalMs / 1000)), files: result, peakRssBytes: process.memoryUsage().rss };
}

/** The N-article set on a fresh database: import rate, search and "who covers this?" latency, size, memory. */
async function benchSearchSet(kind: 'sqlite' | 'postgres', pgAdmin: string | null, corpora: ReturnType<typeof loadCorpora>, shape: ReturnType<typeof setShape>) {
	const { database, path, drop } = await freshDatabase(kind, pgAdmin);
	try {
		const { result, peakRssBytes } = await withPeakRss(async () => {
			log(`${kind}: importing the ${ARTICLES}-article set`);
			const imported = await importSet(database, corpora, shape, ARTICLES, log);
			if (kind === 'postgres') await sql`analyze`.execute(database.db);
			const disk = await diskUsage(database, path);
			log(`${kind}: searching`);
			const search = await benchSearch(database, await queryMix(database, shape));
			log(`${kind}: who covers this?`);
			const who = await benchWhoCovers(database);
			return { imported, disk, search, who };
		});
		const { imported, disk, search, who } = result;
		return {
			importPerSec: imported.importPerSec,
			search: { p50: search.p50, p95: search.p95, p99: search.p99 },
			whoCovers: { p50: who.p50, p95: who.p95 },
			diskBytes: disk.diskBytes,
			peakRssBytes,
			details: {
				import: imported,
				searchIndexBytes: disk.searchIndexBytes,
				search,
				whoCovers: who
			}
		};
	} finally {
		await drop();
	}
}

async function main() {
	if (!existsSync(join(DATA, 'corpora'))) {
		console.error(`tegami bench: the real data is not at ${DATA}; the benchmark needs ../shared/data`);
		process.exit(1);
	}
	const report: Record<string, unknown> = {
		articles: ARTICLES,
		machine: machine(),
		at: new Date().toISOString(),
		loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
		set: `import: the three corpora in ../shared/data/corpora as they are (25,655 articles); search: ${SET_DESCRIPTION(ARTICLES)}`
	};
	const kinds = values.db === 'both' ? (['sqlite', 'postgres'] as const) : ([values.db] as ('sqlite' | 'postgres')[]);
	const corpora = loadCorpora(DATA);
	const shape = setShape();
	let pgServer: Awaited<ReturnType<typeof startPostgres>> | null = null;
	try {
		for (const kind of kinds) {
			if (kind === 'postgres') pgServer = await startPostgres();
			const { database, drop } = await freshDatabase(kind, pgServer?.url ?? null);
			let corporaImport;
			let listImport;
			try {
				log(`${kind}: importing the corpora`);
				corporaImport = await benchImport(database);
				log(`${kind}: importing a media list`);
				listImport = await benchListImport(database);
			} finally {
				await drop();
			}
			report[kind] = { ...(await benchSearchSet(kind, pgServer?.url ?? null, corpora, shape)), import: corporaImport, listImport };
		}
	} finally {
		await pgServer?.stop();
	}
	log('fuse.js baseline');
	report.fuseBaseline = fuseBaseline(corpora, shape, ARTICLES, FUSE_SAMPLE, log);
	report.loadAverageAtEnd = loadavg().map((l) => Math.round(l * 100) / 100);
	report.bylines = measureBylines(DATA);
	const text = JSON.stringify(report, null, 2);
	console.log(text);
	if (values.out) writeFileSync(values.out, `${text}\n`);
}

await main();

/**
 * `npm run bench`: Tegami's own benchmark. Measures, on a fresh database of each kind:
 *   - import: articles/s for the real corpora in ../shared/data (parse + store + byline linking),
 *     first import and re-import (all duplicates);
 *   - bylines: person-name precision/recall on the postlight pages, end to end (page → extraction
 *     → normaliser) and for the normaliser alone.
 * Prints one JSON report. Options: --db sqlite|postgres|both (default both), --out FILE.
 * PostgreSQL: TEST_DATABASE_URL, or a throwaway server started by scripts/pg-test-server.sh.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Database } from '../src/lib/server/db/index';
import { importArticles } from '../src/lib/server/articles/import.service';
import { parseSource } from '../src/lib/server/articles/sources';
import { measureBylines } from './measure-bylines';

const root = new URL('..', import.meta.url).pathname;
const DATA = join(root, '../shared/data');
const { values } = parseArgs({ options: { db: { type: 'string', default: 'both' }, out: { type: 'string' } } });

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

async function freshDatabase(kind: 'sqlite' | 'postgres', pgAdmin: string | null): Promise<{ database: Database; drop: () => Promise<void> }> {
	if (kind === 'sqlite') {
		const dir = mkdtempSync(join(tmpdir(), 'tegami-bench-'));
		const database = await openDatabase(`sqlite:${join(dir, 'bench.db')}`);
		await migrateToLatest(database.db);
		return { database, drop: async () => { await database.close(); rmSync(dir, { recursive: true, force: true }); } };
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

async function main() {
	if (!existsSync(join(DATA, 'corpora'))) {
		console.error(`tegami bench: the real data is not at ${DATA}; the benchmark needs ../shared/data`);
		process.exit(1);
	}
	const report: Record<string, unknown> = { machine: machine(), at: new Date().toISOString(), set: 'the three corpora in ../shared/data/corpora as they are (25,655 articles)' };
	const kinds = values.db === 'both' ? (['sqlite', 'postgres'] as const) : ([values.db] as ('sqlite' | 'postgres')[]);
	let pgServer: Awaited<ReturnType<typeof startPostgres>> | null = null;
	try {
		for (const kind of kinds) {
			if (kind === 'postgres') pgServer = await startPostgres();
			const { database, drop } = await freshDatabase(kind, pgServer?.url ?? null);
			try {
				report[kind] = { import: await benchImport(database) };
			} finally {
				await drop();
			}
		}
	} finally {
		await pgServer?.stop();
	}
	report.bylines = measureBylines(DATA);
	const text = JSON.stringify(report, null, 2);
	console.log(text);
	if (values.out) writeFileSync(values.out, `${text}\n`);
}

await main();

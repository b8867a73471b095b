/**
 * `tegami import` and `tegami feeds poll` as cron and scripts use them: real child processes
 * against real databases, the JSON shapes other tools rely on, bad input, and a kill -9 in the
 * middle of an import that a second run completes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const ROOT = join(__dirname, '../..');
const CLI = join(ROOT, 'bin/tegami.js');
const DATA = join(ROOT, '../shared/data');
const haveData = existsSync(join(DATA, 'corpora/reuters21578.jsonl'));

function tegami(args: string[], env: Record<string, string> = {}) {
	const r = spawnSync(process.execPath, [CLI, ...args], {
		cwd: ROOT,
		env: { ...process.env, TEGAMI_DEBUG: '', ...env },
		encoding: 'utf8',
		maxBuffer: 256 * 1024 * 1024,
		timeout: 120_000
	});
	return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'tegami-cli-import-'));
function file(name: string, content: string | Buffer): string {
	const path = join(dir, name);
	writeFileSync(path, content);
	return path;
}

describe('tegami import --dry-run (no database)', () => {
	it('prints one JSON object per article with the normalised people and agencies', () => {
		const path = file(
			'feed.xml',
			`<?xml version="1.0"?><rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Wire</title>
<item><title>Rates held</title><link>https://x.example/1?utm_source=rss</link><dc:creator>By Ann Lee and Bo Kim, Reuters</dc:creator><pubDate>Tue, 17 Nov 2026 10:00:00 GMT</pubDate></item>
<item><title>駅前に新しい図書館</title><link>https://x.example/2</link><dc:creator>（山田太郎）</dc:creator></item>
<item><title>Unsigned note</title><link>https://x.example/3</link></item>
</channel></rss>`
		);
		const r = tegami(['import', path, '--dry-run', '--json'], { DATABASE_URL: 'sqlite:/nonexistent/never-created.db' });
		expect(r.stderr).toBe('');
		expect(r.status).toBe(0);
		const articles = JSON.parse(r.stdout);
		expect(articles).toHaveLength(3);
		expect(articles[0]).toMatchObject({
			title: 'Rates held',
			url: 'https://x.example/1?utm_source=rss',
			byline: 'By Ann Lee and Bo Kim, Reuters',
			reporters: ['Ann Lee', 'Bo Kim'],
			agencies: ['Reuters'],
			publishedAt: '2026-11-17T10:00:00.000Z'
		});
		expect(articles[1]).toMatchObject({ reporters: ['山田太郎'], agencies: [] });
		expect(articles[2]).toMatchObject({ byline: null, reporters: [], agencies: [] });
		for (const a of articles) expect(Object.keys(a)).toEqual(expect.arrayContaining(['title', 'url', 'byline', 'reporters', 'agencies', 'publishedAt', 'lang']));
		expect(existsSync('/nonexistent/never-created.db')).toBe(false);
	});

	it('names the problem for bad files and bad flags', () => {
		expect(tegami(['import', file('empty.csv', ''), '--dry-run']).stderr).toMatch(/empty/);
		const notFeed = tegami(['import', file('page.xml', '<html><body>hello</body></html>'), '--format', 'rss', '--dry-run']);
		expect(notFeed.status).toBe(1);
		expect(notFeed.stderr).toMatch(/^tegami: .*not a feed.*HTML/m);
		expect(notFeed.stderr).not.toMatch(/\n\s+at /);
		const bomb = tegami(['import', file('bomb.xml', '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><rss><channel><item><title>&c;</title></item></channel></rss>'), '--dry-run']);
		expect(bomb.status).toBe(1);
		expect(bomb.stderr).toMatch(/entit/i);
		expect(tegami(['import', join(dir, 'missing.csv'), '--dry-run']).stderr).toMatch(/cannot read .*missing\.csv: no such file/);
		const flag = tegami(['import', 'x.csv', '--bogus']);
		expect(flag.status).toBe(2);
		expect(flag.stderr).toMatch(/--bogus/);
		expect(tegami(['import', 'x.csv', '--format', 'pdf']).status).toBe(2);
		const lines = tegami(['import', file('bad.jsonl', '{"title":"ok","url":"https://y.example/1"}\nnope\n'), '--dry-run', '--json']);
		expect(JSON.parse(lines.stdout)).toHaveLength(1);
		expect(lines.stderr).toMatch(/skipped line 2: /);
	});

	it('refuses private addresses when given a URL', () => {
		for (const url of ['http://127.0.0.1:9/feed', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]/x', 'file:///etc/passwd']) {
			const r = tegami(['import', url, '--dry-run', '--json'], { TEGAMI_FETCH_ALLOW_HOSTS: '' });
			expect(r.status, url).not.toBe(0);
			expect(r.stderr, url).toMatch(/^tegami: /);
		}
	});
});

describe.each(dialects)('tegami import on %s', (kind) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(() => database?.close());

	it('prints the run report as JSON, and a second run adds nothing', () => {
		const csv = file(`print-${kind}.csv`, '見出し,媒体,記者,日付\n港に新しい市場,東京ポスト,（佐藤花子）,2026年11月20日\n,東京ポスト,,2026-11-20\n冬の観光,東京ポスト,,2026-11-21\n');
		const first = tegami(['import', csv, '--json'], { DATABASE_URL: database.url });
		expect(first.status, first.stderr).toBe(0);
		const report = JSON.parse(first.stdout);
		expect(report).toMatchObject({ added: 2, updated: 0, duplicates: 0 });
		expect(report.skipped).toEqual([{ location: 'line 3', reason: expect.stringMatching(/title/) }]);
		const second = JSON.parse(tegami(['import', csv, '--json'], { DATABASE_URL: database.url }).stdout);
		expect(second).toMatchObject({ added: 0, duplicates: 2 });
	});

	it.skipIf(!haveData)('survives kill -9 in the middle of an import; the next run completes it', async () => {
		const corpus = join(DATA, 'corpora/livedoor.jsonl');
		const child = spawn(process.execPath, [CLI, 'import', corpus, '--json'], {
			cwd: ROOT,
			env: { ...process.env, DATABASE_URL: database.url },
			stdio: 'ignore'
		});
		// Kill it once some batches are committed but before the end.
		const started = Date.now();
		for (;;) {
			await new Promise((r) => setTimeout(r, 100));
			const n = await database.db
				.selectFrom('articles')
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('source_label', '=', 'livedoor.jsonl')
				.executeTakeFirstOrThrow();
			if (Number(n.n) > 0 || Date.now() - started > 60_000) break;
		}
		child.kill('SIGKILL');
		await new Promise((r) => child.once('exit', r));
		const partial = await database.db
			.selectFrom('articles')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('source_label', '=', 'livedoor.jsonl')
			.executeTakeFirstOrThrow();
		expect(Number(partial.n)).toBeGreaterThan(0);
		expect(Number(partial.n)).toBeLessThan(5_035);
		if (database.kind === 'sqlite') {
			expect(database.sqlite!.pragma('integrity_check', { simple: true })).toBe('ok');
		}
		const rerun = tegami(['import', corpus, '--json'], { DATABASE_URL: database.url });
		expect(rerun.status, rerun.stderr).toBe(0);
		const report = JSON.parse(rerun.stdout);
		expect(report.added + report.duplicates).toBe(5_035);
		expect(report.duplicates).toBeGreaterThanOrEqual(Number(partial.n));
		const total = await database.db
			.selectFrom('articles')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where('source_label', '=', 'livedoor.jsonl')
			.executeTakeFirstOrThrow();
		expect(Number(total.n)).toBe(report.added + Number(partial.n));
	}, 120_000);

	it('feeds poll with nothing due says so and exits 0', () => {
		const r = tegami(['feeds', 'poll', '--json'], { DATABASE_URL: database.url });
		expect(r.status, r.stderr).toBe(0);
		expect(JSON.parse(r.stdout)).toEqual([]);
	});
});

describe.skipIf(!haveData)('tegami topics evaluate', () => {
	it('trains on 50 examples per label and prints macro-F1, accuracy and per-label scores', () => {
		const r = tegami(['topics', 'evaluate', '--train', join(DATA, 'corpora/bbc.jsonl'), '--per-label', '50', '--json']);
		expect(r.status, r.stderr).toBe(0);
		const result = JSON.parse(r.stdout);
		expect(result.macroF1).toBeGreaterThanOrEqual(0.85);
		expect(result.accuracy).toBeGreaterThan(0.85);
		expect(Object.keys(result.perLabel).sort()).toEqual(['business', 'entertainment', 'politics', 'sport', 'tech']);
	});

	it('names the problem with a bad file or flag', () => {
		expect(tegami(['topics', 'evaluate', '--train', join(dir, 'nope.jsonl')]).stderr).toMatch(/no such file/);
		expect(tegami(['topics', 'evaluate', '--train', file('t.jsonl', '{"title":"x","topics":["a"]}\n'), '--per-label', '0']).status).toBe(2);
		const bad = tegami(['topics', 'evaluate', '--train', file('b.jsonl', 'not json\n')]);
		expect(bad.status).toBe(1);
		expect(bad.stderr).toMatch(/line 1/);
	});
});

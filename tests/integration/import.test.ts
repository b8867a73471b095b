/**
 * The article index end to end on both databases: the real corpora import whole and a second
 * import adds nothing; bylines become reporters; unsigned articles become tasks; changed articles
 * update in place; merges and splits keep every link; feeds poll with ETag and a lease; bad input
 * is reported by location and loses nothing else.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { importArticles } from '../../src/lib/server/articles/import.service';
import { parseSource } from '../../src/lib/server/articles/sources';
import { countArticles, countOpenIdentifyTasks, getImportRun, listIdentifyQueue } from '../../src/lib/server/articles/articles.repository';
import {
	dismissIdentifyTask,
	identifyWriter,
	keepApart,
	listReviews,
	mergeReporters,
	splitMerge
} from '../../src/lib/server/reporters/reporters.service';
import { fetchFeedNow, pollDueFeeds, subscribeFeed } from '../../src/lib/server/feeds/feeds.service';
import { createUser } from '../../src/lib/server/users/users.service';

const DATA = join(__dirname, '../../../shared/data');
const haveData = existsSync(join(DATA, 'corpora/reuters21578.jsonl'));
const corpus = (name: string) => readFileSync(join(DATA, 'corpora', name));

const enc = (s: string) => new TextEncoder().encode(s);

async function count(db: TestDatabase['db'], table: 'articles' | 'reporters' | 'article_reporters' | 'outlets') {
	const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
	return Number(row.n);
}

describe.each(dialects)('article index on %s', (kind) => {
	let database: TestDatabase;
	let userId: number;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		userId = await createUser(database.db, null, {
			email: 'agent@x.test',
			displayName: 'Agent',
			role: 'agent',
			clientId: null,
			password: 'a long password'
		});
	});
	afterAll(() => database?.close());

	describe.skipIf(!haveData)('the real corpora (../shared/data)', () => {
		it('imports reuters21578.jsonl whole, and a second import adds nothing', async () => {
			const source = parseSource(corpus('reuters21578.jsonl'), { name: 'reuters21578.jsonl' });
			expect(source.parsed.candidates).toHaveLength(19_043);
			const first = await importArticles(database.db, source.parsed, { kind: source.kind, label: source.label, userId });
			expect(first.skipped).toEqual([]);
			expect(first.added + first.duplicates).toBe(19_043);
			const held = await count(database.db, 'articles');
			expect(held).toBe(first.added);
			const second = await importArticles(database.db, source.parsed, { kind: source.kind, label: source.label, userId });
			expect(second.added).toBe(0);
			expect(second.updated).toBe(0);
			expect(second.duplicates).toBe(19_043);
			expect(await count(database.db, 'articles')).toBe(held);
			const run = await getImportRun(database.db, first.runId!);
			expect(run).toMatchObject({ status: 'done', added: first.added, skipped: 0 });
		});

		it('links Reuters bylines to one reporter per person, with Reuters kept as an agency', async () => {
			const db = database.db;
			const rows = await db
				.selectFrom('articles')
				.select(['id', 'byline_raw', 'agencies', 'signed'])
				.where('byline_raw', 'is not', null)
				.where('source_kind', '=', 'jsonl')
				.execute();
			expect(rows.length).toBeGreaterThan(800);
			expect(rows.every((r) => r.signed === 1)).toBe(true);
			expect(rows.filter((r) => JSON.parse(r.agencies).includes('Reuters')).length).toBeGreaterThan(0.85 * rows.length);
			// No reporter is called "Reuters", and a frequent byline is one reporter with many articles.
			const names = await db.selectFrom('reporters').select(['id', 'display_name']).execute();
			expect(names.some((n) => /reuter/i.test(n.display_name))).toBe(false);
			const busiest = await db
				.selectFrom('article_reporters')
				.select(['reporter_id', (eb) => eb.fn.countAll<number>().as('n')])
				.groupBy('reporter_id')
				.orderBy('n', 'desc')
				.executeTakeFirstOrThrow();
			expect(Number(busiest.n)).toBeGreaterThan(5);
			const provenance = await db
				.selectFrom('reporters')
				.select(['created_via', 'created_from_article_id'])
				.where('id', '=', busiest.reporter_id)
				.executeTakeFirstOrThrow();
			expect(provenance.created_via).toBe('byline');
			expect(provenance.created_from_article_id).not.toBeNull();
		});

		it('imports bbc.jsonl and livedoor.jsonl whole; unsigned articles become identify tasks', async () => {
			for (const [name, n] of [
				['bbc.jsonl', 1_577],
				['livedoor.jsonl', 5_035]
			] as const) {
				const source = parseSource(corpus(name), { name });
				const r = await importArticles(database.db, source.parsed, { kind: source.kind, label: name, userId });
				expect(r.skipped).toEqual([]);
				expect(r.added + r.duplicates).toBe(n);
				const again = await importArticles(database.db, source.parsed, { kind: source.kind, label: name, userId });
				expect(again.added).toBe(0);
			}
			const counts = await countArticles(database.db);
			expect(counts.openTasks).toBeGreaterThan(6_000);
			// Today's count stops at its cap, and is exact below it.
			expect(await countOpenIdentifyTasks(database.db, 1000)).toBe(1000);
			expect(await countOpenIdentifyTasks(database.db, counts.openTasks + 5)).toBe(counts.openTasks);
			const queue = await listIdentifyQueue(database.db, 10);
			expect(queue.length).toBe(10);
		});
	});

	describe.skipIf(!haveData)('the real article pages (../shared/data/fixtures)', () => {
		it('imports every readability and postlight page with a title', async () => {
			const { readdirSync } = await import('node:fs');
			const pages: { path: string; url: string | null }[] = [];
			const rdir = join(DATA, 'fixtures/readability-pages/test-pages');
			for (const name of readdirSync(rdir)) pages.push({ path: join(rdir, name, 'source.html'), url: `https://${name}.example/article` });
			const pdir = join(DATA, 'fixtures/postlight-pages');
			for (const p of JSON.parse(readFileSync(join(pdir, 'expected.json'), 'utf8')) as { fixture: string; url: string }[]) {
				pages.push({ path: join(pdir, p.fixture), url: p.url });
			}
			expect(pages.length).toBeGreaterThan(200);
			const candidates = pages
				.filter((p) => existsSync(p.path))
				.map((p, i) => ({ ...parseSource(readFileSync(p.path), { format: 'html', url: p.url }).parsed.candidates[0], location: `page ${i + 1}` }));
			expect(candidates.every((c) => c.title.trim().length > 0)).toBe(true);
			const r = await importArticles(database.db, { candidates, problems: [] }, { kind: 'html', label: 'fixture pages', userId });
			expect(r.skipped).toEqual([]);
			expect(r.added + r.duplicates).toBe(candidates.length);
			const stored = await database.db.selectFrom('articles').select('title').where('source_label', '=', 'fixture pages').execute();
			expect(stored.every((a) => a.title.length > 0)).toBe(true);
		}, 120_000);
	});

	it('finds a Japanese writer through the desk and records how', async () => {
		const db = database.db;
		const csv = '見出し,媒体,日付,本文\n地元の醤油蔵、新商品を発表,東京ポスト,2026/11/20,老舗の醤油蔵が…\n';
		const source = parseSource(enc(csv), { name: 'print.csv' });
		const report = await importArticles(db, source.parsed, { kind: 'csv', label: 'print.csv', userId });
		expect(report.added).toBe(1);
		const article = await db.selectFrom('articles').select(['id', 'identify_status', 'outlet_id']).where('title', '=', '地元の醤油蔵、新商品を発表').executeTakeFirstOrThrow();
		expect(article.identify_status).toBe('open');
		await identifyWriter(db, userId, {
			articleId: article.id,
			reporterId: null,
			newReporterName: '佐藤 花子 記者',
			method: 'desk_call',
			learnedOn: '2026-11-21',
			note: '経済部デスクに電話'
		});
		const after = await db.selectFrom('articles').select('identify_status').where('id', '=', article.id).executeTakeFirstOrThrow();
		expect(after.identify_status).toBe('identified');
		const linked = await db
			.selectFrom('article_reporters')
			.innerJoin('reporters', 'reporters.id', 'article_reporters.reporter_id')
			.select(['reporters.display_name', 'reporters.created_via', 'reporters.outlet_id', 'article_reporters.source'])
			.where('article_reporters.article_id', '=', article.id)
			.execute();
		expect(linked).toEqual([{ display_name: '佐藤 花子', created_via: 'identified', outlet_id: article.outlet_id, source: 'identified' }]);
		const how = await db.selectFrom('article_identifications').selectAll().where('article_id', '=', article.id).executeTakeFirstOrThrow();
		expect(how).toMatchObject({ method: 'desk_call', learned_on: '2026-11-21', user_id: userId });
		// Re-importing the same file leaves the identification alone.
		const again = await importArticles(db, source.parsed, { kind: 'csv', label: 'print.csv', userId });
		expect(again.duplicates).toBe(1);
		// A bad date or method is refused by name.
		await expect(
			identifyWriter(db, userId, { articleId: article.id, reporterId: null, newReporterName: 'x', method: 'desk_call', learnedOn: '2026-13-45', note: null })
		).rejects.toMatchObject({ issues: { learnedOn: 'error_date_invalid' } });
	});

	it('updates an article changed at its source in place, and re-links its byline', async () => {
		const db = database.db;
		const v1 = JSON.stringify({ title: 'Kettle maker doubles output', url: 'https://news.example/kettle?utm_source=x', byline: 'By Ann Lee', outlet: 'Example News', published_at: '2026-11-01T00:00:00Z', lang: 'en' });
		const v2 = JSON.stringify({ title: 'Kettle maker doubles output (corrected)', url: 'https://news.example/kettle', byline: 'By Ann Lee and Bo Kim', outlet: 'Example News', published_at: '2026-11-01T00:00:00Z', lang: 'en' });
		await importArticles(db, parseSource(enc(v1), { name: 'a.jsonl' }).parsed, { kind: 'jsonl', label: 'a', userId });
		const r2 = await importArticles(db, parseSource(enc(v2), { name: 'a.jsonl' }).parsed, { kind: 'jsonl', label: 'a', userId });
		expect(r2).toMatchObject({ added: 0, updated: 1 });
		const row = await db.selectFrom('articles').select(['id', 'title']).where('canonical_url', '=', 'news.example/kettle').executeTakeFirstOrThrow();
		expect(row.title).toContain('corrected');
		const people = await db
			.selectFrom('article_reporters')
			.innerJoin('reporters', 'reporters.id', 'article_reporters.reporter_id')
			.select('reporters.display_name')
			.where('article_id', '=', row.id)
			.orderBy('position')
			.execute();
		expect(people.map((p) => p.display_name)).toEqual(['Ann Lee', 'Bo Kim']);
	});

	it('queues a same-name reporter at another outlet for review; merge and split keep every link', async () => {
		const db = database.db;
		const lines = [
			{ title: 'Rice harvest report', url: 'https://a.example/1', byline: 'By Mika Tanaka', outlet: 'Alpha Times', published_at: '2026-10-01', lang: 'en' },
			{ title: 'Rice prices climb', url: 'https://b.example/2', byline: 'By Mika Tanaka', outlet: 'Beta Daily', published_at: '2026-11-01', lang: 'en' }
		]
			.map((o) => JSON.stringify(o))
			.join('\n');
		await importArticles(db, parseSource(enc(lines), { name: 'm.jsonl' }).parsed, { kind: 'jsonl', label: 'm', userId });
		const reviews = (await listReviews(db)).filter((r) => r.reporter_name === 'Mika Tanaka');
		expect(reviews).toHaveLength(1);
		expect(reviews[0]).toMatchObject({ reason: 'same_name_other_outlet', score: 1, reporter_outlet: 'Beta Daily', candidate_outlet: 'Alpha Times' });
		const mergeId = await mergeReporters(db, userId, reviews[0].candidate_id, reviews[0].reporter_id);
		const links = await db.selectFrom('article_reporters').select('article_id').where('reporter_id', '=', reviews[0].candidate_id).execute();
		expect(links).toHaveLength(2);
		expect(await db.selectFrom('reporters').select('id').where('id', '=', reviews[0].reporter_id).executeTakeFirst()).toBeUndefined();
		// The next article under that name at Beta Daily now goes to the merged record.
		await importArticles(db, parseSource(enc(JSON.stringify({ title: 'Rice exports', url: 'https://b.example/3', byline: 'Mika Tanaka', outlet: 'Beta Daily', lang: 'en' })), { name: 'n.jsonl' }).parsed, { kind: 'jsonl', label: 'n', userId });
		const after = await db.selectFrom('article_reporters').select('article_id').where('reporter_id', '=', reviews[0].candidate_id).execute();
		expect(after).toHaveLength(3);
		// Split: the merged reporter comes back with the article it brought.
		const restored = await splitMerge(db, userId, mergeId);
		const back = await db.selectFrom('article_reporters').select('article_id').where('reporter_id', '=', restored).execute();
		expect(back).toHaveLength(1);
		const kept = await db.selectFrom('article_reporters').select('article_id').where('reporter_id', '=', reviews[0].candidate_id).execute();
		expect(kept).toHaveLength(2);
		// Keeping apart closes a review.
		const other = (await listReviews(db)).find((r) => r.reporter_name !== 'Mika Tanaka');
		if (other) {
			await keepApart(db, userId, other.id);
			expect((await listReviews(db)).some((r) => r.id === other.id)).toBe(false);
		}
	});

	it('reports each bad item by location and imports the good ones', async () => {
		const db = database.db;
		const csv = [
			'title,url,outlet,byline',
			'Good one,https://c.example/1,Gamma,By Sam Park',
			'"Broken quote,https://c.example/2,Gamma,By Sam Park',
			'Too,few',
			',https://c.example/4,Gamma,',
			`Long byline,https://c.example/5,Gamma,${'A'.repeat(5000)}`,
			'Bad url,javascript:alert(1),Gamma,',
			'Good two,https://c.example/6,Gamma,'
		].join('\n');
		const source = parseSource(enc(csv), { name: 'bad.csv' });
		const r = await importArticles(db, source.parsed, { kind: 'csv', label: 'bad.csv', userId });
		const titles = (await db.selectFrom('articles').select('title').where('canonical_url', 'like', 'c.example/%').execute()).map((x) => x.title);
		expect(titles).toContain('Good one');
		expect(titles).toContain('Good two');
		expect(titles).toContain('Long byline');
		const where = r.skipped.map((s) => s.location);
		expect(where.some((l) => /line 3/.test(l))).toBe(true);
		expect(r.skipped.every((s) => s.reason.length > 5)).toBe(true);
		// A link that is not a web address is left out; the article itself is kept, with a note.
		const badUrl = await db.selectFrom('articles').select(['url']).where('title', '=', 'Bad url').executeTakeFirstOrThrow();
		expect(badUrl.url).toBeNull();
		expect(r.notes.find((s) => /javascript/.test(s.reason))).toBeTruthy();
		const run = await getImportRun(db, r.runId!);
		expect(run!.skipped).toBe(r.skipped.length);
		expect(run!.problems.length).toBe(r.skipped.length + r.notes.length);
		expect(run!.problems.filter((p) => p.note)).toHaveLength(r.notes.length);

		const jsonl = '{"title":"ok 1","url":"https://d.example/1"}\nnot json\n[1,2]\n{"title":"ok 2","url":"https://d.example/2"}\n';
		const j = await importArticles(db, parseSource(enc(jsonl), { name: 'x.jsonl' }).parsed, { kind: 'jsonl', label: 'x', userId });
		expect(j.added).toBe(2);
		expect(j.skipped.map((s) => s.location)).toEqual(['line 2', 'line 3']);
		expect(() => parseSource(new Uint8Array(), { name: 'empty.csv' })).toThrow(/empty/);
	});

	it('dismisses an identify task without naming a writer', async () => {
		const db = database.db;
		await importArticles(db, parseSource(enc('{"title":"社説 冬の電力","outlet":"東京ポスト","published_at":"2026-11-22"}'), { name: 'e.jsonl' }).parsed, { kind: 'jsonl', label: 'e', userId });
		const a = await db.selectFrom('articles').select('id').where('title', '=', '社説 冬の電力').executeTakeFirstOrThrow();
		await dismissIdentifyTask(db, userId, a.id);
		expect((await db.selectFrom('articles').select('identify_status').where('id', '=', a.id).executeTakeFirstOrThrow()).identify_status).toBe('dismissed');
	});

	describe('feeds', () => {
		let server: Server;
		let base = '';
		let hits = 0;
		let etagHits = 0;
		const rss = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Local Wire ${kind}</title><link>http://127.0.0.1/</link>
<item><title>Harbour festival returns</title><link>http://127.0.0.1/a/1</link><dc:creator>Jo Ellis</dc:creator><pubDate>Mon, 16 Nov 2026 09:00:00 +0900</pubDate></item>
<item><title>町の祭り、三年ぶり開催</title><link>http://127.0.0.1/a/2</link><dc:creator>鈴木一郎</dc:creator></item>
</channel></rss>`;

		beforeAll(async () => {
			server = createServer((req, res) => {
				hits++;
				if (req.url === '/broken.xml') {
					res.writeHead(200, { 'content-type': 'application/rss+xml' });
					res.end('<rss><channel><title>cut off');
					return;
				}
				if (req.headers['if-none-match'] === '"v1"') {
					etagHits++;
					res.writeHead(304);
					res.end();
					return;
				}
				// Slow enough that two pollers overlap.
				setTimeout(() => {
					res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"' });
					res.end(rss);
				}, 150);
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
			process.env.TEGAMI_FETCH_ALLOW_HOSTS = '127.0.0.1';
		});
		afterAll(async () => {
			delete process.env.TEGAMI_FETCH_ALLOW_HOSTS;
			await new Promise((resolve) => server.close(resolve));
		});

		it('polls with ETag, and two pollers at once fetch a feed once', async () => {
			const db = database.db;
			const feedId = await subscribeFeed(db, userId, { url: `${base}/feed.xml`, outletName: 'Local Wire' });
			hits = 0;
			const [a, b] = await Promise.all([pollDueFeeds(db), pollDueFeeds(db)]);
			expect(hits).toBe(1);
			const results = [...a, ...b].filter((r) => r.feedId === feedId);
			expect(results).toHaveLength(1);
			expect(results[0].report).toMatchObject({ added: 2, skipped: [] });
			const jo = await db.selectFrom('reporters').select('display_name').where('display_name', 'in', ['Jo Ellis', '鈴木一郎']).execute();
			expect(jo).toHaveLength(2);
			const now = await fetchFeedNow(db, feedId, userId);
			expect(now?.status).toBe('not_modified');
			expect(etagHits).toBe(1);
		});

		it('records a broken feed and a refused address without losing anything', async () => {
			const db = database.db;
			const before = await count(db, 'articles');
			const broken = await subscribeFeed(db, userId, { url: `${base}/broken.xml` });
			const r = await fetchFeedNow(db, broken, userId);
			expect(r?.status).toBe('failed');
			expect(r?.error).toBeTruthy();
			const feed = await db.selectFrom('feeds').select(['failures', 'last_error', 'next_poll_at']).where('id', '=', broken).executeTakeFirstOrThrow();
			expect(feed.failures).toBe(1);
			expect(feed.last_error).toBe(r?.error);
			delete process.env.TEGAMI_FETCH_ALLOW_HOSTS;
			const meta = await subscribeFeed(db, userId, { url: 'http://169.254.169.254/latest/meta-data' });
			const refused = await fetchFeedNow(db, meta, userId);
			process.env.TEGAMI_FETCH_ALLOW_HOSTS = '127.0.0.1';
			expect(refused?.status).toBe('failed');
			expect(refused?.error).toMatch(/169\.254\.169\.254/);
			expect(await count(db, 'articles')).toBe(before);
			await expect(subscribeFeed(db, userId, { url: 'file:///etc/passwd' })).rejects.toMatchObject({ issues: { url: 'error_url_scheme' } });
		});
	});
});

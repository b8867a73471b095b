/**
 * Data protection on both databases, with a few hundred real Reuters articles around the person:
 * the do-not-contact list (bad input, "who covers this?", merges, imports that bring a suppressed
 * person back), the subject access export, and erasure — after which every text column of every
 * table (introspected, FTS5 shadow tables and PostgreSQL tsvectors included) is searched for the
 * person's name, email, phone and address and nothing is found, while article totals per outlet are
 * unchanged and search finds nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { importArticles } from '../../src/lib/server/articles/import.service';
import { parseSource } from '../../src/lib/server/articles/sources';
import type { ArticleCandidate } from '../../src/lib/server/articles/candidate';
import { personKey } from '../../src/lib/server/articles/byline';
import { stageUpload } from '../../src/lib/server/articles/uploads';
import { createUser } from '../../src/lib/server/users/users.service';
import { recordAudit } from '../../src/lib/server/audit/audit';
import { identifyWriter, mergeReporters } from '../../src/lib/server/reporters/reporters.service';
import { watchReporter } from '../../src/lib/server/topics/alerts.service';
import { searchArticles, whoCovers, type SearchResult, type WhoCoversResult } from '../../src/lib/server/search/search.service';
import {
	addSuppressionKeys,
	checkSuppressedPeople,
	hashKey,
	isSuppressed,
	lift,
	listOpenFlags,
	resolveFlag,
	suppress
} from '../../src/lib/server/privacy/suppression';
import { eraseReporter, getErasureOf } from '../../src/lib/server/privacy/erasure';
import { exportReporterData } from '../../src/lib/server/privacy/export';
import { InputError } from '../../src/lib/schemas/validation';

const DATA = join(__dirname, '../../../shared/data');
const haveData = existsSync(join(DATA, 'corpora/reuters21578.jsonl'));

/** Real Reuters articles: those with a byline, and as many again without. */
function reutersSample(): Buffer {
	const lines = readFileSync(join(DATA, 'corpora/reuters21578.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
	const signed = lines.filter((l) => JSON.parse(l).byline).slice(0, 300);
	const unsigned = lines.filter((l) => !JSON.parse(l).byline).slice(0, 200);
	return Buffer.from([...signed, ...unsigned].join('\n'));
}

/** Bodies of real articles to put the person's words into. */
function reutersBodies(n: number): string[] {
	const lines = readFileSync(join(DATA, 'corpora/reuters21578.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
	return lines.slice(1000, 1000 + n).map((l) => (JSON.parse(l) as { body: string }).body);
}

function candidate(over: Partial<ArticleCandidate> & { title: string }): ArticleCandidate {
	return { location: 'test', url: null, guid: null, body: null, excerpt: null, publishedAt: '2026-01-05T09:00:00.000Z', lang: 'en', outletName: 'Reuters', section: null, bylineRaw: null, categories: [], ...over };
}

function ok(r: SearchResult | { error: unknown }): SearchResult {
	if ('error' in r) throw new Error(`search failed: ${JSON.stringify(r.error)}`);
	return r;
}

function okWho(r: WhoCoversResult | { error: unknown }): WhoCoversResult {
	if ('error' in r) throw new Error(`whoCovers failed: ${JSON.stringify(r.error)}`);
	return r;
}

async function issuesOf(p: Promise<unknown>): Promise<Record<string, string>> {
	const e = await p.then(
		() => null,
		(x: unknown) => x
	);
	expect(e).toBeInstanceOf(InputError);
	return (e as InputError).issues;
}

/** The identifying strings of the test person, lower-case, as the scan looks for them. */
const NAME = 'Zebulon Quaxwright';
const EMAIL = 'Zebulon.Quaxwright@Example.test';
const OLD_EMAIL = 'zq@old-paper.example';
const PHONE = '+44 20 7946 0958';
const ADDRESS = '12 Fleet Street, London EC4Y 1AA';
const READING = 'ゼブロン・クアックスライト';
const LOOK_FOR = ['quaxwright', 'zebulon.quaxwright@example.test', OLD_EMAIL, '7946 0958', '7946-0958', '79460958', 'fleet street, london ec4y', 'クアックスライト', 'zquaxwright'];

describe.each(dialects)('privacy on %s' + (haveData ? '' : ' (skipped: ../shared/data is missing)'), (kind) => {
	let database: TestDatabase;
	let admin: number;
	let agent: number;

	const reporterIdByName = async (name: string) =>
		(await database.db.selectFrom('reporters').select('id').where('name_key', '=', personKey(name)).orderBy('id', 'desc').executeTakeFirstOrThrow()).id;

	async function importCandidates(candidates: ArticleCandidate[], label: string) {
		return importArticles(database.db, { candidates, problems: [] }, { kind: 'jsonl', label, userId: agent });
	}

	/**
	 * Every occurrence of `needles` (lower-case) in any column of any table, as "table.column: needle".
	 * SQLite: every table in sqlite_master, FTS5 shadow tables included (blobs read as bytes);
	 * PostgreSQL: every base table, every column as text (tsvectors included).
	 */
	async function scanEverything(needles: string[]): Promise<string[]> {
		const hits: string[] = [];
		const check = (where: string, value: unknown) => {
			let text: string;
			if (typeof value === 'string') text = value;
			else if (value instanceof Uint8Array) text = Buffer.from(value).toString('latin1') + '\u0000' + Buffer.from(value).toString('utf8');
			else return;
			const lower = text.toLowerCase();
			for (const n of needles) if (lower.includes(n)) hits.push(`${where}: ${n}`);
		};
		if (kind === 'sqlite') {
			const { rows: tables } = await sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where type = 'table'`.execute(database.db);
			for (const t of tables) {
				// A contentless FTS5 table reads back as nulls; its shadow tables hold the index.
				if (/virtual/i.test(t.sql ?? '')) continue;
				const { rows } = await sql<Record<string, unknown>>`select * from ${sql.id(t.name)}`.execute(database.db);
				for (const row of rows) for (const [c, v] of Object.entries(row)) check(`${t.name}.${c}`, v);
			}
		} else {
			const { rows: tables } = await sql<{ table_name: string }>`
				select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(database.db);
			for (const t of tables) {
				const { rows: cols } = await sql<{ column_name: string }>`
					select column_name from information_schema.columns where table_schema = current_schema() and table_name = ${t.table_name}`.execute(database.db);
				const { rows } = await sql<Record<string, unknown>>`select ${sql.join(cols.map((c) => sql`${sql.id(c.column_name)}::text as ${sql.id(c.column_name)}`))} from ${sql.id(t.table_name)}`.execute(database.db);
				for (const row of rows) for (const [c, v] of Object.entries(row)) check(`${t.table_name}.${c}`, v);
			}
		}
		return hits;
	}

	async function articleTotals() {
		const total = Number((await database.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
		const perOutlet = await database.db
			.selectFrom('articles')
			.select((eb) => ['outlet_id', eb.fn.countAll<number>().as('n')])
			.groupBy('outlet_id')
			.orderBy('outlet_id')
			.execute();
		const signed = Number((await database.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('signed', '=', 1).executeTakeFirstOrThrow()).n);
		return { total, signed, perOutlet: perOutlet.map((r) => `${r.outlet_id}:${Number(r.n)}`) };
	}

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		const user = (email: string, role: 'admin' | 'agent') =>
			createUser(database.db, null, { email, displayName: email, role, clientId: null, password: 'a long password' });
		admin = await user('admin@x.test', 'admin');
		agent = await user('agent@x.test', 'agent');
		if (!haveData) return;
		const source = parseSource(reutersSample(), { name: 'reuters.jsonl' });
		const report = await importArticles(database.db, source.parsed, { kind: source.kind, label: 'reuters', userId: agent });
		expect(report.added).toBeGreaterThan(450);
	});
	afterAll(() => database?.close());

	describe.skipIf(!haveData)('the do-not-contact list', () => {
		it('refuses bad input, suppresses once, lifts, and keeps only hashes as keys', async () => {
			const db = database.db;
			const id = await reporterIdByName('Rich Miller');
			expect(await issuesOf(suppress(db, agent, id, { reason: '  ', requestedOn: null }))).toEqual({ reason: 'error_required' });
			expect(await issuesOf(suppress(db, agent, id, { reason: 'x'.repeat(2001), requestedOn: null }))).toEqual({ reason: 'error_too_long' });
			expect(await issuesOf(suppress(db, agent, id, { reason: 'asked', requestedOn: '2026-02-30' }))).toEqual({ requestedOn: 'error_date_invalid' });
			expect(await issuesOf(suppress(db, agent, id, { reason: 'asked', requestedOn: '2999-01-01' }))).toEqual({ requestedOn: 'suppression_error_future_date' });
			expect(await issuesOf(suppress(db, agent, 999_999, { reason: 'asked', requestedOn: null }))).toEqual({ reporter: 'error_not_found' });
			expect(await issuesOf(lift(db, agent, id))).toEqual({ reporter: 'suppression_error_not_suppressed' });

			const sid = await suppress(db, agent, id, { reason: 'Asked by phone not to receive releases', requestedOn: '2026-01-10' });
			expect(await isSuppressed(db, id)).toBe(true);
			// Suppressing twice: refused, the first entry stands.
			expect(await issuesOf(suppress(db, agent, id, { reason: 'again', requestedOn: null }))).toEqual({ reporter: 'suppression_error_already' });
			const keys = await db.selectFrom('suppression_keys').selectAll().where('suppression_id', '=', sid).execute();
			expect(keys.map((k) => k.key_hash)).toContain(hashKey(personKey('Rich Miller')));
			expect(keys.every((k) => /^[0-9a-f]{64}$/.test(k.key_hash))).toBe(true);
			expect(JSON.stringify(keys).toLowerCase()).not.toContain('miller');
			const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'reporter.suppressed').where('subject_id', '=', String(id)).execute();
			expect(audit).toHaveLength(1);
			expect(audit[0].detail).toBe(JSON.stringify({ suppression: sid }));

			await lift(db, agent, id);
			expect(await isSuppressed(db, id)).toBe(false);
			// Lifted: nothing left to recognise the person by.
			expect(await db.selectFrom('suppression_keys').selectAll().where('suppression_id', '=', sid).execute()).toEqual([]);
			expect((await db.selectFrom('suppressions').select('lifted_by').where('id', '=', sid).executeTakeFirstOrThrow()).lifted_by).toBe(agent);
		});

		it('"who covers this?" leaves out suppressed reporters', async () => {
			const before = okWho(await whoCovers(database, { query: 'dollar', limit: 10 }));
			expect(before.reporters.length).toBeGreaterThan(1);
			const top = before.reporters[0];
			await suppress(database.db, agent, top.id, { reason: 'no releases', requestedOn: null });
			const during = okWho(await whoCovers(database, { query: 'dollar', limit: 10 }));
			expect(during.reporters.map((r) => r.id)).not.toContain(top.id);
			expect(during.reporters.length).toBeGreaterThan(0);
			await lift(database.db, agent, top.id);
			const after = okWho(await whoCovers(database, { query: 'dollar', limit: 10 }));
			expect(after.reporters[0].id).toBe(top.id);
		});

		it('merging a suppressed reporter into another: the kept record is suppressed, with both records’ keys', async () => {
			const db = database.db;
			await importCandidates(
				[
					candidate({ title: 'Merge test one', url: 'https://merge.example/1', bylineRaw: 'By Ottilie Vance', outletName: 'Merge Gazette' }),
					candidate({ title: 'Merge test two', url: 'https://merge.example/2', bylineRaw: 'By O. Vance', outletName: 'Merge Gazette' }),
					candidate({ title: 'Merge test three', url: 'https://merge.example/3', bylineRaw: 'By Pieter Holm', outletName: 'Merge Gazette' }),
					candidate({ title: 'Merge test four', url: 'https://merge.example/4', bylineRaw: 'By P. Holm', outletName: 'Merge Gazette' })
				],
				'merge'
			);
			// The suppressed record is the one merged away.
			const ottilie = await reporterIdByName('Ottilie Vance');
			const oVance = await reporterIdByName('O. Vance');
			await suppress(db, agent, oVance, { reason: 'asked by email', requestedOn: '2026-01-02' });
			await mergeReporters(db, admin, ottilie, oVance);
			expect(await isSuppressed(db, ottilie)).toBe(true);
			const s = await db.selectFrom('suppressions').select('id').where('reporter_id', '=', ottilie).where('lifted_at', 'is', null).executeTakeFirstOrThrow();
			const hashes = (await db.selectFrom('suppression_keys').select('key_hash').where('suppression_id', '=', s.id).execute()).map((k) => k.key_hash);
			expect(hashes).toEqual(expect.arrayContaining([hashKey(personKey('Ottilie Vance')), hashKey(personKey('O. Vance'))]));
			const carried = await db.selectFrom('audit_log').select('detail').where('action', '=', 'reporter.suppressed').where('subject_id', '=', String(ottilie)).executeTakeFirstOrThrow();
			expect(JSON.parse(carried.detail!)).toEqual({ suppression: s.id, mergedFrom: oVance });

			// The kept record suppressed, the merged one not: still suppressed, and the merged name joins its keys.
			const pieter = await reporterIdByName('Pieter Holm');
			const pHolm = await reporterIdByName('P. Holm');
			const sp = await suppress(db, agent, pieter, { reason: 'asked', requestedOn: null });
			await mergeReporters(db, admin, pieter, pHolm);
			expect(await isSuppressed(db, pieter)).toBe(true);
			const pk = (await db.selectFrom('suppression_keys').select('key_hash').where('suppression_id', '=', sp).execute()).map((k) => k.key_hash);
			expect(pk).toContain(hashKey(personKey('P. Holm')));
		});

		it('checks candidates by record, hashed name and hashed email in one call, and flags each once', async () => {
			const db = database.db;
			const id = await reporterIdByName('Ottilie Vance');
			const now = new Date().toISOString();
			await db.insertInto('reporter_facts').values({ reporter_id: id, field: 'email', value: 'Ottilie@Vance.example', value_key: 'ottilie@vance.example', label: 'work', note: null, source: 'test', source_ref: null, learned_on: null, user_id: agent, created_at: now, retired_at: null, retired_by: null }).execute();
			const s = await db.selectFrom('suppressions').select('id').where('reporter_id', '=', id).where('lifted_at', 'is', null).executeTakeFirstOrThrow();
			// Keys learned after the suppression count once added (an erasure or merge refreshes them).
			await addSuppressionKeys(db, s.id, [id]);
			const matches = await checkSuppressedPeople(
				db,
				[{ nameKey: personKey('Someone Else') }, { emails: ['OTTILIE@vance.example '] }, { nameKey: personKey('Ottilie  VANCE') }, { reporterId: id }],
				'list-import:test'
			);
			expect(matches.map((m) => [m.index, m.matchedBy])).toEqual([
				[1, 'email'],
				[2, 'name'],
				[3, 'reporter']
			]);
			const again = await checkSuppressedPeople(db, [{ emails: ['ottilie@vance.example'] }], 'list-import:test');
			expect(again[0].flagId).toBe(matches[0].flagId);
			expect(await checkSuppressedPeople(db, [{ nameKey: personKey('Nobody Here') }, {}], 'x')).toEqual([]);
			expect(await checkSuppressedPeople(db, [], 'x')).toEqual([]);
		});
	});

	describe.skipIf(!haveData)('export and erasure of one person', () => {
		let zeb: number;
		let zebArticles: number[];
		let bystanderArticle: number;
		let unsignedArticle: number;
		let personCandidates: ArticleCandidate[];

		beforeAll(async () => {
			const db = database.db;
			// As with `secure_delete` set when the database is opened: rows deleted before the erasure
			// (here by the merge) leave no bytes behind either. The erasure sets it for itself anyway.
			if (kind === 'sqlite') await sql`pragma secure_delete = 1`.execute(db);
			const bodies = reutersBodies(6);
			personCandidates = [
					candidate({ title: 'Oil prices: an interview', url: 'https://news.example/2026/zebulon-quaxwright-on-oil', bylineRaw: `By ${NAME}, Reuters`, body: `${bodies[0]}\n${NAME} reported from London.` }),
					// No URL: identified by title, outlet and day — the title names him.
					candidate({ title: `${NAME}: markets week`, bylineRaw: `By ${NAME}, Reuters`, body: `${bodies[1]}\nContact: zebulon.quaxwright@example.test, +44 20-7946-0958.`, excerpt: `A week of markets, by ${NAME}.` }),
					candidate({ title: 'Trade talks resume', url: 'https://news.example/2026/trade', bylineRaw: `By ${NAME} and Rich Miller, Reuters`, body: `${bodies[2]}\nZEBULON QUAXWRIGHT and Rich Miller contributed.` }),
					candidate({ title: 'A record folded in later', url: 'https://news.example/2026/z', bylineRaw: 'By Z. Quaxwright, Reuters', body: `${bodies[3]}\nWritten by Z. Quaxwright.` }),
					// Someone else's article quoting him, and a Japanese one naming him by reading.
					candidate({ title: 'Bystander report', url: 'https://news.example/2026/bystander', bylineRaw: 'By Rich Miller, Reuters', body: `${bodies[4]}\nAs ${NAME} put it, "oil is back".` }),
					candidate({ title: '原油相場の行方', url: 'https://news.example/2026/ja', bylineRaw: null, lang: 'ja', outletName: 'テスト経済新聞', body: `${READING}記者によると、原油相場は回復した。` }),
					candidate({ title: 'Unsigned desk story', url: 'https://news.example/2026/unsigned', bylineRaw: null, outletName: 'Desk Daily', body: bodies[5] })
			];
			const r = await importCandidates(personCandidates, 'person');
			expect(r.skipped).toEqual([]);
			zeb = await reporterIdByName(NAME);
			const zShort = await reporterIdByName('Z. Quaxwright');
			await mergeReporters(db, admin, zeb, zShort);
			zebArticles = (await db.selectFrom('article_reporters').select('article_id').where('reporter_id', '=', zeb).execute()).map((x) => x.article_id);
			expect(zebArticles).toHaveLength(4);
			bystanderArticle = (await db.selectFrom('articles').select('id').where('title', '=', 'Bystander report').executeTakeFirstOrThrow()).id;
			unsignedArticle = (await db.selectFrom('articles').select('id').where('title', '=', 'Unsigned desk story').executeTakeFirstOrThrow()).id;
			await identifyWriter(db, agent, { articleId: unsignedArticle, reporterId: zeb, newReporterName: null, method: 'desk_call', learnedOn: '2026-01-06', note: `The desk said ${NAME} wrote it; his line is ${PHONE}.` });

			const now = new Date().toISOString();
			const fact = (field: 'email' | 'phone' | 'address' | 'x_handle', value: string, value_key: string | null, retired_at: string | null = null) => ({
				reporter_id: zeb,
				field,
				value,
				value_key,
				label: 'work',
				note: `Given by ${NAME} at the fair`,
				source: 'business card',
				source_ref: null,
				learned_on: '2026-01-03',
				user_id: agent,
				created_at: now,
				retired_at,
				retired_by: retired_at ? agent : null
			});
			await db
				.insertInto('reporter_facts')
				.values([
					fact('email', EMAIL, EMAIL.toLowerCase()),
					fact('email', OLD_EMAIL, OLD_EMAIL, now),
					fact('phone', PHONE, '+442079460958'),
					fact('address', ADDRESS, null),
					fact('x_handle', '@zquaxwright', 'zquaxwright')
				])
				.execute();
			await db.updateTable('reporters').set({ reading: READING }).where('id', '=', zeb).execute();
			await db.insertInto('reporter_notes').values({ reporter_id: zeb, body: `Prefers email (${EMAIL}); letters to ${ADDRESS}.`, user_id: agent, created_at: now, updated_at: now }).execute();
			await db.insertInto('reporter_log').values({ reporter_id: zeb, kind: 'interest', body: 'Wants oil inventory data', stated_on: '2026-01-04', client_id: null, source: 'call', user_id: agent, created_at: now }).execute();
			const outlet = await db.selectFrom('outlets').select('id').where('name', '=', 'Reuters').executeTakeFirstOrThrow();
			await db.insertInto('reporter_outlet_history').values({ reporter_id: zeb, outlet_id: outlet.id, role: 'correspondent', started_on: '2020-01-01', ended_on: null, source: 'bylines', user_id: agent, created_at: now }).execute();
			const list = await db.insertInto('media_lists').values({ name: 'Energy desk', name_key: 'energy desk', description: null, client_id: null, created_by: agent, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
			await db.insertInto('media_list_members').values({ list_id: list.id, reporter_id: zeb, tier: 'A', note: `${NAME} answers fast`, added_by: agent, added_at: now }).execute();
			await watchReporter(db, agent, zeb);
			await db.insertInto('alerts').values({ user_id: agent, article_id: zebArticles[0], reporter_id: zeb, topic_id: (await db.insertInto('topics').values({ name: 'Oil', name_key: 'oil', name_reading: null, description: null, rule: null, rule_error: null, rule_version: 1, applied_version: 1, created_by: agent, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow()).id, created_at: now, seen_at: null }).execute();
			await recordAudit(db, { actorUserId: agent, action: 'reporter.viewed', subjectType: 'reporter', subjectId: zeb });
			await suppress(db, agent, zeb, { reason: `${NAME} asked by phone (${PHONE})`, requestedOn: '2026-01-10' });
			await stageUpload(db, agent, { bytes: new TextEncoder().encode(`name,email\n${NAME},${EMAIL}\n`), name: 'press-list.csv', format: 'csv' });
			await stageUpload(db, agent, { bytes: new TextEncoder().encode('name,email\nSomeone Else,else@example.test\n'), name: 'other.csv', format: 'csv' });
		});

		it('exports everything held about the person', async () => {
			const data = await exportReporterData(database.db, zeb);
			expect(data).toBeDefined();
			const json = JSON.stringify(data);
			expect(JSON.parse(json)).toEqual(data);
			expect(data!.reporter).toMatchObject({ id: zeb, displayName: NAME, reading: READING, outlet: 'Reuters' });
			expect(data!.facts.map((f) => f.value)).toEqual(expect.arrayContaining([EMAIL, OLD_EMAIL, PHONE, ADDRESS]));
			expect(data!.facts.find((f) => f.value === OLD_EMAIL)?.retiredAt).not.toBeNull();
			expect(data!.facts.every((f) => f.source === 'business card' && f.learnedOn === '2026-01-03')).toBe(true);
			expect(data!.namesSeen.map((n) => n.name).sort()).toEqual([NAME, 'Z. Quaxwright'].sort());
			expect(data!.articles.map((a) => a.id).sort()).toEqual([...zebArticles, unsignedArticle].sort());
			expect(data!.articles.find((a) => a.url === 'https://news.example/2026/zebulon-quaxwright-on-oil')?.title).toBe('Oil prices: an interview');
			expect(data!.identifications).toEqual([expect.objectContaining({ articleId: unsignedArticle, method: 'desk_call' })]);
			expect(data!.notes[0].text).toContain(EMAIL);
			expect(data!.statements[0]).toMatchObject({ kind: 'interest', text: 'Wants oil inventory data' });
			expect(data!.outletHistory[0]).toMatchObject({ outlet: 'Reuters', role: 'correspondent' });
			expect(data!.mediaLists[0]).toMatchObject({ list: 'Energy desk', tier: 'A' });
			expect(data!.doNotContact[0]).toMatchObject({ requestedOn: '2026-01-10', liftedAt: null });
			expect(data!.recordsMergedIntoThis.map((m) => m.name)).toEqual(['Z. Quaxwright']);
			expect(data!.accessLog.map((a) => a.action)).toEqual(expect.arrayContaining(['reporter.merged', 'reporter.viewed', 'reporter.suppressed']));
			// Staff are named by role only.
			expect(json).not.toContain('agent@x.test');
			expect(await exportReporterData(database.db, 999_999)).toBeUndefined();
		});

		it('erases the person from every table and the search index; totals stay the same', async () => {
			const db = database.db;
			// The data is really there before (the scan would find it).
			expect((await scanEverything(LOOK_FOR)).length).toBeGreaterThan(10);
			expect(ok(await searchArticles(database, { query: 'Quaxwright' })).total).toBeGreaterThan(0);
			const before = await articleTotals();
			const otherReporters = Number((await db.selectFrom('reporters').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '!=', zeb).executeTakeFirstOrThrow()).n);
			const miller = await reporterIdByName('Rich Miller');
			const millerArticles = (await db.selectFrom('article_reporters').select('article_id').where('reporter_id', '=', miller).execute()).length;

			expect(await issuesOf(eraseReporter(database, admin, zeb, '   '))).toEqual({ reason: 'error_required' });
			const result = await eraseReporter(database, admin, zeb, `Request from ${NAME} by email`);
			expect(result.detail.removed).toMatchObject({
				reporters: 1,
				reporter_facts: 5,
				reporter_notes: 1,
				reporter_log: 1,
				reporter_outlet_history: 1,
				media_list_members: 1,
				reporter_names: 2,
				article_reporters: 4 + 1,
				watch_reporters: 1,
				alerts: 1,
				reporter_merges: 1,
				import_uploads: 1
			});
			expect(result.detail.unlinked).toMatchObject({ article_identifications: 1, suppressions: 1 });
			// Their four articles, the one quoting them and the Japanese one naming them by reading.
			expect(result.detail.redacted.articles).toBe(6);
			expect(result.detail.reindexed).toBe(6);
			expect(result.detail.suppressionId).not.toBeNull();
			expect(result.maintenance.length).toBeGreaterThan(0);
			expect(result.maintenance.join(' ')).not.toMatch(/failed/);

			// Nothing left anywhere: names, emails (current and retired), phone, address, handle, reading.
			expect(await scanEverything(LOOK_FOR)).toEqual([]);
			if (kind === 'sqlite') {
				// Not even in the file's free space or the WAL — given secure_delete from the start (see
				// beforeAll): a row deleted earlier without it (the merge) leaves its bytes in the page.
				const path = database.url.replace(/^sqlite:/, '');
				for (const file of [path, `${path}-wal`]) {
					if (!existsSync(file)) continue;
					const bytes = readFileSync(file).toString('latin1').toLowerCase();
					expect(bytes.includes('quaxwright'), file).toBe(false);
					expect(bytes.includes('zebulon.quaxwright@example.test'), file).toBe(false);
				}
			}

			// Totals for reports are unchanged; other people keep their records and articles.
			expect(await articleTotals()).toEqual(before);
			expect(Number((await db.selectFrom('reporters').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(otherReporters);
			expect((await db.selectFrom('article_reporters').select('article_id').where('reporter_id', '=', miller).execute()).length).toBe(millerArticles);
			const trade = await db.selectFrom('articles').select(['byline_raw', 'body']).where('url', '=', 'https://news.example/2026/trade').executeTakeFirstOrThrow();
			expect(trade.byline_raw).toBe('By [erased] and Rich Miller, Reuters');
			expect(trade.body).toContain('[erased] and Rich Miller contributed.');
			const bystander = await db.selectFrom('articles').select('body').where('id', '=', bystanderArticle).executeTakeFirstOrThrow();
			expect(bystander.body).toContain('As [erased] put it');
			const ident = await db.selectFrom('article_identifications').selectAll().where('article_id', '=', unsignedArticle).executeTakeFirstOrThrow();
			expect(ident).toMatchObject({ reporter_id: null, note: null, method: 'desk_call' });
			expect((await db.selectFrom('articles').select('identify_status').where('id', '=', unsignedArticle).executeTakeFirstOrThrow()).identify_status).toBe('identified');
			// The other upload stays.
			expect((await db.selectFrom('import_uploads').select('name').execute()).map((u) => u.name)).toEqual(['other.csv']);

			// Search finds nothing of them, and still finds the articles by their other words.
			for (const q of ['Quaxwright', 'zebulon', 'クアックスライト', '"7946 0958"']) expect(ok(await searchArticles(database, { query: q })).total, q).toBe(0);
			expect(ok(await searchArticles(database, { query: '"markets week"' })).total).toBe(1);
			expect(ok(await searchArticles(database, { query: 'erased' })).total).toBeGreaterThanOrEqual(6);

			// The record of the erasure: counts and ids, no personal data; the audit entry ids only.
			const erasure = await getErasureOf(db, zeb);
			expect(erasure?.reason).toBe('Request from [erased] by email');
			const entry = await db.selectFrom('audit_log').selectAll().where('action', '=', 'reporter.erased').executeTakeFirstOrThrow();
			expect(entry).toMatchObject({ subject_type: 'reporter', subject_id: String(zeb), actor_user_id: admin, detail: JSON.stringify({ erasure: result.erasureId }) });

			// The do-not-contact entry outlives the record, as hashes only.
			const s = await db.selectFrom('suppressions').selectAll().where('id', '=', result.detail.suppressionId!).executeTakeFirstOrThrow();
			expect(s).toMatchObject({ reporter_id: null, lifted_at: null, reason: '[erased] asked by phone ([erased])' });
			const hashes = (await db.selectFrom('suppression_keys').select('key_hash').where('suppression_id', '=', s.id).execute()).map((k) => k.key_hash);
			expect(hashes).toEqual(expect.arrayContaining([hashKey(personKey(NAME)), hashKey(personKey('Z. Quaxwright')), hashKey(EMAIL.toLowerCase()), hashKey(OLD_EMAIL), hashKey(personKey(READING))]));
		});

		it('refuses to erase a reporter who does not exist, or twice', async () => {
			expect(await issuesOf(eraseReporter(database, admin, 999_999, 'request'))).toEqual({ reporter: 'error_not_found' });
			expect(await issuesOf(eraseReporter(database, admin, zeb, 'request'))).toEqual({ reporter: 'privacy_error_already_erased' });
			expect(await issuesOf(suppress(database.db, agent, zeb, { reason: 'x', requestedOn: null }))).toEqual({ reporter: 'error_not_found' });
		});

		it('an import that brings the erased, suppressed person back is flagged, and the record counts as suppressed', async () => {
			const db = database.db;
			const totals = await articleTotals();
			// The same article again, unchanged at its source: already held, so nothing of them comes back.
			const same = await importCandidates([personCandidates[2]], 'again');
			expect(same).toMatchObject({ added: 0, updated: 0, duplicates: 1, reportersCreated: 0 });
			expect((await db.selectFrom('articles').select('byline_raw').where('url', '=', 'https://news.example/2026/trade').executeTakeFirstOrThrow()).byline_raw).toBe('By [erased] and Rich Miller, Reuters');
			// A new article by them: a new record, flagged.
			const report = await importCandidates(
				[candidate({ title: 'Crude stocks fall', url: 'https://news.example/2026/crude', bylineRaw: `By ${NAME}, Reuters`, body: 'Crude oil stocks fell sharply, dollar traders said.' })],
				'new'
			);
			expect(report).toMatchObject({ reportersCreated: 1, flagged: 1 });
			// The run says so too, for its page.
			expect((await db.selectFrom('import_runs').select('flagged').where('id', '=', report.runId!).executeTakeFirstOrThrow()).flagged).toBe(1);
			expect(same.flagged).toBe(0);
			const back = await reporterIdByName(NAME);
			expect(back).not.toBe(zeb);
			const flags = await listOpenFlags(db);
			const flag = flags.find((f) => f.reporter_id === back);
			expect(flag).toMatchObject({ context: 'byline', suppressed_reporter_id: null });
			expect(await isSuppressed(db, back)).toBe(true);
			const who = okWho(await whoCovers(database, { query: 'crude stocks', limit: 20 }));
			expect(who.reporters.map((r) => r.id)).not.toContain(back);
			expect((await articleTotals()).total).toBe(totals.total + 1);

			// A person looks: it is the same person, who stays on the list under the new record.
			await expect(resolveFlag(db, agent, flag!.id, 'maybe' as never)).rejects.toBeInstanceOf(InputError);
			await resolveFlag(db, agent, flag!.id, 'same_person');
			expect(await isSuppressed(db, back)).toBe(true);
			expect((await db.selectFrom('suppressions').select('reporter_id').where('id', '=', flag!.suppression_id).executeTakeFirstOrThrow()).reporter_id).toBe(back);
			expect((await listOpenFlags(db, { reporterId: back })).length).toBe(0);
			await expect(resolveFlag(db, agent, flag!.id, 'same_person')).rejects.toBeInstanceOf(InputError);

			// A namesake flag judged to be someone else: contactable.
			const other = await importCandidates(
				[candidate({ title: 'Namesake at another paper', url: 'https://other.example/1', bylineRaw: `By ${NAME}`, outletName: 'Other Paper', body: 'Local news.' })],
				'namesake'
			);
			expect(other.reportersCreated).toBe(1);
			const namesake = (await db.selectFrom('reporters').select('id').where('name_key', '=', personKey(NAME)).where('id', 'not in', [back]).executeTakeFirstOrThrow()).id;
			const nf = (await listOpenFlags(db, { reporterId: namesake }))[0];
			expect(nf.suppressed_reporter_id).toBe(back);
			await resolveFlag(db, agent, nf.id, 'different_person');
			expect(await isSuppressed(db, namesake)).toBe(false);
		});
	});
});

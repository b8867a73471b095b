/**
 * The reporter record on both databases: facts with provenance (validated, single-valued ones
 * replaced with history, repeated emails not stored twice, names kept in step with the reporter),
 * the log of what the reporter told us, notes, outlet history from real Reuters bylines plus recorded
 * stints, articles per month and distinctive terms; and forged or broken input.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { importArticles } from '../../src/lib/server/articles/import.service';
import { parseSource } from '../../src/lib/server/articles/sources';
import { createUser } from '../../src/lib/server/users/users.service';
import { InputError } from '../../src/lib/schemas/validation';
import {
	addFact,
	addLogEntry,
	addNote,
	addOutletHistory,
	articlesByMonth,
	createReporter,
	deleteNote,
	listFacts,
	listLog,
	listNotes,
	outletHistory,
	listsOfReporter,
	retireFact
} from '../../src/lib/server/reporters/records';
import { reporterKeyTerms } from '../../src/lib/server/reporters/key-terms';
import { mergeReporters, splitMerge } from '../../src/lib/server/reporters/reporters.service';

const DATA = join(__dirname, '../../../shared/data');
const haveData = existsSync(join(DATA, 'corpora/reuters21578.jsonl'));

async function issues(p: Promise<unknown>): Promise<Record<string, string>> {
	try {
		await p;
	} catch (e) {
		if (e instanceof InputError) return e.issues;
		throw e;
	}
	throw new Error('expected an InputError');
}

describe.each(dialects)('reporter records on %s', (kind) => {
	let database: TestDatabase;
	let agent: number;
	let reporter: number;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		agent = await createUser(database.db, null, { email: 'agent@x.test', displayName: 'Agent A', role: 'agent', clientId: null, password: 'a long password' });
		reporter = await createReporter(database.db, agent, { displayName: '森川 由紀', reading: 'もりかわ ゆき', source: 'business card' });
	});
	afterAll(() => database?.close());

	it('keeps each fact with its source, date and who entered it', async () => {
		const db = database.db;
		const email = await addFact(db, agent, reporter, { field: 'email', value: ' Yuki.Morikawa@Tokyo-Post.example ', label: 'work', source: 'business card', learnedOn: '2026-10-01' });
		expect(email.created).toBe(true);
		// The same address again, written differently, is the same fact.
		expect(await addFact(db, agent, reporter, { field: 'email', value: 'yuki.morikawa@tokyo-post.example', source: 'email signature' })).toEqual({ id: email.id, created: false });
		await addFact(db, agent, reporter, { field: 'email', value: 'yuki@home.example', label: 'personal', source: 'phone call' });
		await addFact(db, agent, reporter, { field: 'phone', value: '03-1234-5678（内線 210）', source: 'business card' });
		await addFact(db, agent, reporter, { field: 'tier', value: 'A', note: 'covers our client’s whole sector', source: 'team review' });
		const facts = await listFacts(db, reporter);
		const mail = facts.find((f) => f.id === email.id)!;
		expect(mail).toMatchObject({ field: 'email', value: 'Yuki.Morikawa@Tokyo-Post.example', label: 'work', source: 'business card', learned_on: '2026-10-01', user_name: 'Agent A', retired_at: null });
		expect(facts.filter((f) => f.field === 'email')).toHaveLength(2);
		// Names given when the reporter was added are facts too.
		expect(facts.find((f) => f.field === 'reading')).toMatchObject({ value: 'もりかわ ゆき', source: 'business card' });
	});

	it('replaces a single-valued fact and keeps the old one in the history', async () => {
		const db = database.db;
		const first = await addFact(db, agent, reporter, { field: 'desk', value: '経済部', source: 'business card' });
		const second = await addFact(db, agent, reporter, { field: 'desk', value: '生活部', source: 'she told us' });
		const all = await listFacts(db, reporter, { includeRetired: true });
		expect(all.find((f) => f.id === first.id)?.retired_at).not.toBeNull();
		expect(all.find((f) => f.id === second.id)?.retired_at).toBeNull();
		expect((await listFacts(db, reporter)).filter((f) => f.field === 'desk').map((f) => f.value)).toEqual(['生活部']);
		await retireFact(db, agent, reporter, second.id);
		expect((await listFacts(db, reporter)).filter((f) => f.field === 'desk')).toEqual([]);
		expect(await issues(retireFact(db, agent, reporter, second.id))).toEqual({ fact: 'error_not_found' });
	});

	it('a name fact renames the reporter and is remembered as a name variant', async () => {
		const db = database.db;
		const other = await createReporter(db, agent, { displayName: 'Dana Whitfeld', source: 'conference badge' });
		await addFact(db, agent, other, { field: 'display_name', value: 'Dana Whitfield', source: 'her email signature' });
		const row = await db.selectFrom('reporters').select(['display_name', 'name_key']).where('id', '=', other).executeTakeFirstOrThrow();
		expect(row.display_name).toBe('Dana Whitfield');
		const names = await db.selectFrom('reporter_names').select('name').where('reporter_id', '=', other).orderBy('id').execute();
		expect(names.map((n) => n.name)).toEqual(['Dana Whitfeld', 'Dana Whitfield']);
	});

	it('refuses bad and forged input, naming the field', async () => {
		const db = database.db;
		expect(await issues(addFact(db, agent, reporter, { field: 'email', value: 'not an email', source: 'x' }))).toEqual({ value: 'error_email_invalid' });
		expect(await issues(addFact(db, agent, reporter, { field: 'phone', value: '=HYPERLINK("http://x")', source: 'x' }))).toEqual({ value: 'error_phone_invalid' });
		expect(await issues(addFact(db, agent, reporter, { field: 'tier', value: 'A', source: 'x' }))).toEqual({ note: 'error_tier_reason_required' });
		expect(await issues(addFact(db, agent, reporter, { field: 'tier', value: 'S', note: 'star', source: 'x' }))).toEqual({ value: 'error_tier_invalid' });
		expect(await issues(addFact(db, agent, reporter, { field: 'password_hash', value: 'x', source: 'x' }))).toEqual({ field: 'error_field_unknown' });
		expect(await issues(addFact(db, agent, reporter, { field: 'desk', value: 'x', source: '  ' }))).toEqual({ source: 'error_required' });
		expect(await issues(addFact(db, agent, reporter, { field: 'desk', value: 'x', source: 'y', learnedOn: '2026-02-30' }))).toEqual({ learnedOn: 'error_date_invalid' });
		expect(await issues(addFact(db, agent, 999_999, { field: 'desk', value: 'x', source: 'y' }))).toEqual({ reporter: 'error_not_found' });
		expect(await issues(addLogEntry(db, agent, reporter, { kind: 'interest', body: 'x', statedOn: '2026-01-01', clientId: 999_999, source: 'call' }))).toEqual({ clientId: 'error_not_found' });
		expect(await issues(addLogEntry(db, agent, reporter, { kind: 'gossip', body: 'x', statedOn: '2026-01-01', source: 'call' }))).toEqual({ kind: 'error_invalid' });
		expect(await issues(addNote(db, agent, reporter, '   '))).toEqual({ note: 'error_required' });
		// Text that looks like markup or a formula is kept as text.
		const formula = await addFact(db, agent, reporter, { field: 'beat', value: '=HYPERLINK("http://evil.example","x") <script>', source: 'import' });
		expect((await listFacts(db, reporter)).find((f) => f.id === formula.id)?.value).toBe('=HYPERLINK("http://evil.example","x") <script>');
	});

	it('keeps the dated log of what the reporter told us, and notes', async () => {
		const db = database.db;
		const client = await db.insertInto('clients').values({ name: 'Kanamono Co.', name_reading: null, created_at: new Date().toISOString(), updated_at: new Date().toISOString() }).returning('id').executeTakeFirstOrThrow();
		await addLogEntry(db, agent, reporter, { kind: 'request', body: '資料は PDF ではなく本文で送ってほしい', statedOn: '2026-09-10', source: 'phone call' });
		await addLogEntry(db, agent, reporter, { kind: 'interest', body: 'Repair culture in kitchenware', statedOn: '2026-11-01', clientId: client.id, source: 'lunch' });
		const log = await listLog(db, reporter);
		expect(log.map((e) => e.stated_on)).toEqual(['2026-11-01', '2026-09-10']);
		expect(log[0]).toMatchObject({ kind: 'interest', client_name: 'Kanamono Co.', user_name: 'Agent A' });
		const note = await addNote(db, agent, reporter, 'Prefers calls before 11:00.\nNever on deadline days.');
		expect((await listNotes(db, reporter))[0]).toMatchObject({ id: note, body: 'Prefers calls before 11:00.\nNever on deadline days.' });
		await deleteNote(db, reporter, note);
		expect(await listNotes(db, reporter)).toEqual([]);
	});

	it('suggests duplicates by email and reading; a merge carries the record and a split gives it back', async () => {
		const db = database.db;
		const a = await createReporter(db, agent, { displayName: '川口 葵', reading: 'かわぐち あおい', source: 'staff page' });
		const b = await createReporter(db, agent, { displayName: '川口 あおい', reading: 'かわぐちあおい', source: 'event' });
		const c = await createReporter(db, agent, { displayName: 'Aoi Kawaguchi', source: 'conference' });
		await addFact(db, agent, a, { field: 'email', value: 'aoi@kurashi.example', source: 'card' });
		await addFact(db, agent, c, { field: 'email', value: 'AOI@kurashi.example', source: 'email' });
		const reviews = await db.selectFrom('reporter_reviews').select(['reporter_id', 'candidate_id', 'reason']).where('status', '=', 'open').execute();
		expect(reviews).toContainEqual({ reporter_id: b, candidate_id: a, reason: 'same_reading' });
		expect(reviews).toContainEqual({ reporter_id: c, candidate_id: a, reason: 'same_email' });
		// Asking again queues nothing new.
		await addFact(db, agent, c, { field: 'email', value: 'aoi2@kurashi.example', source: 'email' });
		expect((await db.selectFrom('reporter_reviews').select('id').where('status', '=', 'open').where('candidate_id', '=', a).execute()).length).toBe(2);

		await addFact(db, agent, a, { field: 'desk', value: '編集部', source: 'card' });
		await addFact(db, agent, c, { field: 'desk', value: 'Features', source: 'email' });
		await addNote(db, agent, c, 'Met at the trade fair.');
		const now = new Date().toISOString();
		const list = await db.insertInto('media_lists').values({ name: 'Kitchen press', name_key: 'kitchen press', description: null, client_id: null, created_by: agent, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
		const other = await db.insertInto('media_lists').values({ name: 'Lifestyle', name_key: 'lifestyle', description: null, client_id: null, created_by: agent, created_at: now, updated_at: now }).returning('id').executeTakeFirstOrThrow();
		await db.insertInto('media_list_members').values([
			{ list_id: list.id, reporter_id: a, tier: 'A', note: 'kept', added_by: agent, added_at: now },
			{ list_id: list.id, reporter_id: c, tier: 'C', note: 'dropped', added_by: agent, added_at: now },
			{ list_id: other.id, reporter_id: c, tier: 'B', note: 'moved', added_by: agent, added_at: now }
		]).execute();

		const mergeId = await mergeReporters(db, agent, a, c);
		const facts = await listFacts(db, a);
		expect(facts.filter((f) => f.field === 'desk').map((f) => f.value)).toEqual(['編集部']);
		expect(facts.filter((f) => f.field === 'email').map((f) => f.value).sort()).toEqual(['AOI@kurashi.example', 'aoi2@kurashi.example', 'aoi@kurashi.example']);
		expect((await listNotes(db, a)).map((n) => n.body)).toEqual(['Met at the trade fair.']);
		expect((await listsOfReporter(db, a)).map((l) => [l.name, l.tier, l.note])).toEqual([['Kitchen press', 'A', 'kept'], ['Lifestyle', 'B', 'moved']]);

		const restored = await splitMerge(db, agent, mergeId);
		expect((await listFacts(db, restored)).filter((f) => f.field === 'desk').map((f) => f.value)).toEqual(['Features']);
		expect((await listFacts(db, a)).filter((f) => f.field === 'email').map((f) => f.value)).toEqual(['aoi@kurashi.example']);
		expect((await listNotes(db, restored)).map((n) => n.body)).toEqual(['Met at the trade fair.']);
		expect((await listsOfReporter(db, restored)).map((l) => [l.name, l.tier, l.note])).toEqual([['Kitchen press', 'C', 'dropped'], ['Lifestyle', 'B', 'moved']]);
		expect((await listsOfReporter(db, a)).map((l) => l.name)).toEqual(['Kitchen press']);
	});

	it.skipIf(!haveData)('outlet history from real bylines and recorded stints; months and distinctive terms', async () => {
		const db = database.db;
		// Reuters articles with bylines: the outlet of each comes from the corpus.
		const lines = readFileSync(join(DATA, 'corpora/reuters21578.jsonl'), 'utf8').split('\n').filter((l) => l.trim());
		const bylined = lines.map((l) => JSON.parse(l)).filter((r) => r.byline);
		const source = parseSource(Buffer.from(bylined.map((r) => JSON.stringify(r)).join('\n')), { name: 'reuters-bylined.jsonl' });
		const report = await importArticles(db, source.parsed, { kind: source.kind, label: 'reuters', userId: agent });
		expect(report.added).toBeGreaterThan(100);
		const top = await db
			.selectFrom('article_reporters')
			.select(['reporter_id', (eb) => eb.fn.countAll<number>().as('n')])
			.groupBy('reporter_id')
			.orderBy('n', 'desc')
			.executeTakeFirstOrThrow();
		const id = top.reporter_id;
		const history = await outletHistory(db, id);
		expect(history.length).toBeGreaterThanOrEqual(1);
		expect(history[0]).toMatchObject({ source: 'bylines', articles: Number(top.n) });
		const outlet = await db.insertInto('outlets').values({ name: 'Harbor City Ledger', name_key: 'harbor city ledger', kind: 'newspaper', website: null, desk_phone: null, address: null, lang: 'en', reach: null, reach_source: null, reach_as_of: null, created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' }).returning('id').executeTakeFirstOrThrow();
		await addOutletHistory(db, agent, id, { outletId: outlet.id, role: 'Commodities desk', startedOn: '2026-11-01', source: 'she emailed us' });
		expect(await issues(addOutletHistory(db, agent, id, { outletId: outlet.id, startedOn: '2026-11-01', endedOn: '2026-10-01', source: 'x' }))).toEqual({ endedOn: 'error_date_order' });
		const after = await outletHistory(db, id);
		expect(after[0]).toMatchObject({ outlet: 'Harbor City Ledger', source: 'recorded', role: 'Commodities desk', from: '2026-11-01' });

		const months = await articlesByMonth(db, id);
		expect(months.reduce((n, m) => n + m.count, 0)).toBeGreaterThan(0);
		expect(months.every((m) => /^\d{4}-\d{2}$/.test(m.month))).toBe(true);
		const terms = await reporterKeyTerms(db, id);
		expect(terms.articles).toBe(Number(top.n));
		expect(terms.overall.length).toBeGreaterThan(3);
		for (const t of terms.overall) expect(t.articles).toBeGreaterThanOrEqual(Number(top.n) < 4 ? 1 : 2);
	});
});

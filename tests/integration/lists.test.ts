/**
 * Media lists on both databases: names (unique whatever the case or width), a realistic CSV import
 * in UTF-8 and in Shift_JIS (Japanese Excel) that matches reporters Tegami knows by email and by
 * name at the same outlet, creates the others with facts whose source is the file, and puts tier and
 * note on the list; a file with a repeated email, a formula for a name and broken rows; the
 * do-not-contact list honoured on import (by the hashed keys, and by the record for an email added
 * after the suppression) and in exports; files that cannot be imported write nothing; CSV and vCard
 * exports (BOM, formulas neutralised, awkward names round-trip, lines of at most 75 octets).
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { SourceError } from '../../src/lib/server/articles/candidate';
import { createClient } from '../../src/lib/server/clients/clients.service';
import { ListMappingError, parseListCsv } from '../../src/lib/server/lists/list-csv';
import {
	addMember,
	createList,
	deleteList,
	exportListCsv,
	exportListVcard,
	getList,
	importListCsv,
	listLists,
	removeMember,
	updateList,
	updateMember
} from '../../src/lib/server/lists/lists.service';
import { resolveOutlet } from '../../src/lib/server/outlets/outlets.repository';
import { suppress } from '../../src/lib/server/privacy/suppression';
import { addFact, createReporter, listFacts } from '../../src/lib/server/reporters/records';
import { createUser } from '../../src/lib/server/users/users.service';
import { InputError } from '../../src/lib/schemas/validation';

async function issues(p: Promise<unknown>): Promise<Record<string, string>> {
	try {
		await p;
	} catch (e) {
		if (e instanceof InputError) return e.issues;
		throw e;
	}
	throw new Error('expected an InputError');
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** Unfolds a vCard stream (RFC 6350 §3.2) into its logical lines. */
function unfold(vcard: string): string[] {
	return vcard.replace(/\r\n[ \t]/g, '').split('\r\n').filter((l) => l !== '');
}

/** A text value of a vCard property, unescaped. */
function unescapeText(value: string): string {
	return value.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

describe.each(dialects)('media lists on %s', (kind) => {
	let database: TestDatabase;
	let agent: number;
	let client: number;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		agent = await createUser(database.db, null, { email: 'agent@lists.test', displayName: 'Agent L', role: 'agent', clientId: null, password: 'a long password' });
		client = await createClient(database.db, agent, { name: 'Kettle Co', nameReading: null });
	});
	afterAll(() => database?.close());

	async function counts() {
		const db = database.db;
		const n = async (table: 'reporters' | 'media_list_members' | 'reporter_facts' | 'outlets' | 'suppression_flags') =>
			Number((await db.selectFrom(table).select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
		return { reporters: await n('reporters'), members: await n('media_list_members'), facts: await n('reporter_facts'), outlets: await n('outlets'), flags: await n('suppression_flags') };
	}

	it('a new reporter from a file whose name reads like an existing one is queued as a possible duplicate', async () => {
		const db = database.db;
		const existing = await createReporter(db, agent, { displayName: '河野 栞', reading: 'ｺｳﾉ ｼｵﾘ', source: 'staff page' });
		const list = await createList(db, agent, { name: 'Reading check' });
		const csv = 'Name,Reading,Outlet\n河野 しおり,コウノ\u3000シオリ,暮らし新報\n';
		const report = await importListCsv(db, agent, list, new TextEncoder().encode(csv), { fileName: 'readings.csv' });
		expect(report.reportersCreated).toBe(1);
		const created = (await db.selectFrom('reporters').select('id').where('display_name', '=', '河野 しおり').executeTakeFirstOrThrow()).id;
		const reviews = await db.selectFrom('reporter_reviews').select(['reporter_id', 'candidate_id', 'reason']).where('reporter_id', '=', created).execute();
		expect(reviews).toEqual([{ reporter_id: created, candidate_id: existing, reason: 'same_reading' }]);
	});

	it('creates, renames and describes lists; a name is unique whatever its case, width or spacing', async () => {
		const db = database.db;
		const id = await createList(db, agent, { name: 'Tech press', description: 'Launch in May', clientId: client });
		expect(await issues(createList(db, agent, { name: '  TECH   press ' }))).toEqual({ name: 'error_list_name_taken' });
		expect(await issues(createList(db, agent, { name: 'Ｔｅｃｈ Ｐｒｅｓｓ' }))).toEqual({ name: 'error_list_name_taken' });
		expect(await issues(createList(db, agent, { name: '   ' }))).toEqual({ name: 'error_required' });
		expect(await issues(createList(db, agent, { name: 'x'.repeat(201) }))).toEqual({ name: 'error_too_long' });
		expect(await issues(createList(db, agent, { name: 'Orphan', clientId: 999_999 }))).toEqual({ clientId: 'error_not_found' });

		const other = await createList(db, agent, { name: '経済部 記者リスト' });
		expect(await issues(updateList(db, agent, other, { name: 'tech PRESS' }))).toEqual({ name: 'error_list_name_taken' });
		// Its own name, in another case, is no clash.
		await updateList(db, agent, id, { name: 'Tech Press', description: 'Launch in June', clientId: null });
		expect(await issues(updateList(db, agent, 999_999, { name: 'Nowhere' }))).toEqual({ list: 'error_not_found' });

		const lists = await listLists(db);
		const tech = lists.find((l) => l.id === id)!;
		expect(tech).toMatchObject({ name: 'Tech Press', description: 'Launch in June', client_name: null });
		expect(Number(tech.members)).toBe(0);
		expect(lists.map((l) => l.name)).toContain('経済部 記者リスト');

		await deleteList(db, agent, other);
		expect((await listLists(db)).some((l) => l.id === other)).toBe(false);
		expect(await issues(deleteList(db, agent, other))).toEqual({ list: 'error_not_found' });
	});

	it('imports a realistic English CSV: matches by email and by name at the outlet, creates the rest with the file as source', async () => {
		const db = database.db;
		const list = await createList(db, agent, { name: 'Consumer tech Q3', clientId: client });

		// Known already: one by email (the file spells her name differently), one by name at his outlet.
		const byEmail = await createReporter(db, agent, { displayName: 'Sarah J. Whitfield', source: 'business card' });
		await addFact(db, agent, byEmail, { field: 'email', value: 'S.Whitfield@Guardian.example', source: 'business card' });
		const outlet = (await resolveOutlet(db, 'The Verge Test'))!;
		const byName = await createReporter(db, agent, { displayName: 'Tom Okafor', outletId: outlet, source: 'byline' });
		// A namesake at another outlet is not him.
		const namesake = await createReporter(db, agent, { displayName: 'Tom Okafor', source: 'byline' });
		// Already on the list: the file updates the tier and note there.
		const listed = await createReporter(db, agent, { displayName: 'Ingrid Solberg', source: 'byline' });
		await addFact(db, agent, listed, { field: 'email', value: 'ingrid@nrk.example', source: 'byline' });
		await addMember(db, agent, list, listed, { tier: 'C', note: 'met once' });

		const csv = [
			'Full Name,Outlet,Title,Beat,Email,Phone,Mobile,Twitter,City,Country,Tier,Notes',
			'Sarah Whitfield,The Guardian,Technology editor,Consumer tech,s.whitfield@guardian.example,+44 20 3353 2000,,@swhitfield,London,UK,A,Prefers embargoed briefings',
			'Tom Okafor,The Verge Test,Senior reviewer,"Phones, wearables",,,+1 212 555 0199,https://x.com/tomokafor,New York,USA,2,',
			'"Li, Wei",Caixin,Reporter,AI,wei.li@caixin.example,,,,Beijing,China,B,"Writes in Chinese;\nask for a translator"',
			'Ingrid Solberg,NRK,Journalist,,ingrid@nrk.example,,,,Oslo,Norway,A,Now covers our sector',
			'María José Núñez,El País,Corresponsal,Tecnología,mj.nunez@elpais.example,+34 91 337 8200,,,Madrid,Spain,,',
			'"=HYPERLINK(""http://evil.example"",""Click"")",Evil Weekly,,,evil@evil.example,,,,,,,',
			'Sam Repeat,Daily Echo,,,S.WHITFIELD@guardian.example,,,,,,C,second row with her address',
			'"Broken, Row,Somewhere,,,,,,,,,',
			'Too,Few,Fields',
			'Chen Mei,Wired,Writer,,chen@wired.example,not a phone,,,,,Z,'
		].join('\r\n');
		const before = await counts();
		const report = await importListCsv(db, agent, list, utf8(csv), { fileName: 'press-list.csv' });

		// Rows: 9 contacts read (the broken and short rows are problems); each accounted for once.
		expect(report.rows).toBe(8);
		expect(report).toMatchObject({ added: 6, alreadyOnList: 1, duplicates: 1, reportersCreated: 4, reportersMatched: 3, suppressed: [] });
		expect(report.added + report.alreadyOnList + report.duplicates + report.suppressed.length).toBe(report.rows);
		const problem = (line: number) => report.problems.filter((p) => p.location === `line ${line}`).map((p) => p.reason).join(' | ');
		// Line numbers are the file's: Li Wei's note runs over lines 4 and 5.
		expect(problem(8)).toMatch(/formula/);
		expect(problem(9)).toMatch(/same email as line 2/);
		expect(problem(10)).toMatch(/unbalanced quote/);
		expect(problem(11)).toMatch(/3 fields, the header has 12/);
		expect(problem(12)).toMatch(/not a phone number/);
		expect(problem(12)).toMatch(/not a tier/);
		// In line order.
		const lines = report.problems.map((p) => Number(/\d+/.exec(p.location)![0]));
		expect(lines).toEqual([...lines].sort((a, b) => a - b));

		const after = await counts();
		expect(after.reporters - before.reporters).toBe(4);

		const { members } = (await getList(db, list))!;
		const member = (id: number) => members.find((m) => m.id === id);
		expect(member(byEmail)).toMatchObject({ tier: 'A', note: 'Prefers embargoed briefings', suppressed: false });
		expect(member(byName)).toMatchObject({ tier: 'B', note: null });
		expect(member(namesake)).toBeUndefined();
		expect(member(listed)).toMatchObject({ tier: 'A', note: 'Now covers our sector' });
		const wei = members.find((m) => m.display_name === 'Li, Wei')!;
		expect(wei).toMatchObject({ tier: 'B', note: 'Writes in Chinese;\nask for a translator', outlet_name: 'Caixin' });
		const evil = members.find((m) => m.display_name.startsWith('='))!;
		expect(evil.display_name).toBe('=HYPERLINK("http://evil.example","Click")');
		// The repeated row did not overwrite the first row's tier and note.
		expect(members.filter((m) => m.id === byEmail)).toHaveLength(1);
		// Tier order, members without a tier last.
		const tiers = members.map((m) => m.tier ?? 'Z');
		expect(tiers).toEqual([...tiers].sort());

		// The file's details are facts whose source is the file; a matched reporter keeps his own name.
		const source = 'CSV import: press-list.csv';
		const sarah = await listFacts(db, byEmail);
		expect(sarah.find((f) => f.field === 'title')).toMatchObject({ value: 'Technology editor', source, source_ref: `media_list:${list}` });
		expect(sarah.find((f) => f.field === 'x_handle')).toMatchObject({ value: 'swhitfield', source });
		expect(sarah.filter((f) => f.field === 'display_name').map((f) => f.value)).toEqual(['Sarah J. Whitfield']);
		const tom = await listFacts(db, byName);
		expect(tom.find((f) => f.field === 'phone')).toMatchObject({ value: '+1 212 555 0199', label: 'mobile', source });
		const weiFacts = await listFacts(db, wei.id);
		expect(weiFacts.find((f) => f.field === 'display_name')).toMatchObject({ value: 'Li, Wei', source });
		expect(weiFacts.find((f) => f.field === 'email')).toMatchObject({ value: 'wei.li@caixin.example', source });
		expect(weiFacts.find((f) => f.field === 'beat')).toMatchObject({ value: 'AI', source });
		const chen = members.find((m) => m.display_name === 'Chen Mei')!;
		expect((await listFacts(db, chen.id)).some((f) => f.field === 'phone')).toBe(false);

		// The same file again adds nobody and creates nobody.
		const again = await importListCsv(db, agent, list, utf8(csv), { fileName: 'press-list.csv' });
		expect(again).toMatchObject({ added: 0, reportersCreated: 0, alreadyOnList: 7, duplicates: 1 });
		expect((await counts()).reporters).toBe(after.reporters);

		// The import is in the audit log with counts only.
		const audit = await db.selectFrom('audit_log').select(['detail']).where('action', '=', 'list.imported').where('subject_id', '=', String(list)).orderBy('id').executeTakeFirstOrThrow();
		expect(JSON.parse(audit.detail!)).toEqual({ rows: 8, added: 6, created: 4, suppressed: 0 });
	});

	it('imports a Shift_JIS file from Japanese Excel with Japanese column names', async () => {
		const db = database.db;
		const list = await createList(db, agent, { name: '経済部 2026' });
		const text = [
			'氏名,よみ,媒体,部署,役職,メール,電話,住所',
			'森川 由紀,もりかわ ゆき,東京新報,経済部,記者,ｙｕｋｉ．ｍｏｒｉｋａｗａ＠ｔｏｋｙｏ－ｓｈｉｍｐｏ．ｅｘａｍｐｌｅ,０３－１２３４－５６７８,東京都千代田区大手町１－７－１',
			'髙橋 一郎,たかはし いちろう,日本経済テスト新聞,産業部,編集委員,takahashi@nikkei-test.example,03-3270-0251,東京都千代田区大手町1-3-7',
			'佐藤 花子,さとう はなこ,東京新報,生活部,デスク,hanako.sato@tokyo-shimpo.example,,"〒100-0004\n東京都千代田区大手町1-7-1"'
		].join('\r\n');
		const bytes = new Uint8Array(iconv.encode(text, 'cp932'));
		// Really Shift_JIS: not valid UTF-8.
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
		expect(parseListCsv(bytes).encoding).toBe('shift_jis');

		const report = await importListCsv(db, agent, list, bytes, { fileName: '記者リスト.csv' });
		expect(report).toMatchObject({ rows: 3, added: 3, reportersCreated: 3, suppressed: [] });
		const { members } = (await getList(db, list))!;
		expect(members.map((m) => m.display_name).sort()).toEqual(['佐藤 花子', '森川 由紀', '髙橋 一郎'].sort());
		const morikawa = members.find((m) => m.display_name === '森川 由紀')!;
		expect(morikawa).toMatchObject({ reading: 'もりかわ ゆき', outlet_name: '東京新報' });
		const facts = await listFacts(db, morikawa.id);
		const value = (field: string) => facts.find((f) => f.field === field)?.value;
		// Full-width input made usable.
		expect(value('email')).toBe('yuki.morikawa@tokyo-shimpo.example');
		expect(value('phone')).toBe('03-1234-5678');
		expect(value('desk')).toBe('経済部');
		expect(value('title')).toBe('記者');
		expect(facts.find((f) => f.field === 'email')?.source).toBe('CSV import: 記者リスト.csv');
		const sato = members.find((m) => m.display_name === '佐藤 花子')!;
		expect((await listFacts(db, sato.id)).find((f) => f.field === 'address')?.value).toBe('〒100-0004\n東京都千代田区大手町1-7-1');

		// The same people in a UTF-8 file are matched, not made again: by email, and by name at the outlet.
		const utf8File = ['氏名,媒体,メール', '森川由紀,東京新報,YUKI.MORIKAWA@tokyo-shimpo.example', '佐藤　花子,東京新報,'].join('\n');
		const other = await createList(db, agent, { name: '生活部 2026' });
		const second = await importListCsv(db, agent, other, utf8(utf8File), { fileName: 'utf8.csv' });
		expect(second).toMatchObject({ added: 2, reportersCreated: 0, reportersMatched: 2 });
	});

	it('flags someone on the do-not-contact list and leaves them off, by the hashed keys and by the record', async () => {
		const db = database.db;
		const list = await createList(db, agent, { name: 'Suppression check' });
		const asked = await createReporter(db, agent, { displayName: 'Olivia Hart', source: 'byline' });
		await addFact(db, agent, asked, { field: 'email', value: 'olivia.hart@times.example', source: 'business card' });
		await suppress(db, agent, asked, { reason: 'asked by phone not to receive releases', requestedOn: '2026-10-01' });
		// An address learned after the suppression is not among its hashed keys: the record itself is.
		const later = await createReporter(db, agent, { displayName: 'Kenji Mori', source: 'byline' });
		await suppress(db, agent, later, { reason: 'asked by email', requestedOn: null });
		await addFact(db, agent, later, { field: 'email', value: 'kenji.mori@asahi-test.example', source: 'email signature' });

		expect(await issues(addMember(db, agent, list, asked))).toEqual({ reporter: 'error_reporter_suppressed' });

		const csv = [
			'Name,Outlet,Email',
			'Liv Hart,The Times,OLIVIA.HART@times.example',
			'K. Mori,Asahi,kenji.mori@asahi-test.example',
			'Olivia Hart,Another Paper,',
			'Clara Ng,Straits Times,clara@st.example'
		].join('\n');
		const flagsBefore = (await counts()).flags;
		const report = await importListCsv(db, agent, list, utf8(csv), { fileName: 'returning.csv' });
		expect(report.suppressed).toEqual([
			{ location: 'line 2', name: 'Liv Hart' },
			{ location: 'line 3', name: 'K. Mori' },
			{ location: 'line 4', name: 'Olivia Hart' }
		]);
		expect(report).toMatchObject({ rows: 4, added: 1, reportersCreated: 1 });
		const { members } = (await getList(db, list))!;
		expect(members.map((m) => m.display_name)).toEqual(['Clara Ng']);
		// Flagged for a person to look at: one open flag for Olivia's suppression from this file (her
		// email and her name both matched it); Kenji's record is on the list itself.
		const flags = await db.selectFrom('suppression_flags').select(['context', 'reporter_id']).orderBy('id').execute();
		expect(flags.length - flagsBefore).toBe(1);
		expect(flags.at(-1)).toMatchObject({ context: 'list import: returning.csv', reporter_id: null });
		// Nothing about the flagged rows was written to their records.
		expect((await listFacts(db, asked)).some((f) => f.source === 'CSV import: returning.csv')).toBe(false);
		expect((await listFacts(db, later)).some((f) => f.source === 'CSV import: returning.csv')).toBe(false);
	});

	it('writes nothing for a file that cannot be imported', async () => {
		const db = database.db;
		const list = await createList(db, agent, { name: 'Bad files' });
		const before = await counts();
		const refused = async (bytes: Uint8Array, mapping?: Record<string, null | 'fullName'>) => {
			try {
				await importListCsv(db, agent, list, bytes, { fileName: 'bad.csv', mapping });
			} catch (e) {
				if (e instanceof SourceError) return e;
				throw e;
			}
			throw new Error('expected the file to be refused');
		};
		expect((await refused(utf8('[{"name":"A"}]'))).message).toMatch(/JSON/);
		expect((await refused(utf8('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:A\r\nEND:VCARD\r\n'))).message).toMatch(/vCard/);
		expect((await refused(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).message).toMatch(/ZIP|xlsx/);
		expect((await refused(utf8('Name,Email\n'))).message).toMatch(/no contacts/);
		expect(await refused(utf8('Outlet,Email\nNHK,a@nhk.example\n'))).toBeInstanceOf(ListMappingError);
		expect(await refused(utf8('Name,Email\nA,a@x.example\n'), { Name: null, Email: null })).toBeInstanceOf(ListMappingError);
		expect((await refused(new Uint8Array(10 * 1024 * 1024 + 1))).message).toMatch(/limited to 10 MB/);
		expect(await issues(importListCsv(db, agent, 999_999, utf8('Name\nA\n'), { fileName: 'x.csv' }))).toEqual({ list: 'error_not_found' });
		expect(await counts()).toEqual(before);
	});

	it('changes tiers and notes, removes members, and keeps the reporters when a list goes', async () => {
		const db = database.db;
		const list = await createList(db, agent, { name: 'Members' });
		const a = await createReporter(db, agent, { displayName: 'Anna Berg', source: 'byline' });
		const b = await createReporter(db, agent, { displayName: 'Bo Lind', source: 'byline' });
		await addMember(db, agent, list, a, { tier: 'b' });
		await addMember(db, agent, list, b);
		await updateMember(db, agent, list, b, { tier: 'A', note: '  likes data stories ' });
		expect((await getList(db, list))!.members.map((m) => [m.display_name, m.tier, m.note])).toEqual([
			['Bo Lind', 'A', 'likes data stories'],
			['Anna Berg', 'B', null]
		]);
		expect(await issues(updateMember(db, agent, list, a, { tier: 'S' }))).toEqual({ tier: 'error_tier_invalid' });
		const outsider = await createReporter(db, agent, { displayName: 'Not Listed', source: 'byline' });
		expect(await issues(updateMember(db, agent, list, outsider, { tier: 'A' }))).toEqual({ reporter: 'error_not_found' });
		await suppress(db, agent, b, { reason: 'asked', requestedOn: null });
		expect(await issues(updateMember(db, agent, list, b, { tier: 'C' }))).toEqual({ reporter: 'error_reporter_suppressed' });
		expect((await getList(db, list))!.members.find((m) => m.id === b)?.suppressed).toBe(true);

		await removeMember(db, agent, list, a);
		expect(await issues(removeMember(db, agent, list, a))).toEqual({ reporter: 'error_not_found' });
		await deleteList(db, agent, list);
		expect(await getList(db, list)).toBeUndefined();
		expect(await db.selectFrom('reporters').select('id').where('id', 'in', [a, b]).execute()).toHaveLength(2);
	});

	it('exports CSV with a BOM and formulas neutralised; awkward names round-trip; suppressed members are left out', async () => {
		const db = database.db;
		const list = await createList(db, agent, { name: 'Export, "tricky"; 😀' });
		const outlet = (await resolveOutlet(db, 'Daily, "Quoted"; News'))!;
		const names = ['Nguyễn, Thị; Mai', 'Zoë "Z" O’Brien 😀', '=HYPERLINK("http://evil.example","Click")', '+cmd|calc', '山田 太郎'];
		const ids: number[] = [];
		for (const name of names) ids.push(await createReporter(db, agent, { displayName: name, outletId: outlet, source: 'byline' }));
		// A name with a line break (from an old byline) and a note of several lines.
		const now = new Date().toISOString();
		const broken = await db
			.insertInto('reporters')
			.values({ display_name: 'Line\nBreak', name_key: 'line break', reading: null, romanized: null, outlet_id: null, created_via: 'manual', created_from_article_id: null, created_by: agent, created_at: now, updated_at: now })
			.returning('id')
			.executeTakeFirstOrThrow();
		ids.push(broken.id);
		for (const id of ids) await addMember(db, agent, list, id, { tier: 'A', note: 'first line\nsecond, with "quotes"; and 😀' });
		await addFact(db, agent, ids[0], { field: 'email', value: 'mai@vn.example', label: 'work', source: 'card' });
		await addFact(db, agent, ids[0], { field: 'phone', value: '+84 24 3825 5555', source: 'card' });
		await addFact(db, agent, ids[4], { field: 'address', value: '東京都千代田区大手町一丁目七番一号 東京新報ビル 経済部 気付 山田太郎様（長い住所で折り返しを確かめる）', source: 'card' });
		// Suppressed after being listed: shown on the list, left out of exports.
		const gone = await createReporter(db, agent, { displayName: 'Left Out', source: 'byline' });
		await addFact(db, agent, gone, { field: 'email', value: 'left.out@x.example', source: 'card' });
		await addMember(db, agent, list, gone);
		await suppress(db, agent, gone, { reason: 'asked', requestedOn: null });
		expect((await getList(db, list))!.members.find((m) => m.id === gone)?.suppressed).toBe(true);

		const csv = await exportListCsv(db, list);
		expect(csv).toMatchObject({ name: 'Export, "tricky"; 😀', count: 6, leftOut: 1 });
		expect(csv.body.startsWith('\uFEFFName,')).toBe(true);
		expect(Buffer.from(csv.body, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
		expect(csv.body).toContain('"\'=HYPERLINK(""http://evil.example"",""Click"")"');
		expect(csv.body).toContain("'+cmd|calc");
		expect(csv.body).not.toMatch(/(^|[,\n])=HYPERLINK/);
		expect(csv.body).not.toContain('Left Out');
		expect(csv.body).not.toContain('left.out@x.example');

		// Read back by the list importer: every name, outlet and note as it was.
		const back = parseListCsv(utf8(csv.body));
		expect(back.records.map((r) => r.displayName).sort()).toEqual([...names, 'Line Break'].sort());
		const mai = back.records.find((r) => r.displayName === names[0])!;
		expect(mai).toMatchObject({ outlet: 'Daily, "Quoted"; News', emails: ['mai@vn.example'], phones: ['+84 24 3825 5555'], tier: 'A', note: 'first line\nsecond, with "quotes"; and 😀' });

		const vcf = await exportListVcard(db, list);
		expect(vcf).toMatchObject({ count: 6, leftOut: 1 });
		const physical = vcf.body.split('\r\n');
		expect(physical.at(-1)).toBe('');
		for (const line of physical) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
		expect(vcf.body).toMatch(/\r\n /);
		expect(vcf.body).not.toMatch(/[^\r]\n/);
		const logical = unfold(vcf.body);
		expect(logical.filter((l) => l === 'BEGIN:VCARD')).toHaveLength(6);
		expect(logical.filter((l) => l === 'VERSION:4.0')).toHaveLength(6);
		const fns = logical.filter((l) => l.startsWith('FN:')).map((l) => unescapeText(l.slice(3)));
		expect(fns.sort()).toEqual([...names, 'Line\nBreak'].sort());
		expect(logical).toContain('FN:Nguyễn\\, Thị\\; Mai');
		expect(logical.some((l) => l.startsWith('EMAIL;TYPE=work:mai@vn.example'))).toBe(true);
		expect(logical.filter((l) => l.startsWith('NOTE:')).map((l) => unescapeText(l.slice(5)))).toContain('first line\nsecond, with "quotes"; and 😀');
		expect(logical.find((l) => l.startsWith('ADR:'))).toContain('東京都千代田区大手町一丁目七番一号');
		expect(vcf.body).not.toContain('Left Out');
		expect(vcf.body).not.toContain('left.out@x.example');
	});
});

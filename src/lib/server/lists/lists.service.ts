/**
 * Media lists: saved lists of reporters with a tier and a note per reporter, imported from the CSV
 * exports of other tools and exported as CSV or vCard.
 *
 * A suppressed (do-not-contact) reporter cannot be put on a list, by hand or by import; an import
 * that brings one back (even an erased one, recognised by the hashed name or email the suppression
 * keeps) is flagged and left off. One who is suppressed after being listed stays visible on the
 * list, marked, and is left out of every export.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB, Tier } from '../db/schema';
import { InputError } from '../../schemas/validation';
import { personKey, readingKey } from '../articles/byline';
import { resolveOutlet } from '../outlets/outlets.repository';
import { recordAudit } from '../audit/audit';
import { invalidateQuickFind } from '../search/quickfind';
import { addFact, FACT_FIELDS, TIERS, type FactInput } from '../reporters/records';
import { checkSuppressedPeople, suppressedReporterCondition } from '../privacy/suppression';
import { sql } from 'kysely';
import { parseListCsv, type ContactRecord, type ListMapping } from './list-csv';
import { toCsv } from './csv-export';
import { toVcard, type VcardContact } from './vcard';
import type { ImportProblem } from '../articles/candidate';

type Db = Kysely<DB> | Transaction<DB>;

const NAME_MAX = 200;

function nameKeyOf(name: string): string {
	return name.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');
}

function checkTier(tier: string | null | undefined): Tier | null {
	const t = (tier ?? '').trim().toUpperCase();
	if (!t) return null;
	if (!(TIERS as readonly string[]).includes(t)) throw new InputError({ tier: 'error_tier_invalid' });
	return t as Tier;
}

export interface ListInput {
	name: string;
	description?: string | null;
	clientId?: number | null;
}

async function checkListInput(db: Db, input: ListInput, exceptId: number | null) {
	const name = input.name.normalize('NFC').trim();
	if (!name) throw new InputError({ name: 'error_required' });
	if (name.length > NAME_MAX) throw new InputError({ name: 'error_too_long' });
	const key = nameKeyOf(name);
	const clash = await db.selectFrom('media_lists').select('id').where('name_key', '=', key).executeTakeFirst();
	if (clash && clash.id !== exceptId) throw new InputError({ name: 'error_list_name_taken' });
	if (input.clientId != null) {
		const client = await db.selectFrom('clients').select('id').where('id', '=', input.clientId).executeTakeFirst();
		if (!client) throw new InputError({ clientId: 'error_not_found' });
	}
	const description = input.description?.trim().slice(0, 2000) || null;
	return { name, key, description, clientId: input.clientId ?? null };
}

/** Creates a list; its name is unique (case and width do not make a new name). */
export async function createList(db: Kysely<DB>, userId: number, input: ListInput): Promise<number> {
	const v = await checkListInput(db, input, null);
	const now = new Date().toISOString();
	const row = await db
		.insertInto('media_lists')
		.values({ name: v.name, name_key: v.key, description: v.description, client_id: v.clientId, created_by: userId, created_at: now, updated_at: now })
		.returning('id')
		.executeTakeFirstOrThrow()
		.catch((e: { code?: string }) => {
			if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE') throw new InputError({ name: 'error_list_name_taken' });
			throw e;
		});
	await recordAudit(db, { actorUserId: userId, action: 'list.created', subjectType: 'media_list', subjectId: row.id });
	return row.id;
}

/** Renames or re-describes a list. */
export async function updateList(db: Kysely<DB>, userId: number, listId: number, input: ListInput): Promise<void> {
	const v = await checkListInput(db, input, listId);
	const result = await db
		.updateTable('media_lists')
		.set({ name: v.name, name_key: v.key, description: v.description, client_id: v.clientId, updated_at: new Date().toISOString() })
		.where('id', '=', listId)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) throw new InputError({ list: 'error_not_found' });
	await recordAudit(db, { actorUserId: userId, action: 'list.updated', subjectType: 'media_list', subjectId: listId });
}

/** Deletes a list (the reporters stay). */
export async function deleteList(db: Kysely<DB>, userId: number, listId: number): Promise<void> {
	const result = await db.deleteFrom('media_lists').where('id', '=', listId).executeTakeFirst();
	if (Number(result.numDeletedRows) !== 1) throw new InputError({ list: 'error_not_found' });
	await recordAudit(db, { actorUserId: userId, action: 'list.deleted', subjectType: 'media_list', subjectId: listId });
}

/** Every list with its size and client, by name. */
export function listLists(db: Db) {
	return db
		.selectFrom('media_lists')
		.leftJoin('clients', 'clients.id', 'media_lists.client_id')
		.select((eb) => [
			'media_lists.id',
			'media_lists.name',
			'media_lists.description',
			'media_lists.updated_at',
			'clients.name as client_name',
			eb.selectFrom('media_list_members').select((e) => e.fn.countAll<number>().as('n')).whereRef('media_list_members.list_id', '=', 'media_lists.id').as('members')
		])
		.orderBy('media_lists.name')
		.execute();
}

/** A list with its members: name, outlet, tier, note, and whether each may be contacted. */
export async function getList(db: Db, listId: number) {
	const list = await db
		.selectFrom('media_lists')
		.leftJoin('clients', 'clients.id', 'media_lists.client_id')
		.select(['media_lists.id', 'media_lists.name', 'media_lists.description', 'media_lists.client_id', 'clients.name as client_name', 'media_lists.created_at', 'media_lists.updated_at'])
		.where('media_lists.id', '=', listId)
		.executeTakeFirst();
	if (!list) return undefined;
	const members = await db
		.selectFrom('media_list_members')
		.innerJoin('reporters', 'reporters.id', 'media_list_members.reporter_id')
		.leftJoin('outlets', 'outlets.id', 'reporters.outlet_id')
		.select([
			'reporters.id',
			'reporters.display_name',
			'reporters.reading',
			'outlets.name as outlet_name',
			'media_list_members.tier',
			'media_list_members.note',
			'media_list_members.added_at',
			sql<number>`case when ${suppressedReporterCondition(sql.ref('reporters.id'))} then 1 else 0 end`.as('suppressed')
		])
		.where('media_list_members.list_id', '=', listId)
		// Members without a tier last on both databases (SQLite sorts NULL first, PostgreSQL last).
		.orderBy(sql`case when media_list_members.tier is null then 1 else 0 end`)
		.orderBy('media_list_members.tier')
		.orderBy('reporters.display_name')
		.orderBy('reporters.id')
		.execute();
	return { list, members: members.map((m) => ({ ...m, suppressed: Number(m.suppressed) === 1 })) };
}

async function requireList(db: Db, listId: number): Promise<void> {
	const list = await db.selectFrom('media_lists').select('id').where('id', '=', listId).executeTakeFirst();
	if (!list) throw new InputError({ list: 'error_not_found' });
}

/** Puts a reporter on a list (or updates their tier and note there); refuses a suppressed reporter. */
export async function addMember(db: Kysely<DB>, userId: number, listId: number, reporterId: number, input: { tier?: string | null; note?: string | null } = {}): Promise<void> {
	const tier = checkTier(input.tier);
	const note = input.note?.trim().slice(0, 2000) || null;
	await db.transaction().execute(async (trx) => {
		await requireList(trx, listId);
		const reporter = await trx.selectFrom('reporters').select('id').where('id', '=', reporterId).executeTakeFirst();
		if (!reporter) throw new InputError({ reporter: 'error_not_found' });
		const { rows } = await sql`select 1 as x where ${suppressedReporterCondition(sql`${reporterId}`)}`.execute(trx);
		if (rows.length) throw new InputError({ reporter: 'error_reporter_suppressed' });
		await trx
			.insertInto('media_list_members')
			.values({ list_id: listId, reporter_id: reporterId, tier, note, added_by: userId, added_at: new Date().toISOString() })
			.onConflict((oc) => oc.columns(['list_id', 'reporter_id']).doUpdateSet({ tier, note }))
			.execute();
		await trx.updateTable('media_lists').set({ updated_at: new Date().toISOString() }).where('id', '=', listId).execute();
	});
	await recordAudit(db, { actorUserId: userId, action: 'list.member_added', subjectType: 'media_list', subjectId: listId, detail: { reporter: reporterId } });
}

/** Changes the tier and note of someone already on a list; refuses a suppressed member, as addMember does. */
export async function updateMember(db: Kysely<DB>, userId: number, listId: number, reporterId: number, input: { tier?: string | null; note?: string | null }): Promise<void> {
	const tier = checkTier(input.tier);
	const note = input.note?.trim().slice(0, 2000) || null;
	await db.transaction().execute(async (trx) => {
		const member = await trx.selectFrom('media_list_members').select('reporter_id').where('list_id', '=', listId).where('reporter_id', '=', reporterId).executeTakeFirst();
		if (!member) throw new InputError({ reporter: 'error_not_found' });
		const { rows } = await sql`select 1 as x where ${suppressedReporterCondition(sql`${reporterId}`)}`.execute(trx);
		if (rows.length) throw new InputError({ reporter: 'error_reporter_suppressed' });
		await trx.updateTable('media_list_members').set({ tier, note }).where('list_id', '=', listId).where('reporter_id', '=', reporterId).execute();
		await trx.updateTable('media_lists').set({ updated_at: new Date().toISOString() }).where('id', '=', listId).execute();
	});
	await recordAudit(db, { actorUserId: userId, action: 'list.member_updated', subjectType: 'media_list', subjectId: listId, detail: { reporter: reporterId } });
}

/** Takes a reporter off a list. */
export async function removeMember(db: Kysely<DB>, userId: number, listId: number, reporterId: number): Promise<void> {
	const result = await db.deleteFrom('media_list_members').where('list_id', '=', listId).where('reporter_id', '=', reporterId).executeTakeFirst();
	if (Number(result.numDeletedRows) !== 1) throw new InputError({ reporter: 'error_not_found' });
	await recordAudit(db, { actorUserId: userId, action: 'list.member_removed', subjectType: 'media_list', subjectId: listId, detail: { reporter: reporterId } });
}

export interface ListImportReport {
	/** Contacts read from the file (rows that could not be read are in `problems`). */
	rows: number;
	added: number;
	/** Rows naming someone who was on the list before this import (their tier and note are updated). */
	alreadyOnList: number;
	/** Rows naming someone an earlier row of the same file already added (same email, or same name at the same outlet). */
	duplicates: number;
	reportersCreated: number;
	/** Rows matched to a reporter who existed before this import. */
	reportersMatched: number;
	/** Rows that named someone on the do-not-contact list: flagged, not added. */
	suppressed: { location: string; name: string }[];
	problems: ImportProblem[];
}

/** The facts a CSV row gives, with the file as their source. */
function factsOf(r: ContactRecord, source: string, sourceRef: string): FactInput[] {
	const out: FactInput[] = [];
	const add = (field: FactInput['field'], value: string | undefined, label?: string) => {
		if (value?.trim()) out.push({ field, value: value.trim().slice(0, FACT_FIELDS[field as keyof typeof FACT_FIELDS].max), label: label ?? null, source, sourceRef });
	};
	for (const e of r.emails) add('email', e, r.labels?.[e]);
	for (const p of r.phones) add('phone', p, r.labels?.[p]);
	add('title', r.title);
	add('desk', r.desk);
	add('beat', r.beat);
	add('x_handle', r.xHandle);
	add('address', r.address);
	add('city', r.city);
	add('country', r.country);
	return out;
}

/**
 * Imports a media-list CSV into a list: each row is matched to a reporter by email, then by name at
 * the same outlet, or becomes a new reporter; its details become facts whose source is the file; it
 * joins the list with its tier and note. Rows the file cannot support are reported by line; a
 * suppressed person is flagged and left off. All of it commits together.
 */
export async function importListCsv(
	db: Kysely<DB>,
	userId: number,
	listId: number,
	bytes: Uint8Array,
	options: { fileName: string; mapping?: ListMapping }
): Promise<ListImportReport> {
	const parsed = parseListCsv(bytes, { mapping: options.mapping });
	const fileName = options.fileName.replace(/[\r\n]/g, ' ').slice(0, 200) || 'upload.csv';
	const source = `CSV import: ${fileName}`;
	const report: ListImportReport = {
		rows: parsed.records.length,
		added: 0,
		alreadyOnList: 0,
		duplicates: 0,
		reportersCreated: 0,
		reportersMatched: 0,
		suppressed: [],
		problems: [...parsed.problems]
	};
	await db.transaction().execute(async (trx) => {
		await requireList(trx, listId);
		const now = new Date().toISOString();
		const sourceRef = `media_list:${listId}`;
		const records = parsed.records;
		// Who each row is, before anything is written: suppression is checked on what the file says.
		const matches = await checkSuppressedPeople(
			trx,
			records.map((r) => ({ nameKey: personKey(r.displayName), emails: r.emails })),
			`list import: ${fileName}`
		);
		const blocked = new Set(matches.map((m) => m.index));
		const onList = new Set((await trx.selectFrom('media_list_members').select('reporter_id').where('list_id', '=', listId).execute()).map((r) => r.reporter_id));
		// Reporters this import created or put on the list: a later row naming one again is a duplicate within the file.
		const touched = new Set<number>();
		const outletIds = new Map<string, number | null>();
		for (const [i, r] of records.entries()) {
			if (blocked.has(i)) {
				report.suppressed.push({ location: r.location, name: r.displayName });
				continue;
			}
			if (FORMULA_LIKE.test(r.displayName)) {
				report.problems.push({ location: r.location, reason: 'imported, but the name starts like a spreadsheet formula; it is kept as plain text, and CSV exports neutralise it' });
			}
			let reporterId: number | null = null;
			const emailKeys = r.emails.map((e) => e.toLowerCase());
			if (emailKeys.length) {
				const hit = await trx
					.selectFrom('reporter_facts')
					.select('reporter_id')
					.where('field', '=', 'email')
					.where('retired_at', 'is', null)
					.where('value_key', 'in', emailKeys)
					.orderBy('reporter_id')
					.executeTakeFirst();
				reporterId = hit?.reporter_id ?? null;
			}
			let outletId: number | null = null;
			if (r.outlet) {
				if (!outletIds.has(r.outlet)) outletIds.set(r.outlet, await resolveOutlet(trx, r.outlet, now));
				outletId = outletIds.get(r.outlet) ?? null;
			}
			const key = personKey(r.displayName);
			if (reporterId === null) {
				let q = trx.selectFrom('reporters').select('id').where('name_key', '=', key);
				q = outletId === null ? q.where('outlet_id', 'is', null) : q.where('outlet_id', '=', outletId);
				reporterId = (await q.orderBy('id').executeTakeFirst())?.id ?? null;
			}
			if (reporterId !== null && !touched.has(reporterId)) {
				// The hashed keys were taken when the person was suppressed: an email or name added to
				// their record since is matched here, by the record itself.
				const { rows } = await sql`select 1 as x where ${suppressedReporterCondition(sql`${reporterId}`)}`.execute(trx);
				if (rows.length) {
					report.suppressed.push({ location: r.location, name: r.displayName });
					continue;
				}
			}
			const duplicate = reporterId !== null && touched.has(reporterId);
			if (reporterId === null) {
				const row = await trx
					.insertInto('reporters')
					.values({ display_name: r.displayName.slice(0, NAME_MAX), name_key: key, reading: r.reading ?? null, reading_key: readingKey(r.reading), romanized: null, outlet_id: outletId, created_via: 'import', created_from_article_id: null, created_by: userId, created_at: now, updated_at: now })
					.returning('id')
					.executeTakeFirstOrThrow();
				reporterId = row.id;
				await trx.insertInto('reporter_names').values({ reporter_id: row.id, name: r.displayName.slice(0, NAME_MAX), name_key: key, outlet_id: outletId, source: 'import', article_id: null, created_at: now }).execute();
				await addFact(trx, userId, row.id, { field: 'display_name', value: r.displayName.slice(0, NAME_MAX), source, sourceRef }, now);
				if (r.reading) await addFact(trx, userId, row.id, { field: 'reading', value: r.reading, source, sourceRef }, now);
				report.reportersCreated++;
			} else if (!duplicate) {
				report.reportersMatched++;
				if (r.reading) {
					const current = await trx.selectFrom('reporters').select('reading').where('id', '=', reporterId).executeTakeFirstOrThrow();
					if (!current.reading) await addFact(trx, userId, reporterId, { field: 'reading', value: r.reading, source, sourceRef }, now);
				}
			}
			touched.add(reporterId);
			for (const fact of factsOf(r, source, sourceRef)) {
				try {
					await addFact(trx, userId, reporterId, fact, now);
				} catch (e) {
					if (!(e instanceof InputError)) throw e;
					report.problems.push({ location: r.location, reason: `imported, but ${fact.field} "${fact.value}" was not kept: ${Object.values(e.issues).map(issueWords).join(', ')}` });
				}
			}
			if (duplicate) {
				// The earlier row's tier and note stand; the parser's problem names both lines.
				report.duplicates++;
				continue;
			}
			if (onList.has(reporterId)) {
				report.alreadyOnList++;
				if (r.tier || r.note) {
					await trx
						.updateTable('media_list_members')
						.set({ ...(r.tier ? { tier: r.tier } : {}), ...(r.note ? { note: r.note.slice(0, 2000) } : {}) })
						.where('list_id', '=', listId)
						.where('reporter_id', '=', reporterId)
						.execute();
				}
				continue;
			}
			await trx
				.insertInto('media_list_members')
				.values({ list_id: listId, reporter_id: reporterId, tier: r.tier ?? null, note: r.note?.slice(0, 2000) ?? null, added_by: userId, added_at: now })
				.execute();
			onList.add(reporterId);
			report.added++;
		}
		await trx.updateTable('media_lists').set({ updated_at: now }).where('id', '=', listId).execute();
	});
	report.problems = inLineOrder(report.problems);
	invalidateQuickFind(db);
	await recordAudit(db, {
		actorUserId: userId,
		action: 'list.imported',
		subjectType: 'media_list',
		subjectId: listId,
		detail: { rows: report.rows, added: report.added, created: report.reportersCreated, suppressed: report.suppressed.length }
	});
	return report;
}

// Problems are shown as written here (in English, like the parser's); message keys would read as code.
const ISSUE_WORDS: Record<string, string> = {
	error_email_invalid: 'it is not an email address',
	error_phone_invalid: 'it is not a phone number (digits, spaces, + ( ) and - only)',
	error_handle_invalid: 'it is not an X handle',
	error_too_long: 'it is too long',
	error_required: 'it is empty'
};

function issueWords(key: string): string {
	return ISSUE_WORDS[key] ?? key;
}

// What a spreadsheet would start a formula with (as csv-export.ts sees it), at the start of a name.
const FORMULA_LIKE = /^[\s\u3000]*[=+@＝＋＠]/;

function inLineOrder(problems: ImportProblem[]): ImportProblem[] {
	const at = (p: ImportProblem) => Number(/\d+/.exec(p.location)?.[0] ?? 0);
	// Array#sort is stable: the problems of one line keep the order they were found in.
	return problems.sort((a, b) => at(a) - at(b));
}

interface ExportRow {
	id: number;
	name: string;
	reading: string | null;
	outlet: string | null;
	tier: string | null;
	note: string | null;
	facts: Map<string, { value: string; label: string | null }[]>;
}

/** The members that may be contacted, with their current details, for the exports. */
async function exportRows(db: Db, listId: number): Promise<{ name: string; rows: ExportRow[]; leftOut: number }> {
	const found = await getList(db, listId);
	if (!found) throw new InputError({ list: 'error_not_found' });
	const allowed = found.members.filter((m) => !m.suppressed);
	const ids = allowed.map((m) => m.id);
	const facts = ids.length
		? await db
				.selectFrom('reporter_facts')
				.select(['reporter_id', 'field', 'value', 'label'])
				.where('reporter_id', 'in', ids)
				.where('retired_at', 'is', null)
				.orderBy('id')
				.execute()
		: [];
	const byReporter = new Map<number, Map<string, { value: string; label: string | null }[]>>();
	for (const f of facts) {
		const m = byReporter.get(f.reporter_id) ?? byReporter.set(f.reporter_id, new Map()).get(f.reporter_id)!;
		(m.get(f.field) ?? m.set(f.field, []).get(f.field)!).push({ value: f.value, label: f.label });
	}
	return {
		name: found.list.name,
		leftOut: found.members.length - allowed.length,
		rows: allowed.map((m) => ({ id: m.id, name: m.display_name, reading: m.reading, outlet: m.outlet_name, tier: m.tier, note: m.note, facts: byReporter.get(m.id) ?? new Map() }))
	};
}

const first = (r: ExportRow, field: string) => r.facts.get(field)?.[0]?.value ?? null;
const all = (r: ExportRow, field: string) => (r.facts.get(field) ?? []).map((f) => f.value).join('; ') || null;

/** The list as CSV for spreadsheet programs (BOM, formulas neutralised); suppressed members are left out. */
export async function exportListCsv(db: Db, listId: number): Promise<{ name: string; body: string; count: number; leftOut: number }> {
	const { name, rows, leftOut } = await exportRows(db, listId);
	const headers = ['Name', 'Reading', 'Outlet', 'Title', 'Desk', 'Beat', 'Email', 'Phone', 'X', 'City', 'Country', 'Address', 'Tier', 'Note'];
	const body = toCsv(
		headers,
		rows.map((r) => [r.name, r.reading, r.outlet, first(r, 'title'), first(r, 'desk'), first(r, 'beat'), all(r, 'email'), all(r, 'phone'), first(r, 'x_handle'), first(r, 'city'), first(r, 'country'), first(r, 'address'), r.tier, r.note])
	);
	return { name, body, count: rows.length, leftOut };
}

/** The list as vCard 4.0; suppressed members are left out. */
export async function exportListVcard(db: Db, listId: number): Promise<{ name: string; body: string; count: number; leftOut: number }> {
	const { name, rows, leftOut } = await exportRows(db, listId);
	const contacts: VcardContact[] = rows.map((r) => ({
		uid: `tegami-reporter-${r.id}`,
		displayName: r.name,
		reading: r.reading,
		organization: r.outlet,
		department: first(r, 'desk'),
		title: first(r, 'title'),
		emails: (r.facts.get('email') ?? []).map((e) => ({ value: e.value, label: e.label })),
		phones: (r.facts.get('phone') ?? []).map((p) => ({ value: p.value, label: p.label })),
		// A city or country alone still says where to write.
		addresses: first(r, 'address') || first(r, 'city') || first(r, 'country') ? [{ street: first(r, 'address'), city: first(r, 'city'), country: first(r, 'country') }] : [],
		xHandle: first(r, 'x_handle'),
		categories: first(r, 'beat') ? [first(r, 'beat')!] : [],
		note: r.note
	}));
	return { name, body: toVcard(contacts), count: rows.length, leftOut };
}

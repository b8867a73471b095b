/**
 * The reporter record: facts with provenance (contact details, desk, beat, tier, …), outlet history,
 * the dated log of what the reporter told us, and notes.
 *
 * Every fact says where it came from (source, and a reference such as an import run), when it was
 * learned and who entered it. A fact is never overwritten: a new desk retires the old one (retired_at),
 * so the record shows what was known when, and a wrong email is retired rather than deleted. Erasure
 * (privacy/erasure.ts) is the one place facts are removed.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB, ReporterFactField, ReporterLogKind, Tier } from '../db/schema';
import { InputError, isIsoDate, normaliseEmail } from '../../schemas/validation';
import { personKey, readingKey } from '../articles/byline';
import { recordAudit } from '../audit/audit';
import { invalidateQuickFind } from '../search/quickfind';
import { checkSuppressedPeople } from '../privacy/suppression';

type Db = Kysely<DB> | Transaction<DB>;

export const PREFERRED_CHANNELS = ['email', 'phone', 'letter', 'x', 'in_person'] as const;
export const TIERS: readonly Tier[] = ['A', 'B', 'C'];
export const LOG_KINDS: readonly ReporterLogKind[] = ['interest', 'request', 'preference', 'other'];

interface FieldRule {
	/** Several current values at once (two emails) rather than one that replaces the last. */
	multi: boolean;
	max: number;
	/** The comparable form of a value, or null when the value is not acceptable (message key in `error`). */
	key?: (value: string) => string | null;
	error?: string;
	/** Contact details: staff only, never shown to client users, redacted on erasure. */
	contact: boolean;
}

const phoneKey = (v: string): string | null => {
	// Digits with an optional leading +; extension words and separators are allowed as typed.
	if (!/^[+()0-9０-９\s\-.‐－–ー()（）内線extEXT#]+$/u.test(v)) return null;
	const digits = v.normalize('NFKC').replace(/[^0-9+]/g, '');
	const count = digits.replace(/\+/g, '').length;
	return count >= 5 && count <= 20 ? digits : null;
};

export const FACT_FIELDS: Record<ReporterFactField, FieldRule> = {
	email: { multi: true, max: 254, key: normaliseEmail, error: 'error_email_invalid', contact: true },
	phone: { multi: true, max: 60, key: phoneKey, error: 'error_phone_invalid', contact: true },
	address: { multi: false, max: 500, contact: true },
	x_handle: {
		multi: true,
		max: 60,
		key: (v) => {
			const h = v.trim().replace(/^https?:\/\/(www\.)?(twitter|x)\.com\//i, '').replace(/^@/, '');
			return /^[A-Za-z0-9_]{1,30}$/.test(h) ? h.toLowerCase() : null;
		},
		error: 'error_handle_invalid',
		contact: true
	},
	website: {
		multi: true,
		max: 500,
		key: (v) => {
			try {
				const u = new URL(v.trim());
				return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
			} catch {
				return null;
			}
		},
		error: 'error_url_invalid',
		contact: false
	},
	desk: { multi: false, max: 200, contact: false },
	beat: { multi: false, max: 500, contact: false },
	title: { multi: false, max: 200, contact: false },
	preferred_channel: {
		multi: false,
		max: 20,
		key: (v) => ((PREFERRED_CHANNELS as readonly string[]).includes(v) ? v : null),
		error: 'error_channel_invalid',
		contact: false
	},
	tier: { multi: false, max: 1, key: (v) => (TIERS as readonly string[]).includes(v) ? v : null, error: 'error_tier_invalid', contact: false },
	city: { multi: false, max: 200, contact: false },
	country: { multi: false, max: 200, contact: false },
	display_name: { multi: false, max: 200, contact: false },
	reading: { multi: false, max: 200, contact: false },
	romanized: { multi: false, max: 200, contact: false }
};

export const FACT_FIELD_NAMES = Object.keys(FACT_FIELDS) as ReporterFactField[];
/** Fields no client user may ever see. */
export const CONTACT_FIELDS = FACT_FIELD_NAMES.filter((f) => FACT_FIELDS[f].contact);

export interface FactInput {
	field: string;
	value: string;
	label?: string | null;
	/** A tier's reason; any other fact's remark. */
	note?: string | null;
	/** Where it came from, in words ("business card", "phone call", "CSV import: list.csv"). */
	source: string;
	sourceRef?: string | null;
	/** YYYY-MM-DD: when it was learned or stated. */
	learnedOn?: string | null;
}

/** A fact as stored, checked; InputError names the field and the problem. */
export function checkFact(input: FactInput): {
	field: ReporterFactField;
	value: string;
	valueKey: string | null;
	label: string | null;
	note: string | null;
	source: string;
	learnedOn: string | null;
} {
	if (!(FACT_FIELD_NAMES as string[]).includes(input.field)) throw new InputError({ field: 'error_field_unknown' });
	const field = input.field as ReporterFactField;
	const rule = FACT_FIELDS[field];
	const value = input.value.normalize('NFC').trim();
	if (!value) throw new InputError({ value: 'error_required' });
	if (value.length > rule.max) throw new InputError({ value: 'error_too_long' });
	let valueKey: string | null = null;
	if (rule.key) {
		valueKey = rule.key(value);
		if (valueKey === null) throw new InputError({ value: rule.error ?? 'error_invalid' });
	} else {
		valueKey = value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
	}
	const note = input.note?.trim().slice(0, 2000) || null;
	if (field === 'tier' && !note) throw new InputError({ note: 'error_tier_reason_required' });
	const source = input.source.trim().slice(0, 300);
	if (!source) throw new InputError({ source: 'error_required' });
	const learnedOn = input.learnedOn?.trim() || null;
	if (learnedOn && !isIsoDate(learnedOn)) throw new InputError({ learnedOn: 'error_date_invalid' });
	return { field, value, valueKey, label: input.label?.trim().slice(0, 60) || null, note, source, learnedOn };
}

async function requireReporter(db: Db, reporterId: number) {
	const r = await db.selectFrom('reporters').select(['id', 'display_name']).where('id', '=', reporterId).executeTakeFirst();
	if (!r) throw new InputError({ reporter: 'error_not_found' });
	return r;
}

/**
 * Records a fact. A single-valued field (desk, tier, …) retires the value it replaces; a repeated
 * value of a many-valued field (the same email again) is not stored twice. Returns the current fact's
 * id and whether a row was added. Name fields also update the reporter's names for matching and search.
 */
export async function addFact(db: Db, userId: number | null, reporterId: number, input: FactInput, now = new Date().toISOString()): Promise<{ id: number; created: boolean }> {
	const f = checkFact(input);
	const run = async (trx: Db) => {
		await requireReporter(trx, reporterId);
		const current = await trx
			.selectFrom('reporter_facts')
			.select(['id', 'value_key'])
			.where('reporter_id', '=', reporterId)
			.where('field', '=', f.field)
			.where('retired_at', 'is', null)
			.execute();
		const same = current.find((c) => c.value_key === f.valueKey);
		if (same && FACT_FIELDS[f.field].multi) return { id: same.id, created: false };
		if (!FACT_FIELDS[f.field].multi && current.length) {
			await trx
				.updateTable('reporter_facts')
				.set({ retired_at: now, retired_by: userId })
				.where('id', 'in', current.map((c) => c.id))
				.execute();
		}
		const row = await trx
			.insertInto('reporter_facts')
			.values({
				reporter_id: reporterId,
				field: f.field,
				value: f.value,
				value_key: f.valueKey,
				label: f.label,
				note: f.note,
				source: f.source,
				source_ref: input.sourceRef ?? null,
				learned_on: f.learnedOn,
				user_id: userId,
				created_at: now,
				retired_at: null,
				retired_by: null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		if (f.field === 'display_name' || f.field === 'reading' || f.field === 'romanized') await applyName(trx, reporterId, f.field, f.value, now);
		if (f.field === 'email' || f.field === 'reading') await suggestDuplicates(trx, reporterId, now);
		return { id: row.id, created: true };
	};
	const result = db.isTransaction ? await run(db) : await (db as Kysely<DB>).transaction().execute(run);
	if (!db.isTransaction && (f.field === 'display_name' || f.field === 'reading' || f.field === 'romanized')) invalidateQuickFind(db as Kysely<DB>);
	return result;
}

/** Keeps the reporter row's names (what matching, quick find and search read) in step with the name facts. */
async function applyName(trx: Db, reporterId: number, field: 'display_name' | 'reading' | 'romanized', value: string, now: string): Promise<void> {
	if (field === 'display_name') {
		const reporter = await trx.selectFrom('reporters').select(['outlet_id']).where('id', '=', reporterId).executeTakeFirstOrThrow();
		const key = personKey(value);
		await trx.updateTable('reporters').set({ display_name: value, name_key: key, updated_at: now }).where('id', '=', reporterId).execute();
		const known = await trx.selectFrom('reporter_names').select('id').where('reporter_id', '=', reporterId).where('name_key', '=', key).executeTakeFirst();
		if (!known) {
			await trx
				.insertInto('reporter_names')
				.values({ reporter_id: reporterId, name: value, name_key: key, outlet_id: reporter.outlet_id, source: 'manual', article_id: null, created_at: now })
				.execute();
		}
	} else {
		await trx
			.updateTable('reporters')
			.set({ [field]: value, ...(field === 'reading' ? { reading_key: readingKey(value) } : {}), updated_at: now })
			.where('id', '=', reporterId)
			.execute();
	}
}

/** Retires a fact (a wrong or outdated value): it stays in the record's history. */
export async function retireFact(db: Db, userId: number | null, reporterId: number, factId: number): Promise<void> {
	const result = await db
		.updateTable('reporter_facts')
		.set({ retired_at: new Date().toISOString(), retired_by: userId })
		.where('id', '=', factId)
		.where('reporter_id', '=', reporterId)
		.where('retired_at', 'is', null)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) throw new InputError({ fact: 'error_not_found' });
}

/** A reporter's facts with who entered them, current first, then retired (newest first within each). */
export function listFacts(db: Db, reporterId: number, options: { includeRetired?: boolean } = {}) {
	let q = db
		.selectFrom('reporter_facts')
		.leftJoin('users', 'users.id', 'reporter_facts.user_id')
		.select([
			'reporter_facts.id',
			'reporter_facts.field',
			'reporter_facts.value',
			'reporter_facts.label',
			'reporter_facts.note',
			'reporter_facts.source',
			'reporter_facts.source_ref',
			'reporter_facts.learned_on',
			'reporter_facts.created_at',
			'reporter_facts.retired_at',
			'users.display_name as user_name'
		])
		.where('reporter_facts.reporter_id', '=', reporterId);
	if (!options.includeRetired) q = q.where('reporter_facts.retired_at', 'is', null);
	return q.orderBy('reporter_facts.id', 'desc').execute();
}

export interface LogInput {
	kind: string;
	body: string;
	statedOn: string;
	clientId?: number | null;
	source: string;
}

/** Adds to the dated log of what the reporter told us (an interest, a request, a preference). */
export async function addLogEntry(db: Kysely<DB>, userId: number | null, reporterId: number, input: LogInput): Promise<number> {
	if (!(LOG_KINDS as readonly string[]).includes(input.kind)) throw new InputError({ kind: 'error_invalid' });
	const body = input.body.trim();
	if (!body) throw new InputError({ body: 'error_required' });
	if (body.length > 4000) throw new InputError({ body: 'error_too_long' });
	if (!isIsoDate(input.statedOn)) throw new InputError({ statedOn: 'error_date_invalid' });
	const source = input.source.trim().slice(0, 300);
	if (!source) throw new InputError({ source: 'error_required' });
	return db.transaction().execute(async (trx) => {
		await requireReporter(trx, reporterId);
		if (input.clientId != null) {
			const client = await trx.selectFrom('clients').select('id').where('id', '=', input.clientId).executeTakeFirst();
			if (!client) throw new InputError({ clientId: 'error_not_found' });
		}
		const row = await trx
			.insertInto('reporter_log')
			.values({ reporter_id: reporterId, kind: input.kind as ReporterLogKind, body, stated_on: input.statedOn, client_id: input.clientId ?? null, source, user_id: userId, created_at: new Date().toISOString() })
			.returning('id')
			.executeTakeFirstOrThrow();
		return row.id;
	});
}

/** Adds a note to the record. */
export async function addNote(db: Kysely<DB>, userId: number | null, reporterId: number, text: string): Promise<number> {
	const body = text.trim();
	if (!body) throw new InputError({ note: 'error_required' });
	if (body.length > 10_000) throw new InputError({ note: 'error_too_long' });
	await requireReporter(db, reporterId);
	const now = new Date().toISOString();
	const row = await db
		.insertInto('reporter_notes')
		.values({ reporter_id: reporterId, body, user_id: userId, created_at: now, updated_at: now })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Deletes a note of this reporter (notes are opinions, not facts, and have no history). */
export async function deleteNote(db: Kysely<DB>, reporterId: number, noteId: number): Promise<void> {
	const result = await db.deleteFrom('reporter_notes').where('id', '=', noteId).where('reporter_id', '=', reporterId).executeTakeFirst();
	if (Number(result.numDeletedRows) !== 1) throw new InputError({ note: 'error_not_found' });
}

export interface OutletHistoryInput {
	outletId: number;
	role?: string | null;
	startedOn?: string | null;
	endedOn?: string | null;
	source: string;
}

/** Records a stint at an outlet that bylines do not show (a move we were told of, a staff page). */
export async function addOutletHistory(db: Kysely<DB>, userId: number | null, reporterId: number, input: OutletHistoryInput): Promise<number> {
	for (const [k, v] of [['startedOn', input.startedOn], ['endedOn', input.endedOn]] as const) {
		if (v && !isIsoDate(v)) throw new InputError({ [k]: 'error_date_invalid' });
	}
	if (input.startedOn && input.endedOn && input.endedOn < input.startedOn) throw new InputError({ endedOn: 'error_date_order' });
	const source = input.source.trim().slice(0, 300);
	if (!source) throw new InputError({ source: 'error_required' });
	await requireReporter(db, reporterId);
	const outlet = await db.selectFrom('outlets').select('id').where('id', '=', input.outletId).executeTakeFirst();
	if (!outlet) throw new InputError({ outletId: 'error_not_found' });
	const row = await db
		.insertInto('reporter_outlet_history')
		.values({
			reporter_id: reporterId,
			outlet_id: input.outletId,
			role: input.role?.trim().slice(0, 200) || null,
			started_on: input.startedOn || null,
			ended_on: input.endedOn || null,
			source,
			user_id: userId,
			created_at: new Date().toISOString()
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export interface OutletStint {
	outletId: number;
	outlet: string;
	/** Bylines: the first and last article there; recorded: the dates we were given. */
	from: string | null;
	to: string | null;
	articles: number;
	role: string | null;
	source: 'bylines' | 'recorded';
	note: string | null;
}

/**
 * Where the reporter has worked: stints recorded by people, and the outlets their bylines appeared
 * at (first to last article), newest first. A newest byline at another outlet than the record's
 * suggests a move, which the profile points out.
 */
export async function outletHistory(db: Db, reporterId: number): Promise<OutletStint[]> {
	const [bylines, recorded] = await Promise.all([
		db
			.selectFrom('article_reporters')
			.innerJoin('articles', 'articles.id', 'article_reporters.article_id')
			.innerJoin('outlets', 'outlets.id', 'articles.outlet_id')
			.select((eb) => [
				'outlets.id as outlet_id',
				'outlets.name as outlet',
				eb.fn.min('articles.published_at').as('first'),
				eb.fn.max('articles.published_at').as('last'),
				eb.fn.countAll<number>().as('n')
			])
			.where('article_reporters.reporter_id', '=', reporterId)
			.groupBy(['outlets.id', 'outlets.name'])
			.execute(),
		db
			.selectFrom('reporter_outlet_history')
			.innerJoin('outlets', 'outlets.id', 'reporter_outlet_history.outlet_id')
			.select(['outlets.id as outlet_id', 'outlets.name as outlet', 'reporter_outlet_history.role', 'reporter_outlet_history.started_on', 'reporter_outlet_history.ended_on', 'reporter_outlet_history.source'])
			.where('reporter_outlet_history.reporter_id', '=', reporterId)
			.execute()
	]);
	const stints: OutletStint[] = [
		...recorded.map((r) => ({ outletId: r.outlet_id, outlet: r.outlet, from: r.started_on, to: r.ended_on, articles: 0, role: r.role, source: 'recorded' as const, note: r.source })),
		...bylines.map((b) => ({
			outletId: b.outlet_id,
			outlet: b.outlet,
			from: b.first ? String(b.first).slice(0, 10) : null,
			to: b.last ? String(b.last).slice(0, 10) : null,
			articles: Number(b.n),
			role: null,
			source: 'bylines' as const,
			note: null
		}))
	];
	return stints.sort((a, b) => (b.to ?? b.from ?? '9999').localeCompare(a.to ?? a.from ?? '9999') || a.outlet.localeCompare(b.outlet));
}

/** The reporter's articles per month (YYYY-MM), oldest first; undated articles are left out. */
export async function articlesByMonth(db: Db, reporterId: number): Promise<{ month: string; count: number }[]> {
	const rows = await db
		.selectFrom('article_reporters')
		.innerJoin('articles', 'articles.id', 'article_reporters.article_id')
		.select(['articles.published_at'])
		.where('article_reporters.reporter_id', '=', reporterId)
		.where('articles.published_at', 'is not', null)
		.execute();
	const counts = new Map<string, number>();
	for (const r of rows) {
		const m = String(r.published_at).slice(0, 7);
		counts.set(m, (counts.get(m) ?? 0) + 1);
	}
	return [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([month, count]) => ({ month, count }));
}

/** The topics of the reporter's articles, most articles first. */
export function reporterTopics(db: Db, reporterId: number, limit = 10) {
	return db
		.selectFrom('article_reporters')
		.innerJoin('article_topics', 'article_topics.article_id', 'article_reporters.article_id')
		.innerJoin('topics', 'topics.id', 'article_topics.topic_id')
		.select((eb) => ['topics.id', 'topics.name', eb.fn.countAll<number>().as('n')])
		.where('article_reporters.reporter_id', '=', reporterId)
		.groupBy(['topics.id', 'topics.name'])
		.orderBy('n', 'desc')
		.orderBy('topics.name')
		.limit(limit)
		.execute();
}

/** The dated log, newest first, with the client each entry concerns. */
export function listLog(db: Db, reporterId: number) {
	return db
		.selectFrom('reporter_log')
		.leftJoin('clients', 'clients.id', 'reporter_log.client_id')
		.leftJoin('users', 'users.id', 'reporter_log.user_id')
		.select([
			'reporter_log.id',
			'reporter_log.kind',
			'reporter_log.body',
			'reporter_log.stated_on',
			'reporter_log.source',
			'reporter_log.created_at',
			'clients.id as client_id',
			'clients.name as client_name',
			'users.display_name as user_name'
		])
		.where('reporter_log.reporter_id', '=', reporterId)
		.orderBy('reporter_log.stated_on', 'desc')
		.orderBy('reporter_log.id', 'desc')
		.execute();
}

/** Notes, newest first. */
export function listNotes(db: Db, reporterId: number) {
	return db
		.selectFrom('reporter_notes')
		.leftJoin('users', 'users.id', 'reporter_notes.user_id')
		.select(['reporter_notes.id', 'reporter_notes.body', 'reporter_notes.created_at', 'users.display_name as user_name'])
		.where('reporter_notes.reporter_id', '=', reporterId)
		.orderBy('reporter_notes.id', 'desc')
		.execute();
}

/** The media lists the reporter is on, with the tier and note there. */
export function listsOfReporter(db: Db, reporterId: number) {
	return db
		.selectFrom('media_list_members')
		.innerJoin('media_lists', 'media_lists.id', 'media_list_members.list_id')
		.leftJoin('clients', 'clients.id', 'media_lists.client_id')
		.select(['media_lists.id', 'media_lists.name', 'media_list_members.tier', 'media_list_members.note', 'media_list_members.added_at', 'clients.name as client_name'])
		.where('media_list_members.reporter_id', '=', reporterId)
		.orderBy('media_lists.name')
		.execute();
}

export interface NewReporterInput {
	displayName: string;
	reading?: string | null;
	romanized?: string | null;
	outletId?: number | null;
	source: string;
}

/** Adds a reporter by hand (met at an event, from a staff page), with the source of the record. */
export async function createReporter(db: Kysely<DB>, userId: number | null, input: NewReporterInput): Promise<number> {
	const name = input.displayName.normalize('NFKC').trim().replace(/\s+/g, ' ');
	if (!name) throw new InputError({ displayName: 'error_required' });
	if (name.length > 200) throw new InputError({ displayName: 'error_too_long' });
	const source = input.source.trim();
	if (!source) throw new InputError({ source: 'error_required' });
	const id = await db.transaction().execute(async (trx) => {
		if (input.outletId != null) {
			const outlet = await trx.selectFrom('outlets').select('id').where('id', '=', input.outletId).executeTakeFirst();
			if (!outlet) throw new InputError({ outletId: 'error_not_found' });
		}
		const now = new Date().toISOString();
		const key = personKey(name);
		const row = await trx
			.insertInto('reporters')
			.values({
				display_name: name,
				name_key: key,
				reading: null,
				romanized: null,
				outlet_id: input.outletId ?? null,
				created_via: 'manual',
				created_from_article_id: null,
				created_by: userId,
				created_at: now,
				updated_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.insertInto('reporter_names').values({ reporter_id: row.id, name, name_key: key, outlet_id: input.outletId ?? null, source: 'manual', article_id: null, created_at: now }).execute();
		await addFact(trx, userId, row.id, { field: 'display_name', value: name, source }, now);
		if (input.reading?.trim()) await addFact(trx, userId, row.id, { field: 'reading', value: input.reading, source }, now);
		if (input.romanized?.trim()) await addFact(trx, userId, row.id, { field: 'romanized', value: input.romanized, source }, now);
		// Someone on the do-not-contact list (even one erased since) added again by hand is flagged.
		await checkSuppressedPeople(trx, [{ reporterId: row.id, nameKey: key }], 'added by hand');
		await recordAudit(trx, { actorUserId: userId, action: 'reporter.created', subjectType: 'reporter', subjectId: row.id });
		return row.id;
	});
	invalidateQuickFind(db);
	return id;
}

/** What a merge did to the merged record's facts, log, notes, stints and list places, so a split can undo it. */
export interface RecordsMoved {
	facts: number[];
	/** The merged record's current single-valued facts that the kept record's own values outranked. */
	retiredFacts: number[];
	log: number[];
	notes: number[];
	stints: number[];
	/** Lists both records were on: the merged record's place there, removed (the kept one's stays). */
	droppedMemberships: { list_id: number; tier: string | null; note: string | null; added_by: number | null; added_at: string }[];
	/** Lists only the merged record was on: moved to the kept one. */
	movedLists: number[];
}

/** Moves the merged reporter's record onto the kept one (inside the merge's transaction). */
export async function carryRecordsOnMerge(trx: Db, keptId: number, mergedId: number, now: string): Promise<RecordsMoved> {
	const ids = async (table: 'reporter_facts' | 'reporter_log' | 'reporter_notes' | 'reporter_outlet_history') =>
		(await trx.selectFrom(table).select('id').where('reporter_id', '=', mergedId).execute()).map((r) => r.id);
	const [facts, log, notes, stints] = await Promise.all([ids('reporter_facts'), ids('reporter_log'), ids('reporter_notes'), ids('reporter_outlet_history')]);
	// A single-valued detail both records hold: the kept record's value stays current.
	const keptSingles = new Set(
		(await trx.selectFrom('reporter_facts').select('field').where('reporter_id', '=', keptId).where('retired_at', 'is', null).execute())
			.map((r) => r.field)
			.filter((f) => !FACT_FIELDS[f].multi)
	);
	const clash = keptSingles.size
		? (
				await trx
					.selectFrom('reporter_facts')
					.select('id')
					.where('reporter_id', '=', mergedId)
					.where('retired_at', 'is', null)
					.where('field', 'in', [...keptSingles])
					.execute()
			).map((r) => r.id)
		: [];
	if (clash.length) await trx.updateTable('reporter_facts').set({ retired_at: now }).where('id', 'in', clash).execute();
	for (const table of ['reporter_facts', 'reporter_log', 'reporter_notes', 'reporter_outlet_history'] as const) {
		await trx.updateTable(table).set({ reporter_id: keptId }).where('reporter_id', '=', mergedId).execute();
	}
	const keptLists = new Set((await trx.selectFrom('media_list_members').select('list_id').where('reporter_id', '=', keptId).execute()).map((r) => r.list_id));
	const memberships = await trx.selectFrom('media_list_members').select(['list_id', 'tier', 'note', 'added_by', 'added_at']).where('reporter_id', '=', mergedId).execute();
	const dropped = memberships.filter((m) => keptLists.has(m.list_id));
	const moved = memberships.filter((m) => !keptLists.has(m.list_id)).map((m) => m.list_id);
	if (dropped.length) await trx.deleteFrom('media_list_members').where('reporter_id', '=', mergedId).where('list_id', 'in', dropped.map((m) => m.list_id)).execute();
	if (moved.length) await trx.updateTable('media_list_members').set({ reporter_id: keptId }).where('reporter_id', '=', mergedId).where('list_id', 'in', moved).execute();
	return { facts, retiredFacts: clash, log, notes, stints, droppedMemberships: dropped, movedLists: moved };
}

/** Gives the restored reporter back what the merge moved (inside the split's transaction). */
export async function restoreRecordsOnSplit(trx: Db, restoredId: number, keptId: number, moved: RecordsMoved | undefined): Promise<void> {
	if (!moved) return; // a merge made before reporter records existed moved none
	const back = async (table: 'reporter_facts' | 'reporter_log' | 'reporter_notes' | 'reporter_outlet_history', ids: number[]) => {
		for (let i = 0; i < ids.length; i += 500) {
			await trx.updateTable(table).set({ reporter_id: restoredId }).where('reporter_id', '=', keptId).where('id', 'in', ids.slice(i, i + 500)).execute();
		}
	};
	await back('reporter_facts', moved.facts);
	await back('reporter_log', moved.log);
	await back('reporter_notes', moved.notes);
	await back('reporter_outlet_history', moved.stints);
	if (moved.retiredFacts.length) {
		await trx.updateTable('reporter_facts').set({ retired_at: null, retired_by: null }).where('id', 'in', moved.retiredFacts).execute();
	}
	if (moved.movedLists.length) {
		await trx.updateTable('media_list_members').set({ reporter_id: restoredId }).where('reporter_id', '=', keptId).where('list_id', 'in', moved.movedLists).execute();
	}
	if (moved.droppedMemberships.length) {
		await trx
			.insertInto('media_list_members')
			.values(moved.droppedMemberships.map((m) => ({ ...m, tier: m.tier as Tier | null, reporter_id: restoredId })))
			.onConflict((oc) => oc.columns(['list_id', 'reporter_id']).doNothing())
			.execute();
	}
}

/**
 * Puts possible duplicates of a reporter in the review queue: other records with the same email
 * address or the same reading (two spellings of one Japanese name read alike). A pair a person has
 * already decided on (merged or kept apart) is not asked again. Returns how many were queued.
 */
export async function suggestDuplicates(db: Db, reporterId: number, now = new Date().toISOString()): Promise<number> {
	const mine = await db
		.selectFrom('reporter_facts')
		.select(['field', 'value_key'])
		.where('reporter_id', '=', reporterId)
		.where('retired_at', 'is', null)
		.where('field', 'in', ['email', 'reading'])
		.execute();
	const reporter = await db.selectFrom('reporters').select(['reading_key']).where('id', '=', reporterId).executeTakeFirst();
	if (!reporter) return 0;
	const emails = mine.filter((f) => f.field === 'email' && f.value_key).map((f) => f.value_key!);
	const found = new Map<number, { reason: string; score: number }>();
	if (emails.length) {
		const rows = await db
			.selectFrom('reporter_facts')
			.select('reporter_id')
			.where('field', '=', 'email')
			.where('retired_at', 'is', null)
			.where('value_key', 'in', emails)
			.where('reporter_id', '!=', reporterId)
			.execute();
		for (const r of rows) found.set(r.reporter_id, { reason: 'same_email', score: 1 });
	}
	if (reporter.reading_key) {
		const rows = await db.selectFrom('reporters').select('id').where('reading_key', '=', reporter.reading_key).where('id', '!=', reporterId).execute();
		for (const r of rows) if (!found.has(r.id)) found.set(r.id, { reason: 'same_reading', score: 0.9 });
	}
	if (!found.size) return 0;
	const decided = await db
		.selectFrom('reporter_reviews')
		.select(['reporter_id', 'candidate_id'])
		.where((eb) => eb.or([eb('reporter_id', '=', reporterId), eb('candidate_id', '=', reporterId)]))
		.execute();
	const known = new Set(decided.map((d) => (d.reporter_id === reporterId ? d.candidate_id : d.reporter_id)));
	const fresh = [...found.entries()].filter(([id]) => !known.has(id));
	if (!fresh.length) return 0;
	await db
		.insertInto('reporter_reviews')
		.values(fresh.map(([candidate, f]) => ({ reporter_id: reporterId, candidate_id: candidate, score: f.score, reason: f.reason, status: 'open' as const, resolved_by: null, resolved_at: null, created_at: now })))
		.execute();
	return fresh.length;
}

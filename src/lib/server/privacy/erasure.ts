/**
 * Erasure of a reporter (GDPR / UK GDPR art. 17, APPI art. 35): the person's personal data leaves
 * every table and the search index, while what reports count stays — articles are kept (their
 * bylines and text redacted), so article totals per outlet, topic and period do not change.
 *
 * How "every table" is kept true as the schema grows:
 * - rows that belong to the person (facts, log, notes, names, links, watches, alerts, reviews, merge
 *   records) are deleted by name; rows of other tables that reference the reporter by foreign key
 *   follow their own ON DELETE rule and are counted;
 * - then every text column of every table, found by asking the database for its tables and columns,
 *   is searched for the person's identifying strings (names in their written variants, emails,
 *   phones, postal address, handle), and each occurrence becomes "[erased]". Only the search
 *   index's own tables are skipped — the changed articles are re-indexed instead — and the tables
 *   of staff accounts, which hold no journalist's data (a namesake user must not lose their name).
 *
 * What lingers after the transaction, and what is done about it:
 * - SQLite: deleted cells are overwritten with zeros (PRAGMA secure_delete for the erasure); the
 *   contentless FTS5 index only marks deleted entries, so it is merged ('optimize') afterwards, which
 *   rewrites it without them; then the WAL is checkpointed and truncated.
 * - PostgreSQL: updated and deleted rows leave dead tuple versions until VACUUM, which runs on the
 *   touched tables after the commit. Bytes of dead tuples may stay in free space and in WAL segments
 *   until overwritten, as with any PostgreSQL delete; VACUUM FULL would rewrite the tables but locks
 *   them, so it is left to the operator's maintenance window.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, DatabaseKind } from '../db/connect';
import type { DB } from '../db/schema';
import { personKey } from '../articles/byline';
import { titleKey } from '../articles/identity';
import { recordAudit } from '../audit/audit';
import { InputError } from '../../schemas/validation';
import { indexArticles, removeFromIndex, type IndexRow } from '../search/search.index';
import { invalidateQuickFind } from '../search/quickfind';
import { activeSuppressionOf, addSuppressionKeys } from './suppression';

export const ERASED = '[erased]';
const MAX_REASON = 2000;

/** Tables never redacted: the search index (rebuilt for the changed articles) and bookkeeping. */
const SKIP_TABLES = new Set(['search_docs', 'search_meta', 'kysely_migration', 'kysely_migration_lock']);
/**
 * Staff accounts: they hold no journalist's data, and a user who shares a name with the erased
 * person must keep it.
 */
const STAFF_TABLES = new Set(['users', 'sessions', 'invitations', 'auth_throttle']);
/** Columns whose text is not readable as such (handled apart). */
const SKIP_COLUMNS = new Set(['import_uploads.data']);
/** Tables whose rows the erasure deletes or unlinks by name (others referencing reporters are counted by foreign key). */
const HANDLED_REFERENCES = new Set([
	'reporter_facts',
	'reporter_log',
	'reporter_notes',
	'reporter_outlet_history',
	'media_list_members',
	'reporter_names',
	'article_reporters',
	'watch_reporters',
	'alerts',
	'reporter_reviews',
	'suppression_flags',
	'suppressions',
	'article_identifications'
]);

export interface ErasureResult {
	erasureId: number;
	reporterId: number;
	detail: ErasureDetail;
	/** What was done after the commit to remove old copies (FTS merge, VACUUM …) and anything that failed. */
	maintenance: string[];
}

/** What erasures.detail holds: counts only. */
export interface ErasureDetail {
	/** Rows deleted, per table. */
	removed: Record<string, number>;
	/** Rows kept with the link to the person cleared, per table. */
	unlinked: Record<string, number>;
	/** Rows whose text had an identifying string replaced by "[erased]", per table. */
	redacted: Record<string, number>;
	/** Articles re-indexed for search. */
	reindexed: number;
	/** The do-not-contact entry kept (hashed name and email only), or null. */
	suppressionId: number | null;
	/** Names shared with another reporter record: redacted only in this person's own articles. */
	sharedNames: number;
}

// ---------------------------------------------------------------------------------------------
// Matching identifying strings

export type NeedleKind = 'name' | 'email' | 'phone' | 'address' | 'handle' | 'website';

export interface Needle {
	kind: NeedleKind;
	text: string;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const KIND_ORDER: readonly NeedleKind[] = ['email', 'website', 'address', 'phone', 'handle', 'name'];
const LATIN_BOUNDARY_BEFORE = '(?<![\\p{L}\\p{N}])';
const LATIN_BOUNDARY_AFTER = '(?![\\p{L}\\p{N}])';
const CJK_SEPARATOR = '[\\s\\u3000・·･]*';
const PHONE_SEPARATOR = '[\\s\\u3000\\-‐－–.()（）]*';

function escapeRegex(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function escapeLike(s: string): string {
	return s.replace(/[\\%_]/g, '\\$&');
}

/** One needle as a regex source (case-insensitive, Unicode) and the LIKE patterns that find candidate rows. */
function compileNeedle(n: Needle): { source: string; like: string[] } | null {
	const text = n.text.normalize('NFC').replace(/\s+/g, ' ').trim();
	if (!text) return null;
	switch (n.kind) {
		case 'name': {
			if (CJK.test(text)) {
				// Japanese names are written with or without a space or middle dot between family and
				// given name, and with honorifics after: match the characters with any of those between.
				const chars = [...text.replace(/[\s\u3000・·･]+/g, '')];
				if (chars.length < 2) return null;
				return { source: chars.map(escapeRegex).join(CJK_SEPARATOR), like: [`%${chars.map(escapeLike).join('%')}%`] };
			}
			const words = text.split(' ').filter(Boolean);
			if (text.length < 3) return null;
			const folded = (w: string) => w.normalize('NFD').replace(/\p{M}+/gu, '');
			const alternatives = new Set<string>();
			const likes = new Set<string>();
			for (const form of new Set([words, words.map(folded)].map((ws) => ws.join(' ')))) {
				const ws = form.split(' ');
				// "Jane Doe", "jane-doe", "jane_doe", "jane.doe", "janedoe" (URLs, handles).
				alternatives.add(ws.map(escapeRegex).join('(?:[\\s\\u3000]+|[-_.]?)'));
				likes.add(`%${ws.map(escapeLike).join('%')}%`);
				if (ws.length === 2) {
					// "Doe, Jane" in lists.
					alternatives.add(`${escapeRegex(ws[1])},?[\\s\\u3000]*${escapeRegex(ws[0])}`);
					likes.add(`%${escapeLike(ws[1])}%${escapeLike(ws[0])}%`);
				}
			}
			return { source: `${LATIN_BOUNDARY_BEFORE}(?:${[...alternatives].join('|')})${LATIN_BOUNDARY_AFTER}`, like: [...likes] };
		}
		case 'phone': {
			const digits = text.normalize('NFKC').replace(/[^0-9]/g, '');
			if (digits.length < 6) return null;
			const groups = text.normalize('NFKC').match(/[0-9]+/g) ?? [];
			const likes = new Set([`%${escapeLike(text)}%`, `%${digits}%`, `%${groups.join('%')}%`]);
			return { source: `(?<![0-9])\\+?${[...digits].join(PHONE_SEPARATOR)}(?![0-9])`, like: [...likes] };
		}
		case 'handle': {
			const h = text.replace(/^@/, '');
			if (h.length < 4) return null;
			return { source: `(?<![A-Za-z0-9_])@?${escapeRegex(h)}(?![A-Za-z0-9_])`, like: [`%${escapeLike(h)}%`] };
		}
		case 'website':
			if (text.length < 10) return null;
			return { source: escapeRegex(text), like: [`%${escapeLike(text)}%`] };
		default: {
			// Emails and addresses: as written, any run of spaces matching any other.
			if (text.length < 5) return null;
			const parts = text.split(' ');
			return { source: parts.map(escapeRegex).join('[\\s\\u3000]+'), like: [`%${parts.map(escapeLike).join('%')}%`] };
		}
	}
}

/** Finds and replaces a person's identifying strings in text. */
export class Redactor {
	readonly likePatterns: string[];
	private readonly regex: RegExp | null;

	constructor(needles: readonly Needle[]) {
		const compiled: { source: string; rank: number; length: number }[] = [];
		const likes = new Set<string>();
		for (const n of needles) {
			const c = compileNeedle(n);
			if (!c) continue;
			compiled.push({ source: c.source, rank: KIND_ORDER.indexOf(n.kind), length: n.text.length });
			for (const l of c.like) {
				likes.add(l);
				// SQLite's LIKE folds case for ASCII only: other scripts' capitals get patterns of their own.
				if (/[^\x00-\x7f]/.test(l)) {
					likes.add(l.toLowerCase());
					likes.add(l.toUpperCase());
				}
			}
		}
		// Where two needles start at the same place the first listed wins: an email before the name it
		// contains ("jane.doe@…" whole, not "[erased]@…"), a longer name before a shorter one.
		compiled.sort((a, b) => a.rank - b.rank || b.length - a.length);
		const ordered = [...new Set(compiled.map((c) => c.source))];
		this.regex = ordered.length ? new RegExp(ordered.map((s) => `(?:${s})`).join('|'), 'giu') : null;
		this.likePatterns = [...likes];
	}

	get empty(): boolean {
		return this.regex === null;
	}

	/** The text with every identifying string replaced by "[erased]". */
	redact(text: string): string {
		if (!this.regex) return text;
		this.regex.lastIndex = 0;
		return text.replace(this.regex, ERASED);
	}

	/** Whether the text holds an identifying string. */
	matches(text: string): boolean {
		if (!this.regex) return false;
		this.regex.lastIndex = 0;
		return this.regex.test(text);
	}
}

// ---------------------------------------------------------------------------------------------
// The database's own description of itself

interface TableInfo {
	name: string;
	/** Text columns. */
	columns: string[];
	/** Primary key columns, for SQLite tables without rowid. */
	key: string[] | null;
}

/** Base tables and their text columns, as the database describes them (tables added later included). */
export async function textColumnsOf(db: Kysely<DB> | Transaction<DB>, kind: DatabaseKind): Promise<TableInfo[]> {
	const out: TableInfo[] = [];
	if (kind === 'sqlite') {
		const { rows: tables } = await sql<{ name: string; sql: string | null }>`
			select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(db);
		const virtual = tables.filter((t) => /^\s*create\s+virtual\s+table/i.test(t.sql ?? '')).map((t) => t.name);
		for (const t of tables) {
			if (virtual.some((v) => t.name === v || t.name.startsWith(`${v}_`))) continue;
			const { rows: cols } = await sql<{ name: string; type: string; pk: number }>`select name, type, pk from pragma_table_info(${t.name})`.execute(db);
			const columns = cols.filter((c) => /char|clob|text/i.test(c.type) || c.type === '').map((c) => c.name);
			const withoutRowid = /without\s+rowid/i.test(t.sql ?? '');
			const key = withoutRowid ? cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name) : null;
			out.push({ name: t.name, columns, key });
		}
	} else {
		const { rows } = await sql<{ table_name: string; column_name: string; data_type: string }>`
			select c.table_name, c.column_name, c.data_type
			from information_schema.columns c
			inner join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
			where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
			order by c.table_name, c.ordinal_position`.execute(db);
		const byTable = new Map<string, string[]>();
		for (const r of rows) {
			const list = byTable.get(r.table_name) ?? [];
			if (['text', 'character varying', 'character'].includes(r.data_type)) list.push(r.column_name);
			byTable.set(r.table_name, list);
		}
		for (const [name, columns] of byTable) out.push({ name, columns, key: null });
	}
	return out;
}

/** Columns of other tables that reference reporters.id by foreign key. */
async function referencesToReporters(db: Transaction<DB>, kind: DatabaseKind, tables: string[]): Promise<{ table: string; column: string }[]> {
	const out: { table: string; column: string }[] = [];
	if (kind === 'sqlite') {
		for (const t of tables) {
			const { rows } = await sql<{ table: string; from: string }>`select "table", "from" from pragma_foreign_key_list(${t})`.execute(db);
			for (const r of rows) if (r.table === 'reporters') out.push({ table: t, column: r.from });
		}
	} else {
		const { rows } = await sql<{ table_name: string; column_name: string }>`
			select kcu.table_name, kcu.column_name
			from information_schema.referential_constraints rc
			inner join information_schema.key_column_usage kcu on kcu.constraint_name = rc.constraint_name and kcu.constraint_schema = rc.constraint_schema
			inner join information_schema.constraint_column_usage ccu on ccu.constraint_name = rc.unique_constraint_name and ccu.constraint_schema = rc.unique_constraint_schema
			where rc.constraint_schema = current_schema() and ccu.table_name = 'reporters'`.execute(db);
		for (const r of rows) out.push({ table: r.table_name, column: r.column_name });
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// The erasure

/** Everything that identifies the person: names in every form held, contact details, handle. */
async function needlesOf(trx: Transaction<DB>, reporterId: number): Promise<Needle[]> {
	const [reporter, names, facts, merges] = await Promise.all([
		trx.selectFrom('reporters').select(['display_name', 'reading', 'romanized']).where('id', '=', reporterId).executeTakeFirstOrThrow(),
		trx.selectFrom('reporter_names').select('name').where('reporter_id', '=', reporterId).execute(),
		trx.selectFrom('reporter_facts').select(['field', 'value', 'value_key']).where('reporter_id', '=', reporterId).execute(),
		trx
			.selectFrom('reporter_merges')
			.select(['merged_name', 'moved'])
			.where((eb) => eb.or([eb('kept_id', '=', reporterId), eb('merged_id', '=', reporterId)]))
			.execute()
	]);
	const out: Needle[] = [];
	const name = (s: string | null | undefined) => {
		if (s?.trim()) out.push({ kind: 'name', text: s });
	};
	name(reporter.display_name);
	name(reporter.reading);
	name(reporter.romanized);
	for (const n of names) name(n.name);
	for (const m of merges) {
		// The record folded into this one: the same person under the names it had then.
		name(m.merged_name);
		try {
			const moved = JSON.parse(m.moved) as { reporter?: { display_name?: string; reading?: string | null; romanized?: string | null } };
			name(moved.reporter?.display_name);
			name(moved.reporter?.reading);
			name(moved.reporter?.romanized);
		} catch {
			// A merge record that is not JSON holds nothing more to find; it is deleted all the same.
		}
	}
	for (const f of facts) {
		switch (f.field) {
			case 'display_name':
			case 'reading':
			case 'romanized':
				name(f.value);
				break;
			case 'email':
				out.push({ kind: 'email', text: f.value });
				if (f.value_key && f.value_key !== f.value) out.push({ kind: 'email', text: f.value_key });
				break;
			case 'phone':
				out.push({ kind: 'phone', text: f.value });
				break;
			case 'address':
				out.push({ kind: 'address', text: f.value });
				break;
			case 'x_handle':
				out.push({ kind: 'handle', text: f.value_key ?? f.value });
				break;
			case 'website':
				out.push({ kind: 'website', text: f.value });
				break;
		}
	}
	return out;
}

/** Counts rows deleted by a Kysely delete/update result. */
const n = (r: { numDeletedRows?: bigint; numUpdatedRows?: bigint }) => Number(r.numDeletedRows ?? r.numUpdatedRows ?? 0);

/**
 * Erase a reporter: their personal data leaves every table and index; articles stay (redacted) so
 * that report totals do not change. A do-not-contact entry is kept — only hashes of the name and
 * emails — when the person was on the list, and by default also when not (`keepSuppressed`), so
 * that an import that brings them back is flagged rather than silently collecting their data again.
 * Records an `erasures` row (counts only) and an audit entry (ids only).
 */
export async function eraseReporter(
	database: Pick<Database, 'db' | 'kind'>,
	userId: number,
	reporterId: number,
	reason: string,
	options: { keepSuppressed?: boolean } = {}
): Promise<ErasureResult> {
	const { db, kind } = database;
	const why = reason.normalize('NFC').trim();
	if (!why) throw new InputError({ reason: 'error_required' });
	if (why.length > MAX_REASON) throw new InputError({ reason: 'error_too_long' });
	const keepSuppressed = options.keepSuppressed ?? true;
	const maintenance: string[] = [];

	let previousSecureDelete: number | null = null;
	if (kind === 'sqlite') {
		const { rows } = await sql<{ secure_delete: number }>`pragma secure_delete`.execute(db);
		previousSecureDelete = Number(rows[0]?.secure_delete ?? 0);
		await sql`pragma secure_delete = 1`.execute(db);
	}
	let touched: Set<string>;
	let result: Omit<ErasureResult, 'maintenance'>;
	try {
		({ result, touched } = await db.transaction().execute((trx) => eraseInTransaction(trx, kind, userId, reporterId, why, keepSuppressed)));
		invalidateQuickFind(db);
		if (kind === 'sqlite') {
			// Deleted FTS5 entries are only marked deleted in the contentless index; merging every
			// segment into one writes the index again without them (secure_delete zeroes the old pages).
			await sql`insert into search_fts (search_fts) values ('optimize')`.execute(db);
			maintenance.push('fts5 optimize');
			const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
			maintenance.push(rows[0]?.busy ? 'wal checkpoint: busy (readers); the WAL is overwritten later' : 'wal checkpoint (truncate)');
		}
	} finally {
		if (kind === 'sqlite' && previousSecureDelete !== null) await sql.raw(`pragma secure_delete = ${previousSecureDelete}`).execute(db);
	}
	if (kind === 'postgres') {
		// Outside any transaction (VACUUM cannot run in one): dead row versions holding the old text go.
		const tables = [...new Set([...touched, 'search_docs'])].sort();
		try {
			await sql`vacuum ${sql.join(tables.map((t) => sql.id(t)))}`.execute(db);
			maintenance.push(`vacuum ${tables.join(', ')}`);
		} catch (e) {
			// The erasure is committed; an operator can vacuum later. Said, not hidden.
			const message = e instanceof Error ? e.message : String(e);
			maintenance.push(`vacuum failed: ${message}`);
			console.warn(`tegami: erasure ${result.erasureId}: VACUUM failed (${message}); run VACUUM on ${tables.join(', ')}`);
		}
	}
	return { ...result, maintenance };
}

async function eraseInTransaction(
	trx: Transaction<DB>,
	kind: DatabaseKind,
	userId: number,
	reporterId: number,
	reason: string,
	keepSuppressed: boolean
): Promise<{ result: Omit<ErasureResult, 'maintenance'>; touched: Set<string> }> {
	const reporter = await trx.selectFrom('reporters').select(['id', 'name_key']).where('id', '=', reporterId).executeTakeFirst();
	if (!reporter) {
		const erased = await trx.selectFrom('erasures').select('id').where('reporter_id', '=', reporterId).executeTakeFirst();
		throw new InputError({ reporter: erased ? 'privacy_error_already_erased' : 'error_not_found' });
	}
	const now = new Date().toISOString();
	const removed: Record<string, number> = {};
	const unlinked: Record<string, number> = {};
	const redacted: Record<string, number> = {};
	const touched = new Set<string>();
	const count = (into: Record<string, number>, table: string, k: number) => {
		if (k > 0) {
			into[table] = (into[table] ?? 0) + k;
			touched.add(table);
		}
	};

	const needles = await needlesOf(trx, reporterId);
	// A name another record also has (a namesake at another paper) identifies that person too: it is
	// redacted in this person's own articles only, never in the other record or elsewhere.
	const nameKeys = [...new Set(needles.filter((x) => x.kind === 'name').map((x) => personKey(x.text)).filter(Boolean))];
	const shared = new Set<string>();
	for (let i = 0; i < nameKeys.length; i += 500) {
		const chunk = nameKeys.slice(i, i + 500);
		const rows = await trx
			.selectFrom('reporter_names')
			.select('name_key')
			.where('name_key', 'in', chunk)
			.where('reporter_id', '!=', reporterId)
			.union(trx.selectFrom('reporters').select('name_key').where('name_key', 'in', chunk).where('id', '!=', reporterId))
			.execute();
		for (const r of rows) shared.add(r.name_key);
	}
	const own = new Redactor(needles);
	const everywhere = new Redactor(needles.filter((x) => x.kind !== 'name' || !shared.has(personKey(x.text))));

	// The do-not-contact entry outlives the record: refresh its keys with every name and email held now.
	let suppressionId: number | null = (await activeSuppressionOf(trx, reporterId))?.id ?? null;
	if (suppressionId === null && keepSuppressed) {
		const row = await trx
			.insertInto('suppressions')
			.values({ reporter_id: reporterId, reason: 'Erasure request', requested_on: null, user_id: userId, created_at: now, lifted_at: null, lifted_by: null })
			.returning('id')
			.executeTakeFirstOrThrow();
		suppressionId = row.id;
		await recordAudit(trx, { actorUserId: userId, action: 'reporter.suppressed', subjectType: 'reporter', subjectId: reporterId, detail: { suppression: row.id, erasure: true } });
	}
	const active = await trx.selectFrom('suppressions').select('id').where('reporter_id', '=', reporterId).where('lifted_at', 'is', null).execute();
	for (const s of active) await addSuppressionKeys(trx, s.id, [reporterId]);

	const ownArticles = new Set(
		(await trx.selectFrom('article_reporters').select('article_id').where('reporter_id', '=', reporterId).execute()).map((r) => r.article_id)
	);

	// Rows that are the person's.
	for (const table of ['reporter_facts', 'reporter_log', 'reporter_notes', 'reporter_outlet_history', 'media_list_members', 'reporter_names', 'article_reporters', 'watch_reporters', 'alerts', 'suppression_flags'] as const) {
		count(removed, table, n(await trx.deleteFrom(table).where('reporter_id', '=', reporterId).executeTakeFirst()));
	}
	count(removed, 'reporter_reviews', n(await trx.deleteFrom('reporter_reviews').where((eb) => eb.or([eb('reporter_id', '=', reporterId), eb('candidate_id', '=', reporterId)])).executeTakeFirst()));
	count(removed, 'reporter_merges', n(await trx.deleteFrom('reporter_merges').where((eb) => eb.or([eb('kept_id', '=', reporterId), eb('merged_id', '=', reporterId)])).executeTakeFirst()));
	// Who wrote an unsigned article stays "identified" (a count), but no longer who, and the note of how goes.
	count(unlinked, 'article_identifications', n(await trx.updateTable('article_identifications').set({ reporter_id: null, note: null }).where('reporter_id', '=', reporterId).executeTakeFirst()));
	count(unlinked, 'suppressions', n(await trx.updateTable('suppressions').set({ reporter_id: null }).where('reporter_id', '=', reporterId).executeTakeFirst()));

	// Tables added later that point at reporters follow their own ON DELETE rule; counted here.
	const tables = await textColumnsOf(trx, kind);
	for (const ref of await referencesToReporters(trx, kind, tables.map((t) => t.name))) {
		if (HANDLED_REFERENCES.has(ref.table)) continue;
		const { rows } = await sql<{ c: number }>`select count(*) as c from ${sql.id(ref.table)} where ${sql.id(ref.column)} = ${reporterId}`.execute(trx);
		count(unlinked, `${ref.table}.${ref.column}`, Number(rows[0]?.c ?? 0));
	}
	count(removed, 'reporters', n(await trx.deleteFrom('reporters').where('id', '=', reporterId).executeTakeFirst()));

	// Files waiting for their column mapping are kept as base64: read, and dropped when they name the person.
	const uploads = await trx.selectFrom('import_uploads').select(['token', 'data']).execute();
	const dropUploads = uploads.filter((u) => {
		const bytes = Buffer.from(u.data, 'base64');
		return own.matches(new TextDecoder('utf-8').decode(bytes)) || own.matches(new TextDecoder('shift_jis').decode(bytes));
	});
	for (const u of dropUploads) count(removed, 'import_uploads', n(await trx.deleteFrom('import_uploads').where('token', '=', u.token).executeTakeFirst()));

	// Every text column of every other table.
	const changedArticles = new Set<number>();
	if (!own.empty) {
		for (const t of tables) {
			if (SKIP_TABLES.has(t.name) || STAFF_TABLES.has(t.name)) continue;
			const columns = t.columns.filter((c) => !SKIP_COLUMNS.has(`${t.name}.${c}`));
			if (!columns.length) continue;
			const k = await redactTable(trx, kind, t, columns, own, everywhere, ownArticles, changedArticles);
			count(redacted, t.name, k);
		}
	}
	// A byline the name variants did not catch (an unusual form) still goes: the article was theirs.
	const leftover = [...ownArticles].length
		? await trx
				.selectFrom('articles')
				.select(['id', 'byline_raw'])
				.where('id', 'in', [...ownArticles])
				.where('byline_raw', 'is not', null)
				.execute()
		: [];
	for (const a of leftover) {
		if (a.byline_raw && !a.byline_raw.includes(ERASED)) {
			await trx.updateTable('articles').set({ byline_raw: ERASED, updated_at: now }).where('id', '=', a.id).execute();
			if (!changedArticles.has(a.id)) count(redacted, 'articles', 1);
			changedArticles.add(a.id);
		}
	}

	// The index holds the old words: the changed articles are indexed again from their new text.
	const ids = [...changedArticles];
	if (ids.length) {
		await removeFromIndex(trx, kind, ids);
		for (let i = 0; i < ids.length; i += 500) {
			const rows = await trx
				.selectFrom('articles')
				.select(['id', 'title', 'body', 'published_at', 'created_at', 'outlet_id', 'lang', 'signed'])
				.where('id', 'in', ids.slice(i, i + 500))
				.execute();
			await indexArticles(
				trx,
				kind,
				rows.map((a): IndexRow => ({ id: a.id, title: a.title, body: a.body, publishedAt: a.published_at, createdAt: a.created_at, outletId: a.outlet_id, lang: a.lang, signed: a.signed === 1 }))
			);
		}
		touched.add('search_docs');
	}

	const detail: ErasureDetail = { removed, unlinked, redacted, reindexed: ids.length, suppressionId, sharedNames: shared.size };
	const erasure = await trx
		.insertInto('erasures')
		// The reason as typed may name the person.
		.values({ reporter_id: reporterId, user_id: userId, reason: own.redact(reason), detail: JSON.stringify(detail), created_at: now })
		.returning('id')
		.executeTakeFirstOrThrow();
	await recordAudit(trx, { actorUserId: userId, action: 'reporter.erased', subjectType: 'reporter', subjectId: reporterId, detail: { erasure: erasure.id } });
	return { result: { erasureId: erasure.id, reporterId, detail }, touched };
}

/**
 * Redacts one table: candidate rows found by LIKE (cheap, coarse), each value rewritten by the
 * regex (exact). Articles of the person get every name; other rows only names nobody else has.
 * Returns the number of rows changed.
 */
async function redactTable(
	trx: Transaction<DB>,
	kind: DatabaseKind,
	table: TableInfo,
	columns: string[],
	own: Redactor,
	everywhere: Redactor,
	ownArticles: Set<number>,
	changedArticles: Set<number>
): Promise<number> {
	const patterns = own.likePatterns;
	const conditions =
		kind === 'sqlite'
			? columns.flatMap((c) => patterns.map((p) => sql`${sql.id(c)} like ${p} escape '\\'`))
			: columns.map((c) => sql`${sql.id(c)} ilike any(${patterns}::text[])`);
	const key = table.key;
	const rid = kind === 'sqlite' ? (key ? sql.join(key.map((c) => sql.id(c))) : sql`rowid`) : sql`ctid::text`;
	const isArticles = table.name === 'articles';
	const extra = isArticles ? sql`, ${sql.id('id')} as __id` : sql``;
	// PostgreSQL: rows locked as read, so that their ctid stays theirs until the update.
	const lock = kind === 'postgres' ? sql` for update` : sql``;
	// SQLite evaluates at most a few hundred OR terms cheaply; more go in several statements.
	const groups: (typeof conditions)[] = [];
	for (let i = 0; i < conditions.length; i += 200) groups.push(conditions.slice(i, i + 200));
	const seen = new Set<string>();
	let changed = 0;
	for (const group of groups) {
		const { rows } = await sql<Record<string, unknown>>`
			select ${rid}${kind === 'sqlite' && !key ? sql` as __rid` : kind === 'postgres' ? sql` as __rid` : sql``}, ${sql.join(columns.map((c) => sql.id(c)))}${extra}
			from ${sql.id(table.name)} where ${sql.join(group, sql` or `)}${lock}`.execute(trx);
		for (const row of rows) {
			const rowKey = key ? JSON.stringify(key.map((c) => row[c])) : String(row.__rid);
			if (seen.has(rowKey)) continue;
			seen.add(rowKey);
			const articleId = isArticles ? Number(row.__id) : null;
			const redactor = articleId !== null && ownArticles.has(articleId) ? own : everywhere;
			const set: Record<string, string> = {};
			for (const c of columns) {
				const v = row[c];
				if (typeof v !== 'string') continue;
				const r = redactor.redact(v);
				if (r !== v) set[c] = r;
			}
			if (!Object.keys(set).length) continue;
			if (isArticles) {
				// An article may exist only once per dedupe key; a key made from a redacted title or URL
				// could meet another's, so the id makes it unique. (The original, imported again, is then
				// a new article — and its byline is checked against the do-not-contact list.)
				const title = set.title;
				const dedupe = typeof row.dedupe_key === 'string' ? row.dedupe_key : null;
				if (dedupe && (set.dedupe_key || (title && dedupe.startsWith('t:')))) {
					const base = set.dedupe_key ?? dedupe;
					const parts = base.split('|');
					if (title && base.startsWith('t:')) parts[0] = `t:${titleKey(title)}`;
					set.dedupe_key = `${parts.join('|')}|erased-${articleId}`;
				}
				set.updated_at = new Date().toISOString();
				changedArticles.add(articleId!);
			}
			const assignments = sql.join(Object.entries(set).map(([c, v]) => sql`${sql.id(c)} = ${v}`));
			const where =
				kind === 'postgres'
					? sql`ctid = ${String(row.__rid)}::tid`
					: key
						? sql.join(key.map((c) => sql`${sql.id(c)} = ${row[c] as string | number}`), sql` and `)
						: sql`rowid = ${Number(row.__rid)}`;
			await sql`update ${sql.id(table.name)} set ${assignments} where ${where}`.execute(trx);
			changed++;
		}
	}
	return changed;
}

/** The erasure record of a reporter id that no longer exists, for the page that follows an erasure. */
export async function getErasureOf(db: Kysely<DB>, reporterId: number) {
	const row = await db
		.selectFrom('erasures')
		.leftJoin('users', 'users.id', 'erasures.user_id')
		.select(['erasures.id', 'erasures.reporter_id', 'erasures.reason', 'erasures.detail', 'erasures.created_at', 'users.display_name as user_name'])
		.where('erasures.reporter_id', '=', reporterId)
		.orderBy('erasures.id', 'desc')
		.executeTakeFirst();
	return row ? { ...row, detail: JSON.parse(row.detail) as ErasureDetail } : undefined;
}

/** What an erasure of this reporter would delete or unlink, per table (for the confirmation step). */
export async function erasurePreview(db: Kysely<DB>, reporterId: number): Promise<{ counts: Record<string, number>; articles: number }> {
	const byReporter = ['reporter_facts', 'reporter_names', 'reporter_notes', 'reporter_log', 'reporter_outlet_history', 'media_list_members', 'article_identifications', 'watch_reporters', 'alerts'] as const;
	const counted = await Promise.all(
		byReporter.map(async (table) => {
			const row = await db
				.selectFrom(table)
				.select((eb) => eb.fn.countAll<number>().as('n'))
				.where('reporter_id', '=', reporterId)
				.executeTakeFirstOrThrow();
			return [table, Number(row.n)] as const;
		})
	);
	const [articles, merges] = await Promise.all([
		db.selectFrom('article_reporters').select((eb) => eb.fn.countAll<number>().as('n')).where('reporter_id', '=', reporterId).executeTakeFirstOrThrow(),
		db
			.selectFrom('reporter_merges')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.where((eb) => eb.or([eb('kept_id', '=', reporterId), eb('merged_id', '=', reporterId)]))
			.executeTakeFirstOrThrow()
	]);
	const counts: Record<string, number> = Object.fromEntries(counted.filter(([, c]) => c > 0));
	if (Number(merges.n)) counts.reporter_merges = Number(merges.n);
	return { counts, articles: Number(articles.n) };
}

/**
 * The do-not-contact list. A suppression belongs to a reporter record while the record exists; it
 * also keeps SHA-256 hashes of the person's normalised names and emails (suppression_keys), so that
 * it outlives an erasure: an import or list import that brings the person back is flagged
 * (suppression_flags) for a person to look at, and until someone has looked, the new record counts
 * as suppressed too.
 *
 * A hash of a name is pseudonymous, not anonymous: whoever holds the database can test a guessed
 * name against it. That is the least the list can keep and still recognise the person.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { personKey } from '../articles/byline';
import { recordAudit } from '../audit/audit';
import { InputError } from '../../schemas/validation';

type Db = Kysely<DB> | Transaction<DB>;

export const MAX_REASON = 2000;
/** Keys per statement: well inside both databases' limits on bound parameters. */
const CHUNK = 500;

export interface SuppressInput {
	/** Why (e.g. "asked by phone not to receive releases"). Required. */
	reason: string;
	/** YYYY-MM-DD, the day the person asked; null when unknown. */
	requestedOn: string | null;
}

export type SuppressionKeyKind = 'name' | 'email';

/** SHA-256 hex of a comparison key (what suppression_keys.key_hash holds). */
export function hashKey(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The comparable form of an email: trimmed, lower-case; null when empty. */
export function emailKey(email: string | null | undefined): string | null {
	const e = (email ?? '').normalize('NFKC').trim().toLowerCase();
	return e || null;
}

/** Every name and email a reporter record holds, as comparison keys (names through personKey). */
export async function identityKeysOf(db: Db, reporterIds: readonly number[]): Promise<{ kind: SuppressionKeyKind; key: string }[]> {
	if (!reporterIds.length) return [];
	const ids = [...new Set(reporterIds)];
	const [reporters, names, facts] = await Promise.all([
		db.selectFrom('reporters').select(['display_name', 'name_key', 'reading', 'romanized']).where('id', 'in', ids).execute(),
		db.selectFrom('reporter_names').select(['name', 'name_key']).where('reporter_id', 'in', ids).execute(),
		// Retired facts too: an old address or spelling is still this person's.
		db
			.selectFrom('reporter_facts')
			.select(['field', 'value', 'value_key'])
			.where('reporter_id', 'in', ids)
			.where('field', 'in', ['email', 'display_name', 'reading', 'romanized'])
			.execute()
	]);
	const nameKeys = new Set<string>();
	const addName = (s: string | null | undefined) => {
		const k = s ? personKey(s) : '';
		if (k) nameKeys.add(k);
	};
	for (const r of reporters) {
		nameKeys.add(r.name_key);
		addName(r.display_name);
		addName(r.reading);
		addName(r.romanized);
	}
	for (const n of names) {
		nameKeys.add(n.name_key);
		addName(n.name);
	}
	const emails = new Set<string>();
	for (const f of facts) {
		if (f.field === 'email') {
			const e = emailKey(f.value_key ?? f.value);
			if (e) emails.add(e);
		} else addName(f.value);
	}
	nameKeys.delete('');
	return [...[...nameKeys].map((key) => ({ kind: 'name' as const, key })), ...[...emails].map((key) => ({ kind: 'email' as const, key }))];
}

/** Adds the hashed names and emails of `reporterIds` to a suppression (keys already there are kept). */
export async function addSuppressionKeys(db: Db, suppressionId: number, reporterIds: readonly number[]): Promise<number> {
	const keys = await identityKeysOf(db, reporterIds);
	const rows = [...new Map(keys.map((k) => [`${k.kind}:${hashKey(k.key)}`, { suppression_id: suppressionId, kind: k.kind, key_hash: hashKey(k.key) }])).values()];
	for (let i = 0; i < rows.length; i += CHUNK) {
		await db
			.insertInto('suppression_keys')
			.values(rows.slice(i, i + CHUNK))
			.onConflict((oc) => oc.columns(['suppression_id', 'kind', 'key_hash']).doNothing())
			.execute();
	}
	return rows.length;
}

/** YYYY-MM-DD naming a day that exists (Date.parse accepts 2026-02-30). */
function isCalendarDate(s: string): boolean {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
	const d = new Date(`${s}T00:00:00.000Z`);
	return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function checkInput(input: SuppressInput): { reason: string; requestedOn: string | null } {
	const issues: Record<string, string> = {};
	const reason = input.reason.normalize('NFC').trim();
	if (!reason) issues.reason = 'error_required';
	else if (reason.length > MAX_REASON) issues.reason = 'error_too_long';
	const requestedOn = input.requestedOn?.trim() || null;
	if (requestedOn && !isCalendarDate(requestedOn)) issues.requestedOn = 'error_date_invalid';
	else if (requestedOn && requestedOn > new Date().toISOString().slice(0, 10)) issues.requestedOn = 'suppression_error_future_date';
	if (Object.keys(issues).length) throw new InputError(issues);
	return { reason, requestedOn };
}

/** The active suppression of a reporter, or undefined. */
export function activeSuppressionOf(db: Db, reporterId: number) {
	return db
		.selectFrom('suppressions')
		.selectAll()
		.where('reporter_id', '=', reporterId)
		.where('lifted_at', 'is', null)
		.orderBy('id')
		.executeTakeFirst();
}

/**
 * Put a reporter on the do-not-contact list, with the reason and the day they asked. Refused when
 * the reporter is already on it (the existing entry says since when and why).
 */
export async function suppress(db: Kysely<DB>, userId: number, reporterId: number, input: SuppressInput): Promise<number> {
	const { reason, requestedOn } = checkInput(input);
	return db.transaction().execute(async (trx) => {
		const reporter = await trx.selectFrom('reporters').select('id').where('id', '=', reporterId).executeTakeFirst();
		if (!reporter) throw new InputError({ reporter: 'error_not_found' });
		if (await activeSuppressionOf(trx, reporterId)) throw new InputError({ reporter: 'suppression_error_already' });
		const now = new Date().toISOString();
		const row = await trx
			.insertInto('suppressions')
			.values({ reporter_id: reporterId, reason, requested_on: requestedOn, user_id: userId, created_at: now, lifted_at: null, lifted_by: null })
			.returning('id')
			.executeTakeFirstOrThrow();
		await addSuppressionKeys(trx, row.id, [reporterId]);
		// Someone deciding a flagged record is the suppressed person has now dealt with its flags.
		await trx.updateTable('suppression_flags').set({ resolved_at: now, resolved_by: userId }).where('reporter_id', '=', reporterId).where('resolved_at', 'is', null).execute();
		await recordAudit(trx, { actorUserId: userId, action: 'reporter.suppressed', subjectType: 'reporter', subjectId: reporterId, detail: { suppression: row.id } });
		return row.id;
	});
}

/**
 * Take a reporter off the do-not-contact list (they said they may be contacted again). The entry
 * stays as history; its hashed keys go, as nothing needs to recognise the person any more.
 */
export async function lift(db: Kysely<DB>, userId: number, reporterId: number): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const active = await trx.selectFrom('suppressions').select('id').where('reporter_id', '=', reporterId).where('lifted_at', 'is', null).execute();
		if (!active.length) throw new InputError({ reporter: 'suppression_error_not_suppressed' });
		const ids = active.map((s) => s.id);
		const now = new Date().toISOString();
		await trx.updateTable('suppressions').set({ lifted_at: now, lifted_by: userId }).where('id', 'in', ids).execute();
		await trx.deleteFrom('suppression_keys').where('suppression_id', 'in', ids).execute();
		await trx.updateTable('suppression_flags').set({ resolved_at: now, resolved_by: userId }).where('suppression_id', 'in', ids).where('resolved_at', 'is', null).execute();
		await recordAudit(trx, { actorUserId: userId, action: 'reporter.unsuppressed', subjectType: 'reporter', subjectId: reporterId, detail: { suppressions: ids.join(',') } });
	});
}

/**
 * Whether a reporter must not be contacted: on the list, or a record an import flagged as matching
 * someone on it that nobody has looked at yet.
 */
export async function isSuppressed(db: Db, reporterId: number): Promise<boolean> {
	const { rows } = await sql<{ n: number }>`select 1 as n where ${suppressedReporterCondition(sql`${reporterId}`)}`.execute(db);
	return rows.length > 0;
}

/**
 * An SQL condition, valid on SQLite and PostgreSQL, true when the reporter id at `reporterIdRef`
 * must not be contacted (see isSuppressed). The subquery is uncorrelated, so each database
 * evaluates it once per statement and probes it per row, whatever the number of rows tested.
 */
export function suppressedReporterCondition(reporterIdRef: RawBuilder<unknown>): RawBuilder<unknown> {
	// Neither branch yields NULL: `x not in (…, NULL)` would be NULL and exclude every row.
	return sql`${reporterIdRef} in (
		select s.reporter_id from suppressions s where s.lifted_at is null and s.reporter_id is not null
		union all
		select f.reporter_id from suppression_flags f inner join suppressions fs on fs.id = f.suppression_id
		where f.resolved_at is null and fs.lifted_at is null and f.reporter_id is not null)`;
}

/** Someone an import is about to add or has just added, described by what it knows of them. */
export interface SuppressionCandidate {
	reporterId?: number;
	/** personKey() of their name. */
	nameKey?: string;
	emails?: string[];
}

export interface SuppressionMatch {
	/** Index into the candidates given. */
	index: number;
	suppressionId: number;
	/** The suppressed record, when it still exists (null after an erasure). */
	suppressedReporterId: number | null;
	matchedBy: 'reporter' | 'name' | 'email';
	/** The flag recorded (an open flag for the same thing is reused). */
	flagId: number;
}

/**
 * Which candidates match an active suppression — by record, hashed name or hashed email — each
 * with a suppression_flags row (`context` says where they came from, e.g. "article:123"). One
 * query for the whole batch; flags are only written when something matches.
 */
export async function checkSuppressedPeople(db: Db, candidates: readonly SuppressionCandidate[], context: string): Promise<SuppressionMatch[]> {
	if (!candidates.length) return [];
	const ids = new Set<number>();
	const nameHashes = new Map<string, number[]>();
	const emailHashes = new Map<string, number[]>();
	const push = (m: Map<string, number[]>, k: string, i: number) => {
		const list = m.get(k);
		if (list) list.push(i);
		else m.set(k, [i]);
	};
	candidates.forEach((c, i) => {
		if (c.reporterId !== undefined) ids.add(c.reporterId);
		if (c.nameKey) push(nameHashes, hashKey(c.nameKey), i);
		for (const e of c.emails ?? []) {
			const k = emailKey(e);
			if (k) push(emailHashes, hashKey(k), i);
		}
	});
	type Hit = { suppression_id: number; reporter_id: number | null; kind: string | null; key_hash: string | null };
	const hits: Hit[] = [];
	const idList = [...ids];
	const names = [...nameHashes.keys()];
	const emails = [...emailHashes.keys()];
	const rounds = Math.max(1, Math.ceil(Math.max(idList.length, names.length, emails.length) / CHUNK));
	for (let r = 0; r < rounds; r++) {
		const ri = idList.slice(r * CHUNK, (r + 1) * CHUNK);
		const rn = names.slice(r * CHUNK, (r + 1) * CHUNK);
		const re = emails.slice(r * CHUNK, (r + 1) * CHUNK);
		const byRecord = ri.length
			? sql`select s.id as suppression_id, s.reporter_id as reporter_id, null as kind, null as key_hash
				from suppressions s where s.lifted_at is null and s.reporter_id in (${sql.join(ri)})`
			: null;
		const keyConds = [
			rn.length ? sql`(k.kind = 'name' and k.key_hash in (${sql.join(rn)}))` : null,
			re.length ? sql`(k.kind = 'email' and k.key_hash in (${sql.join(re)}))` : null
		].filter((c): c is RawBuilder<unknown> => c !== null);
		const byKey = keyConds.length
			? sql`select s.id as suppression_id, s.reporter_id as reporter_id, k.kind as kind, k.key_hash as key_hash
				from suppression_keys k inner join suppressions s on s.id = k.suppression_id
				where s.lifted_at is null and (${sql.join(keyConds, sql` or `)})`
			: null;
		const query = byRecord && byKey ? sql`${byRecord} union all ${byKey}` : (byRecord ?? byKey);
		if (!query) continue;
		const { rows } = await sql<Hit>`${query}`.execute(db);
		hits.push(...rows);
	}
	if (!hits.length) return [];

	// One match per candidate and suppression: by record first, then email, then name.
	const rank = { reporter: 0, email: 1, name: 2 } as const;
	const best = new Map<string, Omit<SuppressionMatch, 'flagId'>>();
	const consider = (index: number, h: Hit, matchedBy: SuppressionMatch['matchedBy']) => {
		const k = `${index}:${h.suppression_id}`;
		const prev = best.get(k);
		if (!prev || rank[matchedBy] < rank[prev.matchedBy]) best.set(k, { index, suppressionId: h.suppression_id, suppressedReporterId: h.reporter_id, matchedBy });
	};
	for (const h of hits) {
		if (h.kind === null) {
			candidates.forEach((c, i) => {
				if (c.reporterId !== undefined && c.reporterId === h.reporter_id) consider(i, h, 'reporter');
			});
		} else if (h.kind === 'name') {
			for (const i of nameHashes.get(h.key_hash!) ?? []) consider(i, h, 'name');
		} else {
			for (const i of emailHashes.get(h.key_hash!) ?? []) consider(i, h, 'email');
		}
	}
	const matches = [...best.values()].sort((a, b) => a.index - b.index || a.suppressionId - b.suppressionId);

	// An open flag for the same suppression, record and context is reused, so a repeated run adds none.
	const now = new Date().toISOString();
	const open = await db
		.selectFrom('suppression_flags')
		.select(['id', 'suppression_id', 'reporter_id'])
		.where('suppression_id', 'in', [...new Set(matches.map((m) => m.suppressionId))])
		.where('context', '=', context)
		.where('resolved_at', 'is', null)
		.execute();
	const openKey = (s: number, r: number | null) => `${s}:${r ?? ''}`;
	const openIds = new Map(open.map((f) => [openKey(f.suppression_id, f.reporter_id), f.id]));
	const out: SuppressionMatch[] = [];
	for (const m of matches) {
		const reporterId = candidates[m.index].reporterId ?? null;
		const key = openKey(m.suppressionId, reporterId);
		let flagId = openIds.get(key);
		if (flagId === undefined) {
			const row = await db
				.insertInto('suppression_flags')
				.values({ suppression_id: m.suppressionId, reporter_id: reporterId, context: context.slice(0, 500), created_at: now, resolved_at: null, resolved_by: null })
				.returning('id')
				.executeTakeFirstOrThrow();
			flagId = row.id;
			openIds.set(key, flagId);
		}
		out.push({ ...m, flagId });
	}
	return out;
}

/** Open flags (newest first), optionally those of one reporter record. */
export function listOpenFlags(db: Db, options: { reporterId?: number; limit?: number } = {}) {
	let q = db
		.selectFrom('suppression_flags as f')
		.innerJoin('suppressions as s', 's.id', 'f.suppression_id')
		.leftJoin('reporters as r', 'r.id', 'f.reporter_id')
		.select([
			'f.id',
			'f.context',
			'f.created_at',
			'f.reporter_id',
			'r.display_name as reporter_name',
			's.id as suppression_id',
			's.reporter_id as suppressed_reporter_id',
			's.requested_on',
			's.created_at as suppressed_at'
		])
		.where('f.resolved_at', 'is', null)
		.where('s.lifted_at', 'is', null);
	if (options.reporterId !== undefined) q = q.where('f.reporter_id', '=', options.reporterId);
	return q.orderBy('f.id', 'desc').limit(options.limit ?? 200).execute();
}

export type FlagDecision = 'same_person' | 'different_person';

/**
 * A person has looked at a flag. 'same_person': the flagged record is the suppressed person, so it
 * goes on the list too (taking over the entry of an erased record). 'different_person': a namesake;
 * the record may be contacted.
 */
export async function resolveFlag(db: Kysely<DB>, userId: number, flagId: number, decision: FlagDecision): Promise<void> {
	if (decision !== 'same_person' && decision !== 'different_person') throw new InputError({ decision: 'suppression_error_decision' });
	await db.transaction().execute(async (trx) => {
		const flag = await trx
			.selectFrom('suppression_flags as f')
			.innerJoin('suppressions as s', 's.id', 'f.suppression_id')
			.select(['f.id', 'f.reporter_id', 'f.suppression_id', 's.reporter_id as suppressed_reporter_id', 's.reason', 's.requested_on'])
			.where('f.id', '=', flagId)
			.where('f.resolved_at', 'is', null)
			.executeTakeFirst();
		if (!flag) throw new InputError({ flag: 'error_not_found' });
		const now = new Date().toISOString();
		await trx.updateTable('suppression_flags').set({ resolved_at: now, resolved_by: userId }).where('id', '=', flagId).execute();
		if (decision === 'same_person' && flag.reporter_id !== null && !(await activeSuppressionOf(trx, flag.reporter_id))) {
			let suppressionId = flag.suppression_id;
			if (flag.suppressed_reporter_id === null) {
				await trx.updateTable('suppressions').set({ reporter_id: flag.reporter_id }).where('id', '=', flag.suppression_id).execute();
			} else {
				const row = await trx
					.insertInto('suppressions')
					.values({ reporter_id: flag.reporter_id, reason: flag.reason, requested_on: flag.requested_on, user_id: userId, created_at: now, lifted_at: null, lifted_by: null })
					.returning('id')
					.executeTakeFirstOrThrow();
				suppressionId = row.id;
			}
			await addSuppressionKeys(trx, suppressionId, [flag.reporter_id]);
			await recordAudit(trx, { actorUserId: userId, action: 'reporter.suppressed', subjectType: 'reporter', subjectId: flag.reporter_id, detail: { suppression: suppressionId, flag: flagId } });
		}
		await recordAudit(trx, {
			actorUserId: userId,
			action: 'suppression.flag_resolved',
			subjectType: 'suppression_flag',
			subjectId: flagId,
			detail: { decision, reporter: flag.reporter_id, suppression: flag.suppression_id }
		});
	});
}

/**
 * Call inside a merge, after names and facts have moved to `keptId` and before `mergedId` is
 * deleted: the person asked not to be contacted, whichever record they asked through, so a
 * suppression of either record ends up on the kept one, with the keys of both.
 */
export async function carrySuppressionOnMerge(trx: Db, keptId: number, mergedId: number, userId: number | null = null): Promise<void> {
	const keptWasSuppressed = !!(await activeSuppressionOf(trx, keptId));
	// History (lifted entries) moves too: it is about the same person.
	await trx.updateTable('suppressions').set({ reporter_id: keptId }).where('reporter_id', '=', mergedId).execute();
	await trx.updateTable('suppression_flags').set({ reporter_id: keptId }).where('reporter_id', '=', mergedId).execute();
	const active = await trx.selectFrom('suppressions').select('id').where('reporter_id', '=', keptId).where('lifted_at', 'is', null).execute();
	for (const s of active) await addSuppressionKeys(trx, s.id, [keptId, mergedId]);
	if (active.length && !keptWasSuppressed) {
		await recordAudit(trx as Kysely<DB>, {
			actorUserId: userId,
			action: 'reporter.suppressed',
			subjectType: 'reporter',
			subjectId: keptId,
			detail: { suppression: active[0].id, mergedFrom: mergedId }
		});
	}
}

/** The suppression history of a record (newest first), with who entered and lifted each entry. */
export function suppressionHistory(db: Db, reporterId: number) {
	return db
		.selectFrom('suppressions as s')
		.leftJoin('users as u', 'u.id', 's.user_id')
		.leftJoin('users as l', 'l.id', 's.lifted_by')
		.select(['s.id', 's.reason', 's.requested_on', 's.created_at', 's.lifted_at', 'u.display_name as user_name', 'l.display_name as lifted_by_name'])
		.where('s.reporter_id', '=', reporterId)
		.orderBy('s.id', 'desc')
		.execute();
}

/**
 * Reading the audit log (admins): newest first, filtered, a page at a time by id so that paging
 * stays cheap however long the log grows. Entries hold ids, never the personal data itself.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilter {
	action?: string | null;
	subjectType?: string | null;
	subjectId?: string | null;
	actorUserId?: number | null;
	/** Entries older than this id (the next page) … */
	before?: number | null;
	/** … or newer than this one (the previous page). */
	after?: number | null;
	limit?: number;
}

/** One page of entries, newest first, with whether older and newer entries exist beyond it. */
export async function listAuditEntries(db: Kysely<DB>, filter: AuditFilter) {
	const limit = Math.min(Math.max(filter.limit ?? AUDIT_PAGE_SIZE, 1), 200);
	let q = db
		.selectFrom('audit_log')
		.leftJoin('users', 'users.id', 'audit_log.actor_user_id')
		.select([
			'audit_log.id',
			'audit_log.at',
			'audit_log.action',
			'audit_log.subject_type',
			'audit_log.subject_id',
			'audit_log.ip',
			'audit_log.detail',
			'audit_log.actor_user_id',
			'users.display_name as actor_name',
			'users.role as actor_role'
		]);
	if (filter.action) q = q.where('audit_log.action', '=', filter.action);
	if (filter.subjectType) q = q.where('audit_log.subject_type', '=', filter.subjectType);
	if (filter.subjectId) q = q.where('audit_log.subject_id', '=', filter.subjectId);
	if (filter.actorUserId) q = q.where('audit_log.actor_user_id', '=', filter.actorUserId);
	const backwards = !filter.before && !!filter.after;
	if (filter.before) q = q.where('audit_log.id', '<', filter.before);
	else if (filter.after) q = q.where('audit_log.id', '>', filter.after);
	// One more than a page tells whether there is another page in that direction.
	const rows = await q
		.orderBy('audit_log.id', backwards ? 'asc' : 'desc')
		.limit(limit + 1)
		.execute();
	const more = rows.length > limit;
	const page = rows.slice(0, limit);
	if (backwards) page.reverse();
	return {
		entries: page,
		hasOlder: backwards ? !!filter.after : more,
		hasNewer: backwards ? more : !!filter.before
	};
}

/** The actions and subject types that occur in the log, for the filter menus. */
export async function auditFilterChoices(db: Kysely<DB>) {
	const [actions, subjectTypes, actors] = await Promise.all([
		db.selectFrom('audit_log').select('action').distinct().orderBy('action').execute(),
		db.selectFrom('audit_log').select('subject_type').distinct().where('subject_type', 'is not', null).orderBy('subject_type').execute(),
		db.selectFrom('users').select(['id', 'display_name', 'role']).orderBy('display_name').execute()
	]);
	return {
		actions: actions.map((a) => a.action),
		subjectTypes: subjectTypes.map((s) => s.subject_type!),
		actors: actors.map((u) => ({ id: u.id, name: u.display_name, role: u.role }))
	};
}

import { requireRole } from '$lib/server/auth/guards';
import { auditFilterChoices, listAuditEntries } from '$lib/server/privacy/audit-log';
import { parseId } from '$lib/schemas/validation';
import type { PageServerLoad } from './$types';

const CODE = /^[a-z_.]{1,64}$/;
const SUBJECT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const db = event.locals.database.db;
	const p = event.url.searchParams;
	const text = (name: string, pattern: RegExp) => {
		const v = (p.get(name) ?? '').trim();
		return pattern.test(v) ? v : null;
	};
	const filter = {
		action: text('action', CODE),
		subjectType: text('subjectType', CODE),
		subjectId: text('subjectId', SUBJECT_ID),
		actorUserId: parseId(p.get('actor'))
	};
	// A subject id typed but not usable is said, rather than silently ignored.
	const subjectIdInvalid = !!(p.get('subjectId') ?? '').trim() && !filter.subjectId;
	const [page, choices] = await Promise.all([
		listAuditEntries(db, { ...filter, before: parseId(p.get('before')), after: parseId(p.get('after')) }),
		auditFilterChoices(db)
	]);
	return {
		filter,
		subjectIdInvalid,
		choices,
		entries: page.entries.map((e) => ({
			id: e.id,
			at: e.at,
			action: e.action,
			subjectType: e.subject_type,
			subjectId: e.subject_id,
			ip: e.ip,
			detail: e.detail,
			actorId: e.actor_user_id,
			actorName: e.actor_name,
			actorRole: e.actor_role
		})),
		hasOlder: page.hasOlder,
		hasNewer: page.hasNewer
	};
};

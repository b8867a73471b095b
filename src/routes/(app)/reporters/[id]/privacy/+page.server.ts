import { error, fail, redirect } from '@sveltejs/kit';
import { requireRole, requireStaff } from '$lib/server/auth/guards';
import { activeSuppressionOf, lift, listOpenFlags, resolveFlag, suppress, suppressionHistory, type FlagDecision } from '$lib/server/privacy/suppression';
import { eraseReporter, erasurePreview, getErasureOf } from '$lib/server/privacy/erasure';
import { InputError, field, parseId, type Issues } from '$lib/schemas/validation';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOTICES = ['suppressed', 'lifted', 'flag_resolved', 'erased'] as const;
type Notice = (typeof NOTICES)[number];

function reporterId(event: Pick<RequestEvent, 'params'>): number {
	const id = parseId(event.params.id);
	if (!id) error(404, 'Not found');
	return id;
}

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const id = reporterId(event);
	const db = event.locals.database.db;
	const isAdmin = user.role === 'admin';
	const reporter = await db.selectFrom('reporters').select(['id', 'display_name', 'reading']).where('id', '=', id).executeTakeFirst();
	if (!reporter) {
		// After an erasure the record is gone; an admin sees what was removed (counts only).
		const erasure = isAdmin ? await getErasureOf(db, id) : undefined;
		if (!erasure) error(404, 'Not found');
		return {
			reporter: null,
			erasure: { id: erasure.id, reason: erasure.reason, createdAt: erasure.created_at, userName: erasure.user_name, detail: erasure.detail },
			notice: null,
			isAdmin,
			canChange: false
		};
	}
	const [active, history, flags, preview] = await Promise.all([
		activeSuppressionOf(db, id),
		suppressionHistory(db, id),
		listOpenFlags(db, { reporterId: id }),
		isAdmin ? erasurePreview(db, id) : Promise.resolve(null)
	]);
	const suppressedRecords = flags.flatMap((f) => (f.suppressed_reporter_id !== null ? [f.suppressed_reporter_id] : []));
	const names = suppressedRecords.length
		? new Map((await db.selectFrom('reporters').select(['id', 'display_name']).where('id', 'in', suppressedRecords).execute()).map((r) => [r.id, r.display_name]))
		: new Map<number, string>();
	const notice = event.url.searchParams.get('notice');
	const activeEntry = active ? history.find((h) => h.id === active.id) : undefined;
	return {
		reporter: { id: reporter.id, name: reporter.display_name, reading: reporter.reading },
		erasure: null,
		suppression: activeEntry
			? { id: activeEntry.id, reason: activeEntry.reason, requestedOn: activeEntry.requested_on, createdAt: activeEntry.created_at, userName: activeEntry.user_name }
			: null,
		history: history
			.filter((h) => h.lifted_at !== null)
			.map((h) => ({ id: h.id, reason: h.reason, createdAt: h.created_at, liftedAt: h.lifted_at!, liftedBy: h.lifted_by_name })),
		flags: flags.map((f) => ({
			id: f.id,
			context: f.context,
			createdAt: f.created_at,
			suppressedReporterId: f.suppressed_reporter_id,
			suppressedReporterName: f.suppressed_reporter_id !== null ? (names.get(f.suppressed_reporter_id) ?? null) : null
		})),
		preview,
		notice: NOTICES.includes(notice as Notice) ? (notice as Notice) : null,
		isAdmin,
		canChange: user.role === 'admin' || user.role === 'agent'
	};
};

/** Names compared as a person types them: width, case and spacing do not matter. */
function sameName(typed: string, name: string): boolean {
	const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
	return norm(typed) !== '' && norm(typed) === norm(name);
}

export const actions: Actions = {
	/** Put the reporter on the do-not-contact list. */
	suppress: async (event) => {
		const user = requireRole(event, 'admin', 'agent');
		const id = reporterId(event);
		const data = await event.request.formData();
		const values = { reason: field(data, 'reason'), requestedOn: field(data, 'requestedOn') };
		try {
			await suppress(event.locals.database.db, user.id, id, { reason: values.reason, requestedOn: values.requestedOn || null });
		} catch (e) {
			if (e instanceof InputError) {
				if (e.issues.reporter === 'error_not_found') error(404, 'Not found');
				return fail(400, { action: 'suppress' as const, values, issues: e.issues });
			}
			throw e;
		}
		redirect(303, `/reporters/${id}/privacy?notice=suppressed`);
	},

	/** Take the reporter off the list (they said they may be contacted again). */
	lift: async (event) => {
		const user = requireRole(event, 'admin', 'agent');
		const id = reporterId(event);
		try {
			await lift(event.locals.database.db, user.id, id);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'lift' as const, issues: e.issues });
			throw e;
		}
		redirect(303, `/reporters/${id}/privacy?notice=lifted`);
	},

	/** Someone looked at an import's flag: the same person (stays suppressed) or a namesake. */
	resolve: async (event) => {
		const user = requireRole(event, 'admin', 'agent');
		const id = reporterId(event);
		const data = await event.request.formData();
		const flagId = parseId(field(data, 'flagId'));
		const db = event.locals.database.db;
		// Only a flag of this record, so that a forged id cannot close another record's flag from here.
		const flags = await listOpenFlags(db, { reporterId: id });
		if (!flagId || !flags.some((f) => f.id === flagId)) return fail(400, { action: 'resolve' as const, issues: { flag: 'error_not_found' } as Issues });
		try {
			await resolveFlag(db, user.id, flagId, field(data, 'decision') as FlagDecision);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'resolve' as const, issues: e.issues });
			throw e;
		}
		redirect(303, `/reporters/${id}/privacy?notice=flag_resolved`);
	},

	/** Erase the reporter, once the admin has typed their name. */
	erase: async (event) => {
		const admin = requireRole(event, 'admin');
		const id = reporterId(event);
		const data = await event.request.formData();
		const values = { reason: field(data, 'reason'), keepSuppressed: field(data, 'keepSuppressed') === 'yes' };
		const database = event.locals.database;
		const reporter = await database.db.selectFrom('reporters').select('display_name').where('id', '=', id).executeTakeFirst();
		if (!reporter) error(404, 'Not found');
		const issues: Issues = {};
		if (!sameName(field(data, 'confirmName'), reporter.display_name)) issues.confirmName = 'privacy_error_confirm_name';
		if (!values.reason) issues.reason = 'error_required';
		if (Object.keys(issues).length) return fail(400, { action: 'erase' as const, values, issues });
		try {
			await eraseReporter(database, admin.id, id, values.reason, { keepSuppressed: values.keepSuppressed });
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'erase' as const, values, issues: e.issues });
			throw e;
		}
		redirect(303, `/reporters/${id}/privacy?notice=erased`);
	}
};

import { fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { getArticleTitles, listIdentifyQueue } from '$lib/server/articles/articles.repository';
import { getOutlet, updateOutletContact } from '$lib/server/outlets/outlets.repository';
import { IDENTIFICATION_METHODS, dismissIdentifyTask, identifyWriter, listReporters } from '$lib/server/reporters/reporters.service';
import type { IdentificationMethod } from '$lib/server/db/schema';
import { InputError, field, parseId, type Issues } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

/** Today on the server's calendar, as a date input wants it. */
function today(): string {
	const d = new Date();
	return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Digits with the usual separators: "03-1234-5678", "+81 3 1234 5678", "(03) 1234-5678". */
const PHONE = /^\+?[0-9()\-.\s]{6,30}$/;

/** Every field of the page's forms as sent, so one shape serves each form's errors. */
function echo(data: FormData) {
	return {
		articleId: field(data, 'articleId'),
		reporterId: field(data, 'reporterId'),
		newReporterName: field(data, 'newReporterName'),
		method: field(data, 'method'),
		learnedOn: field(data, 'learnedOn'),
		note: field(data, 'note'),
		outletId: field(data, 'outletId'),
		deskPhone: field(data, 'deskPhone')
	};
}

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const db = event.locals.database.db;
	const queue = await listIdentifyQueue(db);
	const groups = new Map<
		number | null,
		{ outletId: number | null; outletName: string | null; deskPhone: string | null; articles: typeof queue }
	>();
	for (const a of queue) {
		let g = groups.get(a.outlet_id);
		if (!g) {
			g = { outletId: a.outlet_id, outletName: a.outlet_name, deskPhone: a.outlet_desk_phone, articles: [] };
			groups.set(a.outlet_id, g);
		}
		g.articles.push(a);
	}
	// One query per outlet on the page (a handful), started together.
	const outletIds = [...groups.keys()].filter((id): id is number => id !== null);
	const reporterLists = await Promise.all(outletIds.map((outletId) => listReporters(db, { outletId })));
	const reportersByOutlet = new Map(
		outletIds.map((id, i) => [id, reporterLists[i].map((r) => ({ id: r.id, name: r.display_name }))])
	);

	const query = event.url.searchParams;
	const identified = parseId(query.get('identified'));
	const dismissed = parseId(query.get('dismissed'));
	const noticeId = identified ?? dismissed;
	const titles = noticeId ? await getArticleTitles(db, [noticeId]) : new Map<number, string>();
	const noticeTitle = noticeId ? titles.get(noticeId) : undefined;

	return {
		groups: [...groups.values()].map((g) => ({
			...g,
			reporters: g.outletId !== null ? (reportersByOutlet.get(g.outletId) ?? []) : []
		})),
		methods: [...IDENTIFICATION_METHODS],
		today: today(),
		notice:
			noticeId && noticeTitle !== undefined
				? { kind: identified ? ('identified' as const) : ('dismissed' as const), articleId: noticeId, title: noticeTitle }
				: query.get('phone') === 'saved'
					? { kind: 'phone' as const, articleId: null, title: null }
					: null
	};
};

export const actions: Actions = {
	/** Record who wrote an unsigned article and how we learned it. */
	identify: async (event) => {
		const user = requireStaff(event);
		const data = await event.request.formData();
		const values = echo(data);
		const articleId = parseId(values.articleId);
		const reporterId = values.reporterId ? parseId(values.reporterId) : null;
		const issues: Issues = {};
		if (!articleId) issues.articleId = 'error_not_found';
		if (values.reporterId && !reporterId) issues.reporter = 'error_not_found';
		if (reporterId && values.newReporterName) issues.reporter = 'identify_error_choose_one';
		if (!reporterId && !values.newReporterName) issues.reporter = 'error_reporter_required';
		if (values.newReporterName.length > 120) issues.newReporterName = 'error_too_long';
		if (values.note.length > 2000) issues.note = 'error_too_long';
		if (Object.keys(issues).length) return fail(400, { action: 'identify', values, issues });
		try {
			await identifyWriter(event.locals.database.db, user.id, {
				articleId: articleId!,
				reporterId,
				newReporterName: reporterId ? null : values.newReporterName,
				method: values.method as IdentificationMethod,
				learnedOn: values.learnedOn,
				note: values.note || null
			});
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'identify', values, issues: e.issues });
			throw e;
		}
		redirect(303, `/articles/identify?identified=${articleId}`);
	},

	/** "Not needed": off the list without a writer (an editorial, a notice). */
	dismiss: async (event) => {
		const user = requireStaff(event);
		const data = await event.request.formData();
		const values = echo(data);
		const articleId = parseId(values.articleId);
		if (!articleId) return fail(400, { action: 'dismiss', values, issues: { articleId: 'error_not_found' } as Issues });
		try {
			await dismissIdentifyTask(event.locals.database.db, user.id, articleId);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'dismiss', values, issues: e.issues });
			throw e;
		}
		redirect(303, `/articles/identify?dismissed=${articleId}`);
	},

	/** Keep the desk's phone number on the outlet, so the next call is one click. */
	phone: async (event) => {
		requireStaff(event);
		const data = await event.request.formData();
		const values = echo(data);
		const outletId = parseId(values.outletId);
		const outlet = outletId ? await getOutlet(event.locals.database.db, outletId) : undefined;
		if (!outlet) return fail(400, { action: 'phone', values, issues: { outletId: 'error_not_found' } as Issues });
		if (!values.deskPhone) return fail(400, { action: 'phone', values, issues: { deskPhone: 'error_required' } as Issues });
		if (!PHONE.test(values.deskPhone) || (values.deskPhone.match(/\d/g)?.length ?? 0) < 6) {
			return fail(400, { action: 'phone', values, issues: { deskPhone: 'identify_error_phone' } as Issues });
		}
		await updateOutletContact(event.locals.database.db, outlet.id, { desk_phone: values.deskPhone });
		redirect(303, `/articles/identify?phone=saved#outlet-${outlet.id}`);
	}
};

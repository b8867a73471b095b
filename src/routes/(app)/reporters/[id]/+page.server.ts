import { error, fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { getArticleTitles, listArticles } from '$lib/server/articles/articles.repository';
import { getReporter, listMergesInto, splitMerge } from '$lib/server/reporters/reporters.service';
import {
	addFact,
	addLogEntry,
	addNote,
	addOutletHistory,
	articlesByMonth,
	deleteNote,
	listFacts,
	listLog,
	listNotes,
	listsOfReporter,
	outletHistory,
	reporterTopics,
	retireFact
} from '$lib/server/reporters/records';
import { reporterKeyTerms } from '$lib/server/reporters/key-terms';
import { addMember, listLists } from '$lib/server/lists/lists.service';
import { recordAudit } from '$lib/server/audit/audit';
import { listClients } from '$lib/server/clients/clients.repository';
import { listOutlets } from '$lib/server/outlets/outlets.repository';
import { getWatchList, unwatchReporter, watchReporter } from '$lib/server/topics/alerts.service';
import { InputError, field, parseId, type Issues } from '$lib/schemas/validation';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOTICES = ['fact_added', 'fact_retired', 'log_added', 'note_added', 'note_deleted', 'stint_added', 'listed'] as const;

function reporterId(event: RequestEvent | Parameters<PageServerLoad>[0]): number {
	const id = parseId(event.params.id);
	if (!id) error(404, 'Not found');
	return id;
}

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const id = reporterId(event);
	const db = event.locals.database.db;
	const reporter = await getReporter(db, id);
	if (!reporter) error(404, 'Not found');
	const [articles, merges, watchList, facts, stints, log, notes, lists, months, topics, terms, clients, outlets, allLists] = await Promise.all([
		listArticles(db, { reporterId: id, limit: 200 }),
		listMergesInto(db, id),
		getWatchList(db, user.id),
		listFacts(db, id, { includeRetired: true }),
		outletHistory(db, id),
		listLog(db, id),
		listNotes(db, id),
		listsOfReporter(db, id),
		articlesByMonth(db, id),
		reporterTopics(db, id),
		reporterKeyTerms(db, id),
		listClients(db),
		listOutlets(db),
		listLists(db)
	]);
	const suppressed = await db
		.selectFrom('suppressions')
		.select(['id', 'reason', 'requested_on', 'created_at'])
		.where('reporter_id', '=', id)
		.where('lifted_at', 'is', null)
		.executeTakeFirst();
	// Personal data was looked at: who and which record, never what was shown.
	await recordAudit(db, { actorUserId: user.id, action: 'reporter.viewed', subjectType: 'reporter', subjectId: id, ip: event.getClientAddress() });
	const articleIds = reporter.names.flatMap((n) => (n.article_id ? [n.article_id] : []));
	if (reporter.created_from_article_id) articleIds.push(reporter.created_from_article_id);
	const titles = await getArticleTitles(db, articleIds);
	const notice = event.url.searchParams.get('notice');
	const newest = stints.find((s) => s.source === 'bylines');
	return {
		reporter: {
			...reporter,
			created_from_title: reporter.created_from_article_id ? (titles.get(reporter.created_from_article_id) ?? null) : null,
			names: reporter.names.map((n) => ({ ...n, article_title: n.article_id ? (titles.get(n.article_id) ?? null) : null }))
		},
		articles,
		merges,
		split: parseId(event.url.searchParams.get('split')),
		watching: watchList.reporters.some((w) => w.id === id),
		facts,
		stints,
		// The latest byline is at another outlet than the record's: a move, perhaps.
		moveHint: newest && reporter.outlet_id !== null && newest.outletId !== reporter.outlet_id ? { outlet: newest.outlet, at: newest.to } : null,
		log,
		notes,
		lists,
		months,
		topics: topics.map((t) => ({ id: t.id, name: t.name, count: Number(t.n) })),
		terms,
		suppressed: suppressed ?? null,
		clients: clients.map((c) => ({ id: c.id, name: c.name })),
		outlets: outlets.map((o) => ({ id: o.id, name: o.name })),
		allLists: allLists.filter((l) => !lists.some((x) => x.id === l.id)).map((l) => ({ id: l.id, name: l.name })),
		notice: (NOTICES as readonly string[]).includes(notice ?? '') ? notice : null,
		today: new Date().toISOString().slice(0, 10)
	};
};

/** Runs a change and answers as forms expect: back to the page with a notice, or the form's issues. */
async function change(event: RequestEvent, work: (data: FormData, userId: number, id: number) => Promise<unknown>, notice: (typeof NOTICES)[number]) {
	const user = requireStaff(event);
	const id = reporterId(event);
	const data = await event.request.formData();
	try {
		await work(data, user.id, id);
	} catch (e) {
		if (e instanceof InputError) return fail(400, { issues: e.issues, action: notice, values: Object.fromEntries([...data.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string> });
		throw e;
	}
	await recordAudit(event.locals.database.db, { actorUserId: user.id, action: 'reporter.updated', subjectType: 'reporter', subjectId: id, detail: { change: notice } });
	redirect(303, `/reporters/${id}?notice=${notice}`);
}

export const actions: Actions = {
	/** Alerts on Today when this reporter writes about a topic the user watches. */
	watch: async (event) => {
		const user = requireStaff(event);
		const id = reporterId(event);
		await watchReporter(event.locals.database.db, user.id, id);
		redirect(303, `/reporters/${id}`);
	},

	unwatch: async (event) => {
		const user = requireStaff(event);
		const id = reporterId(event);
		await unwatchReporter(event.locals.database.db, user.id, id);
		redirect(303, `/reporters/${id}`);
	},

	/** Undo a merge into this record: the other reporter comes back with what it brought. */
	split: async (event) => {
		const user = requireStaff(event);
		const id = reporterId(event);
		const data = await event.request.formData();
		const mergeId = parseId(field(data, 'mergeId'));
		if (!mergeId) return fail(400, { issues: { merge: 'error_not_found' } as Issues });
		let restored: number;
		try {
			restored = await splitMerge(event.locals.database.db, user.id, mergeId);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { issues: e.issues });
			throw e;
		}
		redirect(303, `/reporters/${id}?split=${restored}`);
	},

	addFact: (event) =>
		change(
			event,
			(data, userId, id) =>
				addFact(event.locals.database.db, userId, id, {
					field: field(data, 'field'),
					value: field(data, 'value'),
					label: field(data, 'label'),
					note: field(data, 'note'),
					source: field(data, 'source'),
					learnedOn: field(data, 'learnedOn')
				}),
			'fact_added'
		),

	retireFact: (event) =>
		change(
			event,
			async (data, userId, id) => {
				const factId = parseId(field(data, 'factId'));
				if (!factId) throw new InputError({ fact: 'error_not_found' });
				await retireFact(event.locals.database.db, userId, id, factId);
			},
			'fact_retired'
		),

	addLog: (event) =>
		change(
			event,
			(data, userId, id) =>
				addLogEntry(event.locals.database.db, userId, id, {
					kind: field(data, 'kind'),
					body: field(data, 'body'),
					statedOn: field(data, 'statedOn'),
					clientId: field(data, 'clientId') ? (parseId(field(data, 'clientId')) ?? -1) : null,
					source: field(data, 'source')
				}),
			'log_added'
		),

	addToList: (event) =>
		change(
			event,
			async (data, userId, id) => {
				const listId = parseId(field(data, 'listId'));
				if (!listId) throw new InputError({ list: 'error_not_found' });
				await addMember(event.locals.database.db, userId, listId, id, { tier: field(data, 'tier'), note: field(data, 'note') });
			},
			'listed'
		),

	addNote: (event) => change(event, (data, userId, id) => addNote(event.locals.database.db, userId, id, field(data, 'note')), 'note_added'),

	deleteNote: (event) =>
		change(
			event,
			async (data, _userId, id) => {
				const noteId = parseId(field(data, 'noteId'));
				if (!noteId) throw new InputError({ note: 'error_not_found' });
				await deleteNote(event.locals.database.db, id, noteId);
			},
			'note_deleted'
		),

	addStint: (event) =>
		change(
			event,
			async (data, userId, id) => {
				const outletId = parseId(field(data, 'outletId'));
				if (!outletId) throw new InputError({ outletId: 'error_not_found' });
				await addOutletHistory(event.locals.database.db, userId, id, {
					outletId,
					role: field(data, 'role'),
					startedOn: field(data, 'startedOn'),
					endedOn: field(data, 'endedOn'),
					source: field(data, 'source')
				});
			},
			'stint_added'
		)
};

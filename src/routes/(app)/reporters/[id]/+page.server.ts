import { error, fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { getArticleTitles, listArticles } from '$lib/server/articles/articles.repository';
import { getReporter, listMergesInto, splitMerge } from '$lib/server/reporters/reporters.service';
import { getWatchList, unwatchReporter, watchReporter } from '$lib/server/topics/alerts.service';
import { InputError, field, parseId, type Issues } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const id = parseId(event.params.id);
	if (!id) error(404, 'Not found');
	const db = event.locals.database.db;
	const [reporter, articles, merges, watchList] = await Promise.all([
		getReporter(db, id),
		listArticles(db, { reporterId: id, limit: 200 }),
		listMergesInto(db, id),
		getWatchList(db, user.id)
	]);
	if (!reporter) error(404, 'Not found');
	const articleIds = reporter.names.flatMap((n) => (n.article_id ? [n.article_id] : []));
	if (reporter.created_from_article_id) articleIds.push(reporter.created_from_article_id);
	const titles = await getArticleTitles(db, articleIds);
	const split = parseId(event.url.searchParams.get('split'));
	return {
		reporter: {
			...reporter,
			created_from_title: reporter.created_from_article_id ? (titles.get(reporter.created_from_article_id) ?? null) : null,
			names: reporter.names.map((n) => ({ ...n, article_title: n.article_id ? (titles.get(n.article_id) ?? null) : null }))
		},
		articles,
		merges,
		split,
		watching: watchList.reporters.some((w) => w.id === id)
	};
};

export const actions: Actions = {
	/** Alerts on Today when this reporter writes about a topic the user watches. */
	watch: async (event) => {
		const user = requireStaff(event);
		const id = parseId(event.params.id);
		if (!id) error(404, 'Not found');
		await watchReporter(event.locals.database.db, user.id, id);
		redirect(303, `/reporters/${id}`);
	},

	unwatch: async (event) => {
		const user = requireStaff(event);
		const id = parseId(event.params.id);
		if (!id) error(404, 'Not found');
		await unwatchReporter(event.locals.database.db, user.id, id);
		redirect(303, `/reporters/${id}`);
	},

	/** Undo a merge into this record: the other reporter comes back with what it brought. */
	split: async (event) => {
		const user = requireStaff(event);
		const id = parseId(event.params.id);
		if (!id) error(404, 'Not found');
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
	}
};

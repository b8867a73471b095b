import { fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import {
	getOpenReview,
	keepApart,
	listReviews,
	mergeReporters,
	recentArticlesOfReporters
} from '$lib/server/reporters/reporters.service';
import { InputError, field, parseId, type Issues } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const db = event.locals.database.db;
	const reviews = await listReviews(db);
	// A couple of titles per record help tell a namesake from the same person: one query for all.
	const recent = await recentArticlesOfReporters(db, reviews.flatMap((r) => [r.reporter_id, r.candidate_id]), 2);
	const query = event.url.searchParams;
	const merged = parseId(query.get('merged'));
	return {
		reviews: reviews.map((r) => ({
			...r,
			reporter_articles: recent.get(r.reporter_id) ?? [],
			candidate_articles: recent.get(r.candidate_id) ?? []
		})),
		notice: merged ? { kind: 'merged' as const, reporterId: merged } : query.get('apart') ? { kind: 'apart' as const, reporterId: null } : null
	};
};

/** The open review a button names, or a form error when it was decided meanwhile (another tab). */
async function postedReview(event: Parameters<Actions[string]>[0]) {
	const data = await event.request.formData();
	const id = parseId(field(data, 'reviewId'));
	return id ? await getOpenReview(event.locals.database.db, id) : undefined;
}

const decided = () => fail(400, { issues: { review: 'review_error_decided' } as Issues });

export const actions: Actions = {
	/** Same person: the newer record folds into the existing (older) one; a merge can be split again. */
	merge: async (event) => {
		const user = requireStaff(event);
		const review = await postedReview(event);
		if (!review) return decided();
		try {
			await mergeReporters(event.locals.database.db, user.id, review.candidate_id, review.reporter_id);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { issues: e.issues });
			throw e;
		}
		redirect(303, `/reporters/review?merged=${review.candidate_id}`);
	},

	/** Different people: the pair is not put to anyone again. */
	apart: async (event) => {
		const user = requireStaff(event);
		const review = await postedReview(event);
		if (!review) return decided();
		try {
			await keepApart(event.locals.database.db, user.id, review.id);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { issues: e.issues });
			throw e;
		}
		redirect(303, '/reporters/review?apart=1');
	}
};

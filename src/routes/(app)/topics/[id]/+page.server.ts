import { error, fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import {
	confirmTopic,
	deleteTopic,
	getTopicJobProgress,
	getTopicOverview,
	listSuggestions,
	parseTopicForm,
	rejectTopic,
	retrainSuggestions,
	updateTopic
} from '$lib/server/topics/topics.service';
import { getWatchList, unwatchTopic, watchTopic } from '$lib/server/topics/alerts.service';
import { InputError, field, parseId } from '$lib/schemas/validation';
import { echoTopicForm, shownRule, topicFormFailure } from '../topic-form.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOTICES = ['created', 'saved', 'reapplying', 'watching', 'unwatched', 'accepted', 'rejected'] as const;
type Notice = (typeof NOTICES)[number];

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const db = event.locals.database.db;
	const id = parseId(event.params.id);
	const overview = id ? await getTopicOverview(db, id) : undefined;
	if (!id || !overview) error(404, 'Not found');
	const [suggestions, job, watchList] = await Promise.all([
		listSuggestions(db, id),
		getTopicJobProgress(db, id),
		getWatchList(db, user.id)
	]);
	const notice = event.url.searchParams.get('notice');
	const t = overview.topic;
	return {
		topic: {
			id: t.id,
			name: t.name,
			nameReading: t.name_reading,
			description: t.description,
			rule: t.rule,
			shownRule: shownRule(t.rule),
			ruleError: t.rule_error
		},
		counts: overview.counts,
		months: overview.months,
		topReporters: overview.topReporters,
		topOutlets: overview.topOutlets,
		recent: overview.recent,
		suggestionCount: Number(overview.suggestions),
		suggestions: suggestions.map((s) => ({
			articleId: s.article_id,
			title: s.title,
			lang: s.lang,
			outlet: s.outlet_name,
			publishedAt: s.published_at,
			percent: Math.round(Number(s.confidence) * 100)
		})),
		reapplying: overview.reapplying,
		job: job ? { status: job.status, processed: Number(job.processed), total: Number(job.total), error: job.error } : null,
		watching: watchList.topics.some((w) => w.id === id),
		notice: NOTICES.includes(notice as Notice) ? (notice as Notice) : null
	};
};

function topicId(event: RequestEvent): number {
	const id = parseId(event.params.id);
	if (!id) error(404, 'Not found');
	return id;
}

/** The article an Accept or Reject button is about. */
async function articleOf(event: RequestEvent): Promise<number | null> {
	return parseId(field(await event.request.formData(), 'articleId'));
}

export const actions: Actions = {
	/** Saves the topic; a changed rule is re-applied to the whole index in the background. */
	update: async (event) => {
		requireStaff(event);
		const id = topicId(event);
		const data = await event.request.formData();
		const values = echoTopicForm(data);
		let ruleChanged: boolean;
		try {
			({ ruleChanged } = await updateTopic(event.locals.database.db, id, parseTopicForm(data)));
		} catch (e) {
			if (e instanceof InputError) return topicFormFailure(e, values, event.locals.locale);
			throw e;
		}
		redirect(303, `/topics/${id}?notice=${ruleChanged ? 'reapplying' : 'saved'}`);
	},

	/** Deletes the topic once the confirmation box is ticked (a confirm step that needs no JavaScript). */
	delete: async (event) => {
		requireStaff(event);
		const id = topicId(event);
		const data = await event.request.formData();
		if (field(data, 'confirm') !== 'yes') return fail(400, { deleteIssue: 'topics_delete_confirm_required' });
		await deleteTopic(event.locals.database.db, id);
		redirect(303, '/topics');
	},

	watch: async (event) => {
		const user = requireStaff(event);
		const id = topicId(event);
		await watchTopic(event.locals.database.db, user.id, id);
		redirect(303, `/topics/${id}?notice=watching`);
	},

	unwatch: async (event) => {
		const user = requireStaff(event);
		const id = topicId(event);
		await unwatchTopic(event.locals.database.db, user.id, id);
		redirect(303, `/topics/${id}?notice=unwatched`);
	},

	/** A suggestion accepted: the article joins the topic and becomes a training example. */
	accept: async (event) => {
		const user = requireStaff(event);
		const id = topicId(event);
		const articleId = await articleOf(event);
		if (!articleId) return fail(400, { suggestionIssue: 'error_not_found' });
		try {
			await confirmTopic(event.locals.database.db, user.id, articleId, id);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { suggestionIssue: 'error_not_found' });
			throw e;
		}
		redirect(303, `/topics/${id}?notice=accepted#suggestions-heading`);
	},

	/** A suggestion rejected: it is not suggested again and teaches the model what the topic is not. */
	reject: async (event) => {
		const user = requireStaff(event);
		const id = topicId(event);
		const articleId = await articleOf(event);
		if (!articleId) return fail(400, { suggestionIssue: 'error_not_found' });
		try {
			await rejectTopic(event.locals.database.db, user.id, articleId, id);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { suggestionIssue: 'error_not_found' });
			throw e;
		}
		redirect(303, `/topics/${id}?notice=rejected#suggestions-heading`);
	},

	/** Trains the suggestion model again on every confirmation and rejection, and says what came of it. */
	retrain: async (event) => {
		requireStaff(event);
		topicId(event);
		const result = await retrainSuggestions(event.locals.database);
		return { retrained: result };
	}
};

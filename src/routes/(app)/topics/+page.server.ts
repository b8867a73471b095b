import { redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { createTopic, listTopics, parseTopicForm } from '$lib/server/topics/topics.service';
import { InputError } from '$lib/schemas/validation';
import { echoTopicForm, shownRule, topicFormFailure } from './topic-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const topics = await listTopics(event.locals.database.db);
	return {
		topics: topics.map((t) => ({
			id: t.id,
			name: t.name,
			nameReading: t.name_reading,
			rule: shownRule(t.rule),
			articleCount: t.article_count,
			reapplying: t.reapplying
		}))
	};
};

export const actions: Actions = {
	/** Creates a topic; its rule is applied to the whole index in the background. */
	default: async (event) => {
		const user = requireStaff(event);
		const data = await event.request.formData();
		const values = echoTopicForm(data);
		let id: number;
		try {
			id = await createTopic(event.locals.database.db, user.id, parseTopicForm(data));
		} catch (e) {
			if (e instanceof InputError) return topicFormFailure(e, values, event.locals.locale);
			throw e;
		}
		redirect(303, `/topics/${id}?notice=created`);
	}
};

import { error, fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { getArticle } from '$lib/server/articles/articles.repository';
import { listTopicsOfArticle } from '$lib/server/topics/topics.repository';
import { listTopics, tagArticle, untagArticle } from '$lib/server/topics/topics.service';
import { InputError, field, parseId } from '$lib/schemas/validation';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const id = parseId(event.params.id);
	const article = id ? await getArticle(event.locals.database.db, id) : undefined;
	if (!id || !article) error(404, 'Not found');
	const notice = event.url.searchParams.get('notice');
	const [topics, allTopics] = await Promise.all([
		listTopicsOfArticle(event.locals.database.db, id),
		listTopics(event.locals.database.db)
	]);
	return {
		article,
		notice: notice === 'created' || notice === 'duplicate' ? notice : null,
		topics,
		otherTopics: allTopics.filter((t) => !topics.some((x) => x.id === t.id)).map((t) => ({ id: t.id, name: t.name }))
	};
};

/** Tags or untags the article with the posted topic, then shows the article's topics again. */
async function changeTag(event: RequestEvent, change: typeof tagArticle | typeof untagArticle) {
	const user = requireStaff(event);
	const id = parseId(event.params.id);
	if (!id) error(404, 'Not found');
	const topicId = parseId(field(await event.request.formData(), 'topicId'));
	if (!topicId) return fail(400, { topicIssue: 'error_required' });
	try {
		await change(event.locals.database.db, user.id, id, topicId);
	} catch (e) {
		if (e instanceof InputError) return fail(400, { topicIssue: 'error_not_found' });
		throw e;
	}
	redirect(303, `/articles/${id}#article-topics-heading`);
}

export const actions: Actions = {
	tag: (event) => changeTag(event, tagArticle),
	untag: (event) => changeTag(event, untagArticle)
};

import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { getArticle } from '$lib/server/articles/articles.repository';
import { parseId } from '$lib/schemas/validation';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const id = parseId(event.params.id);
	const article = id ? await getArticle(event.locals.database.db, id) : undefined;
	if (!article) error(404, 'Not found');
	const notice = event.url.searchParams.get('notice');
	return { article, notice: notice === 'created' || notice === 'duplicate' ? notice : null };
};

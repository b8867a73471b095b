import { error } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { getImportRun, listArticlesOfRun } from '$lib/server/articles/articles.repository';
import { parseId } from '$lib/schemas/validation';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const id = parseId(event.params.id);
	const db = event.locals.database.db;
	const [run, articles] = id ? await Promise.all([getImportRun(db, id), listArticlesOfRun(db, id, 20)]) : [undefined, []];
	if (!run) error(404, 'Not found');
	return { run, articles };
};

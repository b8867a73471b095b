import { requireStaff } from '$lib/server/auth/guards';
import { listImportRuns } from '$lib/server/articles/articles.repository';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	return { runs: await listImportRuns(event.locals.database.db, 100) };
};

import { requireStaff } from '$lib/server/auth/guards';
import { countOpenReviews, listReporters } from '$lib/server/reporters/reporters.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const db = event.locals.database.db;
	const [reporters, openReviews] = await Promise.all([listReporters(db, { limit: 1000 }), countOpenReviews(db)]);
	return { reporters, openReviews };
};

import { requireStaff } from '$lib/server/auth/guards';
import { listOutletsWithCounts } from '$lib/server/outlets/outlets.service';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const rows = await listOutletsWithCounts(event.locals.database.db);
	return {
		outlets: rows.map((o) => ({ id: o.id, name: o.name, kind: o.kind, reach: o.reach === null ? null : Number(o.reach), reporters: Number(o.reporters ?? 0), articles: Number(o.articles ?? 0) }))
	};
};

import { requireStaff } from '$lib/server/auth/guards';
import { countArticles, listArticles } from '$lib/server/articles/articles.repository';
import { listOutlets } from '$lib/server/outlets/outlets.repository';
import { parseId } from '$lib/schemas/validation';
import type { PageServerLoad } from './$types';

const PAGE_SIZE = 50;

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const db = event.locals.database.db;
	const query = event.url.searchParams;
	const signedParam = query.get('signed');
	const signed = signedParam === 'yes' ? true : signedParam === 'no' ? false : undefined;
	const outletId = parseId(query.get('outlet')) ?? undefined;
	const page = Math.min(parseId(query.get('page')) ?? 1, 10_000);
	const [counts, outlets, rows] = await Promise.all([
		countArticles(db),
		listOutlets(db),
		// One more than a page tells whether there is a next page without counting the filtered set.
		listArticles(db, { signed, outletId, limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE })
	]);
	return {
		counts,
		outlets: outlets.map((o) => ({ id: o.id, name: o.name })),
		articles: rows.slice(0, PAGE_SIZE),
		filter: { signed: signedParam === 'yes' || signedParam === 'no' ? signedParam : '', outlet: outletId ? String(outletId) : '' },
		page,
		hasNext: rows.length > PAGE_SIZE
	};
};

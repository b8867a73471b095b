import { requireStaff } from '$lib/server/auth/guards';
import { QUICK_FIND_KINDS, quickFind, type QuickFindItem, type QuickFindKind } from '$lib/server/search/quickfind';
import type { PageServerLoad } from './$types';

/** More than the keyboard finder shows: this page is where "see all results" leads. */
const PAGE_LIMIT = 60;

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const q = (event.url.searchParams.get('q') ?? '').trim().slice(0, 200);
	const items = q ? await quickFind(event.locals.database.db, q, { limit: PAGE_LIMIT }) : [];
	// Grouped by kind in a fixed order; within a group, best match first.
	const groups: { kind: QuickFindKind; items: QuickFindItem[] }[] = QUICK_FIND_KINDS.map((kind) => ({
		kind,
		items: items.filter((i) => i.kind === kind)
	})).filter((g) => g.items.length > 0);
	return { q, total: items.length, groups };
};

import { json } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { quickFind } from '$lib/server/search/quickfind';
import type { RequestHandler } from './$types';

/** Results for the keyboard finder in the shell; staff only (clients never see reporters). */
export const GET: RequestHandler = async (event) => {
	requireStaff(event);
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 200);
	const items = await quickFind(event.locals.database.db, q, { limit: 20 });
	return json({ items });
};

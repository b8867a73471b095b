import { requireStaff } from '$lib/server/auth/guards';
import { exportOpml } from '$lib/server/feeds/feeds.service';
import type { RequestHandler } from './$types';

/** The feed list as an OPML file to download (for another reader, or a backup of the subscriptions). */
export const GET: RequestHandler = async (event) => {
	requireStaff(event);
	const body = await exportOpml(event.locals.database.db);
	const day = new Date().toISOString().slice(0, 10);
	return new Response(body, {
		headers: {
			'content-type': 'text/x-opml; charset=utf-8',
			'content-disposition': `attachment; filename="tegami-feeds-${day}.opml"`,
			'cache-control': 'no-store'
		}
	});
};

import { json } from '@sveltejs/kit';
import { pingDatabase } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Liveness for load balancers and scripts: 200 when the database answers, 503 otherwise. */
export const GET: RequestHandler = async ({ locals }) => {
	const ok = await pingDatabase(locals.database);
	return json(
		ok ? { status: 'ok', db: locals.database.kind } : { status: 'unavailable', db: locals.database.kind },
		{ status: ok ? 200 : 503, headers: { 'cache-control': 'no-store' } }
	);
};

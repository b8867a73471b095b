import { redirect } from '@sveltejs/kit';
import { homeFor } from '$lib/server/auth/guards';
import { needsSetup } from '$lib/server/auth/auth.service';
import type { PageServerLoad } from './$types';

/** The front door: setup on first run, sign-in for strangers, each role's home otherwise. */
export const load: PageServerLoad = async ({ locals }) => {
	if (locals.user) redirect(303, homeFor(locals.user));
	if (await needsSetup(locals.database.db)) redirect(303, '/setup');
	redirect(303, '/login');
};

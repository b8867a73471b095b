import { redirect } from '@sveltejs/kit';
import { recordAudit } from '$lib/server/audit/audit';
import { deleteSessionCookie, invalidateSession } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

// Signing out changes state, so it is a POST; a GET (a link, a prefetch) only shows where to go.
export const load: PageServerLoad = async () => {
	redirect(303, '/');
};

export const actions: Actions = {
	/** End this session on the server. */
	default: async ({ locals, cookies, url, getClientAddress }) => {
		if (locals.session && locals.user) {
			await invalidateSession(locals.database.db, locals.session.id);
			await recordAudit(locals.database.db, {
				actorUserId: locals.user.id,
				action: 'auth.sign_out',
				subjectType: 'user',
				subjectId: locals.user.id,
				ip: getClientAddress()
			});
		}
		deleteSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/login');
	}
};

import { redirect } from '@sveltejs/kit';
import { recordAudit } from '$lib/server/audit/audit';
import { deleteSessionCookie, invalidateUserSessions } from '$lib/server/auth/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	redirect(303, '/account');
};

export const actions: Actions = {
	/** End every session of this user, on every device. */
	default: async ({ locals, cookies, url, getClientAddress }) => {
		if (locals.user) {
			await invalidateUserSessions(locals.database.db, locals.user.id);
			await recordAudit(locals.database.db, {
				actorUserId: locals.user.id,
				action: 'auth.sign_out_everywhere',
				subjectType: 'user',
				subjectId: locals.user.id,
				ip: getClientAddress()
			});
		}
		deleteSessionCookie(cookies, url.protocol === 'https:');
		redirect(303, '/login');
	}
};

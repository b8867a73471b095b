import { error, fail, redirect } from '@sveltejs/kit';
import { acceptInvitation, findInvitation } from '$lib/server/users/users.service';
import { signIn } from '$lib/server/auth/auth.service';
import { setSessionCookie } from '$lib/server/auth/session';
import { setLocaleCookie } from '$lib/server/i18n';
import { homeFor } from '$lib/server/auth/guards';
import { InputError, field, rawField } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, params }) => {
	const invitation = await findInvitation(locals.database.db, params.token);
	if (!invitation) error(404, 'This invitation link is invalid, used or expired.');
	return { email: invitation.email, role: invitation.role, clientName: invitation.client_name };
};

export const actions: Actions = {
	default: async (event) => {
		const db = event.locals.database.db;
		const data = await event.request.formData();
		const values = { displayName: field(data, 'displayName') };
		const password = rawField(data, 'password');
		if (password !== rawField(data, 'passwordConfirm')) {
			return fail(400, { values, issues: { passwordConfirm: 'error_passwords_differ' } as Record<string, string> });
		}
		const invitation = await findInvitation(db, event.params.token);
		if (!invitation) error(404, 'This invitation link is invalid, used or expired.');
		try {
			await acceptInvitation(db, event.params.token, { ...values, password, locale: event.locals.locale });
		} catch (e) {
			if (e instanceof InputError) return fail(400, { values, issues: e.issues });
			throw e;
		}
		const result = await signIn(db, { email: invitation.email, password, ip: event.getClientAddress() });
		if (!result.ok) redirect(303, '/login');
		const secure = event.url.protocol === 'https:';
		setSessionCookie(event.cookies, result.token, result.session.expiresAt, secure);
		setLocaleCookie(event.cookies, result.user.locale, secure);
		redirect(303, homeFor({ role: result.user.role as never, clientId: result.user.clientId }));
	}
};

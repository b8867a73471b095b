import { error, fail, redirect } from '@sveltejs/kit';
import { needsSetup, setupFirstAdmin, signIn } from '$lib/server/auth/auth.service';
import { setSessionCookie } from '$lib/server/auth/session';
import { setLocaleCookie } from '$lib/server/i18n';
import { InputError, field, rawField } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

// The one-time page that creates the first admin. Once any admin exists it is gone (404).
export const load: PageServerLoad = async ({ locals }) => {
	if (!(await needsSetup(locals.database.db))) error(404, 'Not found');
	return {};
};

export const actions: Actions = {
	default: async (event) => {
		const db = event.locals.database.db;
		if (!(await needsSetup(db))) error(404, 'Not found');
		const data = await event.request.formData();
		const values = { email: field(data, 'email'), displayName: field(data, 'displayName') };
		const password = rawField(data, 'password');
		if (password !== rawField(data, 'passwordConfirm')) {
			return fail(400, { values, issues: { passwordConfirm: 'error_passwords_differ' } as Record<string, string> });
		}
		try {
			await setupFirstAdmin(db, { ...values, password, locale: event.locals.locale });
		} catch (e) {
			if (e instanceof InputError) return fail(400, { values, issues: e.issues });
			throw e;
		}
		const result = await signIn(db, { email: values.email, password, ip: event.getClientAddress() });
		if (!result.ok) redirect(303, '/login');
		const secure = event.url.protocol === 'https:';
		setSessionCookie(event.cookies, result.token, result.session.expiresAt, secure);
		setLocaleCookie(event.cookies, result.user.locale, secure);
		redirect(303, '/admin/users');
	}
};

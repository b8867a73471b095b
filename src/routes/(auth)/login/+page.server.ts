import { fail, redirect } from '@sveltejs/kit';
import { signIn } from '$lib/server/auth/auth.service';
import { homeFor, safeNext } from '$lib/server/auth/guards';
import { setSessionCookie } from '$lib/server/auth/session';
import { setLocaleCookie } from '$lib/server/i18n';
import { field, rawField } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next')) ?? homeFor(locals.user));
	return { next: safeNext(url.searchParams.get('next')) };
};

export const actions: Actions = {
	default: async (event) => {
		const data = await event.request.formData();
		const email = field(data, 'email');
		const password = rawField(data, 'password');
		const next = safeNext(field(data, 'next'));
		if (!email || !password) {
			return fail(400, { email, issues: { form: 'error_sign_in_invalid' } as Record<string, string> });
		}
		const result = await signIn(event.locals.database.db, {
			email,
			password,
			ip: event.getClientAddress(),
			userAgent: event.request.headers.get('user-agent')
		});
		if (!result.ok) {
			if (result.reason === 'throttled') {
				event.setHeaders({ 'retry-after': String(result.retryAfterSeconds) });
				return fail(429, {
					email,
					retryAfterSeconds: result.retryAfterSeconds,
					issues: { form: 'error_sign_in_throttled' } as Record<string, string>
				});
			}
			return fail(400, { email, issues: { form: 'error_sign_in_invalid' } as Record<string, string> });
		}
		const secure = event.url.protocol === 'https:';
		setSessionCookie(event.cookies, result.token, result.session.expiresAt, secure);
		setLocaleCookie(event.cookies, result.user.locale, secure);
		redirect(303, next ?? homeFor({ role: result.user.role as never, clientId: result.user.clientId }));
	}
};

import { error, redirect } from '@sveltejs/kit';
import { safeNext } from '$lib/server/auth/guards';
import { setLocaleCookie } from '$lib/server/i18n';
import { setUserLocale } from '$lib/server/users/users.repository';
import { isLocale } from '$lib/schemas/user';
import { field } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

// The language switcher's target. A plain form post, so it works without JavaScript; the answer
// is a redirect that loads the page again in the new language.
export const load: PageServerLoad = ({ locals }) => {
	redirect(303, locals.user ? '/account' : '/');
};

export const actions: Actions = {
	/** Switch language: saved to the user when signed in, and always to the cookie. */
	default: async ({ request, locals, cookies, url }) => {
		const data = await request.formData();
		const locale = field(data, 'locale');
		if (!isLocale(locale)) error(400, 'Unknown language');
		const to = safeNext(field(data, 'redirectTo')) ?? '/';
		if (locals.user) await setUserLocale(locals.database.db, locals.user.id, locale);
		setLocaleCookie(cookies, locale, url.protocol === 'https:');
		redirect(303, to);
	}
};

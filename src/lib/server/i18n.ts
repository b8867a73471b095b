import type { Cookies } from '@sveltejs/kit';
import type { Locale } from '../roles';

/** Paraglide reads this cookie in the browser too, so it cannot be HttpOnly; it holds only "en"/"ja". */
export const LOCALE_COOKIE = 'tegami_locale';

export function setLocaleCookie(cookies: Cookies, locale: Locale, secure: boolean): void {
	cookies.set(LOCALE_COOKIE, locale, {
		path: '/',
		httpOnly: false,
		sameSite: 'lax',
		secure,
		maxAge: 400 * 24 * 60 * 60
	});
}

import { building } from '$app/environment';
import { json, type Handle, type HandleServerError, type ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { defineCustomServerStrategy } from '$lib/paraglide/runtime';
import { getDatabase, DatabaseConfigError } from '$lib/server/db';
import { markInterruptedRuns } from '$lib/server/articles/import.service';
import { startFeedScheduler } from '$lib/server/feeds/scheduler';
import { startTopicJobRunner } from '$lib/server/topics/topics.service';
import {
	SESSION_COOKIE,
	deleteSessionCookie,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/session';
import { LOCALE_COOKIE, setLocaleCookie } from '$lib/server/i18n';
import { isCrossSiteWrite, securityHeaders } from '$lib/server/http/security';
import type { Locale } from '$lib/roles';

/** Open and migrate the database before the server listens; stop with one line if it cannot. */
export const init: ServerInit = async () => {
	if (building) return;
	try {
		const database = await getDatabase();
		console.log(`tegami: database ready (${database.kind}: ${database.label})`);
		// One SQLite file has one app process, so anything still "running" was cut off by a stop;
		// on a shared PostgreSQL another process may be mid-import, so only old runs are closed.
		const interrupted = await markInterruptedRuns(database.db, database.kind === 'sqlite' ? 0 : 6 * 60 * 60_000);
		if (interrupted) console.warn(`tegami: ${interrupted} import run(s) were interrupted by the last stop`);
		const pollSeconds = Number(process.env.TEGAMI_FEED_POLL_SECONDS ?? 60);
		if (pollSeconds > 0) startFeedScheduler(database, pollSeconds);
		// Re-applies edited topic rules in the background; leased, so several processes may run it.
		startTopicJobRunner(database);
	} catch (e) {
		const message = e instanceof DatabaseConfigError || e instanceof Error ? e.message : String(e);
		console.error(`tegami: cannot start: ${message}`);
		process.exit(1);
	}
};

// The signed-in user's saved language, read by Paraglide's "custom-user" strategy. Keyed by the
// request object itself, so it lives exactly as long as the request.
const userLocaleByRequest = new WeakMap<Request, Locale>();
defineCustomServerStrategy('custom-user', {
	getLocale: (request) => (request ? userLocaleByRequest.get(request) : undefined)
});

const guard: Handle = async ({ event, resolve }) => {
	if (isCrossSiteWrite(event.request, event.url)) {
		const message = 'Cross-site request refused: the Origin header is missing or not this site.';
		return event.request.headers.get('accept')?.includes('text/html')
			? new Response(message, { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } })
			: json({ message }, { status: 403 });
	}
	const response = await resolve(event);
	for (const [name, value] of Object.entries(securityHeaders(event.url))) {
		if (!response.headers.has(name)) response.headers.set(name, value);
	}
	return response;
};

const auth: Handle = async ({ event, resolve }) => {
	event.locals.database = await getDatabase();
	event.locals.user = null;
	event.locals.session = null;
	const secure = event.url.protocol === 'https:';
	const token = event.cookies.get(SESSION_COOKIE);
	if (token) {
		const result = await validateSessionToken(event.locals.database.db, token);
		if (result) {
			event.locals.user = result.user;
			event.locals.session = result.session;
			if (result.renewed) setSessionCookie(event.cookies, token, result.session.expiresAt, secure);
			userLocaleByRequest.set(event.request, result.user.locale);
			if (event.cookies.get(LOCALE_COOKIE) !== result.user.locale) {
				setLocaleCookie(event.cookies, result.user.locale, secure);
			}
		} else {
			// Expired, forged or ended elsewhere: forget it so the browser stops sending it.
			deleteSessionCookie(event.cookies, secure);
		}
	}
	const response = await resolve(event);
	// Pages for a signed-in user hold private data: keep them out of shared and browser caches.
	if (event.locals.user && !response.headers.has('cache-control')) {
		response.headers.set('cache-control', 'private, no-store');
	}
	return response;
};

const i18n: Handle = ({ event, resolve }) =>
	paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		event.locals.locale = locale;
		return resolve(event, {
			transformPageChunk: ({ html }) => html.replace('%lang%', locale)
		});
	});

export const handle = sequence(guard, auth, i18n);

export const handleError: HandleServerError = ({ error: e, event, status, message }) => {
	// Client mistakes (404, 413, …) are answered as they are; only our own failures are logged.
	if (status < 500) return { message };
	const errorId = crypto.randomUUID();
	console.error(`tegami: error ${errorId} on ${event.request.method} ${event.url.pathname}:`, e);
	return { message: 'Something went wrong on our side.', errorId };
};

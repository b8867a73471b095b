import { expect, request, type APIRequestContext } from '@playwright/test';

export const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'demo-password';

export const DEMO_USERS = {
	admin: 'admin@demo.test',
	agent: 'agent@demo.test',
	writer: 'writer@demo.test',
	clientA: 'client@demo.test',
	clientB: 'client2@demo.test'
} as const;

export type DemoUser = keyof typeof DEMO_USERS;

/**
 * A request context that behaves like a browser tab of our own site: it sends our Origin on
 * writes (as browsers do) and keeps cookies. Redirects are not followed so tests see them.
 */
export async function newClient(baseURL: string): Promise<APIRequestContext> {
	// Accept as a browser navigation does; SvelteKit answers `*/*` form posts with JSON.
	return request.newContext({
		baseURL,
		extraHTTPHeaders: { origin: baseURL, accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
		maxRedirects: 0
	});
}

/** POST a form the way a browser without JavaScript does. */
export function postForm(ctx: APIRequestContext, path: string, fields: Record<string, string>) {
	return ctx.post(path, { form: fields, maxRedirects: 0 });
}

/** Sign in through the login form; returns the context (now holding the session cookie) and where it was sent. */
export async function signInAs(baseURL: string, who: DemoUser, password = DEMO_PASSWORD) {
	const ctx = await newClient(baseURL);
	const res = await postForm(ctx, '/login', { email: DEMO_USERS[who], password });
	expect(res.status(), `sign-in of ${who}`).toBe(303);
	return { ctx, location: res.headers()['location'] ?? '' };
}

/** The session cookie's value in a context, or undefined. */
export async function sessionCookie(ctx: APIRequestContext): Promise<string | undefined> {
	const state = await ctx.storageState();
	return state.cookies.find((c) => c.name === 'tegami_session')?.value;
}

/**
 * A fresh user made through the admin's "add a user" form, for tests that end sessions or change
 * accounts and so must not touch the shared demo users. Returns a context signed in as them.
 */
export async function createUserAndSignIn(
	baseURL: string,
	role: 'admin' | 'agent' | 'writer',
	label: string
): Promise<{ ctx: APIRequestContext; email: string; password: string }> {
	const email = `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@e2e.test`;
	const password = 'a password for e2e tests';
	const admin = await signInAs(baseURL, 'admin');
	const res = await postForm(admin.ctx, '/admin/users?/create', { email, displayName: label, role, clientId: '', password });
	expect(res.status(), `create ${email}`).toBe(200);
	await admin.ctx.dispose();
	const ctx = await newClient(baseURL);
	const signIn = await postForm(ctx, '/login', { email, password });
	expect(signIn.status(), `sign-in of ${email}`).toBe(303);
	return { ctx, email, password };
}

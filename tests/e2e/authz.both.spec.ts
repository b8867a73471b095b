/**
 * The authorization matrix: every route, for an anonymous visitor, each role, and client A against
 * client B — through real HTTP against the built app, on SQLite and PostgreSQL. Pages are checked
 * as HTML and as `__data.json` (what client-side navigation fetches), because a guard that only
 * runs for one of them leaks through the other.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { newClient, signInAs, type DemoUser } from './support/http';
import { DEMO_CLIENTS } from '../../src/lib/server/demo/demo-data';

type Who = 'anonymous' | DemoUser;
type Access = 'public' | 'user' | 'staff' | 'admin' | 'clientA';

const STAFF_PAGES = ['/today', '/search', '/articles', '/reporters', '/lists', '/outlets', '/topics', '/campaigns', '/outreach', '/coverage', '/reports'];
const ADMIN_PAGES = ['/admin/users', '/admin/clients', '/admin/audit'];
const EVERYONE: Who[] = ['anonymous', 'admin', 'agent', 'writer', 'clientA', 'clientB'];

function allowed(access: Access, who: Who): boolean {
	switch (access) {
		case 'public':
			return true;
		case 'user':
			return who !== 'anonymous';
		case 'staff':
			return who === 'admin' || who === 'agent' || who === 'writer';
		case 'admin':
			return who === 'admin';
		case 'clientA':
			return who === 'admin' || who === 'agent' || who === 'writer' || who === 'clientA';
	}
}

/** What a refused request must look like for this visitor. */
function refusal(access: Access, who: Who): number {
	if (who === 'anonymous') return 303;
	// Another client's things do not exist as far as a client user can tell.
	if (access === 'clientA') return 404;
	return 403;
}

test.describe('authorization matrix', () => {
	test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'HTTP-level: the JS-off project adds nothing');

	const contexts = new Map<Who, APIRequestContext>();
	let clientAId = '';
	let clientBId = '';
	let baseURL = '';

	test.beforeAll(async ({}, testInfo) => {
		baseURL = testInfo.project.use.baseURL!;
		contexts.set('anonymous', await newClient(baseURL));
		for (const who of ['admin', 'agent', 'writer', 'clientA', 'clientB'] as const) {
			const { ctx, location } = await signInAs(baseURL, who);
			contexts.set(who, ctx);
			if (who === 'clientA') clientAId = location.match(/^\/portal\/(\d+)$/)?.[1] ?? '';
			if (who === 'clientB') clientBId = location.match(/^\/portal\/(\d+)$/)?.[1] ?? '';
		}
		expect(clientAId, 'client users land on their own portal').not.toBe('');
		expect(clientBId).not.toBe(clientAId);
	});

	test.afterAll(async () => {
		for (const ctx of contexts.values()) await ctx.dispose();
	});

	function routes(): { path: string; access: Access }[] {
		return [
			{ path: '/healthz', access: 'public' },
			{ path: '/login', access: 'public' },
			{ path: '/privacy', access: 'public' },
			{ path: '/account', access: 'user' },
			...STAFF_PAGES.map((path) => ({ path, access: 'staff' as const })),
			...ADMIN_PAGES.map((path) => ({ path, access: 'admin' as const })),
			{ path: '/admin/users/1', access: 'admin' },
			{ path: `/admin/clients/${clientAId}`, access: 'admin' },
			{ path: `/portal/${clientAId}`, access: 'clientA' }
		];
	}

	test('every page answers each visitor as its guard says, as HTML and as __data.json', async () => {
		const failures: string[] = [];
		for (const { path, access } of routes()) {
			for (const who of EVERYONE) {
				const ctx = contexts.get(who)!;
				const res = await ctx.get(path);
				const ok = allowed(access, who);
				// /login sends signed-in users home; that is being let through, not refused.
				const expected = ok ? (path === '/login' && who !== 'anonymous' ? 303 : 200) : refusal(access, who);
				if (res.status() !== expected) failures.push(`${who} GET ${path}: ${res.status()} (expected ${expected})`);
				if (!ok && who === 'anonymous' && !res.headers()['location']?.startsWith('/login?next=')) {
					failures.push(`${who} GET ${path}: not sent to sign in (${res.headers()['location']})`);
				}
				if (path === '/healthz' || path === '/login') continue;

				const data = await ctx.get(`${path.replace(/\/$/, '')}/__data.json`);
				const body = await data.text();
				if (ok) {
					if (data.status() !== 200 || body.includes('"type":"error"') || body.includes('"type":"redirect"')) {
						failures.push(`${who} GET ${path}/__data.json: refused though allowed (${data.status()} ${body.slice(0, 120)})`);
					}
				} else {
					const refusedAsExpected =
						who === 'anonymous'
							? body.includes('"type":"redirect"') && body.includes('/login?next=')
							: body.includes('"type":"error"') && body.includes(`"status":${refusal(access, who)}`);
					if (!refusedAsExpected) failures.push(`${who} GET ${path}/__data.json: not refused (${body.slice(0, 160)})`);
				}
			}
		}
		expect(failures).toEqual([]);
	});

	test("client B learns nothing about client A's portal, and A nothing about B's", async () => {
		const [kitchen, outdoor] = DEMO_CLIENTS;
		for (const [who, otherId, otherName, ownId, ownName] of [
			['clientB', clientAId, kitchen.name, clientBId, outdoor.name],
			['clientA', clientBId, outdoor.name, clientAId, kitchen.name]
		] as const) {
			const ctx = contexts.get(who)!;
			expect(await (await ctx.get(`/portal/${ownId}`)).text()).toContain(ownName);
			const page = await ctx.get(`/portal/${otherId}`);
			expect(page.status()).toBe(404);
			expect(await page.text()).not.toContain(otherName);
			const data = await (await ctx.get(`/portal/${otherId}/__data.json`)).text();
			expect(data).toContain('"status":404');
			expect(data).not.toContain(otherName);
		}
		// Staff see every client's portal, as a preview of what the client sees.
		expect(await (await contexts.get('agent')!.get(`/portal/${clientAId}`)).text()).toContain(kitchen.name);
	});

	test('ids that are not numbers, or do not exist, are 404 — never a 500', async () => {
		const agent = contexts.get('agent')!;
		for (const path of ['/portal/abc', '/portal/0', '/portal/99999999', '/portal/1e3', '/portal/-1']) {
			expect((await agent.get(path)).status(), path).toBe(404);
		}
		const admin = contexts.get('admin')!;
		for (const path of ['/admin/users/abc', '/admin/users/99999999', '/admin/clients/xyz']) {
			expect((await admin.get(path)).status(), path).toBe(404);
		}
	});
});

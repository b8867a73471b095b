/**
 * A client user never sees a reporter's contact details, notes, what reporters told the agency,
 * the audit log or internal lists. As the demo client user: every page reachable from their portal
 * (followed link by link), every staff page, endpoint and export by address, and the JSON each page
 * loads its data from (`__data.json`) — none contains any of the demo's personal data, and staff
 * addresses answer 403 or 404. Runs on SQLite and PostgreSQL.
 */
import { expect, test } from '@playwright/test';
import { DEMO_LISTS, DEMO_RECORDS, DEMO_SUPPRESSED } from '../../src/lib/server/demo/demo-data';
import { signInAs } from './support/http';

/** Strings that are internal: contact details, notes, log entries, list names and notes, suppression reasons. */
const SECRETS = [
	...DEMO_RECORDS.flatMap((r) => [...r.facts.filter((f) => ['email', 'phone', 'address', 'x_handle'].includes(f.field)).map((f) => f.value), ...r.notes, ...r.log.map((l) => l.body)]),
	...DEMO_LISTS.flatMap((l) => [l.name, l.description, ...l.members.map((m) => m.note)]),
	DEMO_SUPPRESSED.reason,
	// Parts of them, as a page might show them re-formatted.
	'tokyo-post.example',
	'ledger.example',
	'0000-1234',
	'dwhitfield_demo'
];

const STAFF_PATHS = [
	'/reporters',
	'/reporters/1',
	'/reporters/2',
	'/reporters/1/privacy',
	'/reporters/1/privacy/export',
	'/lists',
	'/lists/1',
	'/lists/1/export.csv',
	'/lists/1/export.vcf',
	'/lists/1/import',
	'/outlets',
	'/outlets/1',
	'/search?q=%E6%A3%AE%E5%B7%9D',
	'/search?view=reporters&q=repair',
	'/find?q=morikawa',
	'/api/quick-find?q=morikawa',
	'/articles',
	'/articles/1',
	'/topics',
	'/today',
	'/admin/audit',
	'/admin/users'
];

function dataUrl(path: string): string {
	const [p, q] = path.split('?');
	return `${p === '/' ? '' : p}/__data.json${q ? `?${q}` : ''}`;
}

test('a client user is shown no contact details, notes, lists or audit entries anywhere', async ({ baseURL }) => {
	test.setTimeout(120_000);
	const { ctx, location } = await signInAs(baseURL!, 'clientA');
	const home = new URL(location, baseURL).pathname;
	expect(home).toMatch(/^\/portal\/\d+$/);

	const seen = new Set<string>();
	const queue = [home, '/account', '/privacy'];
	const bodies: { path: string; status: number; body: string }[] = [];
	// Everything a client can reach by following links.
	while (queue.length && seen.size < 60) {
		const path = queue.shift()!;
		if (seen.has(path)) continue;
		seen.add(path);
		const res = await ctx.get(path);
		const body = await res.text();
		bodies.push({ path, status: res.status(), body });
		if (res.status() !== 200 || !(res.headers()['content-type'] ?? '').includes('text/html')) continue;
		for (const m of body.matchAll(/href="(\/[^"#]*)"/g)) {
			const next = m[1].replaceAll('&amp;', '&');
			if (!next.startsWith('/_app/') && !next.startsWith('/logout') && !seen.has(next)) queue.push(next);
		}
	}
	expect(seen.size).toBeGreaterThan(2);
	for (const path of [...seen]) {
		const res = await ctx.get(dataUrl(path));
		bodies.push({ path: dataUrl(path), status: res.status(), body: await res.text() });
	}
	// And what they could type into the address bar.
	for (const path of STAFF_PATHS) {
		for (const url of [path, dataUrl(path)]) {
			const res = await ctx.get(url);
			const body = await res.text();
			bodies.push({ path: url, status: res.status(), body });
			// A page's data answers 200 with the refusal inside, as SvelteKit's client expects.
			// (An endpoint has no page data at all: 404.)
			const refused = url.includes('__data.json') ? res.status() === 404 || /"type":"error".*"status":40[34]/.test(body) : [403, 404].includes(res.status());
			expect(refused, `${url} answers ${res.status()}: ${body.slice(0, 120)}`).toBe(true);
		}
	}
	for (const { path, body } of bodies) {
		for (const secret of SECRETS) expect(body.includes(secret), `${path} contains "${secret}"`).toBe(false);
	}
	await ctx.dispose();
});

test('the demo data the scan looks for is really there for staff', async ({ baseURL }) => {
	// Without this, a scan that finds nothing could be scanning an empty database.
	const { ctx } = await signInAs(baseURL!, 'agent');
	const res = await ctx.get('/lists');
	expect(res.status()).toBe(200);
	expect(await res.text()).toContain(DEMO_LISTS[0].name);
	const reporters = await (await ctx.get('/reporters')).text();
	const id = /href="\/reporters\/(\d+)">森川 由紀</.exec(reporters)?.[1];
	expect(id).toBeTruthy();
	const profile = await (await ctx.get(`/reporters/${id}`)).text();
	expect(profile).toContain(DEMO_RECORDS[0].facts[0].value);
	await ctx.dispose();
});

/**
 * Quick find, on the demo data (reporters Dana Whitfield and 森川 由紀, outlets 東京ポスト新聞 and
 * Harbor City Ledger): the keyboard finder in the shell (JavaScript only) opened with / and Ctrl+K,
 * a misspelt name and Enter landing on the reporter; the /find page, which works without JavaScript;
 * the JSON endpoint; and access — a client user gets 403 on both and sees no Find button. axe passes on
 * /find and with the dialog open. Runs with JavaScript on and off.
 *
 * The tests sign in as agents they create: the demo agent's saved language is changed by the shell
 * tests while they run, and these tests read English labels.
 */
import { expect, request, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, signInAsNewAgent } from './support/browser';
import { signInAs } from './support/http';

const ITEM_KEYS = ['href', 'id', 'kind', 'label', 'reading', 'sublabel'];

/** The dialog, once hydration has turned the header's Find link into a button. */
async function openWithSlash(page: Page) {
	await expect(page.locator('button[data-testid="quickfind-open"]')).toBeVisible();
	await page.locator('body').press('/');
	const dialog = page.getByRole('dialog', { name: 'Quick find' });
	await expect(dialog).toBeVisible();
	return dialog;
}

test.describe('quick find', () => {
	test('keyboard finder: / opens it, a misspelling and Enter open the reporter', async ({ page, javaScriptEnabled, baseURL }) => {
		test.skip(!javaScriptEnabled, 'the keyboard finder needs JavaScript; without it the Find link leads to /find (next test)');
		test.setTimeout(90_000);
		await signInAsNewAgent(page, baseURL!, 'finder-agent');
		await page.goto('/today');

		const dialog = await openWithSlash(page);
		const input = dialog.getByRole('combobox', { name: 'Reporter, outlet, topic or campaign' });
		await expect(input).toBeFocused();
		await input.pressSequentially('whitfeild');
		const first = dialog.getByRole('option').first();
		await expect(first).toContainText('Dana Whitfield');
		await expect(first).toContainText('Reporter');
		await expect(first).toHaveAttribute('aria-selected', 'true');
		await expect(input).toHaveAttribute('aria-expanded', 'true');
		await expect(input).toHaveAttribute('aria-activedescendant', (await first.getAttribute('id'))!);
		await expect(dialog.getByRole('status')).toHaveText(/^\d+ match(es)?\.$/);
		await expectNoAxeViolations(page, javaScriptEnabled);

		await Promise.all([page.waitForURL(/\/reporters\/\d+$/), input.press('Enter')]);
		await expect(page.locator('h1')).toContainText('Dana Whitfield');
		await expect(dialog).toBeHidden();
	});

	test('keyboard finder: Ctrl+K, arrow keys, Esc, and / typed in a text field stays there', async ({ page, javaScriptEnabled, baseURL }) => {
		test.skip(!javaScriptEnabled, 'the keyboard finder needs JavaScript');
		test.setTimeout(90_000);
		await signInAsNewAgent(page, baseURL!, 'finder-agent');
		await page.goto('/articles');
		await expect(page.locator('button[data-testid="quickfind-open"]')).toBeVisible();

		await page.keyboard.press('Control+k');
		const dialog = page.getByRole('dialog', { name: 'Quick find' });
		await expect(dialog).toBeVisible();
		const input = dialog.getByRole('combobox');
		await expect(input).toBeFocused();

		// Japanese: the outlet first, then its reporters, found through it.
		await input.fill('東京ポスト');
		const options = dialog.getByRole('option');
		await expect(options.first()).toContainText('東京ポスト新聞');
		await expect(options.first()).toContainText('Outlet');
		await expect(options.filter({ hasText: '森川' })).toHaveCount(1);
		const count = await options.count();
		await input.press('ArrowDown');
		await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
		await expect(options.first()).toHaveAttribute('aria-selected', 'false');
		await expect(input).toHaveAttribute('aria-activedescendant', (await options.nth(1).getAttribute('id'))!);
		await input.press('ArrowUp');
		await input.press('ArrowUp');
		await expect(options.nth(count - 1)).toHaveAttribute('aria-selected', 'true');
		await expectNoAxeViolations(page, javaScriptEnabled);

		// Esc closes and gives focus back to the page; the button opens it again with the query kept.
		await page.keyboard.press('Escape');
		await expect(dialog).toBeHidden();
		await page.locator('button[data-testid="quickfind-open"]').click();
		await expect(dialog).toBeVisible();
		await expect(input).toHaveValue('東京ポスト');
		await page.keyboard.press('Escape');

		// "/" typed into a field is a character, not the shortcut.
		await page.goto('/find');
		await expect(page.locator('button[data-testid="quickfind-open"]')).toBeVisible();
		await page.locator('#find-q').click();
		await page.keyboard.type('a/b');
		await expect(page.locator('#find-q')).toHaveValue('a/b');
		await expect(dialog).toBeHidden();

		// Enter on an outlet opens its record.
		await page.locator('#find-q').blur();
		const again = await openWithSlash(page);
		await again.getByRole('combobox').fill('harbor ledger');
		await expect(again.getByRole('option').first()).toContainText('Harbor City Ledger');
		await Promise.all([page.waitForURL(/\/outlets\/\d+$/), again.getByRole('combobox').press('Enter')]);

		// Enter pressed before the matches have arrived waits for them, then opens the best one.
		const third = await openWithSlash(page);
		await third.getByRole('combobox').fill('morikwa');
		await third.getByRole('combobox').fill('whitfeild');
		await Promise.all([page.waitForURL(/\/reporters\/\d+$/), third.getByRole('combobox').press('Enter')]);
		await expect(page.locator('h1')).toContainText('Dana Whitfield');
	});

	test('the /find page: a misspelling finds the reporter, grouped by kind, and axe passes', async ({ page, javaScriptEnabled, baseURL }) => {
		test.setTimeout(90_000);
		await signInAsNewAgent(page, baseURL!, 'find-page-agent');
		await page.goto('/today');
		const opener = page.getByTestId('quickfind-open');
		await expect(opener).toBeVisible();
		if (!javaScriptEnabled) {
			// Without JavaScript the header's Find is a link to the page.
			await expect(opener).toHaveAttribute('href', '/find');
			await Promise.all([page.waitForURL(/\/find$/), opener.click()]);
		} else {
			await page.goto('/find');
		}
		await expect(page.locator('h1')).toHaveText('Find');
		await expectNoAxeViolations(page, javaScriptEnabled);

		await page.locator('#find-q').fill('whitfeild');
		await Promise.all([page.waitForURL(/\/find\?q=whitfeild$/), page.locator('main form[role="search"] button[type="submit"]').click()]);
		const reporters = page.getByTestId('find-group-reporter');
		await expect(reporters.getByRole('heading', { name: 'Reporters' })).toBeVisible();
		// The demo has two Dana Whitfields, at two outlets: the outlet tells them apart.
		const links = reporters.getByRole('link', { name: 'Dana Whitfield' });
		await expect(links).toHaveCount(2);
		await expect(links.first()).toHaveAttribute('href', /^\/reporters\/\d+$/);
		await expect(reporters.getByText('Harbor City Ledger')).toHaveCount(1);
		await expect(reporters.getByText('Trailhead Weekly')).toHaveCount(1);
		await expect(page.locator('#find-q')).toHaveValue('whitfeild');
		await expectNoAxeViolations(page, javaScriptEnabled);

		await page.goto(`/find?q=${encodeURIComponent('東京ポスト')}`);
		const outlets = page.getByTestId('find-group-outlet');
		await expect(outlets.getByRole('link', { name: '東京ポスト新聞' })).toHaveAttribute('href', /^\/outlets\/\d+$/);
		await expect(page.getByTestId('find-group-reporter').getByRole('link', { name: '森川 由紀' })).toBeVisible();
		await expectNoAxeViolations(page, javaScriptEnabled);

		await page.goto('/find?q=zqxjvw');
		await expect(page.getByTestId('find-count')).toHaveText('No matches.');
		await expect(page.getByText('Nothing matches “zqxjvw”')).toBeVisible();

		await page.goto('/find?q=whitfeild');
		await Promise.all([page.waitForURL(/\/reporters\/\d+$/), page.getByRole('link', { name: 'Dana Whitfield' }).first().click()]);
		await expect(page.locator('h1')).toContainText('Dana Whitfield');
	});

	test('the endpoint answers staff with at most 20 items of exactly the finder fields', async ({ baseURL }) => {
		const { ctx } = await signInAs(baseURL!, 'writer');
		const res = await ctx.get('/api/quick-find?q=whitfeild', { headers: { accept: 'application/json' } });
		expect(res.status()).toBe(200);
		expect(res.headers()['cache-control']).toContain('no-store');
		const body = (await res.json()) as { items: Record<string, unknown>[] };
		expect(Object.keys(body)).toEqual(['items']);
		expect(body.items[0]).toMatchObject({ kind: 'reporter', label: 'Dana Whitfield' });
		for (const q of ['whitfeild', 'a', '新聞', 'e']) {
			const r = await ctx.get(`/api/quick-find?q=${encodeURIComponent(q)}`, { headers: { accept: 'application/json' } });
			const { items } = (await r.json()) as { items: Record<string, unknown>[] };
			expect(items.length).toBeLessThanOrEqual(20);
			for (const item of items) expect(Object.keys(item).every((k) => ITEM_KEYS.includes(k)), Object.keys(item).join()).toBe(true);
			// The demo outlets' desk phones and websites never come with them.
			expect(JSON.stringify(items)).not.toMatch(/03-0000|555|\.example/);
		}
		const empty = await ctx.get('/api/quick-find?q=', { headers: { accept: 'application/json' } });
		expect(await empty.json()).toEqual({ items: [] });
		await ctx.dispose();
	});

	test('a client user gets 403 on /find and the endpoint and sees no Find button; anonymous gets 401', async ({ page, baseURL }) => {
		const { ctx } = await signInAs(baseURL!, 'clientA');
		expect((await ctx.get('/find?q=whitfield')).status()).toBe(403);
		const api = await ctx.get('/api/quick-find?q=whitfield', { headers: { accept: 'application/json' } });
		expect(api.status()).toBe(403);
		expect(await api.text()).not.toContain('Whitfield');

		const state = await ctx.storageState();
		await ctx.dispose();
		await page.context().addCookies(state.cookies);
		const response = await page.goto('/find?q=whitfield');
		expect(response?.status()).toBe(403);
		await expect(page.getByText('Dana Whitfield')).toHaveCount(0);
		await page.goto('/');
		await expect(page).toHaveURL(/\/portal\/\d+$/);
		await expect(page.getByTestId('main-nav')).toBeVisible();
		await expect(page.getByTestId('quickfind-open')).toHaveCount(0);
		// The shortcut does nothing for them either.
		await page.locator('body').press('/');
		await page.keyboard.press('Control+k');
		await expect(page.getByRole('dialog')).toHaveCount(0);

		const anonymous = await request.newContext({ baseURL });
		const denied = await anonymous.get('/api/quick-find?q=whitfield', { headers: { accept: 'application/json' } });
		expect(denied.status()).toBe(401);
		expect(await denied.json()).toEqual({ message: 'Sign in required' });
		const page401 = await anonymous.get('/find?q=whitfield', { maxRedirects: 0 });
		expect(page401.status()).toBe(303);
		expect(page401.headers()['location']).toBe('/login?next=%2Ffind%3Fq%3Dwhitfield');
		await anonymous.dispose();
	});
});

/**
 * The search page on the demo data (Japanese and English articles, the topics 修理・長く使う道具 and
 * Outdoor & trails), as an agent: a two-character Japanese word and an English word form with
 * highlighted passages, filters and date order, a query with a syntax error explained where it is,
 * a forged filter named, "who covers this?" for words and for a topic with the articles behind each
 * rank; axe passes on each state. A client user cannot open it. Runs with JavaScript on and off, on
 * SQLite and PostgreSQL.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, signInAsNewAgent } from './support/browser';
import { signInAs } from './support/http';

/** Type a query in the search box and send the form, as a person does (works without JavaScript too). */
async function search(page: Page, query: string): Promise<void> {
	await page.getByLabel(/^(Search articles|Subject to find reporters for)$/).fill(query);
	await Promise.all([page.waitForURL(/\/search\?/), page.getByRole('button', { name: 'Search', exact: true }).click()]);
}

test.describe('search', () => {
	test.beforeEach(async ({ page, baseURL }) => {
		await signInAsNewAgent(page, baseURL!, 'search-agent');
	});

	test('finds a two-character Japanese word and English word forms, highlighted', async ({ page, javaScriptEnabled }) => {
		await page.goto('/search');
		await expect(page.getByRole('heading', { name: 'How to search' })).toBeVisible();
		await expectNoAxeViolations(page, javaScriptEnabled);

		await search(page, '修理');
		const hits = page.getByTestId('search-hit');
		const repair = hits.filter({ hasText: '台所道具の「直して使う」文化' });
		await expect(repair).toHaveCount(1);
		await expect(repair.locator('mark').first()).toHaveText('修理');
		await expect(repair.getByRole('link', { name: '森川 由紀' })).toBeVisible();
		await expectNoAxeViolations(page, javaScriptEnabled);

		// "retailer" finds "Retailers" and "retail": one stem.
		await search(page, 'retailer');
		const gear = hits.filter({ hasText: 'Outdoor retailers bet on repairable gear' });
		await expect(gear).toHaveCount(1);
		await expect(gear.locator('h3 mark')).toHaveText('retailers');
		await expect(page.getByTestId('search-total')).toContainText('Searched for: retailer');
	});

	test('filters by language and orders by date', async ({ page }) => {
		await page.goto('/search?q=' + encodeURIComponent('repair* OR 修理 OR 手入れ'));
		const titles = page.getByTestId('search-hit').locator('h3');
		await expect(titles.filter({ hasText: 'Outdoor retailers' })).toHaveCount(1);
		await expect(titles.filter({ hasText: '老舗の鉄器' })).toHaveCount(1);

		await page.getByLabel('Language').selectOption('ja');
		await page.getByLabel('Order').selectOption('date');
		await Promise.all([page.waitForURL(/lang=ja/), page.getByRole('button', { name: 'Search', exact: true }).click()]);
		await expect(page).toHaveURL(/order=date/);
		await expect(titles.filter({ hasText: 'Outdoor retailers' })).toHaveCount(0);
		const shown = await titles.allTextContents();
		const at = (words: string) => shown.findIndex((t) => t.includes(words));
		// The demo dates: 老舗の鉄器 3 days ago, then 台所道具 12 days ago.
		expect(at('老舗の鉄器')).toBeGreaterThanOrEqual(0);
		expect(at('老舗の鉄器')).toBeLessThan(at('台所道具の'));
	});

	test('explains a syntax error where it is, and names a forged filter', async ({ page, javaScriptEnabled }) => {
		await page.goto('/search');
		await search(page, '"interest rates');
		const error = page.getByTestId('search-error');
		await expect(error).toContainText('quote');
		await expect(error).toContainText('at character 1');
		await expect(error.locator('mark.error-at')).toHaveText('"');
		await expect(page.getByTestId('search-hit')).toHaveCount(0);
		await expectNoAxeViolations(page, javaScriptEnabled);

		// Operators of the databases typed as text are only text.
		await search(page, "NEAR(oil prices) ' OR 1=1 --");
		await expect(page.getByTestId('search-error')).toHaveCount(0);
		await expect(page.getByTestId('search-total')).toBeVisible();

		const response = await page.goto('/search?q=oil&topic=1%20OR%201%3D1&from=2024-02-30');
		expect(response?.status()).toBe(200);
		await expect(page.getByTestId('search-invalid')).toContainText('Topic');
		await expect(page.getByTestId('search-invalid')).toContainText('Published from');

		// A 10,000-character query is refused with its limit, not a failure.
		const long = await page.goto('/search?q=' + 'a'.repeat(10_000));
		expect(long?.status()).toBe(200);
		await expect(page.getByTestId('search-error')).toBeVisible();
	});

	test('who covers this: reporters for words and for a topic, with the articles behind the rank', async ({ page, javaScriptEnabled }) => {
		await page.goto('/search');
		await page.getByRole('link', { name: 'Who covers this?' }).click();
		await expect(page).toHaveURL(/view=reporters/);
		await search(page, '修理 OR repair* OR 手入れ');
		const reporters = page.getByTestId('who-reporter');
		const morikawa = reporters.filter({ has: page.getByRole('heading', { name: '森川 由紀' }) });
		await expect(morikawa).toHaveCount(1);
		await expect(morikawa.getByRole('listitem')).toHaveCount(2);
		await expect(morikawa).toContainText('2 matching articles');
		// Two reporters of that name (the demo's review queue asks whether they are one person).
		await expect(reporters.filter({ has: page.getByRole('heading', { name: 'Dana Whitfield' }) }).first()).toBeVisible();
		await expectNoAxeViolations(page, javaScriptEnabled);

		// From a topic's page: its reporters, without typing anything.
		await page.goto('/topics');
		await page.getByRole('link', { name: 'Outdoor & trails' }).click();
		await page.getByRole('link', { name: /Who covers this topic/ }).click();
		await expect(page).toHaveURL(/view=reporters&topic=\d+/);
		await expect(reporters.filter({ has: page.getByRole('heading', { name: 'Dana Whitfield' }) }).first()).toBeVisible();
		await expect(reporters.filter({ has: page.getByRole('heading', { name: 'Priya Nand' }) })).toHaveCount(1);
		await expect(reporters.filter({ has: page.getByRole('heading', { name: '森川 由紀' }) })).toHaveCount(0);

		// Outlet type and language narrow it.
		await page.getByLabel('Language').selectOption('ja');
		await Promise.all([page.waitForURL(/lang=ja/), page.getByRole('button', { name: 'Search', exact: true }).click()]);
		await expect(reporters).toHaveCount(0);
	});
});

test('a client user cannot open search', async ({ baseURL }) => {
	const { ctx } = await signInAs(baseURL!, 'clientA');
	for (const path of ['/search?q=oil', '/search?view=reporters&q=oil']) {
		const res = await ctx.get(path);
		expect([403, 404], path).toContain(res.status());
		expect(await res.text()).not.toContain('search-hit');
	}
	await ctx.dispose();
});

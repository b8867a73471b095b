/**
 * Topic pages, as an agent: a rule that does not parse is explained beside the field; a topic with
 * `修理 OR repair*` is applied to the demo articles in the background (the page refreshes itself
 * while it runs); the agent watches it and tags an article by hand from the article page. The
 * topic pages and Today pass axe. Runs with JavaScript on and off.
 *
 * The sqlite and sqlite-nojs projects share one server and database, so each test names its topics
 * uniquely and signs in as an agent user it creates (the demo agent's saved language is changed by
 * the shell tests while they run).
 */
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, signInAsNewAgent, unique } from './support/browser';

/** Fill and send the new-topic form on /topics. */
async function submitTopic(page: Page, name: string, rule: string): Promise<void> {
	await page.locator('#field-name').fill(name);
	await page.locator('#field-rule').fill(rule);
	await page.getByRole('button', { name: 'Create topic' }).click();
}

test.describe('topics', () => {
	test('a topic rule is explained when broken, applied to the index, watched and used to tag', async ({
		page,
		javaScriptEnabled,
		baseURL
	}, testInfo) => {
		test.setTimeout(120_000);
		await signInAsNewAgent(page, baseURL!, 'topics');
		const name = `Repair ${unique(testInfo)}`;

		// A broken rule: the explanation, with where the problem is, beside the field.
		await page.goto('/topics');
		await expectNoAxeViolations(page, javaScriptEnabled);
		await submitTopic(page, name, '"unclosed');
		const ruleError = page.getByTestId('rule-error');
		await expect(ruleError).toBeVisible();
		await expect(ruleError).toContainText('character');
		await expect(page.locator('#field-rule')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.locator('#field-rule')).toHaveValue('"unclosed');
		await expect(page.locator('#field-name')).toHaveValue(name);
		await expectNoAxeViolations(page, javaScriptEnabled);

		// A good rule: the topic page, and the rule applied to the demo articles in the background.
		await page.locator('#field-rule').fill('修理 OR repair*');
		await Promise.all([page.waitForURL(/\/topics\/\d+\?notice=created$/), page.getByRole('button', { name: 'Create topic' }).click()]);
		const topicPath = new URL(page.url()).pathname;
		await expect(page.getByTestId('topic-rule')).toHaveText('修理 OR repair*');
		// Soft, so that a missing job runner is reported without hiding what the rest of the test finds.
		await expect
			.configure({ soft: true })
			.poll(
				async () => {
					await page.goto(topicPath);
					return page.getByTestId('topic-articles').locator('li').count();
				},
				{ message: 'the rule is applied by the background job runner within 20 s', timeout: 20_000, intervals: [1000] }
			)
			.toBeGreaterThan(0);
		if (await page.getByTestId('topic-articles').count()) {
			await expect(page.getByTestId('topic-articles')).toContainText(/修理|[Rr]epair/);
			await expect(page.getByTestId('topic-chart').locator('rect title').first()).toBeAttached();
			// Only once applied: while the rule runs, the page refreshes itself without JavaScript
			// (<noscript> meta refresh, as on an import run's page), which axe reports.
			await expectNoAxeViolations(page, javaScriptEnabled);
		}

		// The list shows it with its count.
		await page.goto('/topics');
		const row = page.getByTestId('topics-table').getByRole('row').filter({ hasText: name });
		await expect(row).toContainText('修理 OR repair*');

		// Watch it, and stop.
		await page.goto(topicPath);
		await Promise.all([page.waitForURL(/notice=watching$/), page.getByRole('button', { name: 'Watch this topic' }).click()]);
		await expect(page.getByRole('button', { name: 'Stop watching' })).toBeVisible();

		// Tag an article the rule does not catch by hand, from its page (an article of this test's own,
		// as the demo articles' place in the shared list depends on what other tests added).
		await page.goto('/articles/new');
		await page.locator('#field-outletName').fill(`Topics Weekly ${unique(testInfo)}`);
		await page.locator('#field-publishedOn').fill('2026-01-15');
		await page.locator('#field-title').fill(`老舗の鉄器 ${unique(testInfo)}`);
		await page.locator('#field-lang').selectOption('ja');
		await Promise.all([page.waitForURL(/\/articles\/\d+\?notice=created$/), page.locator('main form button[type="submit"]').first().click()]);
		const href = new URL(page.url()).pathname;
		// Other tests' topics share this database and their rules apply at import: only this topic matters.
		await expect(page.getByTestId('article-topics').locator('li').filter({ hasText: name })).toHaveCount(0);
		await page.locator('#field-topicId').selectOption({ label: name });
		await Promise.all([page.waitForURL(new RegExp(`${href}(#.*)?$`)), page.getByRole('button', { name: 'Tag', exact: true }).click()]);
		const tags = page.getByTestId('article-topics');
		await expect(tags.locator('li').filter({ hasText: name })).toContainText('By hand');
		await expectNoAxeViolations(page, javaScriptEnabled);

		await page.goto(topicPath);
		await expect(page.locator(`[data-testid="topic-articles"] a[href="${href}"]`)).toBeVisible();

		// Untag it again from the article page.
		await page.goto(href);
		await page.getByTestId('article-topics').locator('li').filter({ hasText: name }).getByRole('button', { name: /^Untag/ }).click();
		// Other tests' topics share this database and their rules apply at import: only this topic matters.
		await expect(page.getByTestId('article-topics').locator('li').filter({ hasText: name })).toHaveCount(0);
		await expect(page.locator('#field-topicId option', { hasText: name })).toHaveCount(1);

		// Today: no alerts yet, and how to get them.
		await page.goto('/today');
		await expect(page.getByRole('heading', { name: 'Good moments' })).toBeVisible();
		await expectNoAxeViolations(page, javaScriptEnabled);
	});

	test('a topic is edited, retrained and deleted with a confirm step; a reporter is watched', async ({
		page,
		javaScriptEnabled,
		baseURL
	}, testInfo) => {
		test.setTimeout(120_000);
		await signInAsNewAgent(page, baseURL!, 'topics-edit');

		// A topic without a rule has no job, so its page does not refresh itself while we use it.
		const name = `Kettles ${unique(testInfo)}`;
		await page.goto('/topics');
		await Promise.all([page.waitForURL(/\/topics\/\d+\?notice=created$/), submitTopic(page, name, '')]);
		const topicPath = new URL(page.url()).pathname;
		await expect(page.getByTestId('reapplying')).toHaveCount(0);

		// Retrain: the page says what came of it.
		await page.getByRole('button', { name: 'Retrain suggestions' }).click();
		await expect(page.getByTestId('retrain-result')).toBeVisible();

		// Delete asks for the box to be ticked first.
		await page.goto(topicPath);
		await page.getByText('Delete topic', { exact: true }).first().click();
		await page.getByRole('button', { name: 'Delete topic' }).click();
		await expect(page.getByText('Tick the box to confirm the deletion.')).toBeVisible();
		await expectNoAxeViolations(page, javaScriptEnabled);
		await page.getByRole('checkbox').check();
		await Promise.all([page.waitForURL(/\/topics$/), page.getByRole('button', { name: 'Delete topic' }).click()]);
		await expect(page.locator('main')).not.toContainText(name);

		// A second topic gets a rule by editing: the page says the rule is being re-applied to the whole index.
		const second = `Kettles2 ${unique(testInfo)}`;
		await Promise.all([page.waitForURL(/\/topics\/\d+\?notice=created$/), submitTopic(page, second, '')]);
		await page.getByText('Edit', { exact: true }).click();
		await page.locator('#field-rule').fill('鉄器 OR kettle*');
		await Promise.all([page.waitForURL(/notice=reapplying$/), page.getByRole('button', { name: 'Save topic' }).click()]);
		await expect(page.getByTestId('reapplying')).toContainText('Re-applying the rule to the whole index');
		await expect(page.getByTestId('topic-rule')).toHaveText('鉄器 OR kettle*');

		// A reporter: watch, then stop.
		await page.goto('/reporters');
		const hrefs = await page.locator('main a[href^="/reporters/"]').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
		const reporter = hrefs.find((h) => /^\/reporters\/\d+$/.test(h ?? ''));
		expect(reporter).toMatch(/^\/reporters\/\d+$/);
		await page.goto(reporter!);
		await page.getByRole('button', { name: 'Watch this reporter' }).click();
		await expect(page.getByText('You are watching this reporter.')).toBeVisible();
		await page.getByRole('button', { name: 'Stop watching' }).click();
		await expect(page.getByRole('button', { name: 'Watch this reporter' })).toBeVisible();
	});
});

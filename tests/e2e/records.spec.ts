/**
 * The reporter record as an agent uses it: add a reporter by hand, give them contact and work
 * details with their source (a bad email explained, a tier without a reason refused), replace a
 * detail and find the old one in the history, log what they told us about a client, write a note,
 * put them on a media list, and read what they seem to want on a demo reporter with articles.
 * Outlet details and desks on the outlet page. axe passes on each page. JavaScript on and off.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, openAddReporterForm, signInAsNewAgent, unique } from './support/browser';

async function addFact(page: Page, field: string, value: string, source: string, note = ''): Promise<void> {
	const details = page.locator('details:has(#fact-field)');
	if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
	await page.locator('#fact-field').selectOption(field);
	await page.locator('#fact-value').fill(value);
	await page.locator('#fact-note').fill(note);
	await page.locator('#fact-source').fill(source);
	await page.getByRole('button', { name: 'Add a detail' }).click();
}

test('a reporter record: details with their source, history, what they told us, notes, lists', async ({ page, baseURL, javaScriptEnabled }, testInfo) => {
	test.setTimeout(120_000);
	await signInAsNewAgent(page, baseURL!, 'records-agent');
	const name = `記者 ${unique(testInfo)}`;
	await openAddReporterForm(page);
	await page.locator('#new-name').fill(name);
	await page.locator('#new-reading').fill('きしゃ テスト');
	await page.locator('#new-source').fill('business card at the trade fair');
	await Promise.all([page.waitForURL(/\/reporters\/\d+$/), page.getByRole('button', { name: 'Add a reporter' }).click()]);
	await expect(page.locator('h1')).toHaveText(name);
	const url = page.url();
	await expectNoAxeViolations(page, javaScriptEnabled);

	// A bad email is explained and nothing is stored.
	await addFact(page, 'email', 'not-an-address', 'card');
	await expect(page.getByRole('alert')).toContainText(/email/i);
	await expect(page.getByTestId('fact-email')).toHaveCount(0);

	await addFact(page, 'email', `${unique(testInfo)}@paper.example`, 'business card');
	await expect(page.getByRole('status')).toContainText('Added to the record');
	const email = page.getByTestId('fact-email');
	await expect(email).toContainText('@paper.example');
	await expect(email).toContainText('from business card');

	// A tier needs a reason.
	await addFact(page, 'tier', 'A', 'team review');
	await expect(page.getByRole('alert')).toContainText('reason');
	await addFact(page, 'tier', 'A', 'team review', 'covers our sector every week');
	await expect(page.getByTestId('fact-tier')).toContainText('covers our sector every week');

	// A new desk replaces the old one, which stays in the history.
	await addFact(page, 'desk', '経済部', 'business card');
	await addFact(page, 'desk', '生活部', 'she told us');
	await expect(page.getByTestId('fact-desk')).toHaveCount(1);
	await expect(page.getByTestId('fact-desk')).toContainText('生活部');
	await page.getByText(/^History \(/).click();
	await expect(page.locator('.history')).toContainText('経済部');

	// What they told us, about a client.
	await page.getByText('Add what they told us', { exact: true }).first().click();
	await page.locator('#log-kind').selectOption('request');
	await page.locator('#log-body').fill('No attachments, please: text in the email body.');
	await page.locator('#log-client').selectOption({ index: 1 });
	await page.locator('#log-source').fill('phone call');
	await page.getByRole('button', { name: 'Add what they told us' }).click();
	await expect(page.getByTestId('reporter-log')).toContainText('No attachments, please');

	await page.locator('#note-body').fill('Best reached before 11:00.');
	await page.getByRole('button', { name: 'Add a note' }).click();
	await expect(page.getByTestId('reporter-notes')).toContainText('Best reached before 11:00.');

	// Onto a demo list, with a tier.
	await page.locator('#list-id').selectOption({ index: 0 });
	await page.locator('#list-tier').selectOption('B');
	await page.getByRole('button', { name: 'Add to list' }).click();
	await expect(page.getByTestId('reporter-lists').getByRole('listitem')).toHaveCount(1);
	await expect(page.getByRole('heading', { name: 'Relationship by client' })).toBeVisible();
	await expectNoAxeViolations(page, javaScriptEnabled);

	// The page is still the record it was.
	expect(page.url().split('?')[0]).toBe(url);
});

test('a reporter with articles: what they seem to want, outlet history; an outlet with its desks', async ({ page, baseURL, javaScriptEnabled }, testInfo) => {
	await signInAsNewAgent(page, baseURL!, 'records-agent');
	await page.goto('/reporters');
	await page.getByRole('link', { name: '森川 由紀' }).first().click();
	await expect(page.getByTestId('key-terms')).toBeVisible();
	await expect(page.getByRole('heading', { name: 'Outlet history' })).toBeVisible();
	await expect(page.locator('section', { has: page.getByRole('heading', { name: 'Outlet history' }) })).toContainText('東京ポスト新聞');
	await expect(page.getByTestId('fact-email')).toContainText('tokyo-post.example');
	await expectNoAxeViolations(page, javaScriptEnabled);

	await page.goto('/outlets');
	await page.getByRole('link', { name: 'Trailhead Weekly' }).click();
	await expect(page.locator('h1')).toHaveText('Trailhead Weekly');
	const desk = `Gear desk ${unique(testInfo)}`;
	await page.locator('#desk-name').fill(desk);
	await page.locator('#desk-phone').fill('+1 555 0199');
	await page.getByRole('button', { name: 'Add desk' }).click();
	await expect(page.locator('.desks')).toContainText(desk);
	// A reach figure needs its source.
	await page.getByText('Edit details', { exact: true }).click();
	await page.locator('#outlet-reach').fill('120000');
	await page.locator('#outlet-reach-source').fill('');
	await page.getByRole('button', { name: 'Save details' }).click();
	await expect(page.getByRole('alert')).toContainText('Say where the reach figure comes from');
	await expectNoAxeViolations(page, javaScriptEnabled);
});

/**
 * Data protection in the browser, as an admin: a reporter made by this test (a print article with a
 * unique byline, an email added to its record) is put on the do-not-contact list, exported (the
 * JSON download holds the email; the audit log shows the export) and erased after typing their
 * name; the summary says what was removed and the reporter's page is then 404. The purpose
 * statement is public, in English and Japanese. Agents, writers and clients get only what their
 * role allows. Every page passes axe. Runs with JavaScript on and off.
 *
 * The sqlite projects share one server and database: names are unique per run, and each test signs
 * in as a user it creates.
 */
import { readFileSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, openAddReporterForm, unique } from './support/browser';
import { createUserAndSignIn, newClient, postForm, signInAs } from './support/http';

/** Letters only, so that the byline reads as a person's name. */
function letters(s: string): string {
	return s
		.toLowerCase()
		.replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)])
		.replace(/[^a-z]/g, '');
}

async function signInAsNewAdmin(page: Page, baseURL: string, label: string): Promise<void> {
	const { ctx } = await createUserAndSignIn(baseURL, 'admin', label);
	const state = await ctx.storageState();
	await ctx.dispose();
	await page.context().addCookies(state.cookies);
}

/** A print article whose byline names a new reporter; returns the reporter's id. */
async function createReporter(page: Page, name: string, outlet: string): Promise<number> {
	await page.goto('/articles/new');
	await page.locator('#field-outletName').fill(outlet);
	await page.locator('#field-publishedOn').fill('2026-01-15');
	await page.locator('#field-title').fill(`Harbour dredging resumes (${outlet})`);
	await page.locator('#field-bylineRaw').fill(`By ${name}`);
	await page.locator('#field-lang').selectOption('en');
	await page.locator('#field-body').fill(`${name} reports that dredging of the harbour resumed on Monday.`);
	await Promise.all([page.waitForURL(/\/articles\/\d+\?notice=created$/), page.locator('main form button[type="submit"]').first().click()]);
	const href = await page.locator('main a[href^="/reporters/"]', { hasText: name }).first().getAttribute('href');
	return Number(href!.split('/').pop());
}

test.describe('data protection', () => {
	test('an admin suppresses, exports and erases a reporter', async ({ page, javaScriptEnabled, baseURL }, testInfo) => {
		test.setTimeout(120_000);
		const id = unique(testInfo);
		const name = `Ysolde Varnek${letters(id)}`;
		const email = `ysolde.${letters(id)}@paper.example`;
		await signInAsNewAdmin(page, baseURL!, 'privacy');
		const reporterId = await createReporter(page, name, `Privacy Post ${id}`);

		// An email on the record, as the profile would add it (written straight to the shared database).
		const sqlite = new SQLite(String(testInfo.project.metadata.databaseUrl).replace(/^sqlite:/, ''));
		try {
			sqlite.pragma('busy_timeout = 5000');
			sqlite
				.prepare(`insert into reporter_facts (reporter_id, field, value, value_key, label, source, created_at) values (?, 'email', ?, ?, 'work', 'business card', ?)`)
				.run(reporterId, email, email, new Date().toISOString());
		} finally {
			sqlite.close();
		}

		// Suppress, with the reason and the day they asked.
		const privacy = `/reporters/${reporterId}/privacy`;
		await page.goto(privacy);
		await expect(page.locator('h1')).toContainText(name);
		await expectNoAxeViolations(page, javaScriptEnabled);
		await page.locator('#field-reason').fill('Asked by phone not to receive releases');
		await page.locator('#field-requestedOn').fill('2026-01-20');
		await Promise.all([page.waitForURL(/notice=suppressed$/), page.getByRole('button', { name: 'Add to the do-not-contact list' }).click()]);
		await expect(page.getByTestId('dnc-badge')).toBeVisible();
		await expect(page.getByTestId('suppression')).toContainText('Asked by phone not to receive releases');
		await expectNoAxeViolations(page, javaScriptEnabled);

		// Export: a JSON file with everything held, the email included.
		const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-link').click()]);
		expect(download.suggestedFilename()).toBe(`tegami-reporter-${reporterId}.json`);
		const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { reporter: { displayName: string }; facts: { value: string }[]; doNotContact: unknown[] };
		expect(exported.reporter.displayName).toBe(name);
		expect(exported.facts.map((f) => f.value)).toContain(email);
		expect(exported.doNotContact).toHaveLength(1);

		// The audit log shows the export, by id.
		await page.goto(`/admin/audit?action=reporter.exported&subjectType=reporter&subjectId=${reporterId}`);
		await expect(page.getByTestId('audit-table').locator('tbody tr')).toHaveCount(1);
		await expect(page.getByTestId('audit-table')).toContainText(`reporter #${reporterId}`);
		await expect(page.getByTestId('audit-table')).not.toContainText(name);
		await expectNoAxeViolations(page, javaScriptEnabled);

		// Erase: the name must be typed; a wrong one is refused beside the field.
		await page.goto(privacy);
		await page.locator('summary', { hasText: 'Erase this reporter' }).click();
		await expect(page.getByTestId('erase-preview')).toBeVisible();
		await page.locator('#field-confirmName').fill('Someone Else');
		await page.locator('#field-erase-reason').fill('Request by email of 21 January');
		await page.getByRole('button', { name: 'Erase permanently' }).click();
		await expect(page.locator('#field-confirmName')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.locator('#field-confirmName-error')).toContainText('Type the reporter’s name');
		await expect(page.locator('#field-erase-reason')).toHaveValue('Request by email of 21 January');
		await expectNoAxeViolations(page, javaScriptEnabled);
		await page.locator('#field-confirmName').fill(name);
		await Promise.all([page.waitForURL(/notice=erased$/), page.getByRole('button', { name: 'Erase permanently' }).click()]);
		await expect(page.locator('h1')).toHaveText('Reporter erased');
		const removed = page.getByTestId('erased-removed');
		await expect(removed.getByRole('row', { name: /The reporter record/ })).toContainText('1');
		await expect(removed.getByRole('row', { name: /Facts/ })).toContainText('1');
		await expect(page.getByTestId('erasure-summary')).toContainText('Request by email of 21 January');
		await expect(page.getByTestId('erasure-summary')).toContainText('do-not-contact list');
		await expect(page.locator('main')).not.toContainText(name);
		await expectNoAxeViolations(page, javaScriptEnabled);

		// The reporter is gone.
		const gone = await page.goto(`/reporters/${reporterId}`);
		expect(gone?.status()).toBe(404);
		await page.goto(`/search?q=${encodeURIComponent(name.split(' ')[1])}`);
		await expect(page.locator('main')).not.toContainText(name);
	});

	test('a namesake of someone on the do-not-contact list waits on Today until a person checks it', async ({ page, javaScriptEnabled, baseURL }, testInfo) => {
		test.setTimeout(120_000);
		const id = unique(testInfo);
		const name = `Maren Tolvik${letters(id)}`;
		await signInAsNewAdmin(page, baseURL!, 'privacy-today');
		const suppressedId = await createReporter(page, name, `Flag Post ${id}`);
		await page.goto(`/reporters/${suppressedId}/privacy`);
		await page.locator('#field-reason').fill('Asked not to be contacted');
		await Promise.all([page.waitForURL(/notice=suppressed$/), page.getByRole('button', { name: 'Add to the do-not-contact list' }).click()]);

		// Someone adds a reporter of the same name by hand: a new record, flagged.
		await openAddReporterForm(page);
		await page.locator('#new-name').fill(name);
		await page.locator('#new-source').fill('met at a press conference');
		await Promise.all([page.waitForURL(/\/reporters\/\d+$/), page.getByRole('button', { name: 'Add a reporter' }).click()]);
		const namesakeId = Number(page.url().split('/').pop());
		expect(namesakeId).not.toBe(suppressedId);

		// Today lists it, with where it was found, one click from the decision.
		await page.goto('/today');
		const flags = page.getByTestId('today-flags');
		const href = `a[href="/reporters/${namesakeId}/privacy"]`;
		const link = flags.locator(href);
		await expect(link).toHaveText(name);
		await expect(flags.locator('li', { has: page.locator(href) })).toContainText('added by hand');
		await expect(page.getByTestId('today-unsigned')).toBeVisible();
		await expectNoAxeViolations(page, javaScriptEnabled);

		await Promise.all([page.waitForURL(new RegExp(`/reporters/${namesakeId}/privacy$`)), link.click()]);
		await Promise.all([page.waitForURL(/notice=flag_resolved$/), page.getByRole('button', { name: 'A different person: may be contacted' }).click()]);

		// Checked: it leaves Today.
		await page.goto('/today');
		await expect(page.locator(`a[href="/reporters/${namesakeId}/privacy"]`)).toHaveCount(0);
	});

	test('the purpose statement is public, in English and Japanese', async ({ browser, javaScriptEnabled, baseURL }) => {
		const context = await browser.newContext({ baseURL, javaScriptEnabled });
		const page = await context.newPage();
		try {
			const res = await page.goto('/privacy');
			expect(res?.status()).toBe(200);
			await expect(page).toHaveURL(/\/privacy$/);
			await expect(page.locator('h1')).toHaveText('How we handle journalists’ personal data');
			await expect(page.getByRole('heading', { name: 'Your rights and how to ask' })).toBeVisible();
			await expect(page.getByTestId('privacy-contact')).toBeVisible();
			await expectNoAxeViolations(page, javaScriptEnabled);

			await Promise.all([page.waitForURL(/\/privacy$/), page.getByTestId('locale-switch').click()]);
			await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
			await expect(page.locator('h1')).toHaveText('記者の皆さまの個人情報の取り扱いについて');
			await expect(page.getByRole('heading', { name: 'ご本人の権利と請求の方法' })).toBeVisible();
			await expectNoAxeViolations(page, javaScriptEnabled);
		} finally {
			await context.close();
		}
	});

	test('each role gets only what it may: agents suppress, only admins export and erase', async ({ page, javaScriptEnabled, baseURL }, testInfo) => {
		test.skip(!javaScriptEnabled, 'HTTP-level: the JS-off project adds nothing');
		test.setTimeout(120_000);
		const id = unique(testInfo);
		const name = `Odile Brank${letters(id)}`;
		await signInAsNewAdmin(page, baseURL!, 'privacy-roles');
		const reporterId = await createReporter(page, name, `Roles Post ${id}`);
		const privacy = `/reporters/${reporterId}/privacy`;

		const agent = await createUserAndSignIn(baseURL!, 'agent', 'privacy-agent');
		const writer = await createUserAndSignIn(baseURL!, 'writer', 'privacy-writer');
		const client = (await signInAs(baseURL!, 'clientA')).ctx;
		const anonymous = await newClient(baseURL!);
		try {
			// Agents: see the page, suppress and lift; never export or erase.
			expect((await agent.ctx.get(privacy)).status()).toBe(200);
			expect((await postForm(agent.ctx, `${privacy}?/suppress`, { reason: 'asked', requestedOn: '' })).status()).toBe(303);
			expect((await postForm(agent.ctx, `${privacy}?/suppress`, { reason: 'again', requestedOn: '' })).status()).toBe(400);
			expect((await postForm(agent.ctx, `${privacy}?/lift`, {})).status()).toBe(303);
			expect((await agent.ctx.get(`${privacy}/export`)).status()).toBe(403);
			expect((await postForm(agent.ctx, `${privacy}?/erase`, { confirmName: name, reason: 'x', keepSuppressed: 'yes' })).status()).toBe(403);
			const agentPage = await (await agent.ctx.get(privacy)).text();
			expect(agentPage).not.toContain('/export');
			expect(agentPage).not.toContain('Erase permanently');
			// The audit log is for admins.
			expect((await agent.ctx.get('/admin/audit')).status()).toBe(403);

			// Writers: see the status only.
			expect((await writer.ctx.get(privacy)).status()).toBe(200);
			expect((await postForm(writer.ctx, `${privacy}?/suppress`, { reason: 'asked', requestedOn: '' })).status()).toBe(403);

			// Clients and strangers: nothing.
			expect((await client.get(privacy)).status()).toBe(403);
			expect((await client.get(`${privacy}/export`)).status()).toBe(403);
			expect((await anonymous.get(privacy)).status()).toBe(303);
			expect((await anonymous.get(`${privacy}/export`)).status()).toBe(303);

			// A reporter that does not exist, or an id that is not one: 404.
			const admin = await createUserAndSignIn(baseURL!, 'admin', 'privacy-admin');
			for (const path of ['/reporters/99999999/privacy', '/reporters/abc/privacy', '/reporters/99999999/privacy/export']) {
				expect((await admin.ctx.get(path)).status(), path).toBe(404);
			}
			await admin.ctx.dispose();
		} finally {
			for (const ctx of [agent.ctx, writer.ctx, client, anonymous]) await ctx.dispose();
		}
	});
});

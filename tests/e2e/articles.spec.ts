/**
 * The article index pages, as an agent: enter print articles by hand (signed with a Japanese
 * byline, and unsigned), identify the writer of the unsigned one from the queue, import a CSV with
 * Japanese column names through the column-mapping step and read the run's report; every page
 * passes axe. A client user reaches none of it. Runs with JavaScript on and off.
 *
 * The sqlite and sqlite-nojs projects share one server and database, so every test works on
 * outlets and titles of its own, and signs in as an agent user it creates (the demo agent's saved
 * language is changed by the shell tests while they run).
 */
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, signInAsNewAgent, unique } from './support/browser';
import { signInAs } from './support/http';

/** Fill and send the "new print article" form; returns the new article's id. */
async function enterPrintArticle(
	page: Page,
	article: { outlet: string; title: string; date: string; byline?: string; lang: 'en' | 'ja'; body?: string },
	notice: 'created' | 'duplicate' = 'created'
): Promise<number> {
	await page.goto('/articles/new');
	await page.locator('#field-outletName').fill(article.outlet);
	await page.locator('#field-section').fill('経済面');
	await page.locator('#field-publishedOn').fill(article.date);
	await page.locator('#field-title').fill(article.title);
	if (article.byline) await page.locator('#field-bylineRaw').fill(article.byline);
	await page.locator('#field-lang').selectOption(article.lang);
	if (article.body) await page.locator('#field-body').fill(article.body);
	await Promise.all([
		page.waitForURL(new RegExp(`/articles/\\d+\\?notice=${notice}$`)),
		page.locator('main form button[type="submit"]').click()
	]);
	return Number(new URL(page.url()).pathname.split('/').pop());
}

test.describe('article index', () => {
	test('a print article with a Japanese byline is linked to its reporter', async ({ page, javaScriptEnabled, baseURL }, testInfo) => {
		test.setTimeout(120_000);
		const id = unique(testInfo);
		await signInAsNewAgent(page, baseURL!, 'articles-byline');

		// The form reports each missing field beside it, and passes axe with its errors showing.
		await page.goto('/articles/new');
		await expectNoAxeViolations(page, javaScriptEnabled);
		await page.locator('#field-outletName').fill(`テスト新聞 ${id}`);
		await page.locator('main form').evaluate((f) => f.setAttribute('novalidate', ''));
		await page.locator('main form button[type="submit"]').click();
		await expect(page.locator('#field-title')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.locator('#field-publishedOn')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.locator('#field-outletName')).toHaveValue(`テスト新聞 ${id}`);
		await expectNoAxeViolations(page, javaScriptEnabled);

		const article = {
			outlet: `テスト新聞 ${id}`,
			title: `新製品の発表会 ${id}`,
			date: '2024-05-01',
			byline: '（山田太郎）',
			lang: 'ja' as const,
			body: '第一段落。\n第二段落。'
		};
		const articleId = await enterPrintArticle(page, article);
		await expect(page.locator('h1')).toHaveText(`新製品の発表会 ${id}`);
		const chip = page.locator('main a[href^="/reporters/"]', { hasText: '山田太郎' });
		await expect(chip).toHaveCount(1);
		// The text keeps its line breaks as text, never as markup.
		await expect(page.locator('main .text')).toHaveText('第一段落。\n第二段落。');
		await expectNoAxeViolations(page, javaScriptEnabled);

		// Entering it again adds nothing: the page says it was already there.
		expect(await enterPrintArticle(page, article, 'duplicate')).toBe(articleId);
		await expect(page.locator('main a[href^="/reporters/"]', { hasText: '山田太郎' })).toHaveCount(1);

		// The list, filtered to the outlet, shows the article with its reporter chip.
		await page.locator('main a[href^="/articles?outlet="]').click();
		await expect(page).toHaveURL(/\/articles\?outlet=\d+$/);
		const item = page.locator('main li.article', { hasText: `新製品の発表会 ${id}` });
		await expect(item.locator('a[href^="/reporters/"]', { hasText: '山田太郎' })).toHaveCount(1);
		await expectNoAxeViolations(page, javaScriptEnabled);

		// The reporter's page: created from this article's byline, with the article listed.
		await item.locator('a[href^="/reporters/"]').click();
		await expect(page.locator('h1')).toHaveText('山田太郎');
		await expect(page.locator(`main a[href="/articles/${articleId}"]`).first()).toBeVisible();
		await expectNoAxeViolations(page, javaScriptEnabled);
	});

	test('an unsigned print article is identified from the queue by a desk call', async ({ page, javaScriptEnabled, baseURL }, testInfo) => {
		test.setTimeout(120_000);
		const id = unique(testInfo);
		await signInAsNewAgent(page, baseURL!, 'articles-identify');
		const outlet = `Identify Daily ${id}`;
		const title = `Unsigned feature ${id}`;
		const articleId = await enterPrintArticle(page, { outlet, title, date: '2024-06-03', lang: 'en' });
		const identifyLink = page.locator(`main a[href="/articles/identify#article-${articleId}"]`);
		await expect(identifyLink).toHaveCount(1);

		await identifyLink.click();
		await expect(page).toHaveURL(/\/articles\/identify/);
		const task = page.locator(`#article-${articleId}`);
		await expect(task).toContainText(title);
		await expectNoAxeViolations(page, javaScriptEnabled);

		// The outlet has no desk phone yet: record one; it becomes a tel: link.
		const group = page.locator('section.outlet', { has: task });
		await group.locator('input[name="deskPhone"]').fill('03-1234-5678');
		await Promise.all([page.waitForURL(/phone=saved/), group.locator('form[action="?/phone"] button').click()]);
		await expect(page.locator('section.outlet', { has: page.locator(`#article-${articleId}`) }).locator('a[href="tel:0312345678"]')).toHaveCount(1);

		// Asking for neither an existing reporter nor a name is refused beside the form.
		await page.locator(`#article-${articleId} form`).evaluate((f) => f.setAttribute('novalidate', ''));
		await page.locator(`#article-${articleId} button.button-primary`).click();
		await expect(page.locator(`#identify-${articleId}-name`)).toHaveAttribute('aria-invalid', 'true');
		await expectNoAxeViolations(page, javaScriptEnabled);

		await page.locator(`#identify-${articleId}-name`).fill('鈴木花子');
		await expect(page.locator(`#identify-${articleId}-method`)).toHaveValue('desk_call');
		await page.locator(`#identify-${articleId}-note`).fill('Spoke to the news desk');
		await Promise.all([
			page.waitForURL(new RegExp(`/articles/identify\\?identified=${articleId}$`)),
			page.locator(`#article-${articleId} button.button-primary`).click()
		]);
		await expect(page.locator(`#article-${articleId}`)).toHaveCount(0);
		await expectNoAxeViolations(page, javaScriptEnabled);

		await page.locator(`main .notice a[href="/articles/${articleId}"]`).click();
		await expect(page.locator('main a[href^="/reporters/"]', { hasText: '鈴木花子' })).toHaveCount(1);
		await expect(page.locator(`main a[href="/articles/identify#article-${articleId}"]`)).toHaveCount(0);
		await expect(page.locator('main .identifications')).toContainText('鈴木花子');
		await expectNoAxeViolations(page, javaScriptEnabled);
	});

	test('a CSV with Japanese column names goes through the mapping step and reports its skipped row', async ({ page, javaScriptEnabled, baseURL }, testInfo) => {
		test.setTimeout(120_000);
		const id = unique(testInfo);
		await signInAsNewAgent(page, baseURL!, 'articles-csv');
		const outlet = `CSV経済新聞 ${id}`;
		const csv = [
			'見出し,媒体,記者,日付',
			`電池の新工場が稼働 ${id},${outlet},（佐藤一郎）,2024年5月2日`,
			`,${outlet},（佐藤一郎）,2024-05-03`,
			''
		].join('\r\n');

		await page.goto('/articles/import');
		await expectNoAxeViolations(page, javaScriptEnabled);
		await page.locator('#upload-file').setInputFiles({ name: `articles-${id}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
		await Promise.all([
			page.waitForURL(/\/articles\/import\/map\/[a-z2-7]{32}$/),
			page.locator('form[action="?/upload"] button[type="submit"]').click()
		]);

		// Each article field has its column chosen from the Japanese header names.
		await expect(page.locator('#map-title')).toHaveValue('見出し');
		await expect(page.locator('#map-outletName')).toHaveValue('媒体');
		await expect(page.locator('#map-bylineRaw')).toHaveValue('記者');
		await expect(page.locator('#map-publishedAt')).toHaveValue('日付');
		// The preview shows the first rows as articles: the second has no headline.
		const preview = page.locator('section[aria-labelledby="map-preview-heading"] tbody tr');
		await expect(preview).toHaveCount(2);
		await expect(preview.nth(0)).toContainText(`電池の新工場が稼働 ${id}`);
		await expect(preview.nth(1).locator('th')).toHaveText('line 3');
		await expectNoAxeViolations(page, javaScriptEnabled);

		// Without a headline column the mapping is refused, naming the field.
		await page.locator('#map-title').selectOption('');
		await page.locator('.mapping-form button.button-primary').click();
		await expect(page.locator('#map-title')).toHaveAttribute('aria-invalid', 'true');
		await expectNoAxeViolations(page, javaScriptEnabled);

		await page.locator('#map-title').selectOption('見出し');
		await Promise.all([page.waitForURL(/\/articles\/runs\/\d+$/), page.locator('.mapping-form button.button-primary').click()]);

		// The run's report (the page refreshes itself while the import runs).
		const problems = page.getByTestId('run-problems');
		await expect(problems).toBeVisible({ timeout: 20_000 });
		await expect(problems.locator('tbody tr')).toHaveCount(1);
		await expect(problems.locator('tbody tr th')).toHaveText('line 3');
		await expect(problems.locator('tbody tr td').first()).toHaveText(/Skipped|取り込まず/);
		await expect(problems.locator('tbody tr td').last()).toContainText('no title');
		await expectNoAxeViolations(page, javaScriptEnabled);

		// The imported article is in the index with its reporter.
		await page.goto('/articles/runs');
		await expect(page.locator('main table')).toContainText(`articles-${id}.csv`);
		await expectNoAxeViolations(page, javaScriptEnabled);
		await page.goto('/articles');
		await page.locator('#filter-outlet').selectOption({ label: outlet });
		await page.locator('form.filters button[type="submit"]').click();
		const item = page.locator('main li.article', { hasText: `電池の新工場が稼働 ${id}` });
		await expect(item.locator('a[href^="/reporters/"]', { hasText: '佐藤一郎' })).toHaveCount(1);
	});

	test('the same name at two outlets is put to review, merged, and split again', async ({ page, javaScriptEnabled, baseURL }, testInfo) => {
		test.setTimeout(120_000);
		const id = unique(testInfo);
		await signInAsNewAgent(page, baseURL!, 'articles-review');
		const [outletA, outletB] = [`Review Post A ${id}`, `Review Post B ${id}`];
		const [titleA, titleB] = [`Before the move ${id}`, `After the move ${id}`];
		await enterPrintArticle(page, { outlet: outletA, title: titleA, date: '2024-01-10', byline: '（高橋健）', lang: 'ja' });
		await enterPrintArticle(page, { outlet: outletB, title: titleB, date: '2024-03-10', byline: '（高橋健）', lang: 'ja' });

		await page.goto('/reporters/review');
		const card = page.locator('main article.card', { hasText: outletA }).filter({ hasText: outletB });
		await expect(card).toHaveCount(1);
		await expect(card).toContainText(titleA);
		await expect(card).toContainText(titleB);
		await expectNoAxeViolations(page, javaScriptEnabled);

		await Promise.all([page.waitForURL(/\/reporters\/review\?merged=\d+$/), card.locator('form[action="?/merge"] button').click()]);
		const kept = Number(new URL(page.url()).searchParams.get('merged'));
		await page.goto(`/reporters/${kept}`);
		await expect(page.locator('main')).toContainText(titleA);
		await expect(page.locator('main')).toContainText(titleB);
		const split = page.locator('main form[action="?/split"] button');
		await expect(split).toHaveCount(1);
		await expectNoAxeViolations(page, javaScriptEnabled);

		await Promise.all([page.waitForURL(new RegExp(`/reporters/${kept}\\?split=\\d+$`)), split.click()]);
		await expect(page.locator('main form[action="?/split"]')).toHaveCount(0);
		await expect(page.locator('main')).toContainText(titleA);
		await expect(page.locator('main')).not.toContainText(titleB);
		await page.locator('main .notice a[href^="/reporters/"]').click();
		await expect(page.locator('main')).toContainText(titleB);
		await expect(page.locator('main')).toContainText(outletB);
	});

	test('a bad file is refused on the form with its reason', async ({ page, baseURL }, testInfo) => {
		const id = unique(testInfo);
		await signInAsNewAgent(page, baseURL!, 'articles-bad-file');
		await page.goto('/articles/import');
		await page.locator('#upload-file').setInputFiles({ name: `broken-${id}.jsonl`, mimeType: 'application/json', buffer: Buffer.from('not json at all\nnor this\n') });
		await page.locator('form[action="?/upload"] button[type="submit"]').click();
		await expect(page.locator('main .notice-error p[lang="en"]')).toContainText('JSON');
		await expect(page).toHaveURL(/\/articles\/import/);
	});

	test('the other pages answer and pass axe', async ({ page, javaScriptEnabled, baseURL }) => {
		test.setTimeout(120_000);
		await signInAsNewAgent(page, baseURL!, 'articles-pages');
		for (const path of ['/articles', '/articles/feeds', '/articles/runs', '/articles/identify', '/reporters', '/reporters/review']) {
			const response = await page.goto(path);
			expect(response?.status(), path).toBe(200);
			await expect(page.locator('h1')).toHaveCount(1);
			await expectNoAxeViolations(page, javaScriptEnabled);
		}
		expect((await page.goto('/articles/999999999'))?.status()).toBe(404);
		expect((await page.goto('/reporters/not-a-number'))?.status()).toBe(404);
	});

	test('feeds: OPML export is a download for staff; a client user gets 403 everywhere', async ({ baseURL }) => {
		const agent = await signInAs(baseURL!, 'agent');
		const opml = await agent.ctx.get('/articles/feeds/opml');
		expect(opml.status()).toBe(200);
		expect(opml.headers()['content-type']).toContain('text/x-opml');
		expect(opml.headers()['content-disposition']).toMatch(/^attachment; filename="tegami-feeds-\d{4}-\d{2}-\d{2}\.opml"$/);
		expect(await opml.text()).toContain('<opml');
		await agent.ctx.dispose();

		const client = await signInAs(baseURL!, 'clientA');
		for (const path of ['/articles', '/articles/new', '/articles/import', '/articles/runs', '/articles/feeds', '/articles/feeds/opml', '/articles/identify', '/reporters', '/reporters/review']) {
			const res = await client.ctx.get(path);
			expect(res.status(), path).toBe(403);
		}
		const post = await client.ctx.post('/articles/new', { form: { title: 'x', outletName: 'y', publishedOn: '2024-01-01' } });
		expect(post.status()).toBe(403);
		await client.ctx.dispose();
	});
});

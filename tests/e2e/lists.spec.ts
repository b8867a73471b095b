/**
 * Media lists, as an agent: a list is created, filled from a CSV with Japanese column names through
 * the column-mapping step (a column changed and the preview updated), the import report read, a
 * tier changed on the list, the CSV (BOM, content) and vCard (folded lines) downloaded, the list
 * renamed and deleted with its confirm step. Bad files are refused on the form with their reason; a
 * 50 MB file is refused with the limit stated. Every page passes axe. Runs with JavaScript on and off.
 *
 * The sqlite and sqlite-nojs projects share one server and database, so each test names its lists,
 * reporters and emails uniquely.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations, signInAsNewAgent, unique } from './support/browser';
import { newClient, signInAs } from './support/http';

/** Create a list on /lists and land on its page; returns its path. */
async function createList(page: Page, name: string, description = ''): Promise<string> {
	await page.goto('/lists');
	await page.locator('#new-list-name').fill(name);
	if (description) await page.locator('#new-list-description').fill(description);
	await Promise.all([page.waitForURL(/\/lists\/\d+\?notice=created$/), page.getByRole('button', { name: 'Create list' }).click()]);
	return new URL(page.url()).pathname;
}

test.describe('media lists', () => {
	test('a list is filled from a Japanese CSV through the mapping step, edited, exported and deleted', async ({ page, javaScriptEnabled, baseURL }, testInfo) => {
		test.setTimeout(120_000);
		const id = unique(testInfo);
		// Lower case and digits only: the id goes into email addresses.
		const tag = id.toLowerCase().replace(/[^a-z0-9]/g, '');
		await signInAsNewAgent(page, baseURL!, 'lists');

		await page.goto('/lists');
		await expectNoAxeViolations(page, javaScriptEnabled);
		const name = `経済部 記者リスト ${id}`;
		// A name taken is refused beside the field.
		const listPath = await createList(page, name, '春の新製品発表');
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
		await expect(page.locator('main .notice-success')).toBeVisible();
		await expectNoAxeViolations(page, javaScriptEnabled);
		await page.goto('/lists');
		await page.locator('#new-list-name').fill(name.toUpperCase());
		await page.getByRole('button', { name: 'Create list' }).click();
		await expect(page.locator('#new-list-name')).toHaveAttribute('aria-invalid', 'true');
		await expect(page.locator('main')).toContainText('A list with this name already exists.');
		await expectNoAxeViolations(page, javaScriptEnabled);

		// Import a CSV with Japanese column names.
		await page.goto(listPath);
		await Promise.all([page.waitForURL(/\/import$/), page.getByTestId('import-link').click()]);
		await expectNoAxeViolations(page, javaScriptEnabled);
		const morikawa = `森川 由紀${tag.slice(-6)}`;
		const takahashi = `髙橋 一郎${tag.slice(-6)}`;
		const csv = [
			'氏名,よみ,媒体,部署,役職,メール,電話,住所',
			`${morikawa},もりかわ ゆき,東京新報 ${id},経済部,記者,morikawa.${tag}@tokyo-shimpo.example,03-1234-5678,"東京都千代田区大手町1-7-1"`,
			`${takahashi},たかはし いちろう,東京新報 ${id},産業部,編集委員,takahashi.${tag}@tokyo-shimpo.example,03-3270-0251,`,
			`森川 ゆき,,東京新報 ${id},,,MORIKAWA.${tag}@tokyo-shimpo.example,,`,
			''
		].join('\r\n');
		await page.locator('#list-file').setInputFiles({ name: `記者-${id}.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
		await Promise.all([page.waitForURL(/\/import\/map\/[a-z2-7]{32}$/), page.getByRole('button', { name: 'Upload and map columns' }).click()]);

		// The guessed mapping, one select per column, with the first values of each.
		const expected = ['fullName', 'reading', 'outlet', 'desk', 'title', 'email', 'phone', 'address'];
		for (const [i, field] of expected.entries()) await expect(page.locator(`#col-${i}`)).toHaveValue(field);
		const mapping = page.getByTestId('mapping-table');
		await expect(mapping.locator('tbody tr').nth(0)).toContainText(morikawa);
		await expect(page.getByTestId('preview-table').locator('tbody tr')).toHaveCount(3);
		await expect(page.getByTestId('preview-table').locator('tbody tr').first()).toContainText(`morikawa.${tag}@tokyo-shimpo.example`);
		await expect(page.getByTestId('map-problems')).toContainText('same email as line 2');
		await expectNoAxeViolations(page, javaScriptEnabled);

		// Not importing the desk column, then importing it again: the preview follows.
		await page.locator('#col-3').selectOption('');
		await page.getByRole('button', { name: 'Update the preview' }).click();
		await expect(page.locator('#col-3')).toHaveValue('');
		await expect(page.getByTestId('preview-table').locator('tbody tr').first()).not.toContainText('経済部');
		await page.locator('#col-3').selectOption('desk');
		await page.getByRole('button', { name: 'Update the preview' }).click();
		await expect(page.getByTestId('preview-table').locator('tbody tr').first()).toContainText('経済部');

		// Import, and the report.
		await page.getByRole('button', { name: 'Import', exact: true }).click();
		const report = page.getByTestId('import-report');
		await expect(report).toBeVisible({ timeout: 20_000 });
		await expect(page.getByTestId('report-rows')).toHaveText('3');
		await expect(page.getByTestId('report-added')).toHaveText('2');
		await expect(page.getByTestId('report-duplicates')).toHaveText('1');
		await expect(page.getByTestId('report-created')).toHaveText('2');
		await expect(page.getByTestId('report-matched')).toHaveText('0');
		await expect(page.getByTestId('report-suppressed')).toHaveText('0');
		await expect(page.getByTestId('report-problems')).toContainText('line 4');
		await expectNoAxeViolations(page, javaScriptEnabled);

		// The list, with both reporters linked to their records; a tier changed.
		await Promise.all([page.waitForURL(new RegExp(`${listPath}$`)), report.getByRole('link', { name: 'Open the list' }).click()]);
		const rows = page.getByTestId('member-row');
		await expect(rows).toHaveCount(2);
		const row = rows.filter({ hasText: morikawa });
		await expect(row.locator('a[href^="/reporters/"]')).toHaveText(morikawa);
		await expect(row).toContainText('もりかわ ゆき');
		await expect(row).toContainText(`東京新報 ${id}`);
		await row.locator('select[name="tier"]').selectOption('A');
		await row.locator('input[name="note"]').fill('経済面の特集を担当');
		await Promise.all([page.waitForURL(/notice=member_saved/), row.getByRole('button', { name: /^Save/ }).click()]);
		await expect(page.locator('main .notice-success')).toContainText('Tier and note saved.');
		const saved = page.getByTestId('member-row').filter({ hasText: morikawa });
		await expect(saved.locator('select[name="tier"]')).toHaveValue('A');
		await expect(saved.locator('input[name="note"]')).toHaveValue('経済面の特集を担当');
		// Tier A comes first.
		await expect(page.getByTestId('member-row').first()).toContainText(morikawa);
		await expectNoAxeViolations(page, javaScriptEnabled);

		// The CSV export: a download named after the list, UTF-8 with a BOM.
		const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
		expect(csvDownload.suggestedFilename()).toBe(`${name}.csv`);
		const csvBytes = readFileSync((await csvDownload.path())!);
		expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const exported = csvBytes.subarray(3).toString('utf8');
		const lines = exported.split('\r\n');
		expect(lines[0]).toBe('Name,Reading,Outlet,Title,Desk,Beat,Email,Phone,X,City,Country,Address,Tier,Note');
		expect(lines.filter((l) => l !== '')).toHaveLength(3);
		expect(lines[1]).toBe(`${morikawa},もりかわ ゆき,東京新報 ${id},記者,経済部,,morikawa.${tag}@tokyo-shimpo.example,03-1234-5678,,,,東京都千代田区大手町1-7-1,A,経済面の特集を担当`);
		expect(exported).toContain(takahashi);

		// The vCard export: one card each, lines folded at 75 octets.
		const [vcfDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-vcf').click()]);
		expect(vcfDownload.suggestedFilename()).toBe(`${name}.vcf`);
		const vcf = readFileSync((await vcfDownload.path())!, 'utf8');
		expect(vcf.match(/BEGIN:VCARD\r\nVERSION:4\.0\r\n/g)).toHaveLength(2);
		for (const line of vcf.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
		const unfolded = vcf.replace(/\r\n /g, '');
		expect(unfolded).toContain(`FN:${morikawa}\r\n`);
		expect(unfolded).toContain(`EMAIL:morikawa.${tag}@tokyo-shimpo.example\r\n`);

		// Rename; then delete, which asks for the box to be ticked first.
		await page.goto(listPath);
		await page.getByText('Rename or describe', { exact: true }).click();
		const renamed = `${name} (2026)`;
		await page.locator('#edit-list-name').fill(renamed);
		await Promise.all([page.waitForURL(/notice=saved$/), page.getByRole('button', { name: 'Save list' }).click()]);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(renamed);
		await page.getByText('Delete list', { exact: true }).first().click();
		await page.getByRole('button', { name: 'Delete list' }).click();
		await expect(page.getByText('Tick the box to confirm the deletion.')).toBeVisible();
		await expectNoAxeViolations(page, javaScriptEnabled);
		await page.getByRole('checkbox').check();
		await Promise.all([page.waitForURL(/\/lists\?notice=deleted$/), page.getByRole('button', { name: 'Delete list' }).click()]);
		await expect(page.locator('main')).not.toContainText(renamed);
		await expectNoAxeViolations(page, javaScriptEnabled);
	});

	test('bad files are refused with their reason; a 50 MB file with the limit stated', async ({ page, javaScriptEnabled, baseURL }, testInfo) => {
		test.setTimeout(120_000);
		const id = unique(testInfo);
		await signInAsNewAgent(page, baseURL!, 'lists-bad');
		const listPath = await createList(page, `Bad files ${id}`);
		const importPath = `${listPath}/import`;

		const refuse = async (file: { name: string; mimeType: string; buffer: Buffer } | string) => {
			await page.goto(importPath);
			await page.locator('#list-file').setInputFiles(file);
			await page.getByRole('button', { name: 'Upload and map columns' }).click();
			await expect(page.getByTestId('import-error')).toBeVisible({ timeout: 60_000 });
			await expect(page).toHaveURL(new RegExp(`${importPath}(\\?/upload)?$`));
			return page.getByTestId('import-error');
		};

		let error = await refuse({ name: `list-${id}.csv`, mimeType: 'text/csv', buffer: Buffer.from('[{"name":"Yuki"}]\n') });
		await expect(error).toContainText('JSON');
		await expect(error).toContainText('Nothing was imported');
		await expect(page.locator('#list-file')).toHaveAttribute('aria-invalid', 'true');
		await expectNoAxeViolations(page, javaScriptEnabled);

		error = await refuse({ name: `list-${id}.xlsx`, mimeType: 'application/octet-stream', buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]) });
		await expect(error).toContainText('save it as CSV');

		// A file without a name column goes on to the mapping step, which asks for one.
		await page.goto(importPath);
		await page.locator('#list-file').setInputFiles({ name: `list-${id}.csv`, mimeType: 'text/csv', buffer: Buffer.from('Outlet,Email\nNHK,someone@nhk.example\n') });
		await Promise.all([page.waitForURL(/\/import\/map\/[a-z2-7]{32}$/), page.getByRole('button', { name: 'Upload and map columns' }).click()]);
		await expect(page.getByTestId('map-error')).toContainText("no column holds the contact's name");
		await page.getByRole('button', { name: 'Import', exact: true }).click();
		await expect(page.getByTestId('map-error')).toContainText('Nothing was imported');
		await expectNoAxeViolations(page, javaScriptEnabled);
		await Promise.all([page.waitForURL(new RegExp(`${importPath}$`)), page.getByRole('button', { name: 'Cancel' }).click()]);

		// 50 MB: refused with the size and the limit (the server's 8 MB body limit under these tests).
		const dir = mkdtempSync(join(tmpdir(), 'tegami-lists-'));
		try {
			const big = join(dir, `big-${id}.csv`);
			writeFileSync(big, Buffer.alloc(50 * 1024 * 1024, 0x61));
			error = await refuse(big);
			await expect(error).toContainText(/The file is 50(\.\d)? MB; media lists are limited to 8 MB\./);
			await expectNoAxeViolations(page, javaScriptEnabled);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	test('the exports are for staff only: a client user gets 403, a visitor is sent to sign in', async ({ page, baseURL }, testInfo) => {
		await signInAsNewAgent(page, baseURL!, 'lists-authz');
		const listPath = await createList(page, `Internal ${unique(testInfo)}`);
		const client = await signInAs(baseURL!, 'clientA');
		const visitor = await newClient(baseURL!);
		try {
			for (const path of [listPath, `${listPath}/import`, `${listPath}/export.csv`, `${listPath}/export.vcf`]) {
				expect((await client.ctx.get(path, { maxRedirects: 0 })).status(), path).toBe(403);
				const anonymous = await visitor.get(path, { maxRedirects: 0 });
				expect(anonymous.status(), path).toBe(303);
				expect(anonymous.headers()['location']).toMatch(/^\/login\?next=/);
			}
		} finally {
			await client.ctx.dispose();
			await visitor.dispose();
		}
	});
});

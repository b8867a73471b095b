import { expect, test } from '@playwright/test';

// Runs on every project: the server behind each one must report the database it was started with.
test('GET /healthz reports ok and the database kind', async ({ request }, testInfo) => {
	const response = await request.get('/healthz');
	expect(response.status()).toBe(200);
	expect(await response.json()).toEqual({ status: 'ok', db: testInfo.project.metadata.db });
});

// The request fixture above never starts a browser; this does, so a Chromium that cannot launch
// fails here, by name, rather than somewhere inside a feature test.
test('the browser loads a page from the server', async ({ page }) => {
	const response = await page.goto('/healthz');
	expect(response?.status()).toBe(200);
	await expect(page.locator('body')).toContainText('"status"');
});

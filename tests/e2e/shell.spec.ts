/**
 * The application shell, for every demo user: sign in through the form, see the navigation of the
 * role, pass axe on every page the navigation reaches, switch language to the other one and back
 * (remembered across sign-out and sign-in), sign out. Runs with JavaScript on and off.
 */
import { mkdir, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { expectNoAxeViolations } from './support/browser';

const PASSWORD = process.env.DEMO_PASSWORD || 'demo-password';

const STAFF_PAGES = [
	'/today',
	'/search',
	'/articles',
	'/reporters',
	'/lists',
	'/outlets',
	'/topics',
	'/campaigns',
	'/outreach',
	'/coverage',
	'/reports'
];

interface DemoUser {
	email: string;
	home: RegExp;
	/** The navigation's links in order; `:portal` is the user's own portal. */
	nav: string[];
}

const USERS: DemoUser[] = [
	{ email: 'admin@demo.test', home: /^\/today$/, nav: [...STAFF_PAGES, '/admin/users', '/admin/clients', '/admin/audit', '/account'] },
	{ email: 'agent@demo.test', home: /^\/today$/, nav: [...STAFF_PAGES, '/account'] },
	{ email: 'writer@demo.test', home: /^\/today$/, nav: [...STAFF_PAGES, '/account'] },
	{ email: 'client@demo.test', home: /^\/portal\/\d+$/, nav: [':portal', '/account'] },
	{ email: 'client2@demo.test', home: /^\/portal\/\d+$/, nav: [':portal', '/account'] }
];

async function htmlLang(page: Page): Promise<string | null> {
	return page.locator('html').getAttribute('lang');
}

async function signIn(page: Page, email: string): Promise<void> {
	await page.goto('/login');
	await page.locator('input[name="email"]').fill(email);
	await page.locator('input[name="password"]').fill(PASSWORD);
	await Promise.all([
		page.waitForURL((url) => url.pathname !== '/login'),
		page.locator('main form button[type="submit"]').click()
	]);
}

async function signOut(page: Page): Promise<void> {
	await Promise.all([
		page.waitForURL((url) => url.pathname === '/login'),
		page.locator('header form[action="/logout"] button').click()
	]);
}

/** Switch language with the header's switcher (a plain form post) and wait for the new page. */
async function switchLanguage(page: Page, to: 'en' | 'ja'): Promise<void> {
	await expect(page.locator('form:has([data-testid="locale-switch"]) input[name="locale"]')).toHaveValue(to);
	await page.getByTestId('locale-switch').click();
	await expect(page.locator('html')).toHaveAttribute('lang', to);
}

/**
 * The sqlite and sqlite-nojs projects share one server and its demo users. A user's saved
 * language is shared state, so one test at a time changes it: a lock directory per user and server.
 */
async function withUserLock<T>(key: string, run: () => Promise<T>): Promise<T> {
	const dir = join(tmpdir(), `tegami-e2e-lock-${process.env.TEGAMI_E2E_RUN ?? 'local'}-${key.replace(/[^a-z0-9]/gi, '_')}`);
	const deadline = Date.now() + 240_000;
	for (;;) {
		try {
			await mkdir(dir);
			break;
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || Date.now() > deadline) throw e;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
	}
	try {
		return await run();
	} finally {
		await rmdir(dir).catch(() => {});
	}
}

test.describe('application shell', () => {
	test('signed out: sign-in page with language switch and no navigation', async ({ page, javaScriptEnabled }) => {
		await page.goto('/today');
		await expect(page).toHaveURL(/\/login\?next=%2Ftoday$/);
		await expect(page.getByTestId('main-nav')).toHaveCount(0);
		await expect(page.getByTestId('locale-switch')).toBeVisible();
		await expect(page.locator('h1')).toHaveCount(1);
		await expect(page).toHaveTitle(/ · Tegami$/);
		await expectNoAxeViolations(page, javaScriptEnabled);

		// Anonymous language choice lives in the cookie only.
		const before = await htmlLang(page);
		const other = before === 'ja' ? 'en' : 'ja';
		await switchLanguage(page, other);
		await expect(page).toHaveURL(/\/login\?next=%2Ftoday$/);
		await expectNoAxeViolations(page, javaScriptEnabled);
		await switchLanguage(page, before === 'ja' ? 'ja' : 'en');
		await expect(page.getByTestId('main-nav')).toHaveCount(0);
	});

	for (const user of USERS) {
		test(`${user.email}: navigation, accessibility, language, sign-out`, async ({ page, javaScriptEnabled, baseURL }) => {
			// Up to a dozen pages with axe, twice signed in, and maybe a wait for the other project.
			test.setTimeout(360_000);
			await withUserLock(`${new URL(baseURL ?? 'http://x').port}-${user.email}`, async () => {
				await signIn(page, user.email);
				const home = new URL(page.url()).pathname;
				expect(home).toMatch(user.home);

				// The navigation matches the role, in order, and marks the current page.
				const nav = page.getByTestId('main-nav');
				await expect(nav).toBeVisible();
				const hrefs = await nav.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
				expect(hrefs).toEqual(user.nav.map((href) => (href === ':portal' ? home : href)));
				await expect(nav.locator(`a[href="${home}"]`)).toHaveAttribute('aria-current', 'page');
				await expect(nav.locator('a[aria-current="page"]')).toHaveCount(1);

				// Every page the navigation reaches: it answers, has one <h1>, a title, and passes axe.
				for (const href of hrefs) {
					const response = await page.goto(href!);
					expect(response?.status(), `status of ${href}`).toBeLessThan(400);
					await expect(page.locator('h1')).toHaveCount(1);
					await expect(page).toHaveTitle(/ · Tegami$/);
					await expect(page.getByTestId('main-nav').locator(`a[href="${href}"]`)).toHaveAttribute('aria-current', 'page');
					await expectNoAxeViolations(page, javaScriptEnabled);
				}

				// A client user reaches nothing internal.
				if (user.nav.includes(':portal')) {
					const response = await page.goto('/today');
					expect(response?.status()).toBe(403);
				}

				// Switch to the other language; it is saved for the user and survives signing out and in.
				await page.goto(home);
				const original = (await htmlLang(page)) as 'en' | 'ja';
				expect(['en', 'ja']).toContain(original);
				const other = original === 'ja' ? 'en' : 'ja';
				await switchLanguage(page, other);
				await expect(page).toHaveURL(new RegExp(`${home}$`));
				await expectNoAxeViolations(page, javaScriptEnabled);

				await signOut(page);
				await signIn(page, user.email);
				expect(await htmlLang(page)).toBe(other);
				await page.goto('/account');
				await expect(page.locator(`input[name="locale"][type="radio"][value="${other}"]`)).toBeChecked();
				await expectNoAxeViolations(page, javaScriptEnabled);

				// And back again.
				await switchLanguage(page, original);
				await expect(page.locator(`input[name="locale"][type="radio"][value="${original}"]`)).toBeChecked();

				// Signing out ends the session: protected pages send the visitor to sign in.
				await signOut(page);
				await page.goto(home);
				await expect(page).toHaveURL(/\/login\?next=/);
			});
		});
	}
});

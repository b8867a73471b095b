/**
 * What the browser tests share: axe-core checks, signing a page in as a fresh agent, and opening
 * the add-reporter form.
 */
import axe from 'axe-core';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { createUserAndSignIn } from './http';

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * Run axe-core in the page and expect no violations. With JavaScript disabled Chromium still lets
 * Playwright evaluate scripts, but runs no timers; axe waits on setTimeout, so it gets a stand-in
 * that runs the callback as a microtask (promise jobs still run).
 */
export async function expectNoAxeViolations(page: Page, javaScriptEnabled: boolean): Promise<void> {
	if (!javaScriptEnabled) {
		await page.evaluate(() => {
			const w = window as unknown as { setTimeout: unknown; clearTimeout: unknown };
			w.setTimeout = (callback: unknown, _ms?: number, ...args: unknown[]) => {
				if (typeof callback === 'function') void Promise.resolve().then(() => callback(...args));
				return 0;
			};
			w.clearTimeout = () => {};
		});
	}
	await page.evaluate(axe.source);
	const violations = await page.evaluate(async (tags) => {
		const w = window as unknown as { axe: typeof axe };
		const result = await w.axe.run(document, { runOnly: { type: 'tag', values: tags } });
		return result.violations.map((v) => ({
			rule: v.id,
			impact: v.impact,
			help: v.help,
			nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`)
		}));
	}, AXE_TAGS);
	expect(violations, `axe violations on ${new URL(page.url()).pathname}`).toEqual([]);
}

/** A name no other test or run uses. */
export function unique(testInfo: TestInfo): string {
	return `${testInfo.project.name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Sign the page in as a new agent (English: a new user has no saved language). */
export async function signInAsNewAgent(page: Page, baseURL: string, label: string): Promise<void> {
	const { ctx } = await createUserAndSignIn(baseURL, 'agent', label);
	const state = await ctx.storageState();
	await ctx.dispose();
	await page.context().addCookies(state.cookies);
}

/** Opens /reporters with its add-reporter form open: only once hydration (which sets the disclosure's state) is over. */
export async function openAddReporterForm(page: Page): Promise<void> {
	await page.goto('/reporters');
	await page.waitForLoadState('networkidle');
	const add = page.locator('details.add-reporter');
	await expect(async () => {
		if ((await add.getAttribute('open')) === null) await add.locator('summary').click();
		await expect(page.locator('#new-name')).toBeVisible({ timeout: 1000 });
	}).toPass();
}

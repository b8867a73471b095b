/**
 * End-to-end tests against the BUILT app (scripts/test.sh runs `npm run build` first).
 *
 * Browser: Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium; scripts/ensure-chromium.sh
 * installs it). Playwright's own browser download cannot work on this network and is never used.
 *
 * Servers: tests/e2e/serve.js runs `node build` on a database of its own, made fresh for this run,
 * migrated and filled by `node bin/tegami.js demo`, and deleted when Playwright stops the server:
 *   - port 4173: SQLite                 -> projects `sqlite` and `sqlite-nojs` (every spec)
 *   - port 4174: PostgreSQL             -> project `postgres` (only *.both.spec.ts), started only
 *                                          when TEST_DATABASE_URL names a server
 * A test can reach the database its server uses (e.g. to run the CLI against it) through
 * `testInfo.project.metadata.databaseUrl`; `metadata.db` is 'sqlite' or 'postgres'.
 * Demo users' password: DEMO_PASSWORD (default demo-password).
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig, type PlaywrightTestConfig } from '@playwright/test';

// This file is evaluated by the runner and again by every worker process. The run id is chosen once,
// in the runner, and reaches the workers through the environment they inherit, so that all of them
// agree on the database names below.
const firstLoad = !process.env.TEGAMI_E2E_RUN;
process.env.TEGAMI_E2E_RUN ??= randomBytes(4).toString('hex');
process.env.DEMO_PASSWORD ||= 'demo-password';
const run = process.env.TEGAMI_E2E_RUN;

const SQLITE_PORT = 4173;
const PG_PORT = 4174;
const sqliteUrl = `sqlite:${join(tmpdir(), `tegami-e2e-${run}`, 'tegami.db')}`;

const pgAdminUrl = process.env.TEST_DATABASE_URL?.trim() || '';
const pgUrl = pgAdminUrl ? withDatabase(pgAdminUrl, `tegami_e2e_${run}`) : '';
if (!pgAdminUrl && firstLoad) {
	console.warn('[tegami] TEST_DATABASE_URL is not set: e2e tests run on SQLite only (npm test sets it)');
}

const isCI = !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

function withDatabase(url: string, name: string): string {
	const u = new URL(url);
	u.pathname = `/${name}`;
	return u.toString();
}

type WebServer = Exclude<NonNullable<PlaywrightTestConfig['webServer']>, unknown[]>;

function server(port: number, databaseUrl: string, name: string): WebServer {
	return {
		name,
		command: 'node tests/e2e/serve.js',
		env: {
			...(process.env as Record<string, string>),
			PORT: String(port),
			// Room for the import tests' uploads; the 413 test sends more than this.
			BODY_SIZE_LIMIT: '8M',
			DATABASE_URL: databaseUrl,
			TEGAMI_E2E_ADMIN_URL: pgAdminUrl
		},
		// Ready means the app answers and its database does: the health check queries it.
		url: `http://127.0.0.1:${port}/healthz`,
		// Never reuse: a leftover server would have a database the tests did not set up.
		reuseExistingServer: false,
		// migrate + demo + start; generous because CI machines are slow and have 2 cores.
		timeout: 120_000,
		stdout: 'pipe',
		stderr: 'pipe',
		// SIGTERM, not the default SIGKILL, so serve.js can delete its database after the app stops.
		gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 }
	};
}

const webServers = [server(SQLITE_PORT, sqliteUrl, 'sqlite')];
if (pgUrl) webServers.push(server(PG_PORT, pgUrl, 'postgres'));

const sqliteBase = { baseURL: `http://127.0.0.1:${SQLITE_PORT}` };

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: 'test-results',
	fullyParallel: false,
	forbidOnly: isCI,
	retries: 0,
	// 2 cores run the two servers and Chromium; more workers only add contention.
	workers: isCI ? 1 : 2,
	// Plain line output: no TTY needed, nothing opened in a browser.
	reporter: [['list']],
	timeout: 30_000,
	expect: { timeout: 5_000 },
	use: {
		headless: true,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
			// No sandbox: CI runs as root, where Chromium's sandbox refuses to start. The rest keeps
			// Chromium from calling Google services this closed network refuses.
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-dev-shm-usage',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: webServers,
	projects: [
		{
			name: 'sqlite',
			use: { ...sqliteBase },
			metadata: { db: 'sqlite', databaseUrl: sqliteUrl }
		},
		{
			name: 'sqlite-nojs',
			use: { ...sqliteBase, javaScriptEnabled: false },
			metadata: { db: 'sqlite', databaseUrl: sqliteUrl }
		},
		...(pgUrl
			? [
					{
						name: 'postgres',
						testMatch: '**/*.both.spec.ts',
						use: { baseURL: `http://127.0.0.1:${PG_PORT}` },
						metadata: { db: 'postgres', databaseUrl: pgUrl }
					}
				]
			: [])
	]
});

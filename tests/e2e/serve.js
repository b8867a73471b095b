// Serve the BUILT app (build/) for Playwright on a database of its own, then remove that database.
//
// Started by playwright.config.ts as a webServer, with env:
//   DATABASE_URL         sqlite:<file in a new temp dir> or postgres://…/<new database name>; created here
//   TEGAMI_E2E_ADMIN_URL PostgreSQL URL allowed to CREATE/DROP DATABASE (postgres only)
//   PORT                 port to listen on (127.0.0.1 only)
//   DEMO_PASSWORD        password of the demo users (default demo-password)
// It creates the database, runs `node bin/tegami.js migrate` and `node bin/tegami.js demo`, then runs
// `node build`. Playwright stops web servers by sending SIGTERM to the process group
// (gracefulShutdown in the config); on that signal the app stops and the database is deleted.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'tegami.js');

/**
 * @param {string} message
 * @returns {never}
 */
function fail(message) {
	console.error(`[tegami e2e] ${message}`);
	process.exit(1);
}

const databaseUrl = process.env.DATABASE_URL ?? '';
const port = process.env.PORT ?? '';
if (!databaseUrl || !port) fail('serve.js needs DATABASE_URL and PORT (it is started by playwright.config.ts)');
const kind = databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
const origin = `http://127.0.0.1:${port}`;
const env = {
	...process.env,
	DATABASE_URL: databaseUrl,
	DEMO_PASSWORD: process.env.DEMO_PASSWORD || 'demo-password',
	PORT: port,
	// Loopback only: with TEGAMI_TEST_ALLOW_INSECURE the app relaxes protections meant for HTTPS.
	HOST: '127.0.0.1',
	ORIGIN: origin,
	TEGAMI_TEST_ALLOW_INSECURE: '1'
};

/** @param {string} adminUrl @param {string} text */
async function adminQuery(adminUrl, text) {
	const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
	await client.connect();
	try {
		await client.query(text);
	} finally {
		await client.end();
	}
}

function pgTarget() {
	const admin = process.env.TEGAMI_E2E_ADMIN_URL;
	if (!admin) fail('TEGAMI_E2E_ADMIN_URL is required for a PostgreSQL DATABASE_URL');
	const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
	// The name goes into SQL unquoted-safe only if it is a plain identifier; the config makes it so.
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) fail(`unexpected database name "${name}"`);
	return { admin, name };
}

/** Where the SQLite file lives; the config puts it alone in a directory of its own. */
const sqliteDir = kind === 'sqlite' ? dirname(databaseUrl.slice('sqlite:'.length)) : '';

async function createDatabase() {
	if (kind === 'sqlite') {
		mkdirSync(sqliteDir, { recursive: true });
	} else {
		const { admin, name } = pgTarget();
		await adminQuery(admin, `create database ${name}`);
	}
}

let removed = false;
async function removeDatabase() {
	if (removed) return;
	removed = true;
	try {
		if (kind === 'sqlite') {
			rmSync(sqliteDir, { recursive: true, force: true });
		} else {
			const { admin, name } = pgTarget();
			// FORCE: the app may still hold pool connections if it died uncleanly.
			await adminQuery(admin, `drop database if exists ${name} with (force)`);
		}
	} catch (e) {
		console.error(`[tegami e2e] could not remove the ${kind} test database: ${/** @type {Error} */ (e).message}`);
	}
}

/** @param {string[]} args */
function runCli(args) {
	const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, env, stdio: 'inherit' });
	if (result.status !== 0) {
		throw new Error(`node bin/tegami.js ${args.join(' ')} failed (${result.signal ?? `exit ${result.status}`})`);
	}
}

async function main() {
	if (!existsSync(join(root, 'build', 'index.js'))) fail('build/index.js is missing: run `npm run build` first');
	if (!existsSync(cli)) fail('bin/tegami.js is missing');
	await createDatabase();
	try {
		runCli(['migrate']);
		runCli(['demo']);
	} catch (e) {
		await removeDatabase();
		fail(/** @type {Error} */ (e).message);
	}

	console.error(`[tegami e2e] serving build/ on ${origin} with ${kind}`);
	const app = spawn(process.execPath, ['build'], { cwd: root, env, stdio: 'inherit' });

	/** @param {NodeJS.Signals} signal */
	const stop = (signal) => {
		// Playwright signals the whole process group, but a signal sent to this process alone (Ctrl-C
		// in another setup, kill <pid>) must reach the app too.
		if (app.exitCode === null && app.signalCode === null) app.kill(signal);
	};
	process.on('SIGTERM', () => stop('SIGTERM'));
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGHUP', () => stop('SIGTERM'));

	app.on('exit', async (code, signal) => {
		await removeDatabase();
		if (signal === 'SIGTERM' || signal === 'SIGINT') process.exit(0);
		if (code !== 0) console.error(`[tegami e2e] the app exited (${signal ?? `code ${code}`})`);
		process.exit(code ?? 1);
	});
}

main().catch(async (e) => {
	await removeDatabase();
	fail(e instanceof Error ? e.message : String(e));
});

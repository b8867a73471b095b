/**
 * Vitest globalSetup for the `integration` project: makes sure a PostgreSQL server is available.
 *
 * How tests get the URL: through Vitest's provide/inject, key `pgUrl` (typed below). Test code
 * reads it with `inject('pgUrl')`, which tests/integration/databases.ts does for you; nothing is put
 * in process.env. The URL is a superuser's (or at least a CREATEDB role's) on a server the tests may
 * litter: every test file creates and drops its own databases through it.
 *
 * - TEST_DATABASE_URL set (scripts/test.sh sets it, or point it at your own server): use it.
 * - Otherwise start a throwaway server with scripts/pg-test-server.sh, so that
 *   `npm run test:integration` works on its own, and stop it in teardown. The script holds the server
 *   until its stdin closes, so even if this process dies without running teardown, the pipe closes
 *   and the server is removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Admin URL of the PostgreSQL server for integration tests. */
		pgUrl: string;
	}
}

const script = fileURLToPath(new URL('../../scripts/pg-test-server.sh', import.meta.url));

let server: ChildProcess | null = null;

export async function setup(project: TestProject): Promise<void> {
	const fromEnv = process.env.TEST_DATABASE_URL?.trim();
	if (fromEnv) {
		project.provide('pgUrl', fromEnv);
		return;
	}
	project.provide('pgUrl', await startServer());
}

export async function teardown(): Promise<void> {
	const child = server;
	server = null;
	if (!child || child.exitCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	// Closing stdin is the script's "stop" signal; SIGTERM is the fallback if it hangs.
	child.stdin?.end();
	const timer = setTimeout(() => child.kill('SIGTERM'), 20_000);
	await exited;
	clearTimeout(timer);
}

function startServer(): Promise<string> {
	return new Promise((resolve, reject) => {
		// stderr is inherited so the script's progress and any failure reason reach the terminal/CI log.
		const child = spawn('bash', [script], { stdio: ['pipe', 'pipe', 'inherit'] });
		server = child;
		let out = '';
		const onData = (chunk: Buffer) => {
			out += chunk.toString();
			const match = /^TEST_DATABASE_URL=(\S+)$/m.exec(out);
			if (match) {
				child.stdout?.off('data', onData);
				// Keep draining stdout so the script can never block on a full pipe.
				child.stdout?.resume();
				resolve(match[1]);
			}
		};
		child.stdout?.on('data', onData);
		child.once('error', (e) => reject(new Error(`cannot run ${script}: ${e.message}`)));
		child.once('exit', (code) =>
			reject(
				new Error(
					`scripts/pg-test-server.sh exited (code ${code}) before PostgreSQL was ready; see its messages above, or set TEST_DATABASE_URL`
				)
			)
		);
	});
}

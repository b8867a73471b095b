/**
 * The `tegami` command line, run as users run it: `node bin/tegami.js …` in a child process, against
 * a fresh SQLite file and a fresh PostgreSQL database.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/lib/server/auth/password';
import { createTestDatabase, dialects, type TestDatabase } from './databases';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'bin', 'tegami.js');

interface Run {
	status: number | null;
	stdout: string;
	stderr: string;
}

/** Run `node bin/tegami.js args…` with DATABASE_URL (and nothing inherited that could change it). */
function tegami(args: string[], env: Record<string, string> = {}): Promise<Run> {
	const base = { ...process.env };
	for (const name of ['DATABASE_URL', 'DEMO_PASSWORD', 'TEGAMI_DEBUG']) delete base[name];
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...base, ...env } });
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
		child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
		child.on('error', reject);
		child.on('close', (status) => resolve({ status, stdout, stderr }));
	});
}

/** A failure as the user sees it: one line on stderr, no stack trace. */
function expectOneLine(run: Run): string {
	const line = run.stderr.trimEnd();
	expect(line.split('\n'), run.stderr).toHaveLength(1);
	expect(line).toMatch(/^tegami: /);
	expect(line).not.toMatch(/\n\s+at /);
	return line;
}

const PASSWORD = 'long-enough-password';

describe.each(dialects)('tegami migrate, user add, client add on %s', (kind) => {
	let database: TestDatabase;
	let env: Record<string, string>;
	beforeAll(async () => {
		database = await createTestDatabase(kind, { migrate: false });
		env = { DATABASE_URL: database.url };
	});
	afterAll(() => database?.close());

	const countUsers = async () =>
		Number((await database.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

	it('refuses to add users before the database is migrated', async () => {
		const run = await tegami(['user', 'add', '--email', 'early@example.test', '--password', PASSWORD, '--role', 'admin'], env);
		expect(run.status).toBe(1);
		expect(expectOneLine(run)).toMatch(/pending migration.*run: tegami migrate/);
	});

	it('migrates, and a second run has nothing to do', async () => {
		const first = await tegami(['migrate'], env);
		expect(first.stderr).toBe('');
		expect(first.status).toBe(0);
		expect(first.stdout).toMatch(/^Applied \d+ migrations? to /);
		expect(first.stdout).toContain('2026-11-23_01_foundation');
		const second = await tegami(['migrate'], env);
		expect(second.status).toBe(0);
		expect(second.stdout).toMatch(/up to date/);
		expect((await database.db.introspection.getTables()).map((t) => t.name)).toContain('users');
	});

	it('adds a client, and refuses the same name twice', async () => {
		const run = await tegami(['client', 'add', '--name', '雲ノ糸キッチン道具', '--reading', 'くものいと'], env);
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		expect(run.stdout).toMatch(/^Created client "雲ノ糸キッチン道具" \(id \d+\)/);
		const row = await database.db.selectFrom('clients').selectAll().where('name', '=', '雲ノ糸キッチン道具').executeTakeFirstOrThrow();
		expect(row.name_reading).toBe('くものいと');

		const again = await tegami(['client', 'add', '--name', '雲ノ糸キッチン道具'], env);
		expect(again.status).toBe(1);
		expect(expectOneLine(again)).toBe('tegami: --name: A client with this name already exists.');
	});

	it('adds a user who can sign in with the password', async () => {
		const run = await tegami(
			['user', 'add', '--email', 'Admin@Example.test', '--password', PASSWORD, '--role', 'admin', '--name', '青木 花', '--locale', 'ja'],
			env
		);
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		expect(run.stdout).toMatch(/^Created admin user admin@example\.test \(id \d+\)/);
		const user = await database.db.selectFrom('users').selectAll().where('email', '=', 'admin@example.test').executeTakeFirstOrThrow();
		expect(user).toMatchObject({ role: 'admin', display_name: '青木 花', locale: 'ja', client_id: null });
		expect(await verifyPassword(user.password_hash!, PASSWORD)).toBe(true);
		const audit = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.created').execute();
		expect(audit.map((a) => a.subject_id)).toContain(String(user.id));
	});

	it('adds a client user to a client named on the command line', async () => {
		const run = await tegami(
			['user', 'add', '--email', 'pr@kumonoito.test', '--password', PASSWORD, '--role', 'client', '--client', '雲ノ糸キッチン道具'],
			env
		);
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		const user = await database.db
			.selectFrom('users')
			.innerJoin('clients', 'clients.id', 'users.client_id')
			.select(['users.role', 'clients.name', 'users.display_name'])
			.where('users.email', '=', 'pr@kumonoito.test')
			.executeTakeFirstOrThrow();
		expect(user).toEqual({ role: 'client', name: '雲ノ糸キッチン道具', display_name: 'pr' });
	});

	it('refuses a duplicate email (status 1, one readable line)', async () => {
		const run = await tegami(['user', 'add', '--email', 'admin@example.test', '--password', PASSWORD, '--role', 'agent'], env);
		expect(run.status).toBe(1);
		expect(expectOneLine(run)).toBe('tegami: --email: A user with this email address already exists.');
	});

	it('refuses a role that does not exist (status 2)', async () => {
		const run = await tegami(['user', 'add', '--email', 'x@example.test', '--password', PASSWORD, '--role', 'boss'], env);
		expect(run.status).toBe(2);
		expect(expectOneLine(run)).toBe(
			'tegami: --role must be one of admin, agent, writer, client (got "boss"); see tegami help user add'
		);
	});

	it('refuses a client user without --client, and --client for other roles (status 2)', async () => {
		const missing = await tegami(['user', 'add', '--email', 'x@example.test', '--password', PASSWORD, '--role', 'client'], env);
		expect(missing.status).toBe(2);
		expect(expectOneLine(missing)).toMatch(/^tegami: --role client needs --client NAME.*; see tegami help user add$/);
		const stray = await tegami(
			['user', 'add', '--email', 'x@example.test', '--password', PASSWORD, '--role', 'agent', '--client', '雲ノ糸キッチン道具'],
			env
		);
		expect(stray.status).toBe(2);
		expect(expectOneLine(stray)).toMatch(/^tegami: --client is only for --role client/);
	});

	it('refuses an unknown client, saying how to create it', async () => {
		const run = await tegami(
			['user', 'add', '--email', 'x@example.test', '--password', PASSWORD, '--role', 'client', '--client', 'Nowhere Ltd'],
			env
		);
		expect(run.status).toBe(1);
		expect(expectOneLine(run)).toMatch(/^tegami: no client named "Nowhere Ltd" in .*; create it first with: tegami client add --name "Nowhere Ltd"$/);
	});

	it('refuses a short password', async () => {
		const run = await tegami(['user', 'add', '--email', 'x@example.test', '--password', 'short', '--role', 'agent'], env);
		expect(run.status).toBe(1);
		expect(expectOneLine(run)).toBe('tegami: --password: Use at least 8 characters.');
	});

	it('refuses an unknown flag with status 2, naming the flag and the command', async () => {
		const run = await tegami(['user', 'add', '--email', 'x@example.test', '--password', PASSWORD, '--role', 'agent', '--foo'], env);
		expect(run.status).toBe(2);
		expect(run.stdout).toBe('');
		expect(expectOneLine(run)).toBe('tegami: unknown option --foo for "user add"; see tegami help user add');
	});

	it('left no user behind from the refused commands', async () => {
		expect(await countUsers()).toBe(2);
	});

	it('refuses to load the demo into a database with real accounts', async () => {
		const run = await tegami(['demo'], env);
		expect(run.status).toBe(1);
		expect(expectOneLine(run)).toMatch(/already has 2 accounts that are not part of the demo.*--force/);
		expect(await countUsers()).toBe(2);
	});

	it.runIf(kind === 'postgres')('refuses a backup of PostgreSQL, pointing at pg_dump', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'tegami-cli-'));
		try {
			const run = await tegami(['backup', join(dir, 'copy.db')], env);
			expect(run.status).toBe(1);
			const line = expectOneLine(run);
			expect(line).toMatch(/is a PostgreSQL database; back it up with pg_dump/);
			expect(readdirSync(dir)).toEqual([]);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe.each(dialects)('tegami demo on %s', (kind) => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase(kind);
	});
	afterAll(() => database?.close());

	it('loads the demo once, and a second run adds nothing', async () => {
		const env = { DATABASE_URL: database.url };
		const first = await tegami(['demo'], env);
		expect(first.stderr).toBe('');
		expect(first.status).toBe(0);
		expect(first.stdout).toMatch(/Loaded the demo workspace .*2 clients and 5 users added/);
		for (const email of ['admin@demo.test', 'agent@demo.test', 'writer@demo.test', 'client@demo.test', 'client2@demo.test']) {
			expect(first.stdout).toContain(email);
		}
		expect(first.stdout).toContain('"demo-password"');

		const second = await tegami(['demo'], env);
		expect(second.stderr).toBe('');
		expect(second.status).toBe(0);
		expect(second.stdout).toMatch(/already loaded.*nothing added/);
		expect(second.stdout).toContain('client2@demo.test');

		const users = await database.db.selectFrom('users').selectAll().orderBy('email').execute();
		expect(users).toHaveLength(5);
		expect(await database.db.selectFrom('clients').selectAll().execute()).toHaveLength(2);
		const byEmail = Object.fromEntries(users.map((u) => [u.email, u]));
		expect(byEmail['admin@demo.test'].role).toBe('admin');
		expect(byEmail['writer@demo.test'].locale).toBe('ja');
		expect(byEmail['client@demo.test'].client_id).not.toBe(byEmail['client2@demo.test'].client_id);
		expect(await verifyPassword(byEmail['agent@demo.test'].password_hash!, 'demo-password')).toBe(true);
		const agency = await database.db.selectFrom('settings').select('value').where('key', '=', 'agency.name').executeTakeFirst();
		expect(agency?.value).toBe('Tegami Demo PR');
		const loaded = await database.db.selectFrom('audit_log').select('id').where('action', '=', 'demo.loaded').execute();
		expect(loaded).toHaveLength(1);
		// The do-not-contact reporter's namesake, added by hand, waits on Today once, however often the demo runs.
		const flags = await database.db
			.selectFrom('suppression_flags as f')
			.innerJoin('reporters as r', 'r.id', 'f.reporter_id')
			.select(['r.display_name', 'f.context'])
			.where('f.resolved_at', 'is', null)
			.execute();
		expect(flags).toEqual([{ display_name: 'Omar Reyes', context: 'added by hand' }]);
	});
});

describe('tegami demo password', () => {
	let database: TestDatabase;
	beforeAll(async () => {
		database = await createTestDatabase('sqlite');
	});
	afterAll(() => database?.close());

	it('takes DEMO_PASSWORD, and refuses a short one before writing anything', async () => {
		const short = await tegami(['demo'], { DATABASE_URL: database.url, DEMO_PASSWORD: 'short' });
		expect(short.status).toBe(1);
		expect(expectOneLine(short)).toBe('tegami: DEMO_PASSWORD: Use at least 8 characters.');
		expect(await database.db.selectFrom('clients').selectAll().execute()).toHaveLength(0);

		const run = await tegami(['demo'], { DATABASE_URL: database.url, DEMO_PASSWORD: 'another-demo-password' });
		expect(run.status).toBe(0);
		expect(run.stdout).not.toContain('another-demo-password');
		const admin = await database.db.selectFrom('users').select('password_hash').where('email', '=', 'admin@demo.test').executeTakeFirstOrThrow();
		expect(await verifyPassword(admin.password_hash!, 'another-demo-password')).toBe(true);
	});
});

describe('tegami backup on SQLite', () => {
	let database: TestDatabase;
	let dir: string;
	const BEFORE = 20_000;
	beforeAll(async () => {
		database = await createTestDatabase('sqlite');
		dir = mkdtempSync(join(tmpdir(), 'tegami-backup-'));
		// Enough data (~40 MB) that the copy takes a moment while the writer below keeps writing.
		const sqlite = database.sqlite!;
		const insert = sqlite.prepare("insert into audit_log (at, action, detail) values (?, 'test.before', ?)");
		const padding = 'x'.repeat(2000);
		sqlite.transaction(() => {
			for (let i = 0; i < BEFORE; i++) insert.run(new Date().toISOString(), padding);
		})();
	});
	afterAll(async () => {
		await database?.close();
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	it('copies the database consistently while another connection writes', async () => {
		const sqlite = database.sqlite!;
		const write = sqlite.prepare("insert into audit_log (at, action, detail) values (?, 'test.during', 'y')");
		let written = 0;
		let writeError: unknown = null;
		const timer = setInterval(() => {
			try {
				write.run(new Date().toISOString());
				written++;
			} catch (e) {
				writeError = e;
			}
		}, 2);
		const target = join(dir, 'copy.db');
		let run: Run;
		try {
			run = await tegami(['backup', target], { DATABASE_URL: database.url });
		} finally {
			clearInterval(timer);
		}
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		expect(run.stdout).toMatch(/^Backed up sqlite:.* to .*copy\.db \([\d.]+ MiB, integrity check ok\)/);
		expect(writeError).toBeNull();
		expect(written).toBeGreaterThan(0);

		// One self-contained file: no -wal to carry along, no temporary file left.
		expect(readdirSync(dir)).toEqual(['copy.db']);
		const copy = new SQLite(target, { readonly: true, fileMustExist: true });
		try {
			expect(copy.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
			expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
			const count = (action: string) =>
				(copy.prepare('select count(*) as n from audit_log where action = ?').get(action) as { n: number }).n;
			expect(count('test.before')).toBe(BEFORE);
			// A snapshot: the writes made before it started (the child takes ~0.5 s to get there), none made after.
			expect(count('test.during')).toBeGreaterThan(0);
			expect(count('test.during')).toBeLessThanOrEqual(written);
			expect((copy.prepare('select count(*) as n from users').get() as { n: number }).n).toBe(0);
		} finally {
			copy.close();
		}
		const audit = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'backup.created').execute();
		expect(audit).toHaveLength(1);
	});

	it('refuses to overwrite an existing file unless --force', async () => {
		const target = join(dir, 'existing.db');
		writeFileSync(target, 'keep me');
		const refused = await tegami(['backup', target], { DATABASE_URL: database.url });
		expect(refused.status).toBe(1);
		expect(expectOneLine(refused)).toBe(`tegami: ${target} already exists; choose another name or pass --force to replace it`);

		const forced = await tegami(['backup', '--force', target], { DATABASE_URL: database.url });
		expect(forced.stderr).toBe('');
		expect(forced.status).toBe(0);
		const copy = new SQLite(target, { readonly: true, fileMustExist: true });
		try {
			expect(copy.pragma('integrity_check')).toEqual([{ integrity_check: 'ok' }]);
		} finally {
			copy.close();
		}
	});

	it('refuses to write over the database itself or into a missing directory', async () => {
		const self = database.url.slice('sqlite:'.length);
		const run = await tegami(['backup', '--force', self], { DATABASE_URL: database.url });
		expect(run.status).toBe(1);
		expect(expectOneLine(run)).toMatch(/is the database itself/);
		const missing = await tegami(['backup', join(dir, 'no', 'such', 'dir.db')], { DATABASE_URL: database.url });
		expect(missing.status).toBe(1);
		expect(expectOneLine(missing)).toMatch(/directory .* does not exist/);
	});

	it('does not create a database that is not there', async () => {
		const absent = join(dir, 'absent.db');
		const run = await tegami(['backup', join(dir, 'x.db')], { DATABASE_URL: `sqlite:${absent}` });
		expect(run.status).toBe(1);
		expect(expectOneLine(run)).toMatch(/^tegami: no database at .*absent\.db/);
		expect(existsSync(absent)).toBe(false);
	});
});

describe('tegami command line without a database', () => {
	it('prints help', async () => {
		const run = await tegami(['help']);
		expect(run.status).toBe(0);
		expect(run.stdout).toMatch(/^tegami: command-line administration/);
		for (const c of ['migrate', 'user add', 'client add', 'demo', 'backup FILE']) expect(run.stdout).toContain(c);
		const sub = await tegami(['user', 'add', '--help']);
		expect(sub.status).toBe(0);
		expect(sub.stdout).toMatch(/^Usage: tegami user add --email EMAIL --password PASSWORD --role ROLE/);
	});

	it('refuses an unknown command with status 2', async () => {
		const run = await tegami(['frobnicate']);
		expect(run.status).toBe(2);
		expect(expectOneLine(run)).toBe('tegami: unknown command "frobnicate"; see tegami help');
	});

	it('names host:port in one line, without a stack trace, when PostgreSQL is unreachable', async () => {
		const port = await closedPort();
		const run = await tegami(['migrate'], { DATABASE_URL: `postgres://tegami:secret@127.0.0.1:${port}/tegami` });
		expect(run.status).toBe(1);
		const line = expectOneLine(run);
		expect(line).toContain(`127.0.0.1:${port}`);
		expect(line).not.toContain('secret');
		expect(run.stdout).toBe('');
	});
});

/** A port nothing listens on: ask the kernel for a free one, then release it. */
function closedPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

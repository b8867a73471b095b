import { describe, expect, it } from 'vitest';
import { InputError } from '../lib/schemas/validation';
import { DatabaseConfigError } from '../lib/server/db/url';
import { UsageError, commandHelp, resolveCommandLine, usageLine, type CommandSpec } from './args';
import { CliError, describeError } from './errors';
import { COMMANDS, main } from './main';
import type { CliContext } from './context';

const noop = async () => {};

const table: CommandSpec[] = [
	{ name: 'migrate', summary: 'migrate', options: {}, run: noop },
	{
		name: 'user add',
		summary: 'add a user',
		options: {
			email: { type: 'string', placeholder: 'EMAIL', description: 'address', required: true },
			role: { type: 'string', placeholder: 'ROLE', description: 'role', required: true, choices: ['admin', 'client'] },
			client: { type: 'string', placeholder: 'NAME', description: 'client' },
			force: { type: 'boolean', short: 'f', description: 'force' }
		},
		validate(args) {
			if (args.values.role === 'client' && args.values.client === undefined) throw new UsageError('client needs --client', 'user add');
		},
		run: noop
	},
	{ name: 'user list', summary: 'list users', options: {}, run: noop },
	{
		name: 'backup',
		summary: 'backup',
		options: { force: { type: 'boolean', description: 'replace' } },
		positionals: [{ name: 'FILE', description: 'target', required: true }],
		run: noop
	}
];

function usageError(argv: string[]): UsageError {
	try {
		resolveCommandLine(table, argv);
	} catch (e) {
		if (e instanceof UsageError) return e;
		throw e;
	}
	throw new Error(`no UsageError for ${JSON.stringify(argv)}`);
}

describe('resolveCommandLine', () => {
	it('finds one- and two-word commands and parses their options', () => {
		const r = resolveCommandLine(table, ['user', 'add', '--email', 'a@b.test', '--role=admin', '-f']);
		expect(r.kind).toBe('run');
		if (r.kind !== 'run') return;
		expect(r.command.name).toBe('user add');
		expect(r.args.values).toEqual({ email: 'a@b.test', role: 'admin', force: true });
		expect(resolveCommandLine(table, ['migrate'])).toMatchObject({ kind: 'run', command: { name: 'migrate' } });
	});

	it('takes positionals where declared', () => {
		const r = resolveCommandLine(table, ['backup', '--force', 'out.db']);
		expect(r).toMatchObject({ kind: 'run', args: { positionals: ['out.db'], values: { force: true } } });
		// After --, a value that looks like an option is a file name.
		expect(resolveCommandLine(table, ['backup', '--', '-odd.db'])).toMatchObject({ args: { positionals: ['-odd.db'] } });
	});

	it('answers help in every spelling', () => {
		expect(resolveCommandLine(table, [])).toEqual({ kind: 'help', topic: { kind: 'root' } });
		expect(resolveCommandLine(table, ['--help'])).toEqual({ kind: 'help', topic: { kind: 'root' } });
		expect(resolveCommandLine(table, ['help'])).toEqual({ kind: 'help', topic: { kind: 'root' } });
		expect(resolveCommandLine(table, ['help', 'user', 'add'])).toMatchObject({ topic: { kind: 'command', command: { name: 'user add' } } });
		expect(resolveCommandLine(table, ['user', 'add', '--help'])).toMatchObject({ topic: { kind: 'command' } });
		// --help wins over missing required options.
		expect(resolveCommandLine(table, ['user', 'add', '-h'])).toMatchObject({ topic: { kind: 'command' } });
		expect(resolveCommandLine(table, ['help', 'user'])).toMatchObject({ topic: { kind: 'group', group: 'user' } });
		expect(resolveCommandLine(table, ['user', '--help'])).toMatchObject({ topic: { kind: 'group', group: 'user' } });
		expect(resolveCommandLine(table, ['--version'])).toEqual({ kind: 'version' });
	});

	it('names an unknown option and the command it was given to', () => {
		const e = usageError(['user', 'add', '--email', 'a@b.test', '--role', 'admin', '--foo']);
		expect(e.message).toBe('unknown option --foo for "user add"');
		expect(e.topic).toBe('user add');
		expect(usageError(['user', 'add', '-x']).message).toBe('unknown option -x for "user add"');
		expect(usageError(['migrate', '--foo=bar']).message).toBe('unknown option --foo for "migrate"');
	});

	it('says when an option lacks its value, or has one it should not', () => {
		expect(usageError(['user', 'add', '--email']).message).toBe('option --email for "user add" needs a value');
		expect(usageError(['user', 'add', '--email', '--role', 'admin']).message).toMatch(
			/^option --email for "user add" needs a value \(for a value starting with "-", write --email=VALUE\)$/
		);
		expect(usageError(['user', 'add', '--email=', '--role', 'admin']).message).toBe('option --email for "user add" needs a value');
		expect(usageError(['backup', '--force=yes', 'x']).message).toBe('option --force for "backup" takes no value');
	});

	it('refuses missing and repeated options, bad choices and stray arguments', () => {
		expect(usageError(['user', 'add', '--role', 'admin']).message).toBe('"user add" needs --email EMAIL');
		expect(usageError(['user', 'add', '--email', 'a@b.test', '--role', 'boss']).message).toBe(
			'--role must be one of admin, client (got "boss")'
		);
		expect(usageError(['user', 'add', '--email', 'a', '--email', 'b', '--role', 'admin']).message).toBe(
			'option --email given twice for "user add"'
		);
		expect(usageError(['migrate', 'now']).message).toBe('unexpected argument "now" for "migrate"');
		expect(usageError(['backup']).message).toBe('"backup" needs FILE');
		expect(usageError(['backup', 'a', 'b']).message).toBe('unexpected argument "b" for "backup"');
		expect(usageError(['user', 'add', '--email', 'a@b.test', '--role', 'client']).message).toBe('client needs --client');
	});

	it('refuses unknown commands, pointing at the right help', () => {
		expect(usageError(['frob'])).toMatchObject({ message: 'unknown command "frob"', topic: '' });
		expect(usageError(['user', 'frob'])).toMatchObject({ message: 'unknown command "user frob" (user commands: add, list)', topic: 'user' });
		expect(usageError(['user'])).toMatchObject({ message: '"user" needs a subcommand (add, list)', topic: 'user' });
		expect(usageError(['--frob']).message).toMatch(/^unknown option --frob/);
		expect(usageError(['help', 'frob']).message).toMatch(/unknown command/);
	});
});

describe('help text', () => {
	it('builds the usage line from the options', () => {
		expect(usageLine(table[1])).toBe('tegami user add --email EMAIL --role ROLE [--client NAME] [--force]');
		expect(usageLine(table[3])).toBe('tegami backup [--force] FILE');
		const help = commandHelp(table[1]);
		expect(help).toContain('--role ROLE');
		expect(help).toContain('one of admin, client');
		expect(help).toContain('-f, --force');
	});

	it('documents every real command', () => {
		for (const command of COMMANDS) {
			expect(command.summary.length).toBeGreaterThan(0);
			expect(commandHelp(command)).toContain(`Usage: tegami ${command.name}`);
		}
		expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['migrate', 'user add', 'client add', 'demo', 'backup']));
	});
});

describe('describeError', () => {
	it('gives usage errors exit status 2 and a pointer to help', () => {
		expect(describeError(new UsageError('unknown option --foo for "user add"', 'user add'))).toEqual({
			status: 2,
			line: 'tegami: unknown option --foo for "user add"; see tegami help user add'
		});
		expect(describeError(new UsageError('unknown command "x"', '')).line).toBe('tegami: unknown command "x"; see tegami help');
	});

	it('phrases input errors in English, by flag', () => {
		const d = describeError(new InputError({ email: 'error_email_taken', password: 'error_password_too_short' }), {
			fields: { email: '--email', password: '--password' }
		});
		expect(d).toEqual({
			status: 1,
			line: 'tegami: --email: A user with this email address already exists. --password: Use at least 8 characters.'
		});
	});

	it('keeps runtime failures to one line without a stack trace', () => {
		expect(describeError(new DatabaseConfigError('Cannot connect to PostgreSQL at h:5432/x: refused'))).toEqual({
			status: 1,
			line: 'tegami: Cannot connect to PostgreSQL at h:5432/x: refused'
		});
		expect(describeError(new CliError('two\nlines')).line).toBe('tegami: two lines');
		const unexpected = describeError(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
		expect(unexpected.status).toBe(1);
		expect(unexpected.line).toMatch(/^tegami: database is locked \(SQLITE_BUSY\)/);
		expect(unexpected.stack).toBeUndefined();
		expect(describeError(new Error('x'), { debug: true }).stack).toContain('Error: x');
	});
});

describe('main', () => {
	function capture(env: Record<string, string> = {}) {
		const out: string[] = [];
		const err: string[] = [];
		const context: CliContext = { env, out: (t) => out.push(t), err: (t) => err.push(t) };
		return { context, out, err };
	}

	it('prints help on stdout with status 0', async () => {
		const c = capture();
		expect(await main(['help'], c.context)).toBe(0);
		expect(c.out.join('\n')).toContain('user add');
		expect(c.err).toEqual([]);
	});

	it('prints one line on stderr with status 2 for a bad command line', async () => {
		const c = capture();
		expect(await main(['user', 'add', '--foo'], c.context)).toBe(2);
		expect(c.err).toEqual(['tegami: unknown option --foo for "user add"; see tegami help user add']);
		expect(c.out).toEqual([]);
	});

	it('fails with status 1 and one line when the database URL is unusable', async () => {
		const c = capture({ DATABASE_URL: 'mysql://root:secret@db/x' });
		expect(await main(['migrate'], c.context)).toBe(1);
		expect(c.err).toHaveLength(1);
		expect(c.err[0]).toMatch(/^tegami: DATABASE_URL must start with postgres:\/\/ or sqlite:/);
		expect(c.err[0]).not.toContain('secret');
	});
});

/**
 * Generic command-line parsing for `tegami`: a table of commands (one or two words, e.g. `migrate`,
 * `user add`), each declaring its options and positionals; node:util `parseArgs` in strict mode does
 * the parsing, and this module turns its errors into one line that names the command.
 */
import { parseArgs } from 'node:util';

export interface OptionSpec {
	type: 'string' | 'boolean';
	short?: string;
	/** Placeholder shown in help for a string option, e.g. `EMAIL`. */
	placeholder?: string;
	description: string;
	required?: boolean;
	/** The only values accepted (checked before the command runs). */
	choices?: readonly string[];
	/** Shown in help; the command applies it. */
	defaultValue?: string;
}

export interface PositionalSpec {
	/** Shown in usage, e.g. `FILE`. */
	name: string;
	description: string;
	required?: boolean;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface ParsedArgs {
	values: OptionValues;
	positionals: string[];
}

export interface CommandSpec<Context = unknown> {
	/** One or two words: `migrate`, `user add`. */
	name: string;
	/** One line for the command list. */
	summary: string;
	/** Paragraphs shown in the command's help, after the usage line. */
	description?: string;
	options: Record<string, OptionSpec>;
	positionals?: PositionalSpec[];
	examples?: string[];
	/** Service field name → the flag the user typed, to phrase an InputError in CLI terms. */
	fields?: Record<string, string>;
	/** Extra checks of option combinations; throw UsageError. */
	validate?: (args: ParsedArgs) => void;
	/** Returns the exit status (default 0). */
	run: (args: ParsedArgs, context: Context) => Promise<number | void>;
}

/** The command line is wrong (exit status 2). `topic` is the help topic to point at. */
export class UsageError extends Error {
	override name = 'UsageError';
	constructor(
		message: string,
		public readonly topic: string | null = null
	) {
		super(message);
	}
}

export type Resolution<Context> =
	| { kind: 'help'; topic: HelpTopic<Context> }
	| { kind: 'version' }
	| { kind: 'run'; command: CommandSpec<Context>; args: ParsedArgs };

export type HelpTopic<Context> =
	| { kind: 'root' }
	| { kind: 'group'; group: string; commands: CommandSpec<Context>[] }
	| { kind: 'command'; command: CommandSpec<Context> };

const HELP_FLAGS = new Set(['-h', '--help']);

/** Work out what the command line asks for; throws UsageError when it cannot be run. */
export function resolveCommandLine<Context>(commands: CommandSpec<Context>[], argv: string[]): Resolution<Context> {
	if (argv.length === 0) return { kind: 'help', topic: { kind: 'root' } };
	const [first] = argv;
	if (HELP_FLAGS.has(first)) return { kind: 'help', topic: { kind: 'root' } };
	if (first === '--version' || first === '-V') return { kind: 'version' };
	if (first === 'help') return { kind: 'help', topic: findHelpTopic(commands, argv.slice(1)) };
	if (first.startsWith('-')) throw new UsageError(`unknown option ${optionName(first)}; the command comes first`, '');

	const command = matchCommand(commands, argv);
	if (!command) {
		const members = groupCommands(commands, first);
		if (members.length && argv.length === 2 && HELP_FLAGS.has(argv[1])) {
			return { kind: 'help', topic: { kind: 'group', group: first, commands: members } };
		}
		throw unknownCommand(commands, argv);
	}
	const rest = argv.slice(command.name.split(' ').length);
	const args = parseCommandArgs(command, rest);
	if (args.values.help) return { kind: 'help', topic: { kind: 'command', command } };
	checkArgs(command, args);
	return { kind: 'run', command, args };
}

function matchCommand<C>(commands: CommandSpec<C>[], argv: string[]): CommandSpec<C> | undefined {
	let best: CommandSpec<C> | undefined;
	for (const c of commands) {
		const words = c.name.split(' ');
		if (words.every((w, i) => argv[i] === w) && (!best || words.length > best.name.split(' ').length)) best = c;
	}
	return best;
}

function groupCommands<C>(commands: CommandSpec<C>[], group: string): CommandSpec<C>[] {
	return commands.filter((c) => c.name.startsWith(`${group} `));
}

function unknownCommand<C>(commands: CommandSpec<C>[], argv: string[]): UsageError {
	const [group, sub] = argv;
	const members = groupCommands(commands, group);
	if (members.length) {
		const names = members.map((c) => c.name.split(' ')[1]).join(', ');
		if (sub === undefined) return new UsageError(`"${group}" needs a subcommand (${names})`, group);
		return new UsageError(`unknown command "${group} ${sub}" (${group} commands: ${names})`, group);
	}
	return new UsageError(`unknown command "${group}"`, '');
}

function findHelpTopic<C>(commands: CommandSpec<C>[], words: string[]): HelpTopic<C> {
	const wanted = words.filter((w) => !HELP_FLAGS.has(w));
	if (wanted.length === 0) return { kind: 'root' };
	const command = commands.find((c) => c.name === wanted.join(' '));
	if (command) return { kind: 'command', command };
	if (wanted.length === 1) {
		const members = groupCommands(commands, wanted[0]);
		if (members.length) return { kind: 'group', group: wanted[0], commands: members };
	}
	throw new UsageError(`no help for "${wanted.join(' ')}": unknown command`, '');
}

/** Parse one command's arguments with node:util parseArgs (strict), rephrasing its errors. */
export function parseCommandArgs<C>(command: CommandSpec<C>, args: string[]): ParsedArgs {
	const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
		help: { type: 'boolean', short: 'h' }
	};
	for (const [name, spec] of Object.entries(command.options)) {
		options[name] = spec.short ? { type: spec.type, short: spec.short } : { type: spec.type };
	}
	const allowPositionals = (command.positionals?.length ?? 0) > 0;
	let parsed;
	try {
		parsed = parseArgs({ args, options, strict: true, allowPositionals, tokens: true });
	} catch (e) {
		throw explainParseError(command, options, args, e);
	}
	if (parsed.values.help) return { values: { help: true }, positionals: [] };

	// parseArgs keeps the last of a repeated option silently; a repeated --role is a mistake.
	const seen = new Set<string>();
	for (const t of parsed.tokens ?? []) {
		if (t.kind !== 'option') continue;
		if (seen.has(t.name)) throw new UsageError(`option --${t.name} given twice for "${command.name}"`, command.name);
		seen.add(t.name);
	}
	for (const [name, spec] of Object.entries(command.options)) {
		if (spec.type === 'string' && parsed.values[name] === '') {
			throw new UsageError(`option --${name} for "${command.name}" needs a value`, command.name);
		}
	}
	return { values: parsed.values as OptionValues, positionals: parsed.positionals };
}

/** Find the token parseArgs objected to (by parsing again leniently) and say what is wrong with it. */
function explainParseError<C>(
	command: CommandSpec<C>,
	options: Record<string, { type: 'string' | 'boolean'; short?: string }>,
	args: string[],
	error: unknown
): UsageError {
	const where = `for "${command.name}"`;
	const shortToLong = new Map(Object.entries(options).flatMap(([n, o]) => (o.short ? [[o.short, n] as const] : [])));
	const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
	for (const t of tokens) {
		if (t.kind === 'option-terminator') continue;
		if (t.kind === 'positional') {
			if (!command.positionals?.length) return new UsageError(`unexpected argument "${t.value}" ${where}`, command.name);
			continue;
		}
		const name = options[t.name] ? t.name : shortToLong.get(t.name);
		const spec = name ? options[name] : undefined;
		if (!name || !spec) return new UsageError(`unknown option ${t.rawName} ${where}`, command.name);
		if (spec.type === 'string' && t.value === undefined) {
			return new UsageError(`option ${t.rawName} ${where} needs a value`, command.name);
		}
		if (spec.type === 'string' && !t.inlineValue && t.value?.startsWith('-')) {
			return new UsageError(
				`option ${t.rawName} ${where} needs a value (for a value starting with "-", write ${t.rawName}=VALUE)`,
				command.name
			);
		}
		if (spec.type === 'boolean' && t.value !== undefined) {
			return new UsageError(`option ${t.rawName} ${where} takes no value`, command.name);
		}
	}
	const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
	return new UsageError(`${message} ${where}`, command.name);
}

/** Positional count, required options and fixed choices: everything knowable without a database. */
function checkArgs<C>(command: CommandSpec<C>, args: ParsedArgs): void {
	const specs = command.positionals ?? [];
	if (args.positionals.length > specs.length) {
		const extra = args.positionals[specs.length];
		throw new UsageError(`unexpected argument "${extra}" for "${command.name}"`, command.name);
	}
	specs.forEach((p, i) => {
		if (p.required && args.positionals[i] === undefined) {
			throw new UsageError(`"${command.name}" needs ${p.name}`, command.name);
		}
	});
	for (const [name, spec] of Object.entries(command.options)) {
		const value = args.values[name];
		if (spec.required && value === undefined) {
			throw new UsageError(`"${command.name}" needs --${name}${spec.placeholder ? ` ${spec.placeholder}` : ''}`, command.name);
		}
		if (spec.choices && typeof value === 'string' && !spec.choices.includes(value)) {
			throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')} (got "${value}")`, command.name);
		}
	}
	command.validate?.(args);
}

function optionName(arg: string): string {
	return arg.split('=')[0];
}

/** A string option's value, or undefined. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
	const v = args.values[name];
	return typeof v === 'string' ? v : undefined;
}

// --- help text -------------------------------------------------------------------------------------

/** The usage line of a command, built from its options: required first, optional in brackets. */
export function usageLine<C>(command: CommandSpec<C>): string {
	const parts = [`tegami ${command.name}`];
	const entries = Object.entries(command.options);
	const flag = (name: string, spec: OptionSpec) => `--${name}${spec.type === 'string' ? ` ${spec.placeholder ?? 'VALUE'}` : ''}`;
	for (const [name, spec] of entries) if (spec.required) parts.push(flag(name, spec));
	for (const [name, spec] of entries) if (!spec.required) parts.push(`[${flag(name, spec)}]`);
	for (const p of command.positionals ?? []) parts.push(p.required ? p.name : `[${p.name}]`);
	return parts.join(' ');
}

export function commandHelp<C>(command: CommandSpec<C>): string {
	const summary = command.summary.charAt(0).toUpperCase() + command.summary.slice(1);
	const lines = [`Usage: ${usageLine(command)}`, '', `${summary}.`];
	if (command.description) lines.push('', command.description.trim());
	const rows: [string, string][] = [];
	for (const p of command.positionals ?? []) rows.push([p.name, p.description]);
	for (const [name, spec] of Object.entries(command.options)) {
		const flag = `${spec.short ? `-${spec.short}, ` : ''}--${name}${spec.type === 'string' ? ` ${spec.placeholder ?? 'VALUE'}` : ''}`;
		const notes = [
			spec.required ? 'required' : '',
			spec.choices ? `one of ${spec.choices.join(', ')}` : '',
			spec.defaultValue ? `default ${spec.defaultValue}` : ''
		]
			.filter(Boolean)
			.join('; ');
		rows.push([flag, notes ? `${spec.description} (${notes})` : spec.description]);
	}
	rows.push(['-h, --help', 'show this help']);
	lines.push('', 'Arguments and options:', ...table(rows));
	if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
	return lines.join('\n') + '\n';
}

export function groupHelp<C>(group: string, commands: CommandSpec<C>[]): string {
	const lines = [`Usage: tegami ${group} COMMAND [options]`, '', 'Commands:'];
	lines.push(...table(commands.map((c) => [c.name, c.summary])));
	lines.push('', `Run "tegami help ${group} COMMAND" for a command's options.`);
	return lines.join('\n') + '\n';
}

export function rootHelp<C>(commands: CommandSpec<C>[], intro: string, outro: string): string {
	const rows: [string, string][] = commands.map((c) => {
		const positionals = (c.positionals ?? []).map((p) => (p.required ? p.name : `[${p.name}]`));
		return [[c.name, ...positionals].join(' '), c.summary];
	});
	rows.push(['help [COMMAND]', 'show help for a command']);
	return [intro.trim(), '', 'Usage: tegami COMMAND [options]', '', 'Commands:', ...table(rows), '', outro.trim()].join('\n') + '\n';
}

function table(rows: [string, string][]): string[] {
	const width = Math.min(28, Math.max(...rows.map(([a]) => a.length)));
	return rows.map(([a, b]) => (a.length > width ? `  ${a}\n  ${' '.repeat(width)}  ${b}` : `  ${a.padEnd(width)}  ${b}`));
}

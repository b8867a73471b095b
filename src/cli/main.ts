/**
 * `tegami`, the command line (bin/tegami.js loads this through tsx, so it runs without a build).
 *
 * A command is an entry in COMMANDS, one file per group under ./commands; parsing, help, exit
 * statuses and error lines are shared. Exit status: 0 done, 1 the command failed (one line on stderr
 * saying why), 2 the command line is wrong (one line naming the problem and the help to read).
 */
import { readFileSync } from 'node:fs';
import { commandHelp, groupHelp, resolveCommandLine, rootHelp, type HelpTopic } from './args';
import { backupCommands } from './commands/backup';
import { clientCommands } from './commands/client';
import { demoCommands } from './commands/demo';
import { feedCommands } from './commands/feeds';
import { importCommands } from './commands/import';
import { topicCommands } from './commands/topics';
import { migrateCommands } from './commands/migrate';
import { searchCommands } from './commands/search';
import { userCommands } from './commands/user';
import { EXIT_OK, describeError } from './errors';
import type { CliContext, Command } from './context';

export const COMMANDS: Command[] = [
	...migrateCommands,
	...userCommands,
	...clientCommands,
	...demoCommands,
	...backupCommands,
	...importCommands,
	...feedCommands,
	...topicCommands,
	...searchCommands
];

const INTRO = 'tegami: command-line administration of a Tegami workspace (PR outreach CRM).';

const OUTRO = `The database is the one in DATABASE_URL, as for the app:
  DATABASE_URL=sqlite:./data/tegami.db                 (the default; relative to the current directory)
  DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DB

Exit status: 0 done, 1 the command failed, 2 the command line is wrong.
Run "tegami help COMMAND" (or "tegami COMMAND --help") for a command's options.`;

function helpText(topic: HelpTopic<CliContext>): string {
	switch (topic.kind) {
		case 'root':
			return rootHelp(COMMANDS, INTRO, OUTRO);
		case 'group':
			return groupHelp(topic.group, topic.commands);
		case 'command':
			return commandHelp(topic.command);
	}
}

function version(): string {
	const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
	return `tegami ${pkg.version}`;
}

export function defaultContext(): CliContext {
	return {
		env: process.env,
		out: (text) => process.stdout.write(`${text}\n`),
		err: (text) => process.stderr.write(`${text}\n`)
	};
}

/** Run one command line (without `node` and the script); resolves to the exit status. */
export async function main(argv: string[], context: CliContext = defaultContext()): Promise<number> {
	let command: Command | undefined;
	try {
		const resolution = resolveCommandLine(COMMANDS, argv);
		if (resolution.kind === 'help') {
			context.out(helpText(resolution.topic).trimEnd());
			return EXIT_OK;
		}
		if (resolution.kind === 'version') {
			context.out(version());
			return EXIT_OK;
		}
		command = resolution.command;
		return (await command.run(resolution.args, context)) ?? EXIT_OK;
	} catch (e) {
		const described = describeError(e, { fields: command?.fields, debug: !!context.env.TEGAMI_DEBUG });
		context.err(described.line);
		if (described.stack) context.err(described.stack);
		return described.status;
	}
}

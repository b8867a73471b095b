import { readFileSync } from 'node:fs';
import { InputError, type Issues } from '../lib/schemas/validation';
import { DatabaseConfigError } from '../lib/server/db/url';
import { UsageError } from './args';
import { SourceError } from '../lib/server/articles/candidate';
import { FetchError } from '../lib/server/http/safe-fetch';

/** The command ran and failed for a reason the user can act on (exit status 1), said in one line. */
export class CliError extends Error {
	override name = 'CliError';
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

let english: Record<string, string> | null = null;

/** English text for a message key from messages/en.json, or the key itself when unknown. */
export function messageText(key: string): string {
	english ??= JSON.parse(readFileSync(new URL('../../messages/en.json', import.meta.url), 'utf8')) as Record<string, string>;
	return english[key] ?? key;
}

/** An InputError's issues as one line, each named by the flag the user typed. */
export function describeIssues(issues: Issues, fields: Record<string, string> = {}): string {
	return Object.entries(issues)
		.map(([field, key]) => `${fields[field] ?? field}: ${messageText(key)}`)
		.join(' ');
}

/**
 * Turn anything thrown into an exit status and the one line to print. Stack traces only with
 * TEGAMI_DEBUG=1: a command-line user needs the cause, not our call stack.
 */
export function describeError(
	error: unknown,
	options: { fields?: Record<string, string>; debug?: boolean } = {}
): { status: number; line: string; stack?: string } {
	if (error instanceof UsageError) {
		const topic = error.topic === null ? '' : `; see tegami help${error.topic ? ` ${error.topic}` : ''}`;
		return { status: EXIT_USAGE, line: `tegami: ${oneLine(error.message)}${topic}` };
	}
	if (error instanceof InputError) {
		return { status: EXIT_FAILURE, line: `tegami: ${oneLine(describeIssues(error.issues, options.fields))}` };
	}
	if (error instanceof CliError || error instanceof DatabaseConfigError || error instanceof SourceError || error instanceof FetchError) {
		return { status: EXIT_FAILURE, line: `tegami: ${oneLine(error.message)}` };
	}
	const message = error instanceof Error ? error.message || error.name : String(error);
	const code = (error as { code?: unknown })?.code;
	const withCode = typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
	return {
		status: EXIT_FAILURE,
		line: `tegami: ${oneLine(withCode)}${options.debug ? '' : ' (TEGAMI_DEBUG=1 shows the stack trace)'}`,
		stack: options.debug && error instanceof Error ? error.stack : undefined
	};
}

function oneLine(text: string): string {
	return text.replace(/\s*\n\s*/g, ' ').trim();
}

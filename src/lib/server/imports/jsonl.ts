import { SourceError, type ImportProblem } from '../articles/candidate';

export interface JsonlRow {
	/** Physical line (1-based) the object was on. */
	line: number;
	value: Record<string, unknown>;
}

export interface JsonlResult {
	rows: JsonlRow[];
	problems: ImportProblem[];
}

// V8's messages quote the offending text; a long line would make a report unreadable.
const MAX_REASON = 160;

/** Parses JSON Lines text: one object per line, blank lines skipped, any other line a problem naming it. */
export function parseJsonl(text: string): JsonlResult {
	const len = text.length;
	let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	const rows: JsonlRow[] = [];
	const problems: ImportProblem[] = [];
	let line = 0;
	let sawContent = false;
	while (pos < len) {
		line++;
		let nl = text.indexOf('\n', pos);
		if (nl === -1) nl = len;
		const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
		const start = pos;
		pos = nl + 1;
		if (isBlank(text, start, end)) continue;
		sawContent = true;
		let value: unknown;
		try {
			value = JSON.parse(text.slice(start, end));
		} catch (e) {
			const message = e instanceof Error ? e.message : String(e);
			problems.push({ location: `line ${line}`, reason: `not a JSON object (${shorten(message)})` });
			continue;
		}
		if (value === null || typeof value !== 'object' || Array.isArray(value)) {
			problems.push({ location: `line ${line}`, reason: `not a JSON object (${describe(value)})` });
			continue;
		}
		rows.push({ line, value: value as Record<string, unknown> });
	}
	if (!sawContent) throw new SourceError('the file is empty');
	return { rows, problems };
}

function isBlank(text: string, start: number, end: number): boolean {
	for (let i = start; i < end; i++) {
		const c = text.charCodeAt(i);
		// JSON's own whitespace; anything else is content to parse (or to report).
		if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return false;
	}
	return true;
}

function describe(value: unknown): string {
	if (value === null) return 'it is null';
	if (Array.isArray(value)) return 'it is an array';
	return `it is a ${typeof value}`;
}

function shorten(message: string): string {
	return message.length <= MAX_REASON ? message : `${message.slice(0, MAX_REASON - 1)}…`;
}

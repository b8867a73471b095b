import { SourceError, type ImportProblem } from '../articles/candidate';

export type CsvDelimiter = ',' | ';' | '\t';

export interface CsvRow {
	/** Physical line (1-based, the header is line 1) where the record starts. */
	line: number;
	fields: string[];
}

export interface CsvResult {
	header: string[];
	rows: CsvRow[];
	problems: ImportProblem[];
	delimiter: CsvDelimiter;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;

/** A record as read, before it is checked against the header. */
interface RawRecord {
	fields: string[];
	startLine: number;
	endLine: number;
	/** A quoted field in it held a line break, so the record covers several physical lines. */
	spansLines: boolean;
	/** The line was empty or only spaces: skipped without a problem. */
	blank: boolean;
	error: string | null;
}

/**
 * Parses CSV text (RFC 4180 plus CR/LF/CRLF line ends and `,`/`;`/tab detected from the header)
 * into a header and rows; a broken record becomes a problem naming its line and the rest still parse.
 */
export function parseCsv(text: string): CsvResult {
	const len = text.length;
	let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
	if (!/\S/.test(pos === 0 ? text : text.slice(pos))) throw new SourceError('the file is empty');

	const delimiter = detectDelimiter(text, pos);
	const delim = delimiter.charCodeAt(0);
	const hasCR = text.indexOf('\r') !== -1;
	let line = 1;
	// Once a search for a character has failed from some point, no later search can succeed;
	// remembering that keeps a file full of unclosed quotes (or a CR-only file, which has no LF)
	// from being rescanned to its end again and again.
	const finder = (ch: string) => {
		let absentFrom = Infinity;
		return (from: number): number => {
			if (from >= absentFrom) return -1;
			const i = text.indexOf(ch, from);
			if (i === -1) absentFrom = from;
			return i;
		};
	};
	const nextQuote = finder('"');
	const nextLF = finder('\n');
	const nextCR = finder('\r');

	const countBreaks = (from: number, to: number): number => {
		let n = 0;
		let i = nextLF(from);
		while (i !== -1 && i < to) {
			n++;
			i = nextLF(i + 1);
		}
		if (hasCR) {
			i = nextCR(from);
			while (i !== -1 && i < to) {
				if (text.charCodeAt(i + 1) !== LF) n++;
				i = nextCR(i + 1);
			}
		}
		return n;
	};

	/** Moves past the line end at `at` (if any) and counts it. */
	const consumeLineEnd = (at: number): number => {
		if (at >= len) return len;
		line++;
		if (text.charCodeAt(at) === CR && text.charCodeAt(at + 1) === LF) return at + 2;
		return at + 1;
	};

	/** Skips to the start of the physical line after the one holding `at`; `atLine` is that line's number. */
	const resyncAfter = (at: number, atLine: number): void => {
		let i = at;
		while (i < len) {
			const c = text.charCodeAt(i);
			if (c === LF || c === CR) break;
			i++;
		}
		line = atLine;
		pos = consumeLineEnd(i);
	};

	const readRecord = (): RawRecord => {
		const fields: string[] = [];
		const startLine = line;
		let spansLines = false;
		for (;;) {
			if (text.charCodeAt(pos) === QUOTE) {
				const openAt = pos;
				const openLine = line;
				let value = '';
				let chunk = pos + 1;
				let q = pos + 1;
				for (;;) {
					q = nextQuote(q);
					if (q === -1) {
						resyncAfter(openAt, openLine);
						return failed(fields, startLine, unbalanced(startLine, openLine));
					}
					if (text.charCodeAt(q + 1) === QUOTE) {
						value += text.slice(chunk, q + 1);
						q += 2;
						chunk = q;
						continue;
					}
					break;
				}
				value += text.slice(chunk, q);
				const breaks = countBreaks(openAt + 1, q);
				let after = q + 1;
				// Hand-edited files put spaces after a closing quote ("a" , "b"); they hold nothing to keep.
				while (after < len && (text.charCodeAt(after) === SPACE || (text.charCodeAt(after) === TAB && delim !== TAB))) after++;
				const next = text.charCodeAt(after);
				if (next !== delim && next !== LF && next !== CR && after < len) {
					// A closing quote followed by text: either a stray quote inside the field (same line),
					// or an unclosed quote that ran on until it met some later field's quote.
					resyncAfter(openAt, openLine);
					return failed(
						fields,
						startLine,
						breaks > 0
							? unbalanced(startLine, openLine)
							: `a quoted field${openLine === startLine ? '' : ` on line ${openLine}`} has text after its closing quote (a quote inside a quoted field must be doubled: "")`
					);
				}
				line += breaks;
				if (breaks > 0) spansLines = true;
				fields.push(value);
				if (next === delim) {
					pos = after + 1;
					continue;
				}
				const endLine = line;
				pos = consumeLineEnd(after);
				return { fields, startLine, endLine, spansLines, blank: false, error: null };
			}
			let i = pos;
			let c = 0;
			while (i < len) {
				c = text.charCodeAt(i);
				if (c === delim || c === LF || c === CR) break;
				i++;
			}
			const value = text.slice(pos, i);
			fields.push(value);
			if (i < len && c === delim) {
				pos = i + 1;
				continue;
			}
			const endLine = line;
			pos = consumeLineEnd(i);
			const blank = fields.length === 1 && (value === '' || value.trim() === '');
			return { fields, startLine, endLine, spansLines, blank, error: null };
		}
	};

	// The header may be preceded by blank lines; it is the first record with content.
	let headerRecord = readRecord();
	while (headerRecord.blank && pos < len) headerRecord = readRecord();
	if (headerRecord.error) {
		throw new SourceError(`line ${headerRecord.startLine}: the header row is broken: ${headerRecord.error}`);
	}
	const problems: ImportProblem[] = [];
	const header = nameColumns(headerRecord.fields, headerRecord.startLine, problems);
	const width = header.length;

	const rows: CsvRow[] = [];
	while (pos < len) {
		const record = readRecord();
		if (record.error) {
			problems.push({ location: `line ${record.startLine}`, reason: record.error });
			continue;
		}
		if (record.blank) continue;
		let fields = record.fields;
		if (fields.length > width && allEmpty(fields, width)) fields = fields.slice(0, width);
		// Spreadsheets pad the sheet with rows of empty cells; they hold nothing to lose.
		if (allEmpty(fields, 0)) continue;
		if (fields.length !== width) {
			const span = record.spansLines
				? ` (this record runs on to line ${record.endLine} because a quoted field holds line breaks)`
				: '';
			problems.push({
				location: `line ${record.startLine}`,
				reason: `${fields.length} ${fields.length === 1 ? 'field' : 'fields'}, the header has ${width}${span}`
			});
			continue;
		}
		rows.push({ line: record.startLine, fields });
	}
	return { header, rows, problems, delimiter };
}

function failed(fields: string[], startLine: number, error: string): RawRecord {
	return { fields, startLine, endLine: startLine, spansLines: false, blank: false, error };
}

function unbalanced(startLine: number, openLine: number): string {
	const where = openLine === startLine ? 'here' : `on line ${openLine}`;
	return `unbalanced quote (the field that starts ${where} never closes)`;
}

function allEmpty(fields: string[], from: number): boolean {
	for (let i = from; i < fields.length; i++) if (fields[i].trim() !== '') return false;
	return true;
}

/** Gives every column a usable, unique name; duplicates are renamed and reported so a mapping can tell them apart. */
function nameColumns(raw: string[], line: number, problems: ImportProblem[]): string[] {
	const names: string[] = [];
	const firstColumn = new Map<string, number>();
	for (let i = 0; i < raw.length; i++) {
		let name = raw[i].trim();
		if (name === '') name = `column ${i + 1}`;
		const first = firstColumn.get(name);
		if (first !== undefined) {
			let n = 2;
			while (firstColumn.has(`${name} (${n})`)) n++;
			const renamed = `${name} (${n})`;
			problems.push({
				location: `line ${line}`,
				reason: `the column name "${name}" appears more than once (columns ${first + 1} and ${i + 1}); column ${i + 1} is called "${renamed}" here`
			});
			name = renamed;
		}
		firstColumn.set(name, i);
		names.push(name);
	}
	return names;
}

/** Picks the delimiter that occurs most often (outside quotes) on the header line; comma on a tie. */
function detectDelimiter(text: string, from: number): CsvDelimiter {
	let commas = 0;
	let semicolons = 0;
	let tabs = 0;
	let quoted = false;
	for (let i = from; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === QUOTE) quoted = !quoted;
		else if (quoted) continue;
		else if (c === LF || c === CR) {
			// Leading blank lines do not count as the header line.
			if (commas + semicolons + tabs > 0 || /\S/.test(text.slice(from, i))) break;
		} else if (c === 44) commas++;
		else if (c === 59) semicolons++;
		else if (c === 9) tabs++;
	}
	if (tabs > commas && tabs >= semicolons) return '\t';
	if (semicolons > commas && semicolons > tabs) return ';';
	return ',';
}

/**
 * CSV for download: RFC 4180 with a UTF-8 byte-order mark (Excel reads BOM-less UTF-8 as the
 * system code page, which garbles Japanese), and text that a spreadsheet would run as a formula
 * neutralised per OWASP "CSV Injection". Contact data is typed by outsiders (reporters' names
 * come from bylines and uploaded lists), so every text cell is treated as hostile.
 */

export type CsvCell = string | number | null;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const BOM = '\uFEFF';

// A spreadsheet evaluates a cell that starts with = + - @ (LibreOffice and Excel also after
// leading spaces, and Excel treats full-width ＝＋－＠ as their ASCII twins); a leading tab or CR
// is on OWASP's list because some programs drop it and then read what follows.
const FORMULA_START = /^(?:[\t\r]|[\s\u3000]*[=+\-@＝＋－＠])/;
const NEEDS_QUOTES = /[",\r\n]/;

/** Makes text inert in a spreadsheet: a cell that could start a formula gets a leading single quote. */
export function neutraliseCell(text: string): string {
	return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Writes a table as RFC 4180 CSV (CRLF, BOM first) with formula injection neutralised; numbers stay numbers. */
export function toCsv(headers: string[], rows: CsvCell[][]): string {
	const out: string[] = [BOM, headers.map((h) => field(h)).join(','), '\r\n'];
	for (let r = 0; r < rows.length; r++) {
		const row = rows[r];
		if (row.length !== headers.length) {
			throw new RangeError(`CSV row ${r + 1} has ${row.length} cells but there are ${headers.length} headers`);
		}
		out.push(row.map(field).join(','), '\r\n');
	}
	return out.join('');
}

function field(value: CsvCell): string {
	if (value === null) return '';
	if (typeof value === 'number') {
		// A number the program computed is data, not typed text: -5 stays a negative number.
		if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be written to a CSV cell`);
		return String(value);
	}
	const text = neutraliseCell(value);
	return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

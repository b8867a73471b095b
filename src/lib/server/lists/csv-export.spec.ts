import { describe, expect, it } from 'vitest';
import { parseCsv } from '../imports/csv';
import { decodeFile } from '../imports/text';
import { neutraliseCell, toCsv } from './csv-export';

describe('toCsv', () => {
	it('writes RFC 4180: a BOM, CRLF after every record, quotes only where needed and doubled inside', () => {
		const csv = toCsv(
			['Name', 'Outlet', 'Note'],
			[
				['Jane Doe', 'The Daily Planet', 'Plain'],
				['Doe, Jane', 'BBC "News"', 'Line one\nline two'],
				['森川 由紀', '日経新聞', 'CR\ronly'],
				['', null, 'x']
			]
		);
		expect(csv).toBe(
			'\uFEFFName,Outlet,Note\r\n' +
				'Jane Doe,The Daily Planet,Plain\r\n' +
				'"Doe, Jane","BBC ""News""","Line one\nline two"\r\n' +
				'森川 由紀,日経新聞,"CR\ronly"\r\n' +
				',,x\r\n'
		);
	});

	it('gives back exactly what went in when read by the CSV importer', () => {
		const rows = [
			['He said "hi", then left', 'a\r\nb', '森川 由紀 🎉'],
			['', ' spaced ', '"quoted"'],
			['=1+2', '-5', '@SUM(A1)']
		];
		const bytes = new TextEncoder().encode(toCsv(['a', 'b', 'c'], rows));
		const { text, encoding } = decodeFile(bytes);
		expect(encoding).toBe('utf-8-bom');
		const parsed = parseCsv(text);
		expect(parsed.header).toEqual(['a', 'b', 'c']);
		expect(parsed.problems).toEqual([]);
		expect(parsed.rows.map((r) => r.fields)).toEqual([rows[0], rows[1], ["'=1+2", "'-5", "'@SUM(A1)"]]);
	});

	it('neutralises text a spreadsheet would run as a formula (OWASP CSV injection)', () => {
		const dangerous = [
			'=HYPERLINK("http://x","y")',
			'+1+cmd|\' /C calc\'!A0',
			'-2+3',
			'-5',
			'@SUM(1+1)*cmd|\' /C calc\'!A0',
			'\t=1+2',
			'\rcmd',
			'  =1+2',
			'\u3000=1+2',
			'\n=1',
			'＝１＋２',
			'＋81 3',
			'－5',
			'＠sum'
		];
		for (const text of dangerous) expect(neutraliseCell(text), JSON.stringify(text)).toBe(`'${text}`);
		const safe = ['Jane', 'a=b', 'x-y', 'jane@planet.example', "'already", '1+2', '', ' ', '森川=由紀'];
		for (const text of safe) expect(neutraliseCell(text), JSON.stringify(text)).toBe(text);
	});

	it('quotes a neutralised cell when it also holds a comma or quote', () => {
		expect(toCsv(['Name'], [['=HYPERLINK("http://x","y")']])).toBe('\uFEFFName\r\n"\'=HYPERLINK(""http://x"",""y"")"\r\n');
		expect(toCsv(['=cmd'], [])).toBe("\uFEFF'=cmd\r\n");
	});

	it('keeps numbers as numbers, negative ones too, while the same text from a person is neutralised', () => {
		expect(toCsv(['Letters', 'Change', 'Rate', 'Typed'], [[12, -5, 0.25, '-5']])).toBe(
			"\uFEFFLetters,Change,Rate,Typed\r\n12,-5,0.25,'-5\r\n"
		);
	});

	it('refuses rows of the wrong width and numbers with no CSV form, which are programming errors', () => {
		expect(() => toCsv(['a', 'b'], [['1']])).toThrow('CSV row 1 has 1 cells but there are 2 headers');
		expect(() => toCsv(['a'], [[Number.NaN]])).toThrow(RangeError);
		expect(() => toCsv(['a'], [[Infinity]])).toThrow(RangeError);
	});

	it('writes only the BOM and header for an empty table', () => {
		expect(toCsv(['Name', 'Email'], [])).toBe('\uFEFFName,Email\r\n');
	});
});

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../articles/candidate';
import { parseCsv } from './csv';

const CORPORA = resolve(process.cwd(), '../shared/data/corpora');
const haveCorpora = existsSync(CORPORA);

/** RFC 4180 writing: quote a field when it holds the delimiter, a quote or a line break. */
function toCsv(rows: string[][], delimiter = ',', eol = '\r\n'): string {
	const needs = new RegExp(`["\\r\\n${delimiter === '\t' ? '\\t' : delimiter}]`);
	return rows
		.map((r) => r.map((f) => (needs.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(delimiter))
		.join(eol) + eol;
}

describe('parseCsv: RFC 4180', () => {
	it('reads quoted fields with delimiters, doubled quotes and line breaks, and counts physical lines', () => {
		const text = 'title,body,byline\r\n"Hello, world","He said ""hi""\r\nand left",Jane\r\nPlain,"",\r\n';
		const csv = parseCsv(text);
		expect(csv.header).toEqual(['title', 'body', 'byline']);
		expect(csv.rows).toEqual([
			{ line: 2, fields: ['Hello, world', 'He said "hi"\r\nand left', 'Jane'] },
			{ line: 4, fields: ['Plain', '', ''] }
		]);
		expect(csv.problems).toEqual([]);
	});

	it('accepts LF, CRLF and lone CR line ends alike, with or without a final line end', () => {
		for (const eol of ['\n', '\r\n', '\r']) {
			const text = ['a,b', '1,"x', 'y"', '3,4'].join(eol);
			const csv = parseCsv(text);
			expect(csv.rows, JSON.stringify(eol)).toEqual([
				{ line: 2, fields: ['1', `x${eol}y`] },
				{ line: 4, fields: ['3', '4'] }
			]);
			expect(parseCsv(text + eol).rows).toHaveLength(2);
		}
	});

	it('detects ; and tab from the header line, and ignores delimiters inside quoted header names', () => {
		expect(parseCsv('title;url\nA, B;http://x\n').rows[0].fields).toEqual(['A, B', 'http://x']);
		expect(parseCsv('title;url\n').delimiter).toBe(';');
		const tsv = parseCsv('title\turl\tbyline\nA, B; C\thttp://x\tJo\n');
		expect(tsv.delimiter).toBe('\t');
		expect(tsv.rows[0].fields).toEqual(['A, B; C', 'http://x', 'Jo']);
		expect(parseCsv('"a;b;c",d\n1,2\n').delimiter).toBe(',');
		// With one column the delimiter is a comma by default, so an unquoted comma splits the value.
		expect(parseCsv('title\nOne, two\n"Three, four"\n')).toMatchObject({
			rows: [{ line: 3, fields: ['Three, four'] }],
			problems: [{ location: 'line 2', reason: '2 fields, the header has 1' }]
		});
	});

	it('strips a leading BOM from the first column name', () => {
		expect(parseCsv('\uFEFFtitle,url\nA,B\n').header).toEqual(['title', 'url']);
	});

	it('skips blank lines and spreadsheet padding rows without a problem, keeping line numbers true', () => {
		const csv = parseCsv('a,b\n\n1,2\n   \n,,\n,\n3,4\n');
		expect(csv.rows).toEqual([
			{ line: 3, fields: ['1', '2'] },
			{ line: 7, fields: ['3', '4'] }
		]);
		expect(csv.problems).toEqual([]);
	});

	it('drops empty fields past the header width (a trailing delimiter) but nothing else', () => {
		const csv = parseCsv('a,b\n1,2,\n3,4,,\n');
		expect(csv.rows.map((r) => r.fields)).toEqual([
			['1', '2'],
			['3', '4']
		]);
	});

	it('allows spaces between a closing quote and the next delimiter', () => {
		expect(parseCsv('a,b\n"x" ,y\n"p,q","r"  \n').rows.map((r) => r.fields)).toEqual([
			['x', 'y'],
			['p,q', 'r']
		]);
	});

	it('keeps a quote inside an unquoted field as text (5" screen)', () => {
		expect(parseCsv('title,size\nTV,5" screen\n').rows[0].fields).toEqual(['TV', '5" screen']);
	});
});

describe('parseCsv: bad input', () => {
	it('throws "the file is empty" for an empty or blank file', () => {
		expect(() => parseCsv('')).toThrow(SourceError);
		expect(() => parseCsv('')).toThrow('the file is empty');
		expect(() => parseCsv('\uFEFF \r\n\n')).toThrow('the file is empty');
	});

	it('gives zero rows and no problem for a header-only file', () => {
		expect(parseCsv('title,url,body\r\n')).toEqual({
			header: ['title', 'url', 'body'],
			rows: [],
			problems: [],
			delimiter: ','
		});
	});

	it('reports an unbalanced quote at the line where its record starts and resynchronises at the next line', () => {
		const lines = [
			'title,url,byline', // 1
			'Good one,http://a,Ann', // 2
			'"Broken title,http://b,Bob', // 3: the quote never closes; no quote follows at all
			'Good two,http://c,Cy', // 4
			'Good three,http://d,Di' // 5
		];
		const csv = parseCsv(lines.join('\n'));
		expect(csv.problems).toEqual([
			{ location: 'line 3', reason: 'unbalanced quote (the field that starts here never closes)' }
		]);
		expect(csv.rows).toEqual([
			{ line: 2, fields: ['Good one', 'http://a', 'Ann'] },
			{ line: 4, fields: ['Good two', 'http://c', 'Cy'] },
			{ line: 5, fields: ['Good three', 'http://d', 'Di'] }
		]);
	});

	it('does not let an unclosed quote pair up with a later record’s quotes', () => {
		const lines = [
			'title,body,byline', // 1
			'First,"runs on,Ann', // 2: unclosed; the next quote is the opening one on line 3
			'Second,"quoted, fine",Bob', // 3
			'Third,"two\nlines",Cy' // 4-5
		];
		const csv = parseCsv(lines.join('\n'));
		expect(csv.problems).toEqual([
			{ location: 'line 2', reason: 'unbalanced quote (the field that starts here never closes)' }
		]);
		expect(csv.rows).toEqual([
			{ line: 3, fields: ['Second', 'quoted, fine', 'Bob'] },
			{ line: 4, fields: ['Third', 'two\nlines', 'Cy'] }
		]);
	});

	it('names the line of a field that opens on a later line of a multi-line record', () => {
		const csv = parseCsv('a,b,c\n1,"x\ny","never\n2,3,4\n');
		expect(csv.problems).toEqual([
			{ location: 'line 2', reason: 'unbalanced quote (the field that starts on line 3 never closes)' }
		]);
		expect(csv.rows).toEqual([{ line: 4, fields: ['2', '3', '4'] }]);
	});

	it('reports text after a closing quote on the same line (an undoubled quote)', () => {
		const csv = parseCsv('title,byline\n"He said "no" today",Ann\nFine,Bob\n');
		expect(csv.problems).toEqual([
			{
				location: 'line 2',
				reason: 'a quoted field has text after its closing quote (a quote inside a quoted field must be doubled: "")'
			}
		]);
		expect(csv.rows).toEqual([{ line: 3, fields: ['Fine', 'Bob'] }]);
	});

	it('skips a record with the wrong number of fields, naming its line and both counts', () => {
		const csv = parseCsv('a,b,c,d,e,f,g\n1,2,3,4,5,6,7\n1,2,3,4,5\n1,2,3,4,5,6,7,8\n"x\ny",2\n1,2,3,4,5,6,7\n');
		expect(csv.problems).toEqual([
			{ location: 'line 3', reason: '5 fields, the header has 7' },
			{ location: 'line 4', reason: '8 fields, the header has 7' },
			{
				location: 'line 5',
				reason: '2 fields, the header has 7 (this record runs on to line 6 because a quoted field holds line breaks)'
			}
		]);
		expect(csv.rows.map((r) => r.line)).toEqual([2, 7]);
	});

	it('renames duplicate column names and reports them on line 1', () => {
		const csv = parseCsv('title,byline,title,,byline,title\nA,B,C,D,E,F\n');
		expect(csv.header).toEqual(['title', 'byline', 'title (2)', 'column 4', 'byline (2)', 'title (3)']);
		expect(csv.problems).toEqual([
			{
				location: 'line 1',
				reason: 'the column name "title" appears more than once (columns 1 and 3); column 3 is called "title (2)" here'
			},
			{
				location: 'line 1',
				reason: 'the column name "byline" appears more than once (columns 2 and 5); column 5 is called "byline (2)" here'
			},
			{
				location: 'line 1',
				reason: 'the column name "title" appears more than once (columns 1 and 6); column 6 is called "title (3)" here'
			}
		]);
		expect(csv.rows).toEqual([{ line: 2, fields: ['A', 'B', 'C', 'D', 'E', 'F'] }]);
	});

	it('keeps a 5,000-character field whole', () => {
		const byline = 'Staff of the desk, '.repeat(300).slice(0, 5000);
		const csv = parseCsv(toCsv([['title', 'byline'], ['Long', byline]]));
		expect(csv.problems).toEqual([]);
		expect(csv.rows[0].fields[1]).toBe(byline);
		expect(csv.rows[0].fields[1]).toHaveLength(5000);
	});

	it('refuses a file whose header row is broken', () => {
		expect(() => parseCsv('"title,url\nA,B\n')).toThrow('line 1: the header row is broken: unbalanced quote');
	});

	it('reads a large CR-only file (old Mac Excel) without rescanning it for each quoted field', () => {
		const lines = ['title,body'];
		for (let i = 0; i < 50_000; i++) lines.push(`"Title ${i}","Body, ${i}"`);
		const csv = parseCsv(lines.join('\r'));
		expect(csv.rows).toHaveLength(50_000);
		expect(csv.rows.at(-1)).toEqual({ line: 50_001, fields: ['Title 49999', 'Body, 49999'] });
	});

	it('survives a file full of unclosed quotes without rescanning it for each', () => {
		const lines = ['title,n'];
		for (let i = 0; i < 20_000; i++) lines.push(i % 2 ? `"open ${i},${i}` : `ok ${i},${i}`);
		const csv = parseCsv(lines.join('\n'));
		expect(csv.rows).toHaveLength(10_000);
		expect(csv.problems).toHaveLength(10_000);
		expect(csv.problems[0]).toEqual({ location: 'line 3', reason: 'unbalanced quote (the field that starts here never closes)' });
		expect(csv.rows.at(-1)).toEqual({ line: 20_000, fields: ['ok 19998', '19998'] });
	});
});

describe.skipIf(!haveCorpora)(`parseCsv on real articles${haveCorpora ? '' : ' (skipped: ../shared/data/corpora is missing)'}`, () => {
	function corpusRows(file: string, limit: number): string[][] {
		const lines = readFileSync(resolve(CORPORA, file), 'utf8').split('\n').filter(Boolean).slice(0, limit);
		return lines.map((l) => {
			const o = JSON.parse(l) as Record<string, unknown>;
			return [String(o.id), String(o.title), String(o.body), String(o.byline ?? ''), (o.topics as string[]).join(';')];
		});
	}

	for (const [delimiter, eol] of [
		[',', '\r\n'],
		[';', '\n'],
		['\t', '\r']
	] as const) {
		it(`round-trips 2,000 Reuters and livedoor articles (delimiter ${JSON.stringify(delimiter)}, line end ${JSON.stringify(eol)})`, () => {
			const rows = [...corpusRows('reuters21578.jsonl', 1000), ...corpusRows('livedoor.jsonl', 1000)];
			const header = ['id', 'title', 'body', 'byline', 'topics'];
			const csv = parseCsv(toCsv([header, ...rows], delimiter, eol));
			expect(csv.delimiter).toBe(delimiter);
			expect(csv.problems).toEqual([]);
			expect(csv.header).toEqual(header);
			expect(csv.rows.map((r) => r.fields)).toEqual(rows);
			// Line numbers count the line breaks inside bodies: each record starts after the previous one's.
			let expected = 2;
			csv.rows.forEach((r, i) => {
				expect(r.line).toBe(expected);
				expected += 1 + (rows[i].join('').match(/\r\n|\r|\n/g)?.length ?? 0);
			});
		});
	}
});

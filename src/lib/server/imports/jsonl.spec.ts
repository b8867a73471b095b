import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../articles/candidate';
import { parseJsonl } from './jsonl';

const CORPORA = resolve(process.cwd(), '../shared/data/corpora');
const haveCorpora = existsSync(CORPORA);

describe('parseJsonl', () => {
	it('reads one object per line, skipping blank lines and keeping physical line numbers', () => {
		const text = '{"title":"A"}\r\n\r\n   \n{"title":"B","topics":["x"]}\n';
		expect(parseJsonl(text)).toEqual({
			rows: [
				{ line: 1, value: { title: 'A' } },
				{ line: 4, value: { title: 'B', topics: ['x'] } }
			],
			problems: []
		});
	});

	it('ignores a leading BOM and a missing final line end', () => {
		expect(parseJsonl('\uFEFF{"a":1}\n{"a":2}').rows.map((r) => r.value.a)).toEqual([1, 2]);
	});

	it('reports a line that is not JSON with the parser’s reason, and keeps the others', () => {
		const { rows, problems } = parseJsonl('{"title":"A"}\n{"title": "B",}\n{"title":"C"}\n');
		expect(rows.map((r) => [r.line, r.value.title])).toEqual([
			[1, 'A'],
			[3, 'C']
		]);
		expect(problems).toHaveLength(1);
		expect(problems[0].location).toBe('line 2');
		expect(problems[0].reason).toMatch(/^not a JSON object \(.*JSON.*\)$/);
	});

	it('reports arrays, strings, numbers and null as not objects', () => {
		const { rows, problems } = parseJsonl('[{"title":"A"}]\n"text"\n42\nnull\n{"title":"ok"}\n');
		expect(problems).toEqual([
			{ location: 'line 1', reason: 'not a JSON object (it is an array)' },
			{ location: 'line 2', reason: 'not a JSON object (it is a string)' },
			{ location: 'line 3', reason: 'not a JSON object (it is a number)' },
			{ location: 'line 4', reason: 'not a JSON object (it is null)' }
		]);
		expect(rows).toEqual([{ line: 5, value: { title: 'ok' } }]);
	});

	it('keeps a reason readable when the broken line is long', () => {
		const { problems } = parseJsonl(`{"body": "${'x'.repeat(10_000)}`);
		expect(problems[0].reason.length).toBeLessThanOrEqual(180);
	});

	it('throws "the file is empty" for an empty or blank file', () => {
		expect(() => parseJsonl('')).toThrow(SourceError);
		expect(() => parseJsonl('\n \r\n\t\n')).toThrow('the file is empty');
	});
});

describe.skipIf(!haveCorpora)(`parseJsonl on the corpora${haveCorpora ? '' : ' (skipped: ../shared/data/corpora is missing)'}`, () => {
	for (const [file, count] of [
		['reuters21578.jsonl', 19_043],
		['bbc.jsonl', 1_577],
		['livedoor.jsonl', 5_035]
	] as const) {
		it(`parses all of ${file} (${count} rows) without a problem`, () => {
			const { rows, problems } = parseJsonl(readFileSync(resolve(CORPORA, file), 'utf8'));
			expect(problems).toEqual([]);
			expect(rows).toHaveLength(count);
			expect(rows.at(-1)?.line).toBe(count);
			expect(Object.keys(rows[0].value)).toEqual([
				'source', 'id', 'url', 'title', 'body', 'published_at', 'lang', 'outlet', 'byline', 'topics'
			]);
		});
	}
});

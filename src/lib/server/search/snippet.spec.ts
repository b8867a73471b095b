import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { positiveLeaves } from './backend-query';
import { parseQuery } from './query';
import { Highlighter, partsToText, type SnippetPart } from './snippet';

const CORPORA = resolve(process.cwd(), '../shared/data/corpora');
const haveCorpora = existsSync(resolve(CORPORA, 'livedoor.jsonl')) && existsSync(resolve(CORPORA, 'reuters21578.jsonl'));

function highlighter(q: string): Highlighter {
	const r = parseQuery(q);
	if (!r.ok) throw new Error(r.error.message);
	return new Highlighter(positiveLeaves(r.ast));
}

const marked = (parts: SnippetPart[]) => parts.filter((p) => p.match).map((p) => p.text);

function article(file: string, id: string): { title: string; body: string } {
	const line = readFileSync(resolve(CORPORA, file), 'utf8')
		.split('\n')
		.find((l) => l.includes(`"id": "${id}"`));
	if (!line) throw new Error(`${id} not in ${file}`);
	return JSON.parse(line);
}

describe('highlighting', () => {
	it('marks English words by stem, phrases as a whole and prefixes by their stem', () => {
		expect(marked(highlighter('rising').highlight('Prices rose, then rises and rising costs; the riser.'))).toEqual(['rises', 'rising']);
		expect(marked(highlighter('"oil prices"').highlight('Oil prices and oil, prices; OIL PRICE rises'))).toEqual(['Oil prices', 'oil, prices', 'OIL PRICE']); // punctuation is not a token, as in the index
		expect(marked(highlighter('econom*').highlight('The economy and economic economists; ecology.'))).toEqual(['economy', 'economic', 'economists']);
		expect(marked(highlighter("o'neill café").highlight("O’Neill met Oneill at the Cafe and the café."))).toEqual(['O’Neill', 'Oneill', 'Cafe', 'café']);
	});

	it('marks Japanese words as substrings, and full-width letters in the original text', () => {
		expect(marked(highlighter('広報').highlight('広報部と広報課、広い報告'))).toEqual(['広報', '広報']);
		expect(marked(highlighter('nhk').highlight('ＮＨＫ広報局とnhk'))).toEqual(['ＮＨＫ', 'nhk']);
		expect(marked(highlighter('カメラ').highlight('ｶﾒﾗ好きのカメラ'))).toEqual(['ｶﾒﾗ', 'カメラ']);
		expect(marked(highlighter('「携帯 電話」').highlight('携帯 電話、携帯電話'))).toEqual(['携帯 電話']);
	});

	it('does not mark what the query excludes', () => {
		expect(marked(highlighter('oil -opec').highlight('OPEC oil output'))).toEqual(['oil']);
	});

	it('never splits a character outside the BMP', () => {
		const text = `${'𠮷野家'.repeat(80)}の牛丼`;
		for (const p of highlighter('牛丼').snippet(text, 40)) expect(p.text).toBe(p.text.normalize()); // no lone surrogates
		const joined = partsToText(highlighter('牛丼').snippet(text, 40));
		expect(joined.endsWith('牛丼')).toBe(true);
		expect(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(joined)).toBe(false);
	});

	it('gives the start of the text when nothing matches, and nothing for no text', () => {
		const parts = highlighter('zebra').snippet('A short note about horses.', 160);
		expect(parts).toEqual([{ text: 'A short note about horses.', match: false }]);
		expect(highlighter('zebra').snippet('', 160)).toEqual([]);
	});

	describe.skipIf(!haveCorpora)('on real articles', () => {
		it('picks the passage with the most query words, cut at word boundaries with ellipses', () => {
			const a = article('reuters21578.jsonl', 'reuters-1');
			const parts = highlighter('cocoa arrivals').snippet(a.body, 160);
			const text = partsToText(parts);
			expect(text.startsWith('…') || a.body.replace(/\s+/g, ' ').startsWith(text.slice(0, 20))).toBe(true);
			expect(text.length).toBeLessThanOrEqual(170);
			const words = marked(parts).map((w) => w.toLowerCase());
			expect(words).toContain('cocoa');
			expect(words).toContain('arrivals');
			// Whole words only: the passage starts after a space, not inside a word.
			const inner = text.replace(/^…/, '');
			expect(a.body.replace(/\s+/g, ' ')).toContain(inner.replace(/…$/, ''));
		});

		it('highlights a Japanese title and passage from livedoor', () => {
			const a = article('livedoor.jsonl', 'dokujo-tsushin-4778031');
			const h = highlighter('携帯電話 元カレ');
			expect(marked(h.highlight(a.title))).toEqual(['元カレ']);
			const parts = h.snippet(a.body, 120);
			expect(new Set(marked(parts))).toEqual(new Set(['携帯電話', '元カレ']));
			expect(partsToText(parts).length).toBeLessThanOrEqual(125);
		});
	});
});

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFeatures, stem, tokenize } from './features';

const CORPORA = resolve(process.cwd(), '../shared/data/corpora');
const haveCorpora = existsSync(CORPORA);

function readCorpus(name: string, limit: number): { title: string; body: string; topics: string[] }[] {
	return readFileSync(resolve(CORPORA, name), 'utf8')
		.split('\n')
		.filter((l) => l.trim())
		.slice(0, limit)
		.map((l) => JSON.parse(l));
}

describe('tokenize', () => {
	it('segments Japanese into words and drops particles', () => {
		expect(tokenize('東京で新しいスマートフォンを発売した。')).toEqual(['東京', '新しい', 'スマート', 'フォン', '発売']);
	});

	it('normalises full-width and half-width forms (NFKC) and lower-cases', () => {
		const words = tokenize('ＡＢＣ社がｽﾏﾎ新製品を発表');
		expect(words).toContain('abc');
		expect(words).toContain('発表');
		expect(words.join('')).toContain('スマ');
		expect(words.some((w) => /[Ａ-Ｚｦ-ﾟ]/.test(w))).toBe(false);
	});

	it('stems English words and drops stop words, numbers and punctuation', () => {
		expect(tokenize("The markets were falling as the company's elections approached, up 3.5%!")).toEqual([
			'market',
			'fall',
			'company',
			'election',
			'approach'
		]);
	});

	it('gives nothing for empty or symbol-only text', () => {
		expect(tokenize('')).toEqual([]);
		expect(tokenize(' 。、… 2024 — !!')).toEqual([]);
	});
});

describe('stem', () => {
	it('folds plurals, -ing, -ed and -ly consistently', () => {
		expect(['markets', 'studies', 'launches', 'boxes', 'running', 'stopped', 'falling', 'quickly'].map(stem)).toEqual([
			'market',
			'study',
			'launch',
			'box',
			'run',
			'stop',
			'fall',
			'quick'
		]);
	});

	it('leaves words that only look inflected', () => {
		expect(['business', 'analysis', 'bus', 'news'].map(stem)).toEqual(['business', 'analysis', 'bus', 'new']);
	});
});

describe('extractFeatures', () => {
	it('counts title words titleWeight times a body word', () => {
		const f = extractFeatures({ title: 'Apple launches', body: 'An apple pie. Apples!' });
		expect(Object.fromEntries(f)).toEqual({ apple: 5, launch: 3, pie: 1 });
		const flat = extractFeatures({ title: 'Apple launches', body: 'An apple pie.' }, { titleWeight: 1 });
		expect(Object.fromEntries(flat)).toEqual({ apple: 2, launch: 1, pie: 1 });
	});

	it('reads only the first maxBodyChars of the body', () => {
		const f = extractFeatures({ title: '', body: 'economy '.repeat(10) + 'football' }, { maxBodyChars: 40 });
		expect(f.get('economy')).toBe(5);
		expect(f.has('football')).toBe(false);
	});

	it('adds character bigrams of kanji and katakana runs only when asked', () => {
		expect([...extractFeatures({ title: '日本代表' }).keys()]).toEqual(['日本', '代表']);
		expect([...extractFeatures({ title: '日本代表' }, { cjkBigrams: true }).keys()]).toEqual([
			'日本',
			'代表',
			'§日本',
			'§本代',
			'§代表'
		]);
	});

	it('accepts an empty title and a missing body', () => {
		expect(extractFeatures({ title: '', body: null }).size).toBe(0);
		expect(extractFeatures({ title: 'Election' }).get('election')).toBe(3);
	});

	it.skipIf(!haveCorpora)('gives every real article content words (livedoor and bbc)', () => {
		for (const name of ['livedoor.jsonl', 'bbc.jsonl']) {
			const records = readCorpus(name, 300);
			const features = records.map((r) => extractFeatures(r));
			const sizes = features.map((f) => f.size);
			// Some livedoor items are a photo caption and a link; even those have a few words.
			expect(Math.min(...sizes), name).toBeGreaterThanOrEqual(5);
			expect(sizes.sort((a, b) => a - b)[sizes.length >> 1], name).toBeGreaterThan(50);
			const all = new Set(features.flatMap((f) => [...f.keys()]));
			for (const stop of ['the', 'and', 'です', 'する', 'こと']) expect(all.has(stop), `${name}: ${stop}`).toBe(false);
		}
		const sport = readCorpus('bbc.jsonl', 2000).find((r) => r.topics[0] === 'sport');
		expect(sport).toBeDefined();
		// A sports article's terms come from its text, stemmed: its title words are there at title weight.
		const f = extractFeatures(sport!);
		const titleWords = tokenize(sport!.title);
		expect(titleWords.length).toBeGreaterThan(0);
		for (const w of titleWords) expect(f.get(w)).toBeGreaterThanOrEqual(3);
	});
});

/**
 * Distinctive terms on real text: articles of one Reuters or livedoor category stand in for a
 * reporter's beat, against a background sample of all three corpora.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backgroundOf, distinctiveTerms, type TermDoc } from './key-terms';

const DATA = join(__dirname, '../../../../../shared/data/corpora');
const haveData = existsSync(join(DATA, 'reuters21578.jsonl'));

interface Row extends TermDoc {
	topics?: string[];
}

function read(file: string): Row[] {
	return readFileSync(join(DATA, file), 'utf8')
		.split('\n')
		.filter((l) => l.trim())
		.map((l) => JSON.parse(l) as Row);
}

describe.skipIf(!haveData)('distinctiveTerms on the corpora (skipped without ../shared/data)', () => {
	const reuters = haveData ? read('reuters21578.jsonl') : [];
	const livedoor = haveData ? read('livedoor.jsonl') : [];
	const bbc = haveData ? read('bbc.jsonl') : [];
	// Every 8th article of each corpus: ~3,200 documents, as the app's hourly sample is.
	const background = backgroundOf([...reuters, ...livedoor, ...bbc].filter((_, i) => i % 8 === 0));

	it('finds a commodity beat in English', () => {
		const beat = reuters.filter((r) => r.topics?.includes('coffee')).slice(0, 60);
		const terms = distinctiveTerms(beat, background, 10).map((t) => t.term);
		expect(terms.slice(0, 3)).toContain('coffee');
		// Words everyone uses are not distinctive of anyone.
		for (const common of ['said', 'the', 'year', 'mln']) expect(terms).not.toContain(common);
	});

	it('finds a film beat in Japanese, shown as written', () => {
		const beat = livedoor.filter((r) => r.topics?.[0] === 'movie-enter').slice(0, 60);
		const terms = distinctiveTerms(beat, background, 10);
		expect(terms.map((t) => t.term)).toContain('映画');
		const film = terms.find((t) => t.term === '映画')!;
		expect(film.articles).toBeGreaterThan(20);
		expect(terms.every((t) => !/^\d+$/.test(t.term))).toBe(true);
	});

	it('shows the written form of a stemmed English word, and needs two articles for a term', () => {
		const docs = [
			{ title: 'Elections ahead', body: 'The elections were close. Voters in the elections…' },
			{ title: 'Election results', body: 'Elections officials counted. A zyzzogeton appeared.' },
			{ title: 'More elections', body: 'Elections again.' },
			{ title: 'Last one', body: 'elections' }
		];
		const terms = distinctiveTerms(docs, background, 10);
		expect(terms[0]).toMatchObject({ term: 'elections', articles: 4 });
		expect(terms.map((t) => t.term)).not.toContain('zyzzogeton');
	});

	it('returns nothing for a reporter without articles', () => {
		expect(distinctiveTerms([], background)).toEqual([]);
	});
});

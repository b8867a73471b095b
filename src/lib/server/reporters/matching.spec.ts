import { describe, expect, it } from 'vitest';
import { ReporterIndex, blockKey, similarity } from './matching';

describe('blockKey', () => {
	it('blocks Latin names by surname and Japanese names by their first two characters', () => {
		expect(blockKey('jane doe')).toBe('la:doe');
		expect(blockKey('j doe')).toBe('la:doe');
		expect(blockKey('山田太郎')).toBe('ja:山田');
	});
});

describe('ReporterIndex', () => {
	const index = new ReporterIndex([
		{ id: 1, nameKey: 'jane doe', displayName: 'Jane Doe', outletId: 10 },
		{ id: 2, nameKey: 'john smith', displayName: 'John Smith', outletId: 10 },
		{ id: 3, nameKey: '山田太郎', displayName: '山田 太郎', outletId: 20 },
		{ id: 4, nameKey: 'mary major', displayName: 'Mary Major', outletId: 10 }
	]);

	it('finds the same name at another outlet (a move, or a namesake)', () => {
		const r = { id: 9, nameKey: 'jane doe', displayName: 'Jane Doe', outletId: 11 };
		index.add(r);
		expect(index.candidatesFor(r)).toEqual([{ candidateId: 1, score: 1, reason: 'same_name_other_outlet' }]);
	});

	it('finds similar spellings in the same block', () => {
		const r = { id: 10, nameKey: 'jane do', displayName: 'Jane Do', outletId: 10 };
		index.add(r);
		// 'jane do' blocks under 'do', not 'doe': a different surname is a different block.
		expect(index.candidatesFor(r)).toEqual([]);
		const r2 = { id: 11, nameKey: 'jayne doe', displayName: 'Jayne Doe', outletId: 10 };
		index.add(r2);
		const c = index.candidatesFor(r2);
		expect(c.map((x) => x.candidateId)).toContain(1);
		expect(c.every((x) => x.reason === 'similar_name' && x.score >= 0.75)).toBe(true);
	});

	it('suggests Japanese names that differ by one character', () => {
		const r = { id: 12, nameKey: '山田太朗', displayName: '山田 太朗', outletId: 20 };
		index.add(r);
		expect(index.candidatesFor(r).map((x) => x.candidateId)).toEqual([3]);
	});

	it('leaves unrelated names alone', () => {
		const r = { id: 13, nameKey: 'peter parker', displayName: 'Peter Parker', outletId: 10 };
		index.add(r);
		expect(index.candidatesFor(r)).toEqual([]);
	});
});

describe('similarity', () => {
	it('is 1 for equal strings and falls with each edit', () => {
		expect(similarity('山田太郎', '山田太郎')).toBe(1);
		expect(similarity('山田太郎', '山田太朗')).toBe(0.75);
		expect(similarity('', '')).toBe(1);
		expect(similarity('abc', '')).toBe(0);
	});
});

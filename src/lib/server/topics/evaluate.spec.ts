import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, EvaluationError, labelOf, score, splitFile, type CorpusRecord } from './evaluate';

const CORPORA = resolve(process.cwd(), '../shared/data/corpora');
const haveCorpora = existsSync(CORPORA);
const skipReason = 'needs ../shared/data/corpora (the real test data) beside the repository';

function readCorpus(name: string): CorpusRecord[] {
	return readFileSync(resolve(CORPORA, name), 'utf8')
		.split('\n')
		.filter((l) => l.trim())
		.map((l) => JSON.parse(l));
}

const rec = (id: string, topic: string | string[] | null, title: string, body = ''): CorpusRecord => ({
	id,
	title,
	body,
	lang: 'en',
	topics: topic === null ? [] : Array.isArray(topic) ? topic : [topic]
});

// Small, clearly separable records: each topic has its own vocabulary plus shared filler.
const WORDS: Record<string, string[]> = {
	sport: ['match', 'goal', 'striker', 'champion', 'team', 'coach', 'league', 'final'],
	economy: ['inflation', 'bank', 'interest', 'prices', 'growth', 'exports', 'profits', 'markets'],
	tech: ['software', 'chip', 'phone', 'app', 'processor', 'security', 'update', 'developers']
};
function toyRecords(perTopic: number): CorpusRecord[] {
	const out: CorpusRecord[] = [];
	for (const [topic, words] of Object.entries(WORDS)) {
		for (let i = 0; i < perTopic; i++) {
			const pick = (k: number) => words[(i * 3 + k) % words.length];
			out.push(rec(`${topic}-${i}`, topic, `${pick(0)} ${pick(1)}`, `The ${pick(2)} and the ${pick(3)}; reporters said ${pick(4)}.`));
		}
	}
	return out;
}

describe('labelOf', () => {
	it('takes the only topic, and nothing from records with none or several', () => {
		expect(labelOf(rec('1', 'sport', 't'))).toBe('sport');
		expect(labelOf(rec('2', null, 't'))).toBeNull();
		expect(labelOf(rec('3', ['earn', 'acq'], 't'))).toBeNull();
		expect(labelOf({ title: 't' })).toBeNull();
		expect(labelOf({ title: 't', topics: [''] })).toBeNull();
		expect(labelOf({ title: 't', topics: [3] })).toBeNull();
	});
});

describe('score', () => {
	it('computes per-label precision, recall, F1, support, macro-F1 and accuracy', () => {
		const truth = ['a', 'a', 'a', 'b', 'b', 'c'];
		const guess = ['a', 'a', 'b', 'b', 'a', null];
		const s = score(truth, guess);
		expect(s.accuracy).toBeCloseTo(3 / 6, 12);
		expect(s.perLabel.a).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: expect.closeTo(2 / 3, 12), support: 3 });
		expect(s.perLabel.b).toEqual({ precision: 1 / 2, recall: 1 / 2, f1: 0.5, support: 2 });
		expect(s.perLabel.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
		expect(s.macroF1).toBeCloseTo((2 / 3 + 0.5 + 0) / 3, 12);
	});

	it('counts a label the model knows but the test set lacks, so false suggestions of it cost', () => {
		const s = score(['a', 'a'], ['a', 'z'], ['a', 'z']);
		expect(s.perLabel.z).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
		expect(s.macroF1).toBeCloseTo((2 / 3 + 0) / 2, 12);
	});
});

describe('splitFile', () => {
	const records = [...toyRecords(10), rec('x', null, 'no topic'), rec('y', ['a', 'b'], 'two topics'), rec('lone', 'solo', 'one')];

	it('splits each label in the same proportion, disjointly and deterministically', () => {
		const { train, test, skipped } = splitFile(records, { testFraction: 0.3, seed: 5 });
		expect(skipped).toBe(2);
		const count = (rs: CorpusRecord[], l: string) => rs.filter((r) => labelOf(r) === l).length;
		for (const l of ['sport', 'economy', 'tech']) {
			expect(count(test, l)).toBe(3);
			expect(count(train, l)).toBe(7);
		}
		// A label with a single record cannot be tested; it stays on the training side.
		expect(count(train, 'solo')).toBe(1);
		const ids = (rs: CorpusRecord[]) => rs.map((r) => r.id);
		expect(ids(train).filter((id) => ids(test).includes(id))).toEqual([]);
		const again = splitFile(records, { testFraction: 0.3, seed: 5 });
		expect(ids(again.test)).toEqual(ids(test));
		expect(ids(splitFile(records, { testFraction: 0.3, seed: 6 }).test)).not.toEqual(ids(test));
	});

	it('refuses a test share outside (0, 1)', () => {
		expect(() => splitFile(records, { testFraction: 0 })).toThrow(EvaluationError);
		expect(() => splitFile(records, { testFraction: 1.5 })).toThrow('the test share must be between 0 and 1 (got 1.5)');
	});
});

describe('evaluate', () => {
	it('trains on N per label, predicts the test records and reports sizes and the split', () => {
		const { train, test } = splitFile(toyRecords(12), { testFraction: 0.5, seed: 1 });
		const r = evaluate({ train, test: [...test, rec('none', null, 'match goal')], perLabel: 4, seed: 3 });
		expect(r.trainSize).toBe(12);
		expect(r.testSize).toBe(18);
		expect(r.skipped).toEqual({ train: 0, test: 1 });
		expect(r.accuracy).toBe(1);
		expect(r.macroF1).toBe(1);
		expect(Object.keys(r.perLabel).sort()).toEqual(['economy', 'sport', 'tech']);
		expect(r.perLabel.sport).toEqual({ precision: 1, recall: 1, f1: 1, support: 6 });
		expect(r.split).toBe(
			'12 training examples (up to 4 for each of 3 labels, drawn with seed 3 from 18 single-topic training records); 18 test records'
		);
	});

	it('leaves out of the test set the records drawn for training when both come from one file', () => {
		const all = toyRecords(10);
		const r = evaluate({ train: all, test: all, perLabel: 3, seed: 1 });
		expect(r.trainSize).toBe(9);
		expect(r.overlapRemoved).toBe(9);
		expect(r.testSize).toBe(21);
		expect(r.split).toContain('(9 that were drawn for training left out)');
	});

	it('uses every record of a label that has fewer than N', () => {
		const r = evaluate({ train: toyRecords(12).filter((x) => labelOf(x) !== 'tech' || x.id === 'tech-0'), test: toyRecords(12), perLabel: 5 });
		expect(r.trainSize).toBe(11);
		expect(r.perLabel.tech.support).toBe(11);
	});

	it('explains unusable input instead of failing obscurely', () => {
		const toy = toyRecords(4);
		expect(() => evaluate({ train: [], test: toy, perLabel: 5 })).toThrow(
			new EvaluationError('the training file has no records with exactly one topic')
		);
		expect(() => evaluate({ train: [rec('a', null, 'x')], test: toy, perLabel: 5 })).toThrow(EvaluationError);
		expect(() => evaluate({ train: toy, test: toy, perLabel: 50 })).toThrow(
			'the test file has no records with exactly one topic that were not used for training'
		);
		expect(() => evaluate({ train: toy, test: toy, perLabel: 0 })).toThrow('at least 1 (got 0)');
	});

	it('scores records with an empty title and body (as the model’s best guess, not an error)', () => {
		const r = evaluate({ train: toyRecords(6), test: [rec('e', 'sport', '', '')], perLabel: 6 });
		expect(r.testSize).toBe(1);
		expect(r.accuracy === 0 || r.accuracy === 1).toBe(true);
	});
});

// The measurement of record: a fixed stratified half of each file is held out as the test set and
// never used for tuning; 50 examples per label are drawn (seed 1) from the other half.
describe.skipIf(!haveCorpora)(`real corpora (${skipReason})`, () => {
	const protocol = (name: string) => splitFile(readCorpus(name), { testFraction: 0.5, seed: 20240 });

	it('reaches macro-F1 ≥ 0.87 on livedoor (Japanese, 9 labels) with 50 examples per label', () => {
		const { train, test } = protocol('livedoor.jsonl');
		const r = evaluate({ train, test, perLabel: 50, seed: 1 });
		expect(r.trainSize).toBe(450);
		expect(r.testSize).toBe(2519);
		expect(Object.keys(r.perLabel)).toHaveLength(9);
		// Measured 0.8915 (accuracy 0.8980) for seed 1; 0.867–0.892 over seeds 1–5.
		expect(r.macroF1).toBeGreaterThanOrEqual(0.87);
		expect(r.accuracy).toBeGreaterThanOrEqual(0.875);
		for (const [label, s] of Object.entries(r.perLabel)) expect(s.f1, label).toBeGreaterThan(0.7);
	}, 90_000);

	it('reaches macro-F1 ≥ 0.945 on bbc (English, 5 labels) with 50 examples per label, deterministically', () => {
		const { train, test } = protocol('bbc.jsonl');
		const r = evaluate({ train, test, perLabel: 50, seed: 1 });
		expect(r.trainSize).toBe(250);
		expect(r.testSize).toBe(790);
		// Measured 0.9631 for seed 1; 0.959–0.971 over seeds 1–5.
		expect(r.macroF1).toBeGreaterThanOrEqual(0.945);
		expect(r.accuracy).toBeGreaterThanOrEqual(0.945);
		const again = evaluate({ train, test, perLabel: 50, seed: 1 });
		expect(again.macroF1).toBe(r.macroF1);
		expect(again.perLabel).toEqual(r.perLabel);
	}, 90_000);

	it('uses only single-topic Reuters records (multi-label, many unlabelled)', () => {
		const records = readCorpus('reuters21578.jsonl');
		const { train, test, skipped } = splitFile(records, { testFraction: 0.5, seed: 1 });
		expect(train.length + test.length).toBe(8654);
		expect(skipped).toBe(records.length - 8654);
		expect(train.every((r) => Array.isArray(r.topics) && (r.topics as unknown[]).length === 1)).toBe(true);
	});
});

/**
 * Measures topic suggestions the way a person would meet them: N confirmed articles per topic,
 * then suggestions for articles the model has never seen. Records are the corpora's JSON objects
 * (`title`, `body`, `lang`, `topics`). Only records with exactly one topic are used, as single-label
 * data: that is every record of livedoor and bbc, and the single-topic part of Reuters (which is
 * multi-label with many records unlabelled).
 */
import { mulberry32, trainTopicModel, type TopicExample, type TrainOptionsInput } from './classifier';
import { extractFeatures } from './features';

/** One line of a corpus file, as parsed. */
export type CorpusRecord = Record<string, unknown>;

export interface EvaluateInput {
	train: readonly CorpusRecord[];
	test: readonly CorpusRecord[];
	/** Confirmed examples per label drawn from `train` (all of a label's records when it has fewer). */
	perLabel: number;
	/** Seed for drawing the examples (and the model's training order). */
	seed?: number;
	/** Overrides for the classifier, e.g. for tuning. */
	options?: TrainOptionsInput;
}

export interface LabelScores {
	precision: number;
	recall: number;
	f1: number;
	/** Test records with this label. */
	support: number;
}

export interface EvaluationResult {
	/** Unweighted mean of per-label F1 over the labels in the test set and the model. */
	macroF1: number;
	accuracy: number;
	perLabel: Record<string, LabelScores>;
	trainSize: number;
	testSize: number;
	/** How the examples and the test records were chosen, in words. */
	split: string;
	/** Records left out because they have no topic or several. */
	skipped: { train: number; test: number };
	/** Test records left out because they were drawn as training examples (same file given twice). */
	overlapRemoved: number;
	/** Wall-clock times, for reports only. */
	timings: { featuresMs: number; trainMs: number; predictMsPerArticle: number };
}

/** Evaluation could not run (no usable records); the message says why. */
export class EvaluationError extends Error {
	override name = 'EvaluationError';
}

/** The single label of a record, or null when it has no topic or several. */
export function labelOf(record: CorpusRecord): string | null {
	const topics = record?.topics;
	if (!Array.isArray(topics) || topics.length !== 1) return null;
	const label = topics[0];
	return typeof label === 'string' && label.trim() !== '' ? label : null;
}

/** Trains on `perLabel` examples per label of `train`, predicts `test`, and scores the predictions. */
export function evaluate(input: EvaluateInput): EvaluationResult {
	const seed = input.seed ?? 1;
	if (!Number.isInteger(input.perLabel) || input.perLabel < 1) {
		throw new EvaluationError(`examples per label must be a whole number of at least 1 (got ${input.perLabel})`);
	}
	const train = labelled(input.train);
	if (train.records.length === 0) {
		throw new EvaluationError('the training file has no records with exactly one topic');
	}
	const sample = samplePerLabel(train.records, input.perLabel, seed);
	const trainKeys = new Set(sample.map((r) => recordKey(r.record)));
	const testAll = labelled(input.test);
	const test = testAll.records.filter((r) => !trainKeys.has(recordKey(r.record)));
	const overlapRemoved = testAll.records.length - test.length;
	if (test.length === 0) {
		throw new EvaluationError('the test file has no records with exactly one topic that were not used for training');
	}

	const options = { seed, ...input.options };
	const featureOptions = options.features;
	let t0 = performance.now();
	const examples: TopicExample[] = sample.map((r) => ({
		features: extractFeatures(textOf(r.record), featureOptions),
		topics: [r.label]
	}));
	const testFeatures = test.map((r) => extractFeatures(textOf(r.record), featureOptions));
	const featuresMs = performance.now() - t0;

	t0 = performance.now();
	const model = trainTopicModel(examples, options);
	const trainMs = performance.now() - t0;

	t0 = performance.now();
	const predicted = testFeatures.map((f) => model.predict(f)[0]?.topic ?? null);
	const predictMsPerArticle = (performance.now() - t0) / test.length;

	const scores = score(
		test.map((r) => r.label),
		predicted,
		model.topics.map((t) => t.topic)
	);
	const trainLabels = new Set(sample.map((r) => r.label)).size;
	return {
		...scores,
		trainSize: sample.length,
		testSize: test.length,
		split:
			`${sample.length} training examples (up to ${input.perLabel} for each of ${trainLabels} labels, ` +
			`drawn with seed ${seed} from ${train.records.length} single-topic training records); ` +
			`${test.length} test records` +
			(overlapRemoved > 0 ? ` (${overlapRemoved} that were drawn for training left out)` : ''),
		skipped: { train: train.skipped, test: testAll.skipped },
		overlapRemoved,
		timings: { featuresMs, trainMs, predictMsPerArticle }
	};
}

/** Splits records into train and test, stratified by label, so each label keeps the same share in both. */
export function splitFile(
	records: readonly CorpusRecord[],
	options: { testFraction: number; seed?: number }
): { train: CorpusRecord[]; test: CorpusRecord[]; skipped: number } {
	const { testFraction } = options;
	if (!(testFraction > 0 && testFraction < 1)) {
		throw new EvaluationError(`the test share must be between 0 and 1 (got ${testFraction})`);
	}
	const rand = mulberry32(options.seed ?? 1);
	const { records: usable, skipped } = labelled(records);
	const train: CorpusRecord[] = [];
	const test: CorpusRecord[] = [];
	for (const group of groupByLabel(usable).values()) {
		const shuffled = [...group];
		shuffle(shuffled, rand);
		// At least one record on each side when a label has two or more; a lone record goes to
		// training, since a label that was never learned cannot be tested meaningfully.
		let nTest = 0;
		if (shuffled.length >= 2) {
			nTest = Math.min(Math.max(Math.round(shuffled.length * testFraction), 1), shuffled.length - 1);
		}
		shuffled.forEach((r, i) => (i < nTest ? test : train).push(r.record));
	}
	return { train, test, skipped };
}

/** Precision, recall and F1 per label plus macro-F1 and accuracy for single-label predictions. */
export function score(
	truth: readonly string[],
	predicted: readonly (string | null)[],
	modelLabels: readonly string[] = []
): Pick<EvaluationResult, 'macroF1' | 'accuracy' | 'perLabel'> {
	const labels = [...new Set([...truth, ...modelLabels])].sort();
	const tp = new Map<string, number>();
	const predictedCount = new Map<string, number>();
	const support = new Map<string, number>();
	let correct = 0;
	truth.forEach((label, i) => {
		const guess = predicted[i];
		support.set(label, (support.get(label) ?? 0) + 1);
		if (guess !== null) predictedCount.set(guess, (predictedCount.get(guess) ?? 0) + 1);
		if (guess === label) {
			correct++;
			tp.set(label, (tp.get(label) ?? 0) + 1);
		}
	});
	const perLabel: Record<string, LabelScores> = {};
	let f1Sum = 0;
	for (const label of labels) {
		const hit = tp.get(label) ?? 0;
		const p = predictedCount.get(label) ?? 0;
		const s = support.get(label) ?? 0;
		const precision = p === 0 ? 0 : hit / p;
		const recall = s === 0 ? 0 : hit / s;
		const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
		perLabel[label] = { precision, recall, f1, support: s };
		f1Sum += f1;
	}
	return {
		macroF1: labels.length === 0 ? 0 : f1Sum / labels.length,
		accuracy: truth.length === 0 ? 0 : correct / truth.length,
		perLabel
	};
}

interface Labelled {
	record: CorpusRecord;
	label: string;
}

function labelled(records: readonly CorpusRecord[]): { records: Labelled[]; skipped: number } {
	const out: Labelled[] = [];
	let skipped = 0;
	for (const record of records) {
		const label = record && typeof record === 'object' ? labelOf(record) : null;
		if (label === null) skipped++;
		else out.push({ record, label });
	}
	return { records: out, skipped };
}

function groupByLabel(records: readonly Labelled[]): Map<string, Labelled[]> {
	const groups = new Map<string, Labelled[]>();
	// Sorted labels: the same records and seed give the same draw whatever the file order of labels.
	for (const r of [...records].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0))) {
		const g = groups.get(r.label);
		if (g) g.push(r);
		else groups.set(r.label, [r]);
	}
	return groups;
}

function samplePerLabel(records: readonly Labelled[], perLabel: number, seed: number): Labelled[] {
	const rand = mulberry32(seed);
	const out: Labelled[] = [];
	for (const group of groupByLabel(records).values()) {
		const shuffled = [...group];
		shuffle(shuffled, rand);
		out.push(...shuffled.slice(0, perLabel));
	}
	return out;
}

function textOf(record: CorpusRecord): { title: string; body: string } {
	return {
		title: typeof record.title === 'string' ? record.title : '',
		body: typeof record.body === 'string' ? record.body : ''
	};
}

function recordKey(record: CorpusRecord): string {
	if (typeof record.id === 'string' || typeof record.id === 'number') return `id:${record.id}`;
	const { title, body } = textOf(record);
	return `text:${title}\n${body}`;
}

function shuffle<T>(items: T[], rand: () => number): void {
	for (let i = items.length - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[items[i], items[j]] = [items[j], items[i]];
	}
}

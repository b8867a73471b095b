/**
 * Learned topic suggestions: one logistic-regression classifier per topic over TF-IDF vectors.
 *
 * Each topic is its own yes/no question because in the product an article may belong to several
 * topics and a person may say "not this topic". A topic's positives are the articles confirmed for
 * it; its negatives are the articles rejected for it (full weight) and every other training article
 * (confirmed for other topics, or background articles), which are negatives only by assumption and so
 * weigh less. A single-label evaluation takes the most probable topic.
 */
import { DEFAULT_FEATURE_OPTIONS, extractFeatures, type FeatureOptions, type TermCounts, type TextInput } from './features';

/** One training article: its terms, the topics a person confirmed and those they rejected. */
export interface TopicExample {
	features: TermCounts;
	/** Topics confirmed for this article (empty for a background article). */
	topics: readonly string[];
	/** Topics a person said this article is not about. */
	rejected?: readonly string[];
}

export interface TrainOptions {
	/** L2 regularisation strength (per example); larger means smaller weights and softer probabilities. */
	l2: number;
	/** Passes over the training set. */
	epochs: number;
	/**
	 * Terms must occur in at least this many training articles to enter the vocabulary (keeps the
	 * stored model small; terms of a topic's only example are kept all the same).
	 */
	minDf: number;
	/**
	 * Weight of an assumed negative (an article not confirmed for the topic) relative to a rejection.
	 * With `balance` it only matters when a topic has both kinds of negative.
	 */
	implicitNegativeWeight: number;
	/** Reweight so a topic's positives weigh as much in total as its negatives (few positives, many negatives). */
	balance: boolean;
	/** Seed for the example order, so that the same examples always give the same model. */
	seed: number;
	/** How articles become terms; stored in the model so prediction reads text the same way. */
	features: FeatureOptions;
}

/** Options for trainTopicModel; feature options may be given in part too. */
export type TrainOptionsInput = Partial<Omit<TrainOptions, 'features'>> & { features?: Partial<FeatureOptions> };

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
	l2: 1e-5,
	epochs: 25,
	minDf: 2,
	implicitNegativeWeight: 0.5,
	balance: true,
	seed: 1,
	features: DEFAULT_FEATURE_OPTIONS
};

/** A topic suggestion: the topic, its probability (0–1) and the raw linear score behind it. */
export interface TopicScore {
	topic: string;
	probability: number;
	score: number;
}

/** What a model knows about one topic, for the UI ("learned from 12 confirmed, 30 rejected"). */
export interface TopicSummary {
	topic: string;
	positives: number;
	rejections: number;
}

/** Training or a stored model was unusable; the message says why in plain English. */
export class TopicModelError extends Error {
	override name = 'TopicModelError';
}

const FORMAT = 'tegami-topic-model';
const VERSION = 1;

/** The stored form of a model: plain JSON, weights packed as base64 float32 to keep it small. */
export interface SerializedTopicModel {
	format: typeof FORMAT;
	version: typeof VERSION;
	features: FeatureOptions;
	vocabulary: string[];
	/** base64 of a Float32Array, one IDF per vocabulary term. */
	idf: string;
	topics: { topic: string; positives: number; rejections: number; bias: number; weights: string }[];
}

interface TopicWeights extends TopicSummary {
	bias: number;
	weights: Float32Array;
}

/** A sparse TF-IDF vector: parallel arrays of vocabulary indices and values, L2-normalised. */
interface SparseVector {
	index: Int32Array;
	value: Float64Array;
}

/** A trained model: vocabulary, IDF and one weight vector per topic. Immutable once built. */
export class TopicModel {
	readonly features: FeatureOptions;
	private readonly termIndex: Map<string, number>;

	/** Builds a model from its parts; use trainTopicModel or TopicModel.fromJSON instead. */
	constructor(
		features: FeatureOptions,
		private readonly vocabulary: string[],
		private readonly idf: Float32Array,
		private readonly topicWeights: TopicWeights[]
	) {
		this.features = { ...features };
		this.termIndex = new Map(vocabulary.map((t, i) => [t, i]));
	}

	/** The topics this model can suggest, with how many examples taught each. */
	get topics(): TopicSummary[] {
		return this.topicWeights.map(({ topic, positives, rejections }) => ({ topic, positives, rejections }));
	}

	/** Number of terms the model knows. */
	get vocabularySize(): number {
		return this.vocabulary.length;
	}

	/** Scores every topic for an article's terms, most probable first. */
	predict(features: TermCounts): TopicScore[] {
		const x = vectorise(features, this.termIndex, this.idf);
		const out: TopicScore[] = this.topicWeights.map((t) => {
			const score = dot(t.weights, x) + t.bias;
			return { topic: t.topic, probability: sigmoid(score), score };
		});
		return out.sort((a, b) => b.score - a.score || (a.topic < b.topic ? -1 : 1));
	}

	/** The plain-JSON form for storing in the database. */
	toJSON(): SerializedTopicModel {
		return {
			format: FORMAT,
			version: VERSION,
			features: { ...this.features },
			vocabulary: [...this.vocabulary],
			idf: packFloats(this.idf),
			topics: this.topicWeights.map((t) => ({
				topic: t.topic,
				positives: t.positives,
				rejections: t.rejections,
				bias: t.bias,
				weights: packFloats(t.weights)
			}))
		};
	}

	/** Rebuilds a model from toJSON's output (or its JSON text); throws TopicModelError naming what is wrong. */
	static fromJSON(input: unknown): TopicModel {
		let value = input;
		if (typeof value === 'string') {
			try {
				value = JSON.parse(value);
			} catch (e) {
				throw new TopicModelError(`the stored topic model is not JSON (${(e as Error).message})`);
			}
		}
		const v = value as Partial<SerializedTopicModel> | null;
		if (!v || typeof v !== 'object' || v.format !== FORMAT) {
			throw new TopicModelError('the stored value is not a topic model');
		}
		if (v.version !== VERSION) {
			throw new TopicModelError(`the stored topic model has version ${String(v.version)}; this Tegami reads version ${VERSION}`);
		}
		if (!Array.isArray(v.vocabulary) || !v.vocabulary.every((t) => typeof t === 'string')) {
			throw new TopicModelError('the stored topic model has no vocabulary');
		}
		const size = v.vocabulary.length;
		const idf = unpackFloats(v.idf, size, 'IDF');
		if (!Array.isArray(v.topics)) throw new TopicModelError('the stored topic model has no topics');
		const topics = v.topics.map((t, i): TopicWeights => {
			if (!t || typeof t.topic !== 'string' || !Number.isFinite(t.bias)) {
				throw new TopicModelError(`topic ${i + 1} of the stored topic model is incomplete`);
			}
			return {
				topic: t.topic,
				positives: Number(t.positives) || 0,
				rejections: Number(t.rejections) || 0,
				bias: t.bias,
				weights: unpackFloats(t.weights, size, `weights of topic "${t.topic}"`)
			};
		});
		return new TopicModel({ ...DEFAULT_FEATURE_OPTIONS, ...(v.features ?? {}) }, v.vocabulary, idf, topics);
	}
}

/** Trains one classifier per topic that has at least one confirmed example. */
export function trainTopicModel(examples: readonly TopicExample[], options: TrainOptionsInput = {}): TopicModel {
	const opts: TrainOptions = {
		...DEFAULT_TRAIN_OPTIONS,
		...options,
		features: { ...DEFAULT_FEATURE_OPTIONS, ...options.features }
	};
	if (examples.length === 0) throw new TopicModelError('there are no examples to learn from');
	const positives = new Map<string, number>();
	const rejections = new Map<string, number>();
	for (const ex of examples) {
		for (const t of new Set(ex.topics)) positives.set(t, (positives.get(t) ?? 0) + 1);
		for (const t of new Set(ex.rejected ?? [])) rejections.set(t, (rejections.get(t) ?? 0) + 1);
	}
	// A topic with only rejections has nothing to recognise; it gets no classifier (and no suggestions).
	const topics = [...positives.keys()].sort();
	if (topics.length === 0) throw new TopicModelError('no example is confirmed for any topic');

	const { vocabulary, idf, termIndex } = buildVocabulary(examples, opts.minDf, positives);
	const vectors = examples.map((ex) => vectorise(ex.features, termIndex, idf));

	// Targets and weights, example-major: row i holds example i's value for every topic.
	const n = examples.length;
	const nTopics = topics.length;
	const target = new Float64Array(n * nTopics);
	const weight = new Float64Array(n * nTopics);
	topics.forEach((topic, t) => {
		let posTotal = 0;
		let negTotal = 0;
		examples.forEach((ex, i) => {
			const cell = i * nTopics + t;
			// Confirmed and rejected both (two people disagreeing): the confirmation wins.
			if (ex.topics.includes(topic)) {
				target[cell] = 1;
				weight[cell] = 1;
				posTotal += 1;
			} else {
				weight[cell] = ex.rejected?.includes(topic) ? 1 : opts.implicitNegativeWeight;
				negTotal += weight[cell];
			}
		});
		if (opts.balance && posTotal > 0 && negTotal > 0) {
			// Each side totals half the examples, so the learning rate keeps its meaning.
			const pos = n / (2 * posTotal);
			const neg = n / (2 * negTotal);
			for (let i = 0; i < n; i++) weight[i * nTopics + t] *= target[i * nTopics + t] === 1 ? pos : neg;
		}
	});
	const fitted = fitLogistic(vectors, target, weight, nTopics, vocabulary.length, opts);
	const topicWeights = topics.map(
		(topic, t): TopicWeights => ({
			topic,
			positives: positives.get(topic) ?? 0,
			rejections: rejections.get(topic) ?? 0,
			bias: fitted.bias[t],
			weights: fitted.weights[t]
		})
	);
	return new TopicModel(opts.features, vocabulary, idf, topicWeights);
}

/** Reads an article's text and suggests topics, most probable first. */
export function suggestTopics(model: TopicModel, input: TextInput): TopicScore[] {
	return model.predict(extractFeatures(input, model.features));
}

/**
 * L2-regularised logistic regression by SGD (Bottou's schedule η = η0 / (1 + η0·λ·t)), one model per
 * topic trained side by side: the topics share each example's terms, its step size and (since λ is
 * shared) the lazy regularisation scale, so one pass over an example serves them all, and weights
 * are stored term-major so that pass reads memory in order.
 */
function fitLogistic(
	xs: SparseVector[],
	target: Float64Array,
	sampleWeight: Float64Array,
	nTopics: number,
	dim: number,
	opts: TrainOptions
): { weights: Float32Array[]; bias: Float64Array } {
	const v = new Float64Array(dim * nTopics);
	const bias = new Float64Array(nTopics);
	const z = new Float64Array(nTopics);
	const g = new Float64Array(nTopics);
	let scale = 1;
	const lambda = opts.l2;
	// Inputs are unit vectors, so a first step of 1 is safe; smaller when λ is large.
	const eta0 = Math.min(1, 1 / Math.max(lambda, 1e-6) / 100);
	const rand = mulberry32(opts.seed);
	const order = xs.map((_, i) => i);
	let step = 0;
	for (let epoch = 0; epoch < opts.epochs; epoch++) {
		shuffle(order, rand);
		for (const i of order) {
			const x = xs[i];
			const eta = eta0 / (1 + eta0 * lambda * step++);
			z.fill(0);
			for (let k = 0; k < x.index.length; k++) {
				const base = x.index[k] * nTopics;
				const xv = x.value[k];
				for (let t = 0; t < nTopics; t++) z[t] += v[base + t] * xv;
			}
			let any = false;
			const row = i * nTopics;
			for (let t = 0; t < nTopics; t++) {
				const sw = sampleWeight[row + t];
				const grad = sw === 0 ? 0 : sw * (sigmoid(scale * z[t] + bias[t]) - target[row + t]);
				// Examples already classified with confidence barely move the weights; skipping them is free speed.
				g[t] = Math.abs(grad) < 1e-6 ? 0 : grad;
				if (g[t] !== 0) any = true;
			}
			scale *= 1 - eta * lambda;
			if (scale < 1e-9) {
				for (let d = 0; d < v.length; d++) v[d] *= scale;
				scale = 1;
			}
			if (!any) continue;
			const k0 = eta / scale;
			for (let k = 0; k < x.index.length; k++) {
				const base = x.index[k] * nTopics;
				const xv = k0 * x.value[k];
				for (let t = 0; t < nTopics; t++) v[base + t] -= g[t] * xv;
			}
			for (let t = 0; t < nTopics; t++) bias[t] -= eta * g[t];
		}
	}
	const weights = Array.from({ length: nTopics }, () => new Float32Array(dim));
	for (let d = 0; d < dim; d++) {
		for (let t = 0; t < nTopics; t++) weights[t][d] = v[d * nTopics + t] * scale;
	}
	return { weights, bias };
}

function buildVocabulary(examples: readonly TopicExample[], minDf: number, positives: Map<string, number>) {
	const df = new Map<string, number>();
	for (const ex of examples) for (const term of ex.features.keys()) df.set(term, (df.get(term) ?? 0) + 1);
	const keep = new Set([...df.keys()].filter((t) => (df.get(t) ?? 0) >= minDf));
	// A topic confirmed fewer than minDf times would otherwise lose exactly the words that set it
	// apart (they occur only in its own example); keep every term of such examples.
	for (const ex of examples) {
		if (ex.topics.some((t) => (positives.get(t) ?? 0) < minDf)) for (const term of ex.features.keys()) keep.add(term);
	}
	// Examples sharing no words at all: learning from single occurrences beats learning nothing.
	const vocabulary = keep.size > 0 ? [...keep] : [...df.keys()];
	vocabulary.sort();
	const n = examples.length;
	const idf = new Float32Array(vocabulary.length);
	vocabulary.forEach((t, i) => {
		idf[i] = Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1;
	});
	const termIndex = new Map(vocabulary.map((t, i) => [t, i]));
	return { vocabulary, idf, termIndex };
}

/** Sublinear TF × IDF over known terms, L2-normalised; unknown terms are ignored. */
function vectorise(features: TermCounts, termIndex: Map<string, number>, idf: Float32Array): SparseVector {
	const idx: number[] = [];
	const val: number[] = [];
	let norm = 0;
	for (const [term, count] of features) {
		const i = termIndex.get(term);
		if (i === undefined || !(count > 0)) continue;
		const x = (1 + Math.log(count)) * idf[i];
		idx.push(i);
		val.push(x);
		norm += x * x;
	}
	const value = Float64Array.from(val);
	if (norm > 0) {
		const inv = 1 / Math.sqrt(norm);
		for (let k = 0; k < value.length; k++) value[k] *= inv;
	}
	return { index: Int32Array.from(idx), value };
}

function dot(w: Float32Array, x: SparseVector): number {
	let s = 0;
	for (let k = 0; k < x.index.length; k++) s += w[x.index[k]] * x.value[k];
	return s;
}

function sigmoid(z: number): number {
	return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** A small seeded PRNG (mulberry32): deterministic and good enough for shuffling. */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function shuffle<T>(items: T[], rand: () => number): void {
	for (let i = items.length - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[items[i], items[j]] = [items[j], items[i]];
	}
}

function packFloats(values: Float32Array): string {
	return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

function unpackFloats(packed: unknown, length: number, what: string): Float32Array {
	if (typeof packed !== 'string') throw new TopicModelError(`the stored topic model has no ${what}`);
	const bytes = Buffer.from(packed, 'base64');
	if (bytes.length !== length * 4) {
		throw new TopicModelError(`the stored topic model's ${what} do not match its vocabulary`);
	}
	// Copy: a Buffer may share a pool and be unaligned for a Float32Array view.
	const out = new Float32Array(length);
	new Uint8Array(out.buffer).set(bytes);
	return out;
}

/**
 * Text → bag of words for the topic classifier. English and Japanese share one path: the text is
 * NFKC-normalised and lower-cased, split into words by ICU's word segmenter (which handles Latin
 * text and Japanese alike, so mixed text needs no language switch), then English words are
 * stemmed and function words in both languages dropped.
 */

export interface FeatureOptions {
	/** How many times a title word counts compared with a body word (titles are short and on topic). */
	titleWeight: number;
	/** Body characters read; the start of an article says what it is about, and segmenting is the slow part. */
	maxBodyChars: number;
	/** Also count character bigrams inside runs of kanji/katakana, which catch compounds the segmenter splits. */
	cjkBigrams: boolean;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = {
	titleWeight: 3,
	maxBodyChars: 5000,
	cjkBigrams: false
};

/** The parts of an article the classifier reads. */
export interface TextInput {
	title: string;
	body?: string | null;
}

/** Term → weighted count. */
export type TermCounts = Map<string, number>;

// Intl.Segmenter objects are immutable and cheap to share; building one per call costs ~0.1 ms.
const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

/** Counts the terms of an article, title words weighted `titleWeight` times a body word. */
export function extractFeatures(input: TextInput, options: Partial<FeatureOptions> = {}): TermCounts {
	const opts = { ...DEFAULT_FEATURE_OPTIONS, ...options };
	const counts: TermCounts = new Map();
	addTerms(counts, input.title ?? '', opts.titleWeight, opts.cjkBigrams);
	const body = input.body ?? '';
	if (body) addTerms(counts, body.slice(0, Math.max(0, opts.maxBodyChars)), 1, opts.cjkBigrams);
	return counts;
}

/** Splits text into normalised, stemmed words with function words removed (in order, repeats kept). */
export function tokenize(text: string): string[] {
	const out: string[] = [];
	forEachWord(normalise(text), (w) => out.push(w));
	return out;
}

/** Calls `emit` with each term of the text (as tokenize gives it) and the word as written (lower case), for showing terms to people. */
export function forEachTerm(text: string, emit: (term: string, surface: string) => void): void {
	for (const part of segmenter.segment(normalise(text))) {
		if (!part.isWordLike) continue;
		const term = keepWord(part.segment);
		if (term) emit(term, part.segment);
	}
}

function addTerms(counts: TermCounts, raw: string, weight: number, bigrams: boolean): void {
	if (!raw || weight <= 0) return;
	const text = normalise(raw);
	const add = (term: string) => counts.set(term, (counts.get(term) ?? 0) + weight);
	forEachWord(text, add);
	if (bigrams) forEachCjkBigram(text, add);
}

function normalise(text: string): string {
	return text.normalize('NFKC').toLowerCase();
}

function forEachWord(text: string, emit: (word: string) => void): void {
	for (const part of segmenter.segment(text)) {
		if (!part.isWordLike) continue;
		const word = keepWord(part.segment);
		if (word) emit(word);
	}
}

const LATIN = /^[\p{Script=Latin}'’\-]+$/u;
const HAS_LETTER = /\p{L}/u;
const HIRAGANA_ONLY = /^\p{Script=Hiragana}+$/u;

/** The word as a term, or null when it carries no topic (numbers, function words, single letters). */
function keepWord(segment: string): string | null {
	if (!HAS_LETTER.test(segment)) return null;
	if (LATIN.test(segment)) {
		const word = segment.replace(/['’]s$/, '').replace(/['’]/g, '');
		if (word.length < 2 || EN_STOP.has(word)) return null;
		return stem(word);
	}
	// One- and two-kana hiragana words are almost all particles, auxiliaries and inflections.
	if (HIRAGANA_ONLY.test(segment) && segment.length <= 2) return null;
	if (JA_STOP.has(segment)) return null;
	return segment;
}

const CJK_CHAR = /[\p{Script=Han}\p{Script=Katakana}ー]/u;

function forEachCjkBigram(text: string, emit: (term: string) => void): void {
	let prev = '';
	for (const ch of text) {
		if (CJK_CHAR.test(ch)) {
			if (prev) emit('§' + prev + ch);
			prev = ch;
		} else {
			prev = '';
		}
	}
}

/**
 * A light English stemmer: folds plurals, -ing, -ed and -ly so that "election", "elections" and
 * "markets"/"market" meet. Over- or under-stemming matters little as long as it is consistent.
 */
export function stem(word: string): string {
	let w = word;
	if (w.length > 4 && w.endsWith('ies')) w = w.slice(0, -3) + 'y';
	else if (w.length > 4 && /(ss|sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
	else if (w.length > 3 && w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
	if (w.length > 5 && w.endsWith('ing')) w = undouble(w.slice(0, -3));
	else if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed')) w = undouble(w.slice(0, -2));
	else if (w.length > 5 && w.endsWith('ly')) w = w.slice(0, -2);
	return w;
}

function undouble(w: string): string {
	// "stopped" → "stopp" → "stop", but "falling" → "fall" keeps its ll (as does "passing").
	const n = w.length;
	if (n > 2 && w[n - 1] === w[n - 2] && !'lsz'.includes(w[n - 1])) return w.slice(0, -1);
	return w;
}

const EN_STOP = new Set(
	(
		'a about above after again against all also am an and any are as at be because been before being ' +
		'below between both but by can could did do does doing down during each few for from further had has ' +
		'have having he her here hers herself him himself his how however if in into is it its itself just ' +
		'me more most mr mrs ms my myself no nor not now of off on once only or other our ours ourselves out ' +
		'over own said same say says she should so some such than that the their theirs them themselves then ' +
		'there these they this those through to too under until up us very was we were what when where ' +
		'which while who whom why will with would you your yours yourself yourselves one two new year years ' +
		'told also may might must shall within without per via yet'
	).split(' ')
);

const JA_STOP = new Set(
	(
		'する いる ある なる れる られる こと もの ため よう これ それ あれ どれ ここ そこ ところ とき ' +
		'という として について による により において における に対して に関する および ならびに または ' +
		'しかし そして また さらに ただし なお つまり だから でも けれど ながら ほど ほか など まで から ' +
		'です ます でした ました ません でしょう だろう ください あり おり なり いう いっ なっ あっ でき ' +
		'できる られ させ しまう しまっ くれる くれ もらう もらっ みる みた いく いき 思う 思い 思っ ' +
		'さん 氏 等 的 年 月 日 時 分 人 今 中 後 前 者 上 下 方 側'
	).split(' ')
);

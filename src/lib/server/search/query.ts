/**
 * The query language shared by topic rules and the search box, the text normalisation shared by
 * indexing and querying, and an in-memory evaluator that is the reference for the database searches.
 *
 * Syntax (parseQuery)
 * - Words separated by whitespace must all match (AND). `AND`, `OR`, `NOT` are operators only in upper
 *   case, so "and"/"or" typed in lower case are searched for as words. `&` / `&&` and `|` / `||` mean AND
 *   and OR when they stand alone ("AT&T" stays a word). A leading `-` directly before a word, quote or
 *   parenthesis means NOT ("-求人"); a lone "-" or "--x" is punctuation.
 * - Precedence NOT > AND > OR: `a OR b c` is `a OR (b AND c)`; parentheses group.
 * - Phrases in "…", “…”, 「…」 or 『…』. A trailing `*` on a Latin word asks for a prefix of its stem
 *   ("econom*", "happy*" → stems starting "happi"; at least 2 characters). A `*` after a Japanese word
 *   changes nothing (Japanese terms are substrings already) and phrases take no `*`.
 * - Full-width forms typed with a Japanese IME (ＡＮＤ ＆ ｜ － （ ） ＂, full-width space) are folded by NFKC
 *   before operators are recognised. Japanese operator words (かつ, または, ではない) are NOT operators:
 *   they are ordinary words people search for, and Japanese search engines use OR and - too.
 * - Characters that are syntax in FTS5, SQL or tsquery (: ^ ' ; -- {} \ mid-word *, NEAR) are plain text
 *   here; inside a word they only separate tokens. Backends must build their queries from
 *   `termToIndexTokens` (letters, digits and marks only) and never from `text`, which is for display.
 * - A query that only excludes (`NOT x`, `-a -b`, `x OR NOT y`) is refused (`only_negative`): an index
 *   cannot answer it and, as a topic rule, it would claim nearly every article. Every AND therefore
 *   has a positive child and every OR only positive children, which is also exactly what FTS5's binary
 *   `a NOT b` can express.
 *
 * Tokens (normaliseText, tokensForIndex, indexTokenSequence)
 * This is the "FTS5 unicode61 over CJK bigrams" design measured in STACK.md § Search at 1,000,000
 * articles: exact Japanese substring counts including two-character words, at English-search speed.
 * - Text is NFKC-normalised (full-width Latin and digits become ASCII, half-width katakana full-width)
 *   and lower-cased. Hiragana and katakana stay distinct (ひらがな does not find ヒラガナ): folding them
 *   would merge different words and no Japanese news search does it. ー and 々 are kept as characters.
 * - Latin (and other space-separated scripts') words: letters/digits/marks, with internal apostrophes
 *   (possessive 's dropped, other apostrophes removed: o'neill → oneill). Latin-script words lose their
 *   diacritics (café → cafe) and pure a–z words are stemmed with Porter2 (porter2 1.1.0, MIT, pinned
 *   exactly because a different stem means a re-index), so rises/rising/rise share the stem "rise".
 * - A run of Han/Hiragana/Katakana (with ー) becomes its overlapping bigrams followed by its last
 *   character as a unigram: 自民党 → 自民 民党 党. The closing unigram makes a one-character query exact
 *   (党 = any token starting with 党: every occurrence is either the first character of a bigram or the
 *   end of a run) and stops a phrase of bigrams from matching across two runs.
 * - A query term or phrase becomes the same tokens, consecutive (an FTS5 phrase / tsquery `<->`), but the
 *   final run's closing unigram is left off so the match may continue: 広報 → [広報], 広報部 → [広報, 報部];
 *   a final one-character run is a prefix token (党 → 党*). A space inside a phrase is a run boundary.
 * - A document is its title and its body as two fields (two FTS5 columns): a phrase never spans them.
 * Every token consists only of letters, digits and marks, so unicode61 (remove_diacritics 0) or
 * PostgreSQL's 'simple' parser keeps each token whole when the tokens are stored joined by spaces.
 */
import { stem } from 'porter2';

/** Changes whenever the same text would produce different tokens; an index built with another version must be rebuilt. */
export const TOKENIZER_VERSION = 1;

export const QUERY_LIMITS = {
	/** Default for parseQuery's maxLength; topic rules may pass a larger one. */
	maxLength: 1000,
	/** Words and phrases in one query: FTS5 and tsquery handle this many comfortably. */
	maxTerms: 200,
	/** Nested parentheses: keeps the recursive parser and the backends' SQL shallow. */
	maxDepth: 20,
	/** Characters before a prefix `*`: "a*" would expand to most of the index. */
	minPrefix: 2
} as const;

export interface TermNode {
	type: 'term';
	/** What the user typed (NFKC), for display only; backends use termToIndexTokens. */
	text: string;
	lang: 'ja' | 'latin';
	prefix?: boolean;
}
export interface PhraseNode {
	type: 'phrase';
	/** The quoted text (NFKC, whitespace collapsed), for display only. */
	text: string;
}
export interface AndNode {
	type: 'and';
	children: QueryNode[];
}
export interface OrNode {
	type: 'or';
	children: QueryNode[];
}
export interface NotNode {
	type: 'not';
	child: QueryNode;
}
export type QueryNode = TermNode | PhraseNode | AndNode | OrNode | NotNode;

export type QueryErrorCode =
	| 'empty'
	| 'too_long'
	| 'too_complex'
	| 'unbalanced_quote'
	| 'unbalanced_paren'
	| 'empty_group'
	| 'empty_phrase'
	| 'dangling_operator'
	| 'only_negative'
	| 'prefix_too_short';

export interface QueryError {
	code: QueryErrorCode;
	/** English explanation; the UI translates `code` with describeQueryError. */
	message: string;
	/** UTF-16 index into the text given to parseQuery where the problem is (text.slice(position)). */
	position: number;
}

export type ParsedQuery = { ok: true; ast: QueryNode } | { ok: false; error: QueryError };

/** A term or phrase as index tokens: all must occur consecutively; the last one is a prefix when prefixLast. */
export interface TokenPhrase {
	tokens: string[];
	prefixLast: boolean;
}

// ---------------------------------------------------------------------------------------------
// Normalisation and tokens

const CJK_CLASS = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30FC`;
const WORD_CLASS = String.raw`[[\p{L}\p{N}\p{M}]--[${CJK_CLASS}]]`;
// The pieces of a text are, in order, the matches of
//   ([${CJK_CLASS}]+)|(${WORD_CLASS}+(?:['’]${WORD_CLASS}+)*)
// (a CJK run, or a word whose parts are joined by apostrophes). `scan` finds exactly these, one
// character-class look-up per character instead of a match object and substrings per piece, for the
// import's sake; tokenizer.spec.ts holds it to this regexp on the real corpora.
// Built from strings because the `v` flag (set subtraction) postdates the TypeScript target.
const CJK_CHAR_RE = new RegExp(`[${CJK_CLASS}]`, 'v');
const WORD_CLASS_RE = new RegExp(`^${WORD_CLASS}$`, 'v');
const ASCII_WORD_RE = /^[a-z]+$/;
const ASCII_ALNUM_RE = /^[a-z0-9]+$/;
const LATIN_SCRIPT_RE = /^[\p{sc=Latin}\p{N}\p{M}'’]+$/u;
const APOSTROPHES_RE = /['’]/g;
const MARKS_RE = /\p{M}/gu;

/** NFKC + lower case: the one normalisation applied to indexed text and to query text alike. */
export function normaliseText(s: string): string {
	return s.normalize('NFKC').toLowerCase();
}

/** Folds one Latin word (already lower-cased) to what is stemmed: no apostrophes, no Latin diacritics. */
function foldLatin(word: string): string {
	if (ASCII_ALNUM_RE.test(word)) return word;
	let w = word;
	if (w.endsWith("'s") || w.endsWith('’s')) w = w.slice(0, -2);
	w = w.replace(APOSTROPHES_RE, '');
	// Only Latin script loses its marks: in Devanagari or Thai a mark is part of the letter.
	if (LATIN_SCRIPT_RE.test(w)) w = w.normalize('NFD').replace(MARKS_RE, '');
	return w;
}

/** The index token of a Latin word ('' when nothing of it is left to index). */
function latinToken(folded: string): string {
	return ASCII_WORD_RE.test(folded) ? stem(folded) : folded;
}

const SEP = 0;
const WORD = 1;
const CJK = 2;
/** Not in the table: a surrogate (its class is that of the code point it is part of), or a character not yet met. */
const LOOKUP = 3;
/**
 * The class of each UTF-16 code unit, filled in as characters are met: a text uses a few thousand
 * distinct characters at most, and classifying all 65,536 up front took 10–50 ms.
 */
const bmpClasses = new Uint8Array(0x10000).fill(LOOKUP);
const astralClasses = new Map<number, number>();

function codePointClass(cp: number): number {
	const ch = String.fromCodePoint(cp);
	return CJK_CHAR_RE.test(ch) ? CJK : WORD_CLASS_RE.test(ch) ? WORD : SEP;
}

/** The class of the character at s[i] when the table says LOOKUP; a lone surrogate separates. */
function lookUpClassAt(s: string, i: number): number {
	const c = s.charCodeAt(i);
	if (c < 0xd800 || c > 0xdfff) {
		const k = codePointClass(c);
		bmpClasses[c] = k;
		return k;
	}
	const lo = s.charCodeAt(i + 1);
	if (c > 0xdbff || !(lo >= 0xdc00 && lo <= 0xdfff)) return SEP;
	const cp = (c - 0xd800) * 0x400 + (lo - 0xdc00) + 0x10000;
	let k = astralClasses.get(cp);
	if (k === undefined) {
		k = codePointClass(cp);
		// Bounded: text is free to use any of the million astral code points.
		if (astralClasses.size >= 10_000) astralClasses.clear();
		astralClasses.set(cp, k);
	}
	return k;
}

/** UTF-16 units of the character at s[i], given that it is a word or CJK character: 2 for a surrogate pair. */
function widthAt(s: string, i: number): number {
	const c = s.charCodeAt(i);
	return c >= 0xd800 && c <= 0xdbff ? 2 : 1;
}

/** Receives the pieces of a normalised text from `scan`, in order. */
interface PieceSink {
	/**
	 * A Latin word s.slice(start, end); `form` 0: only a–z, 1: only a–z and 0–9 with a digit, 2: anything
	 * else; `hash` of its UTF-16 units (FNV-1a), so that a memo can look it up without slicing it.
	 */
	latin(s: string, start: number, end: number, form: number, hash: number): void;
	/** A CJK run s.slice(start, end); `bmp` when it has no surrogate pair (one UTF-16 unit per character). */
	cjk(s: string, start: number, end: number, bmp: boolean): void;
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

function isWordAt(s: string, i: number): boolean {
	const k = bmpClasses[s.charCodeAt(i)];
	return k === WORD || (k === LOOKUP && lookUpClassAt(s, i) === WORD);
}

/** Splits normalised text into Latin words and CJK runs, in order (the regexp above, by hand). */
function scan(s: string, sink: PieceSink): void {
	const classes = bmpClasses;
	const n = s.length;
	let i = 0;
	while (i < n) {
		let k = classes[s.charCodeAt(i)];
		if (k === LOOKUP) k = lookUpClassAt(s, i);
		if (k === SEP) {
			// A separating pair is passed over one half at a time: its low half is a lone surrogate here.
			i++;
			continue;
		}
		let j = i;
		if (k === CJK) {
			let bmp = true;
			while (j < n) {
				const kj = classes[s.charCodeAt(j)];
				if (kj === CJK) j++;
				else if (kj === LOOKUP && lookUpClassAt(s, j) === CJK) {
					const w = widthAt(s, j);
					if (w === 2) bmp = false;
					j += w;
				} else break;
			}
			sink.cjk(s, i, j, bmp);
		} else {
			let form = 0;
			let hash = FNV_OFFSET;
			for (;;) {
				while (j < n) {
					const c = s.charCodeAt(j);
					if (c >= 97 && c <= 122) j++;
					else if (c >= 48 && c <= 57) {
						if (form === 0) form = 1;
						j++;
					} else {
						const kj = classes[c];
						if (kj === WORD) j++;
						else if (kj === LOOKUP && lookUpClassAt(s, j) === WORD) {
							if (widthAt(s, j) === 2) hash = Math.imul(hash ^ c, FNV_PRIME);
							j += widthAt(s, j);
						} else break;
						form = 2;
					}
					hash = Math.imul(hash ^ s.charCodeAt(j - 1), FNV_PRIME);
				}
				// An apostrophe followed by a word character joins the two (o'neill, don’t).
				const a = j + 1 < n ? s.charCodeAt(j) : 0;
				if ((a === 0x27 || a === 0x2019) && isWordAt(s, j + 1)) {
					form = 2;
					hash = Math.imul(hash ^ a, FNV_PRIME);
					j++;
				} else break;
			}
			sink.latin(s, i, j, form, hash);
		}
		i = j;
	}
}

type Piece = { kind: 'latin'; token: string; folded: string } | { kind: 'cjk'; chars: string[] };

/** Splits normalised text into Latin tokens and CJK runs, in order. */
function pieces(normalised: string): Piece[] {
	const out: Piece[] = [];
	scan(normalised, {
		latin(s, start, end) {
			const folded = foldLatin(s.slice(start, end));
			if (folded) out.push({ kind: 'latin', token: latinToken(folded), folded });
		},
		cjk(s, start, end) {
			out.push({ kind: 'cjk', chars: Array.from(s.slice(start, end)) });
		}
	});
	return out;
}

function pushRun(out: string[], chars: string[], closingUnigram: boolean): void {
	for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
	if (closingUnigram) out.push(chars[chars.length - 1]);
}

// Memos for indexing. News vocabulary repeats heavily, so most words are stemmed and most CJK
// tokens made once; sharing one string per token also spares the garbage collector the ~1,000
// strings a Japanese article would otherwise add to every import batch. Both are bounded.
const WORD_MEMO_BITS = 17;
const WORD_MEMO_SIZE = 1 << WORD_MEMO_BITS;
/** Open addressing on the scan's hash: a word is found without slicing it out of the text ('' is empty). */
const wordKeys: string[] = new Array<string>(WORD_MEMO_SIZE).fill('');
const wordValues: string[] = new Array<string>(WORD_MEMO_SIZE).fill('');
const wordHashes = new Int32Array(WORD_MEMO_SIZE);
let wordCount = 0;
const CJK_MEMO_BITS = 17;
const CJK_MEMO_SIZE = 1 << CJK_MEMO_BITS;
/** Open addressing: key = first char code × 65536 + second (0 for a single character); 0 is empty. */
const cjkKeys = new Uint32Array(CJK_MEMO_SIZE);
const cjkValues: string[] = new Array<string>(CJK_MEMO_SIZE).fill('');
let cjkCount = 0;

/** The index token of the Latin word s.slice(start, end) as `scan` found it (see PieceSink.latin). */
function memoLatinToken(s: string, start: number, end: number, form: number, hash: number): string {
	// A word with digits is its own token, and numbers are too varied to be worth remembering.
	if (form === 1) return s.slice(start, end);
	const length = end - start;
	let h = Math.imul(hash, 0x9e3779b1) >>> (32 - WORD_MEMO_BITS);
	for (;;) {
		const w = wordKeys[h];
		if (w === '') break;
		if (wordHashes[h] === hash && w.length === length) {
			// A loop beats s.startsWith(w, start) here: words are short and the call is not inlined.
			let k = 0;
			while (k < length && w.charCodeAt(k) === s.charCodeAt(start + k)) k++;
			if (k === length) return wordValues[h];
		}
		h = (h + 1) & (WORD_MEMO_SIZE - 1);
	}
	const word = s.slice(start, end);
	const token = form === 0 ? stem(word) : latinToken(foldLatin(word));
	if (wordCount >= (WORD_MEMO_SIZE * 3) / 4) {
		// Full: start again rather than let probing slow down.
		wordKeys.fill('');
		wordValues.fill('');
		wordCount = 0;
		return token;
	}
	wordKeys[h] = word;
	wordValues[h] = token;
	wordHashes[h] = hash;
	wordCount++;
	return token;
}

/** The token of the CJK bigram s[i] s[i+1], or of the one character s[i] when !pair (BMP characters). */
function cjkToken(s: string, i: number, pair: boolean): string {
	const key = s.charCodeAt(i) * 65536 + (pair ? s.charCodeAt(i + 1) : 0);
	let h = Math.imul(key, 0x9e3779b1) >>> (32 - CJK_MEMO_BITS);
	for (;;) {
		const k = cjkKeys[h];
		if (k === key) return cjkValues[h];
		if (k === 0) break;
		h = (h + 1) & (CJK_MEMO_SIZE - 1);
	}
	const token = s.substring(i, pair ? i + 2 : i + 1);
	if (cjkCount >= (CJK_MEMO_SIZE * 3) / 4) {
		// Full: start again rather than let probing slow down.
		cjkKeys.fill(0);
		cjkValues.fill('');
		cjkCount = 0;
		return token;
	}
	cjkKeys[h] = key;
	cjkValues[h] = token;
	cjkCount++;
	return token;
}

/**
 * Collects index tokens in `buffer[0..count)`, reused from text to text (tokenising is synchronous):
 * writing into a grown array and copying it out once beats growing a new array token by token.
 * When `utf8` is on, it also writes the tokens joined by spaces as UTF-8 into `bytes[0..length)`.
 */
const indexSink: PieceSink & { buffer: string[]; count: number; utf8: boolean; bytes: Uint8Array; length: number } = {
	buffer: [],
	count: 0,
	utf8: false,
	bytes: new Uint8Array(1 << 16),
	length: 0,
	latin(s, start, end, form, hash) {
		const token = memoLatinToken(s, start, end, form, hash);
		if (!token) return;
		this.buffer[this.count++] = token;
		if (this.utf8) writeUtf8(token);
	},
	cjk(s, start, end, bmp) {
		const buffer = this.buffer;
		let count = this.count;
		if (!bmp) {
			const run: string[] = [];
			pushRun(run, Array.from(s.slice(start, end)), true);
			for (const t of run) buffer[count++] = t;
		} else {
			for (let i = start; i + 1 < end; i++) buffer[count++] = cjkToken(s, i, true);
			buffer[count++] = cjkToken(s, end - 1, false);
		}
		if (this.utf8) for (let k = this.count; k < count; k++) writeUtf8(buffer[k]);
		this.count = count;
	}
};

/** Appends a token and a space to indexSink.bytes as UTF-8 (tokens hold no lone surrogates). */
function writeUtf8(token: string): void {
	const sink = indexSink;
	// At most 3 bytes per UTF-16 unit, and the space.
	if (sink.length + token.length * 3 + 1 > sink.bytes.length) {
		const grown = new Uint8Array(Math.max(sink.bytes.length * 2, sink.length + token.length * 3 + 1));
		grown.set(sink.bytes.subarray(0, sink.length));
		sink.bytes = grown;
	}
	const b = sink.bytes;
	let n = sink.length;
	for (let k = 0; k < token.length; k++) {
		const c = token.charCodeAt(k);
		if (c < 0x80) b[n++] = c;
		else if (c < 0x800) {
			b[n++] = 0xc0 | (c >> 6);
			b[n++] = 0x80 | (c & 0x3f);
		} else if (c >= 0xd800 && c <= 0xdbff) {
			const cp = (c - 0xd800) * 0x400 + (token.charCodeAt(++k) - 0xdc00) + 0x10000;
			b[n++] = 0xf0 | (cp >> 18);
			b[n++] = 0x80 | ((cp >> 12) & 0x3f);
			b[n++] = 0x80 | ((cp >> 6) & 0x3f);
			b[n++] = 0x80 | (cp & 0x3f);
		} else {
			b[n++] = 0xe0 | (c >> 12);
			b[n++] = 0x80 | ((c >> 6) & 0x3f);
			b[n++] = 0x80 | (c & 0x3f);
		}
	}
	b[n++] = 0x20;
	sink.length = n;
}

function collectTokens(text: string, utf8: boolean): string[] {
	const sink = indexSink;
	sink.count = 0;
	sink.length = 0;
	sink.utf8 = utf8;
	scan(normaliseText(text), sink);
	return sink.buffer.slice(0, sink.count);
}

/** Lets go of a huge text's buffers (and the tokens they hold) rather than keep them for the next text. */
function trimSink(): void {
	if (indexSink.buffer.length > 65_536) indexSink.buffer = [];
	if (indexSink.bytes.length > 1 << 20) indexSink.bytes = new Uint8Array(1 << 16);
}

/** The tokens of a text in order, as an index stores them (Latin stems, CJK bigrams + closing unigram per run). */
export function indexTokenSequence(text: string): string[] {
	try {
		return collectTokens(text, false);
	} finally {
		trimSink();
	}
}

/**
 * indexTokenSequence, and the same tokens joined by single spaces as UTF-8 (what an FTS5 column is
 * given), written in the same pass: joining ~1,000 strings per Japanese article and converting the
 * result to UTF-8 again for SQLite cost more than tokenising the article did.
 */
export function indexTokensWithText(text: string): { tokens: string[]; utf8: Uint8Array } {
	try {
		const tokens = collectTokens(text, true);
		// The last token's space is left out.
		return { tokens, utf8: indexSink.bytes.slice(0, Math.max(0, indexSink.length - 1)) };
	} finally {
		trimSink();
	}
}

/** A text's index tokens split by kind: stemmed Latin words, and CJK bigrams (each run also ends with its last character). */
export function tokensForIndex(text: string): { latin: string[]; cjkBigrams: string[] } {
	const latin: string[] = [];
	const cjkBigrams: string[] = [];
	for (const p of pieces(normaliseText(text))) {
		if (p.kind === 'latin') latin.push(p.token);
		else pushRun(cjkBigrams, p.chars, true);
	}
	return { latin, cjkBigrams };
}

/** The key a Latin prefix is matched with: the stem of what was typed, since stems are what the index holds. */
function prefixKey(typed: string): string {
	// "happy*" must look for "happi" (happy, happiness, happier) and "running*" for "run"; the
	// untouched "happy" would miss "happy" itself, and a common prefix "happ" would find "happen".
	return ASCII_WORD_RE.test(typed) ? stem(typed) : typed;
}

/** The index tokens a query term or phrase must match consecutively (see the module comment). */
export function termToIndexTokens(node: TermNode | PhraseNode | string): TokenPhrase {
	const text = typeof node === 'string' ? node : node.text;
	const wantsPrefix = typeof node !== 'string' && node.type === 'term' && node.prefix === true;
	const ps = pieces(normaliseText(text));
	const tokens: string[] = [];
	let prefixLast = false;
	ps.forEach((p, i) => {
		const last = i === ps.length - 1;
		if (p.kind === 'latin') {
			if (last && wantsPrefix) {
				tokens.push(prefixKey(p.folded));
				prefixLast = true;
			} else tokens.push(p.token);
		} else if (!last) pushRun(tokens, p.chars, true);
		else if (p.chars.length === 1) {
			tokens.push(p.chars[0]);
			prefixLast = true;
		} else pushRun(tokens, p.chars, false);
	});
	return { tokens, prefixLast };
}

// ---------------------------------------------------------------------------------------------
// Lexer

type Lexeme =
	| { kind: 'word'; pos: number; text: string; prefix: boolean }
	| { kind: 'phrase'; pos: number; text: string }
	| { kind: 'and' | 'or' | 'not' | 'lparen' | 'rparen'; pos: number };

const QUOTE_PAIRS = new Map([
	['"', '"'],
	['「', '」'],
	['『', '』'],
	['“', '”']
]);
const STRAY_CLOSERS = new Set(['」', '』', '”']);
const WHITESPACE_RE = /[\s\p{Cc}]/u;
const WORD_START_RE = /[\p{L}\p{N}]/u;
// Tested one UTF-16 unit at a time; surrogate halves count as word characters so that trimming
// punctuation never splits a character outside the BMP (𠮷).
const WORD_CHAR_RE = /[\p{L}\p{N}\p{M}\uD800-\uDFFF]/u;
const OPERATOR_WORDS = new Set(['AND', 'OR', 'NOT', '&', '&&', '|', '||']);

class QuerySyntaxError extends Error {
	constructor(
		readonly code: QueryErrorCode,
		readonly position: number
	) {
		super(code);
	}
}

/** NFKC per code point, with a map from each normalised UTF-16 index back to the original index. */
function normaliseWithMap(text: string): { norm: string; origAt: number[] } {
	let norm = '';
	const origAt: number[] = [];
	let i = 0;
	for (const cp of text) {
		const n = cp.normalize('NFKC');
		norm += n;
		for (let k = 0; k < n.length; k++) origAt.push(i);
		i += cp.length;
	}
	origAt.push(text.length);
	return { norm, origAt };
}

function isBoundary(ch: string | undefined): boolean {
	return ch === undefined || WHITESPACE_RE.test(ch) || ch === '(' || ch === ')' || QUOTE_PAIRS.has(ch) || STRAY_CLOSERS.has(ch);
}

function lex(text: string): Lexeme[] {
	const { norm, origAt } = normaliseWithMap(text);
	const out: Lexeme[] = [];
	let depth = 0;
	const open: number[] = [];
	let j = 0;
	while (j < norm.length) {
		const ch = norm[j];
		const pos = origAt[j];
		if (WHITESPACE_RE.test(ch)) {
			j++;
		} else if (ch === '(') {
			out.push({ kind: 'lparen', pos });
			open.push(pos);
			if (++depth > QUERY_LIMITS.maxDepth) throw new QuerySyntaxError('too_complex', pos);
			j++;
		} else if (ch === ')') {
			if (depth === 0) throw new QuerySyntaxError('unbalanced_paren', pos);
			depth--;
			open.pop();
			out.push({ kind: 'rparen', pos });
			j++;
		} else if (QUOTE_PAIRS.has(ch)) {
			const close = norm.indexOf(QUOTE_PAIRS.get(ch)!, j + 1);
			if (close < 0) throw new QuerySyntaxError('unbalanced_quote', pos);
			const inner = norm.slice(j + 1, close).normalize('NFKC').replace(/[\s\p{Cc}]+/gu, ' ').trim();
			if (termToIndexTokens(inner).tokens.length === 0) throw new QuerySyntaxError('empty_phrase', pos);
			out.push({ kind: 'phrase', pos, text: inner });
			j = close + 1;
		} else if (STRAY_CLOSERS.has(ch)) {
			throw new QuerySyntaxError('unbalanced_quote', pos);
		} else {
			let end = j;
			while (end < norm.length && !isBoundary(norm[end])) end++;
			let word = norm.slice(j, end);
			let start = j;
			j = end;
			if (word === 'AND' || word === '&' || word === '&&') {
				out.push({ kind: 'and', pos });
				continue;
			}
			if (word === 'OR' || word === '|' || word === '||') {
				out.push({ kind: 'or', pos });
				continue;
			}
			if (word === 'NOT') {
				out.push({ kind: 'not', pos });
				continue;
			}
			if (word.startsWith('-')) {
				// "-word", or "-" glued to a following quote or parenthesis, excludes; "- x" and "--x" do not.
				const glued = word === '-' && end < norm.length && (norm[end] === '(' || QUOTE_PAIRS.has(norm[end]));
				// "-AND" stays a word, so a term spelt like an operator can still be printed and read back.
				const rest = word.slice(1);
				if ((glued || WORD_START_RE.test(rest[0] ?? '')) && !OPERATOR_WORDS.has(rest)) {
					out.push({ kind: 'not', pos });
					word = word.slice(1);
					start++;
					if (!word) continue;
				}
			}
			// Punctuation around a word ("{x", "articles;", "rat*,") is dropped from what is shown; a `*`
			// among the trailing punctuation asks for a prefix. A word whose core is an operator keeps its
			// punctuation, so that printing it and reading it back cannot turn it into an operator.
			let lead = 0;
			while (lead < word.length && !WORD_CHAR_RE.test(word[lead])) lead++;
			let tail = word.length;
			while (tail > lead && !WORD_CHAR_RE.test(word[tail - 1])) tail--;
			const trail = word.slice(tail);
			const core = word.slice(lead, tail);
			let prefix: boolean;
			if (OPERATOR_WORDS.has(core)) {
				prefix = word.endsWith('*');
				word = word.replace(/\*+$/, '');
			} else {
				prefix = trail.includes('*');
				word = core;
				start += lead;
			}
			const display = word.normalize('NFKC');
			const ps = pieces(normaliseText(display));
			if (ps.length === 0) continue; // punctuation only: a separator, as in indexed text
			// A Japanese term is already open-ended (a substring), so `*` only means something after a Latin word.
			const latinPrefix = prefix && ps[ps.length - 1].kind === 'latin';
			if (latinPrefix) {
				const { tokens } = termToIndexTokens({ type: 'term', text: display, lang: 'latin', prefix: true });
				if ([...tokens[tokens.length - 1]].length < QUERY_LIMITS.minPrefix) throw new QuerySyntaxError('prefix_too_short', origAt[start]);
			}
			out.push({ kind: 'word', pos: origAt[start], text: display, prefix: latinPrefix });
		}
	}
	if (open.length > 0) throw new QuerySyntaxError('unbalanced_paren', open[open.length - 1]);
	return out;
}

// ---------------------------------------------------------------------------------------------
// Parser

class Parser {
	private i = 0;
	private terms = 0;
	readonly starts = new WeakMap<QueryNode, number>();

	constructor(
		private readonly lexemes: Lexeme[],
		private readonly endPos: number
	) {}

	parse(): QueryNode {
		if (this.lexemes.length === 0) throw new QuerySyntaxError('empty', 0);
		const node = this.parseOr();
		const rest = this.peek();
		// The lexer pairs parentheses, so anything left over is a ")" the parser could not use.
		if (rest) throw new QuerySyntaxError('unbalanced_paren', rest.pos);
		return node;
	}

	private peek(): Lexeme | undefined {
		return this.lexemes[this.i];
	}

	private startsOperand(l: Lexeme | undefined): boolean {
		return l !== undefined && (l.kind === 'word' || l.kind === 'phrase' || l.kind === 'lparen' || l.kind === 'not');
	}

	private parseOr(): QueryNode {
		const first = this.peek();
		if (first && (first.kind === 'or' || first.kind === 'and')) throw new QuerySyntaxError('dangling_operator', first.pos);
		const children = [this.parseAnd()];
		for (let l = this.peek(); l?.kind === 'or'; l = this.peek()) {
			this.i++;
			if (!this.startsOperand(this.peek())) throw new QuerySyntaxError('dangling_operator', l.pos);
			children.push(this.parseAnd());
		}
		return this.combine('or', children);
	}

	private parseAnd(): QueryNode {
		const children = [this.parseUnary()];
		for (;;) {
			const l = this.peek();
			if (l?.kind === 'and') {
				this.i++;
				if (!this.startsOperand(this.peek())) throw new QuerySyntaxError('dangling_operator', l.pos);
			} else if (!this.startsOperand(l)) break;
			children.push(this.parseUnary());
		}
		return this.combine('and', children);
	}

	private parseUnary(): QueryNode {
		let negations = 0;
		let firstNot = -1;
		for (let l = this.peek(); l?.kind === 'not'; l = this.peek()) {
			if (firstNot < 0) firstNot = l.pos;
			this.i++;
			negations++;
			if (!this.startsOperand(this.peek())) throw new QuerySyntaxError('dangling_operator', l.pos);
		}
		const operand = this.parsePrimary();
		if (negations % 2 === 0) return operand;
		if (operand.type === 'not') return operand.child;
		const node: NotNode = { type: 'not', child: operand };
		this.starts.set(node, firstNot);
		return node;
	}

	private parsePrimary(): QueryNode {
		const l = this.peek();
		if (!l) throw new QuerySyntaxError('dangling_operator', this.endPos);
		this.i++;
		if (l.kind === 'word' || l.kind === 'phrase') {
			if (++this.terms > QUERY_LIMITS.maxTerms) throw new QuerySyntaxError('too_complex', l.pos);
			const node: QueryNode =
				l.kind === 'word'
					? { type: 'term', text: l.text, lang: CJK_CHAR_RE.test(l.text) ? 'ja' : 'latin', ...(l.prefix ? { prefix: true } : {}) }
					: { type: 'phrase', text: l.text };
			this.starts.set(node, l.pos);
			return node;
		}
		if (l.kind === 'lparen') {
			if (this.peek()?.kind === 'rparen') throw new QuerySyntaxError('empty_group', l.pos);
			const inner = this.parseOr();
			const close = this.peek();
			if (close?.kind !== 'rparen') throw new QuerySyntaxError('unbalanced_paren', l.pos);
			this.i++;
			return inner;
		}
		// An operator where a word belongs: name the operator that is missing its operand.
		throw new QuerySyntaxError(l.kind === 'rparen' ? 'unbalanced_paren' : 'dangling_operator', l.pos);
	}

	private combine(type: 'and' | 'or', children: QueryNode[]): QueryNode {
		if (children.length === 1) return children[0];
		const flat: QueryNode[] = [];
		for (const c of children) {
			if (c.type === type) flat.push(...c.children);
			else flat.push(c);
		}
		const node = { type, children: flat } as AndNode | OrNode;
		this.starts.set(node, this.starts.get(children[0]) ?? 0);
		return node;
	}
}

/** True when an index can find the query's matches: it names something to find on every path. */
function isPositive(node: QueryNode): boolean {
	switch (node.type) {
		case 'term':
		case 'phrase':
			return true;
		case 'not':
			return false;
		case 'and':
			return node.children.some(isPositive);
		case 'or':
			return node.children.every(isPositive);
	}
}

/** Where the part of a non-positive node that makes it unanswerable starts. */
function locateNegative(node: QueryNode, starts: WeakMap<QueryNode, number>): number {
	if (node.type === 'and') return locateNegative(node.children[0], starts);
	if (node.type === 'or') return locateNegative(node.children.find((c) => !isPositive(c)) ?? node.children[0], starts);
	return starts.get(node) ?? 0;
}

/** Parses a topic rule or search-box query into an AST, or explains (code, position, English message) why it cannot. */
export function parseQuery(text: string, options: { maxLength?: number } = {}): ParsedQuery {
	const maxLength = options.maxLength ?? QUERY_LIMITS.maxLength;
	try {
		if (text.length > maxLength) throw new QuerySyntaxError('too_long', maxLength);
		const parser = new Parser(lex(text), text.length);
		const ast = parser.parse();
		if (!isPositive(ast)) throw new QuerySyntaxError('only_negative', locateNegative(ast, parser.starts));
		return { ok: true, ast };
	} catch (e) {
		if (!(e instanceof QuerySyntaxError)) throw e;
		return {
			ok: false,
			error: { code: e.code, position: e.position, message: describeQueryError(e.code, 'en', { position: e.position, maxLength }) }
		};
	}
}

// ---------------------------------------------------------------------------------------------
// Messages and printing

const MESSAGES: Record<QueryErrorCode, { en: string; ja: string }> = {
	empty: {
		en: 'There is nothing to search for: type at least one word.',
		ja: '検索する語がありません。語を1つ以上入力してください。'
	},
	too_long: {
		en: 'The query is too long: keep it to {max} characters or fewer.',
		ja: '検索式が長すぎます。{max}文字以内にしてください。'
	},
	too_complex: {
		en: `The query is too complex: use at most ${QUERY_LIMITS.maxTerms} words and phrases and at most ${QUERY_LIMITS.maxDepth} levels of parentheses.`,
		ja: `検索式が複雑すぎます。語と語句は${QUERY_LIMITS.maxTerms}個まで、括弧の入れ子は${QUERY_LIMITS.maxDepth}段までにしてください。`
	},
	unbalanced_quote: {
		en: 'A quotation mark is not paired: every opening quote (" “ 「 『) needs its closing partner (" ” 」 』).',
		ja: '引用符の対応が取れていません。開き（" “ 「 『）と閉じ（" ” 」 』）を組にしてください。'
	},
	unbalanced_paren: {
		en: 'The parentheses do not pair up: every ( needs a matching ).',
		ja: '括弧の対応が取れていません。「(」には対になる「)」が必要です。'
	},
	empty_group: {
		en: 'A pair of parentheses is empty: put words inside it or remove it.',
		ja: '括弧の中が空です。語を入れるか、括弧を削除してください。'
	},
	empty_phrase: {
		en: 'A quoted phrase has no words in it.',
		ja: '引用符で囲んだ語句に語が含まれていません。'
	},
	dangling_operator: {
		en: 'An operator is missing a word: AND, OR, & and | need a word on each side, NOT and - a word after them.',
		ja: '演算子の前後に語がありません。AND・OR・&・| は両側に、NOT・- は後ろに語が必要です。'
	},
	only_negative: {
		en: 'The query only says what to exclude: NOT and - can narrow what other words find, so add a word to find (every OR alternative needs one too).',
		ja: '除外する語しか指定されていません。NOT や - は他の語で見つけた結果を絞り込むものです。探す語を加えてください（OR の各選択肢にも必要です）。'
	},
	prefix_too_short: {
		en: `A word ending in * needs at least ${QUERY_LIMITS.minPrefix} letters before the *.`,
		ja: `* で終わる語は、* の前に${QUERY_LIMITS.minPrefix}文字以上必要です。`
	}
};

/** A query error explained in English or Japanese, naming where it is when a position is given. */
export function describeQueryError(
	code: QueryErrorCode,
	lang: 'en' | 'ja',
	context: { position?: number; maxLength?: number } = {}
): string {
	const base = MESSAGES[code][lang].replace('{max}', String(context.maxLength ?? QUERY_LIMITS.maxLength));
	if (context.position === undefined || code === 'empty' || code === 'too_long') return base;
	const at = context.position + 1;
	return lang === 'en' ? `${base} (at character ${at})` : `${base}（${at}文字目）`;
}

function printPhrase(text: string): string {
	// The lexer ends a phrase at its own closing mark, so one of these never occurs inside the text.
	for (const [open, close] of [['"', '"'], ['「', '」'], ['『', '』'], ['“', '”']]) {
		if (!text.includes(close)) return open + text + close;
	}
	return `"${text.replaceAll('"', ' ')}"`;
}

function printNode(node: QueryNode, nested: boolean): string {
	switch (node.type) {
		case 'term':
			return node.text + (node.prefix ? '*' : '');
		case 'phrase':
			return printPhrase(node.text);
		case 'not':
			return `NOT ${printNode(node.child, true)}`;
		case 'and':
		case 'or': {
			const s = node.children.map((c) => printNode(c, true)).join(node.type === 'and' ? ' AND ' : ' OR ');
			return nested ? `(${s})` : s;
		}
	}
}

/** The query in a normalised, explicit form for the UI, e.g. `(広報 OR PR) AND NOT 求人`; parseQuery reads it back to the same AST. */
export function explainQuery(ast: QueryNode): string {
	return printNode(ast, false);
}

// ---------------------------------------------------------------------------------------------
// In-memory evaluation

/** A document tokenised once, so many rules can be applied to it cheaply. */
export class PreparedDocument {
	/** Title tokens, one empty gap, body tokens: the gap keeps phrases inside one field. */
	readonly sequence: readonly string[];
	/** Each distinct token's first position; `next` chains on to its later positions (-1 ends). */
	private readonly first = new Map<string, number>();
	private readonly next: Int32Array;
	private byFirstChar: Map<string, string[]> | undefined;

	/** Takes the indexTokenSequence of title and body, so an importer that indexes them need not tokenise twice. */
	constructor(titleTokens: readonly string[], bodyTokens: readonly string[]) {
		const sequence = [...titleTokens, '', ...bodyTokens];
		this.sequence = sequence;
		// Chained positions built back to front: one map look-up per token and no array per distinct token.
		this.next = new Int32Array(sequence.length);
		for (let i = sequence.length - 1; i >= 0; i--) {
			const t = sequence[i];
			if (!t) continue;
			this.next[i] = this.first.get(t) ?? -1;
			this.first.set(t, i);
		}
	}

	/** Whether any token starts with key (key is never empty). */
	hasPrefix(key: string): boolean {
		// Grouping by first character, once and only when a prefix is first asked for, is cheaper than
		// sorting a Japanese article's ~1,000 distinct bigrams and keeps each look-up to a short list.
		if (!this.byFirstChar) {
			this.byFirstChar = new Map();
			for (const t of this.first.keys()) {
				const group = this.byFirstChar.get(t[0]);
				if (group) group.push(t);
				else this.byFirstChar.set(t[0], [t]);
			}
		}
		const group = this.byFirstChar.get(key[0]);
		if (!group) return false;
		for (const t of group) if (t.startsWith(key)) return true;
		return false;
	}

	/** Whether tokens occur consecutively, the last one as a prefix when prefixLast. */
	hasPhrase(tokens: readonly string[], prefixLast: boolean): boolean {
		const n = tokens.length;
		if (n === 0) return false;
		if (n === 1) return prefixLast ? this.hasPrefix(tokens[0]) : this.first.has(tokens[0]);
		const seq = this.sequence;
		const exact = prefixLast ? n - 1 : n;
		for (let k = 1; k < exact; k++) if (!this.first.has(tokens[k])) return false;
		for (let p = this.first.get(tokens[0]) ?? -1; p >= 0; p = this.next[p]) {
			if (p + n > seq.length) break;
			let k = 1;
			while (k < exact && seq[p + k] === tokens[k]) k++;
			if (k < exact) continue;
			if (prefixLast && !seq[p + n - 1].startsWith(tokens[n - 1])) continue;
			return true;
		}
		return false;
	}
}

/** Tokenises an article's title and body once for matchesQuery. */
export function prepareDocument(doc: { title: string; body: string }): PreparedDocument {
	return new PreparedDocument(indexTokenSequence(doc.title ?? ''), indexTokenSequence(doc.body ?? ''));
}

type Matcher = (doc: PreparedDocument) => boolean;
const compiled = new WeakMap<QueryNode, Matcher>();

function compile(node: QueryNode): Matcher {
	const cached = compiled.get(node);
	if (cached) return cached;
	let m: Matcher;
	switch (node.type) {
		case 'term':
		case 'phrase': {
			const phrase = termToIndexTokens(node);
			m = (doc) => doc.hasPhrase(phrase.tokens, phrase.prefixLast);
			break;
		}
		case 'not': {
			const child = compile(node.child);
			m = (doc) => !child(doc);
			break;
		}
		case 'and': {
			const children = node.children.map(compile);
			m = (doc) => children.every((c) => c(doc));
			break;
		}
		case 'or': {
			const children = node.children.map(compile);
			m = (doc) => children.some((c) => c(doc));
			break;
		}
	}
	compiled.set(node, m);
	return m;
}

/** Whether an article matches a parsed query, with the semantics the database searches implement. */
export function matchesQuery(ast: QueryNode, doc: PreparedDocument | { title: string; body: string }): boolean {
	const prepared = doc instanceof PreparedDocument ? doc : prepareDocument(doc);
	return compile(ast)(prepared);
}

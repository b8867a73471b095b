/**
 * The tokeniser in query.ts is hand-written for speed (a character-class table, memos of stems and
 * CJK tokens, the UTF-8 text for FTS5 written as it goes). These tests hold it to the straightforward
 * regexp definition below, which is what the index was built with (TOKENIZER_VERSION 1): any
 * difference would need a re-index.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { stem } from 'porter2';
import { describe, expect, it } from 'vitest';
import { indexTokenSequence, indexTokensWithText, termToIndexTokens, TOKENIZER_VERSION, type TokenPhrase } from './query';

// ---------------------------------------------------------------------------------------------
// The reference: tokeniser version 1 as first written, one regexp match per piece.

const CJK_CLASS = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30FC`;
const WORD_CLASS = String.raw`[[\p{L}\p{N}\p{M}]--[${CJK_CLASS}]]`;
const TOKEN_RE = new RegExp(`([${CJK_CLASS}]+)|(${WORD_CLASS}+(?:['’]${WORD_CLASS}+)*)`, 'gv');

type Piece = { kind: 'latin'; token: string; folded: string } | { kind: 'cjk'; chars: string[] };

function referenceFold(word: string): string {
	if (/^[a-z0-9]+$/.test(word)) return word;
	let w = word;
	if (w.endsWith("'s") || w.endsWith('’s')) w = w.slice(0, -2);
	w = w.replace(/['’]/g, '');
	if (/^[\p{sc=Latin}\p{N}\p{M}'’]+$/u.test(w)) w = w.normalize('NFD').replace(/\p{M}/gu, '');
	return w;
}

function referencePieces(text: string): Piece[] {
	const normalised = text.normalize('NFKC').toLowerCase();
	const out: Piece[] = [];
	for (const m of normalised.matchAll(TOKEN_RE)) {
		if (m[1] !== undefined) out.push({ kind: 'cjk', chars: Array.from(m[1]) });
		else {
			const folded = referenceFold(m[2]);
			if (folded) out.push({ kind: 'latin', token: /^[a-z]+$/.test(folded) ? stem(folded) : folded, folded });
		}
	}
	return out;
}

function pushRun(out: string[], chars: string[], closingUnigram: boolean): void {
	for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
	if (closingUnigram) out.push(chars[chars.length - 1]);
}

function referenceSequence(text: string): string[] {
	const out: string[] = [];
	for (const p of referencePieces(text)) {
		if (p.kind === 'latin') out.push(p.token);
		else pushRun(out, p.chars, true);
	}
	return out;
}

function referenceTerm(text: string, wantsPrefix: boolean): TokenPhrase {
	const ps = referencePieces(text);
	const tokens: string[] = [];
	let prefixLast = false;
	ps.forEach((p, i) => {
		const last = i === ps.length - 1;
		if (p.kind === 'latin') {
			if (last && wantsPrefix) {
				tokens.push(/^[a-z]+$/.test(p.folded) ? stem(p.folded) : p.folded);
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

/** indexTokensWithText must give the same tokens, and exactly their UTF-8 joined by spaces. */
function expectTextAgrees(text: string, tokens: string[]): void {
	const withText = indexTokensWithText(text);
	const joined = Buffer.from(tokens.join(' '));
	if (firstDifference(tokens, withText.tokens) || !joined.equals(Buffer.from(withText.utf8))) {
		expect({ text: text.slice(0, 200), tokens: withText.tokens, utf8: Buffer.from(withText.utf8).toString() }).toEqual({
			text: text.slice(0, 200),
			tokens,
			utf8: joined.toString()
		});
	}
}

/** The first index where two token lists differ, for a readable failure. */
function firstDifference(a: string[], b: string[]): { at: number; expected: string | undefined; got: string | undefined } | null {
	for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return { at: i, expected: a[i], got: b[i] };
	return null;
}

function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

// ---------------------------------------------------------------------------------------------

const CORPORA = resolve(process.cwd(), '../shared/data/corpora');
const FILES = ['reuters21578.jsonl', 'bbc.jsonl', 'livedoor.jsonl'];
const haveCorpora = FILES.every((f) => existsSync(resolve(CORPORA, f)));

describe('indexTokenSequence and termToIndexTokens against the regexp reference', () => {
	it('agree on hand-picked awkward text', () => {
		const texts = [
			"Greenspan's O'Neill don’t Café naïve 2024 covid-19 rock'n'roll '90s ''x'' it's' l'été",
			'ＰＲ会社　２０２４年 ｶﾞｲﾄﾞﾗｲﾝ Ⅻ ㈱ ﬁle ①② ＡＮＤ',
			'党、新iPhone発売へ コーヒー 人々 𠮷野家 〆切 ヶ月 ゝゞ ヽヾ 〇 ・ ｰ',
			'İstanbul ΣΟΦΟΣ σοφος ß straße Ǆemal ﬀ',
			'क्षत्रिय ภาษาไทย 한국어 العربية עברית Ελληνικά русский',
			'emoji 😀👍🏽 zero\u200dwidth a\u0301 e\u0301\u0302 \u0301alone',
			'lone \ud800 high \udc00 low \ud83d end\ud83d',
			'𝐀𝐁𝐂 𝟏𝟐𝟑 mathematical',
			"x'y'z 'quote' ‘curly’ ’twas o’",
			''
		];
		for (const t of texts) {
			expect(indexTokenSequence(t), t).toEqual(referenceSequence(t));
			expectTextAgrees(t, referenceSequence(t));
			for (const prefix of [false, true]) {
				expect(termToIndexTokens({ type: 'term', text: t, lang: 'latin', prefix }), t).toEqual(referenceTerm(t, prefix));
			}
		}
	});

	it('agree on 30,000 random strings from many scripts, marks, apostrophes and surrogates', { timeout: 60_000 }, () => {
		const parts = [
			...'aZz09\'’ -.,_/éßİΣσςкЖ日本語ひらカナー々〆ヶ𠮷😀\u0301\u0e31กकि한ع\u200d\u3000\t\n',
			'\ud800',
			'\udc00',
			'\udbff',
			'ａＢ',
			'ｶﾞ',
			'①',
			'㈱',
			'ﬁ',
			'Ⅻ',
			"o'neill's",
			'don’t',
			'café',
			'𝐀𝐁',
			'\u{1b001}',
			'\u{20000}\u{2a6d6}',
			'\u{1f200}',
			'\u302a',
			'\u3031',
			'\u309b',
			'\uff70',
			'\u30fb'
		];
		const random = seeded(20261123);
		for (let r = 0; r < 30_000; r++) {
			let s = '';
			const length = Math.floor(random() * 14);
			for (let k = 0; k < length; k++) s += parts[Math.floor(random() * parts.length)];
			const expected = referenceSequence(s);
			const got = indexTokenSequence(s);
			if (firstDifference(expected, got)) expect({ text: s, tokens: got }).toEqual({ text: s, tokens: expected });
			expectTextAgrees(s, expected);
			const term = termToIndexTokens({ type: 'term', text: s, lang: 'latin', prefix: true });
			if (JSON.stringify(term) !== JSON.stringify(referenceTerm(s, true))) expect({ text: s, term }).toEqual({ text: s, term: referenceTerm(s, true) });
		}
	});

	it('agree past the size of the stem and CJK memos (they start again when full)', { timeout: 60_000 }, () => {
		const random = seeded(7);
		// 150,000 distinct Latin words, then the first of them again.
		const words = Array.from({ length: 150_000 }, (_, i) => i.toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)]) + 'ing');
		const latin = `${words.join(' ')} ${words.slice(0, 1000).join(' ')}`;
		expect(firstDifference(referenceSequence(latin), indexTokenSequence(latin))).toBeNull();
		// 200,000 random Han characters: nearly as many distinct bigrams.
		let han = '';
		for (let i = 0; i < 200_000; i++) han += String.fromCharCode(0x4e00 + Math.floor(random() * 20_000));
		expect(firstDifference(referenceSequence(han), indexTokenSequence(han))).toBeNull();
		expect(firstDifference(referenceSequence(han), indexTokenSequence(han))).toBeNull();
		// A text longer than the reused byte buffer's first size.
		expectTextAgrees(han, referenceSequence(han));
		expectTextAgrees(latin, referenceSequence(latin));
	});
});

describe.skipIf(!haveCorpora)(`the tokeniser on the real corpora${haveCorpora ? '' : ' (skipped: ../shared/data/corpora is missing)'}`, () => {
	type Article = { title: string | null; body: string | null };
	// Every third article of each corpus: all three languages' quirks, in a few seconds.
	const articles: Article[] = haveCorpora
		? FILES.flatMap((f) =>
				readFileSync(resolve(CORPORA, f), 'utf8')
					.split('\n')
					.filter((line, i) => line && i % 3 === 0)
					.map((line) => JSON.parse(line) as Article)
			)
		: [];

	// Generous: the reference regexp takes seconds on a loaded machine.
	it('gives exactly the reference tokens for every title and body', { timeout: 120_000 }, () => {
		expect(articles.length).toBeGreaterThan(8000);
		let tokens = 0;
		for (const a of articles) {
			for (const text of [a.title ?? '', a.body ?? '']) {
				const expected = referenceSequence(text);
				const got = indexTokenSequence(text);
				const diff = firstDifference(expected, got);
				if (diff) expect({ text: text.slice(0, 200), ...diff }).toBeNull();
				expectTextAgrees(text, expected);
				tokens += got.length;
			}
			// Query terms go through the same scanner: a title as a phrase, and as a prefix term.
			const title = a.title ?? '';
			expect(termToIndexTokens(title)).toEqual(referenceTerm(title, false));
			expect(termToIndexTokens({ type: 'term', text: title, lang: 'latin', prefix: true })).toEqual(referenceTerm(title, true));
		}
		expect(tokens).toBeGreaterThan(1_000_000);
	});

	it('matches the token hash recorded for this tokeniser version (change it only with TOKENIZER_VERSION)', { timeout: 60_000 }, () => {
		const hash = createHash('sha256');
		for (const a of articles) hash.update(`${indexTokenSequence(a.title ?? '').join(' ')}\n${indexTokenSequence(a.body ?? '').join(' ')}\n`);
		expect({ version: TOKENIZER_VERSION, hash: hash.digest('hex') }).toEqual({ version: 1, hash: RECORDED_HASH });
	});
});

/** sha256 of the tokens of every third corpus article, computed with the reference above. */
const RECORDED_HASH = '3e32c5981f024edbe29f9034145490a21e37ce592101e691eae534d935d0d571';

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	describeQueryError,
	explainQuery,
	indexTokenSequence,
	matchesQuery,
	normaliseText,
	parseQuery,
	prepareDocument,
	QUERY_LIMITS,
	termToIndexTokens,
	tokensForIndex,
	type PhraseNode,
	type QueryErrorCode,
	type QueryNode,
	type TermNode
} from './query';

const CORPORA = resolve(process.cwd(), '../shared/data/corpora');
const haveCorpora = existsSync(resolve(CORPORA, 'livedoor.jsonl')) && existsSync(resolve(CORPORA, 'bbc.jsonl'));

function ast(text: string): QueryNode {
	const r = parseQuery(text);
	if (!r.ok) throw new Error(`expected "${text}" to parse, got ${r.error.code}: ${r.error.message}`);
	return r.ast;
}

function explain(text: string): string {
	return explainQuery(ast(text));
}

function error(text: string, options?: { maxLength?: number }): { code: QueryErrorCode; position: number; message: string } {
	const r = parseQuery(text, options);
	if (r.ok) throw new Error(`expected "${text}" to be refused, got ${explainQuery(r.ast)}`);
	return r.error;
}

const term = (text: string, lang: 'ja' | 'latin' = 'latin', prefix = false): TermNode =>
	prefix ? { type: 'term', text, lang, prefix: true } : { type: 'term', text, lang };

const TOKEN_CHARS = /^[\p{L}\p{N}\p{M}]+$/u;

describe('normaliseText', () => {
	it('applies NFKC and lower case: full-width Latin and digits become ASCII, half-width katakana full-width', () => {
		expect(normaliseText('ＰＲ会社　２０２４年')).toBe('pr会社 2024年');
		expect(normaliseText('ｶﾞｲﾄﾞﾗｲﾝ')).toBe('ガイドライン');
		expect(normaliseText('Ⅻ ㈱ ﬁle')).toBe('xii (株) file');
	});

	it('keeps hiragana and katakana distinct and keeps ー and 々', () => {
		expect(normaliseText('ひらがな')).not.toBe(normaliseText('ヒラガナ'));
		expect(normaliseText('コーヒー 人々')).toBe('コーヒー 人々');
	});
});

describe('tokensForIndex and indexTokenSequence', () => {
	it('stems Latin words so that word forms share a token', () => {
		expect(tokensForIndex('Prices rise; rises, rising and RISE').latin).toEqual(['price', 'rise', 'rise', 'rise', 'and', 'rise']);
		expect(tokensForIndex('The companies elected').latin).toEqual(['the', 'compani', 'elect']);
	});

	it('drops the possessive, removes other apostrophes and Latin diacritics, and keeps digits', () => {
		expect(indexTokenSequence("Greenspan's O'Neill don’t Café naïve 2024 covid-19")).toEqual([
			'greenspan',
			'oneil',
			'dont',
			'cafe',
			'naiv',
			'2024',
			'covid',
			'19'
		]);
	});

	it('turns a CJK run into overlapping bigrams closed by its last character', () => {
		expect(tokensForIndex('自民党').cjkBigrams).toEqual(['自民', '民党', '党']);
		expect(tokensForIndex('広報部の拝読').cjkBigrams).toEqual(['広報', '報部', '部の', 'の拝', '拝読', '読']);
	});

	it('makes a lone CJK character a unigram and treats punctuation and Latin as run boundaries', () => {
		expect(indexTokenSequence('党、新iPhone発売へ')).toEqual(['党', '新', 'iphon', '発売', '売へ', 'へ']);
	});

	it('keeps ー and 々 inside runs and handles characters outside the BMP', () => {
		expect(indexTokenSequence('コーヒー')).toEqual(['コー', 'ーヒ', 'ヒー', 'ー']);
		expect(indexTokenSequence('人々')).toEqual(['人々', '々']);
		expect(indexTokenSequence('𠮷野家')).toEqual(['𠮷野', '野家', '家']);
	});

	it('produces only letters, digits and marks, whatever the text holds', () => {
		const tokens = indexTokenSequence(`'; DROP TABLE x; -- "a" NEAR(b c) col:val ^2 {d} e\\f g*h ＡＢＣ｜（）「引用」`);
		expect(tokens.length).toBeGreaterThan(10);
		for (const t of tokens) expect(t).toMatch(TOKEN_CHARS);
	});
});

describe('termToIndexTokens', () => {
	it('gives Japanese terms as phrases of bigrams without the closing unigram', () => {
		expect(termToIndexTokens('広報')).toEqual({ tokens: ['広報'], prefixLast: false });
		expect(termToIndexTokens('広報部')).toEqual({ tokens: ['広報', '報部'], prefixLast: false });
		expect(termToIndexTokens('携帯電話')).toEqual({ tokens: ['携帯', '帯電', '電話'], prefixLast: false });
	});

	it('makes a one-character Japanese term a prefix unigram, so it finds the character anywhere', () => {
		expect(termToIndexTokens('党')).toEqual({ tokens: ['党'], prefixLast: true });
	});

	it('keeps a space inside a phrase as a run boundary', () => {
		expect(termToIndexTokens({ type: 'phrase', text: '自民党 総裁' })).toEqual({ tokens: ['自民', '民党', '党', '総裁'], prefixLast: false });
		expect(termToIndexTokens({ type: 'phrase', text: '総裁 党' })).toEqual({ tokens: ['総裁', '裁', '党'], prefixLast: true });
	});

	it('stems Latin words and prefixes by the stem of what was typed', () => {
		expect(termToIndexTokens('Rising')).toEqual({ tokens: ['rise'], prefixLast: false });
		expect(termToIndexTokens({ type: 'term', text: 'happy', lang: 'latin', prefix: true })).toEqual({ tokens: ['happi'], prefixLast: true });
		expect(termToIndexTokens({ type: 'term', text: 'econom', lang: 'latin', prefix: true })).toEqual({ tokens: ['econom'], prefixLast: true });
		expect(termToIndexTokens({ type: 'term', text: 'e-mail', lang: 'latin', prefix: true })).toEqual({ tokens: ['e', 'mail'], prefixLast: true });
	});

	it('gives mixed terms as one phrase across scripts', () => {
		expect(termToIndexTokens('iPhone発売')).toEqual({ tokens: ['iphon', '発売'], prefixLast: false });
		expect(termToIndexTokens('発売iPhone')).toEqual({ tokens: ['発売', '売', 'iphon'], prefixLast: false });
	});
});

describe('parseQuery: syntax', () => {
	it('reads whitespace as AND and keeps terms as typed (NFKC) for display', () => {
		expect(ast('広報 PR')).toEqual({ type: 'and', children: [term('広報', 'ja'), term('PR')] });
		expect(ast('ＰＲ')).toEqual(term('PR'));
	});

	it('knows AND, OR and NOT in upper case only; lower-case and/or/not are words', () => {
		expect(explain('a AND b OR c NOT d')).toBe('(a AND b) OR (c AND NOT d)');
		expect(ast('rock and roll or not')).toEqual({
			type: 'and',
			children: [term('rock'), term('and'), term('roll'), term('or'), term('not')]
		});
		expect(explain('Not Or And')).toBe('Not AND Or AND And');
	});

	it('gives NOT precedence over AND and AND over OR, and lets parentheses group', () => {
		expect(explain('a OR b c')).toBe('a OR (b AND c)');
		expect(explain('a b OR c')).toBe('(a AND b) OR c');
		expect(explain('(a OR b) c')).toBe('(a OR b) AND c');
		expect(explain('a NOT b OR c')).toBe('(a AND NOT b) OR c');
		expect(explain('a NOT (b OR c)')).toBe('a AND NOT (b OR c)');
		expect(explain('((a))')).toBe('a');
	});

	it('flattens nested ANDs and ORs and cancels double negation', () => {
		expect(ast('a (b c) (d AND e)')).toEqual({ type: 'and', children: ['a', 'b', 'c', 'd', 'e'].map((t) => term(t)) });
		expect(explain('a OR (b OR c)')).toBe('a OR b OR c');
		expect(explain('x NOT NOT y')).toBe('x AND y');
		expect(explain('x -(NOT y)')).toBe('x AND y');
	});

	it('accepts & and | (single or doubled) standing alone, but not inside a word', () => {
		expect(explain('a & b | c')).toBe('(a AND b) OR c');
		expect(explain('a && b || c')).toBe('(a AND b) OR c');
		expect(ast('AT&T')).toEqual(term('AT&T'));
		expect(termToIndexTokens(term('AT&T'))).toEqual({ tokens: ['at', 't'], prefixLast: false });
	});

	it('reads a leading minus as NOT before a word, quote or parenthesis, but not a lone or doubled dash', () => {
		expect(explain('広報 -求人')).toBe('広報 AND NOT 求人');
		expect(explain('a -"b c"')).toBe('a AND NOT "b c"');
		expect(explain('a -(b OR c)')).toBe('a AND NOT (b OR c)');
		expect(explain('Tokyo - Reuters')).toBe('Tokyo AND Reuters');
		expect(explain('a --b')).toBe('a AND b');
		expect(explain('co-op e-mail')).toBe('co-op AND e-mail');
	});

	it('folds full-width operators, parentheses, quotes and spaces typed with a Japanese IME', () => {
		expect(explain('（広報　ＯＲ　ＰＲ）　－求人')).toBe('(広報 OR PR) AND NOT 求人');
		expect(explain('広報　ＯＲ　ＰＲ　－求人')).toBe('広報 OR (PR AND NOT 求人)');
		expect(explain('（広報 ｜ PR） ＆ ＂記者 発表＂')).toBe('(広報 OR PR) AND "記者 発表"');
	});

	it('does not treat Japanese words such as または or かつ as operators', () => {
		expect(ast('広報 または PR')).toEqual({ type: 'and', children: [term('広報', 'ja'), term('または', 'ja'), term('PR')] });
	});

	it('reads phrases in straight, curly and Japanese quotes', () => {
		expect(ast('"interest rates"')).toEqual({ type: 'phrase', text: 'interest rates' });
		expect(ast('“interest  rates”')).toEqual({ type: 'phrase', text: 'interest rates' });
		expect(ast('「自民党 総裁」')).toEqual({ type: 'phrase', text: '自民党 総裁' });
		expect(ast('『拝読』 x')).toEqual({ type: 'and', children: [{ type: 'phrase', text: '拝読' }, term('x')] });
		expect(ast('「He said "no"」')).toEqual({ type: 'phrase', text: 'He said "no"' });
		expect(explain('a"b c"d')).toBe('a AND "b c" AND d');
	});

	it('reads a trailing * as a prefix on a Latin word and ignores it after a Japanese word', () => {
		expect(ast('econom*')).toEqual(term('econom', 'latin', true));
		expect(ast('econom**')).toEqual(term('econom', 'latin', true));
		expect(ast('広報*')).toEqual(term('広報', 'ja'));
		expect(ast('発売iPhone*')).toEqual(term('発売iPhone', 'ja', true));
		expect(ast('c*d')).toEqual(term('c*d'));
	});

	it('labels terms with any CJK character ja, others latin', () => {
		expect(ast('iPhone発売')).toEqual(term('iPhone発売', 'ja'));
		expect(ast('Москва')).toEqual(term('Москва'));
	});

	it('keeps FTS5, SQL and tsquery syntax as plain text, giving backends only letter tokens', () => {
		const hostile = [
			`'; DROP TABLE articles; --`,
			'title:oil',
			'oil^2',
			'NEAR(oil gas, 5)',
			'{title body}:oil',
			'oil & !gas',
			"o'brien:*",
			'a\\"b"',
			'x*y* -- z',
			'oil:* <-> gas',
			'oil %_%',
			'col MATCH x'
		];
		for (const q of hostile) {
			const r = parseQuery(q);
			if (!r.ok) {
				// Refused for its shape ("a\\"b" leaves a quote open, "y*" is too short a prefix), never passed on.
				expect(['unbalanced_quote', 'prefix_too_short'], q).toContain(r.error.code);
				continue;
			}
			const leaves: (TermNode | PhraseNode)[] = [];
			const walk = (n: QueryNode): void => {
				if (n.type === 'term' || n.type === 'phrase') leaves.push(n);
				else if (n.type === 'not') walk(n.child);
				else n.children.forEach(walk);
			};
			walk(r.ast);
			expect(leaves.length, q).toBeGreaterThan(0);
			for (const leaf of leaves) {
				const { tokens } = termToIndexTokens(leaf);
				expect(tokens.length, q).toBeGreaterThan(0);
				for (const t of tokens) expect(t, q).toMatch(TOKEN_CHARS);
			}
		}
		expect(explain(`'; DROP TABLE articles; --`)).toBe('DROP AND TABLE AND articles');
		expect(explain('NEAR(oil gas, 5)')).toBe('NEAR AND oil AND gas AND 5');
		expect(explain('title:oil {x}')).toBe('title:oil AND x');
	});

	it('accepts a one-character query in either script', () => {
		expect(ast('党')).toEqual(term('党', 'ja'));
		expect(ast('x')).toEqual(term('x'));
		expect(ast('5')).toEqual(term('5'));
	});
});

describe('parseQuery: errors', () => {
	it('refuses a blank query or one with only punctuation or lone operators', () => {
		for (const q of ['', '   ', '\u3000', '-', '*', '***', '; -- ^', '%_%', '\u0000\n']) {
			expect(error(q).code, JSON.stringify(q)).toBe('empty');
		}
		expect(error('AND').code).toBe('dangling_operator');
		expect(error('NOT').code).toBe('dangling_operator');
	});

	it('refuses unbalanced quotes at the opening quote, and a stray closing Japanese quote', () => {
		expect(error('"interest rates')).toMatchObject({ code: 'unbalanced_quote', position: 0 });
		expect(error('oil "gas')).toMatchObject({ code: 'unbalanced_quote', position: 4 });
		expect(error('広報 「部')).toMatchObject({ code: 'unbalanced_quote', position: 3 });
		expect(error('『拝読')).toMatchObject({ code: 'unbalanced_quote', position: 0 });
		expect(error('広報」')).toMatchObject({ code: 'unbalanced_quote', position: 2 });
		expect(error('a "b" "c')).toMatchObject({ code: 'unbalanced_quote', position: 6 });
		expect(error('「a"')).toMatchObject({ code: 'unbalanced_quote', position: 0 });
	});

	it('refuses unbalanced parentheses at the unmatched one', () => {
		expect(error('(a OR b')).toMatchObject({ code: 'unbalanced_paren', position: 0 });
		expect(error('a OR b)')).toMatchObject({ code: 'unbalanced_paren', position: 6 });
		expect(error('((a) OR (b)')).toMatchObject({ code: 'unbalanced_paren', position: 0 });
		expect(error(')(')).toMatchObject({ code: 'unbalanced_paren', position: 0 });
		expect(error('（広報')).toMatchObject({ code: 'unbalanced_paren', position: 0 });
	});

	it('refuses empty parentheses and empty phrases', () => {
		expect(error('a ()')).toMatchObject({ code: 'empty_group', position: 2 });
		expect(error('( )')).toMatchObject({ code: 'empty_group', position: 0 });
		expect(error('a ""')).toMatchObject({ code: 'empty_phrase', position: 2 });
		expect(error('「、」')).toMatchObject({ code: 'empty_phrase', position: 0 });
	});

	it('refuses an operator without its operands, pointing at the operator', () => {
		expect(error('oil AND')).toMatchObject({ code: 'dangling_operator', position: 4 });
		expect(error('OR gas')).toMatchObject({ code: 'dangling_operator', position: 0 });
		expect(error('oil OR OR gas')).toMatchObject({ code: 'dangling_operator', position: 4 });
		expect(error('oil AND OR gas')).toMatchObject({ code: 'dangling_operator', position: 4 });
		expect(error('oil NOT')).toMatchObject({ code: 'dangling_operator', position: 4 });
		expect(error('(oil OR) gas')).toMatchObject({ code: 'dangling_operator', position: 5 });
		expect(error('oil |')).toMatchObject({ code: 'dangling_operator', position: 4 });
		expect(error('& oil')).toMatchObject({ code: 'dangling_operator', position: 0 });
	});

	it('refuses a query that only excludes, which would match (nearly) everything', () => {
		expect(error('NOT 求人')).toMatchObject({ code: 'only_negative', position: 0 });
		expect(error('-a -b')).toMatchObject({ code: 'only_negative', position: 0 });
		expect(error('oil OR NOT gas')).toMatchObject({ code: 'only_negative', position: 7 });
		expect(error('oil OR -gas')).toMatchObject({ code: 'only_negative', position: 7 });
		expect(error('x OR NOT x')).toMatchObject({ code: 'only_negative', position: 5 });
		expect(error('NOT (a OR b)')).toMatchObject({ code: 'only_negative', position: 0 });
		expect(error('(NOT a) OR b')).toMatchObject({ code: 'only_negative', position: 1 });
		// An exclusion beside something to find is fine, however deep.
		expect(explain('a (b OR c) NOT (d NOT e)')).toBe('a AND (b OR c) AND NOT (d AND NOT e)');
		expect(explain('(a NOT b) OR c')).toBe('(a AND NOT b) OR c');
	});

	it('refuses a prefix shorter than two characters', () => {
		expect(error('a*')).toMatchObject({ code: 'prefix_too_short', position: 0 });
		expect(error('oil x-a*')).toMatchObject({ code: 'prefix_too_short', position: 4 });
		expect(ast('ab*')).toEqual(term('ab', 'latin', true));
	});

	it('refuses a 10,000-character query at once, and honours a larger maxLength', () => {
		const long = 'oil '.repeat(2500);
		expect(long.length).toBe(10_000);
		expect(error(long)).toMatchObject({ code: 'too_long', position: QUERY_LIMITS.maxLength });
		expect(error('x'.repeat(1001)).code).toBe('too_long');
		expect(parseQuery('x'.repeat(1000)).ok).toBe(true);
		expect(error('abc def', { maxLength: 5 })).toMatchObject({ code: 'too_long', position: 5 });
		expect(error('abc def', { maxLength: 5 }).message).toContain('5 characters');
		// With room for it, 2,500 words are more than any backend should be given.
		expect(error(long, { maxLength: 20_000 })).toMatchObject({ code: 'too_complex', position: 4 * QUERY_LIMITS.maxTerms });
	});

	it('refuses deep nesting without overflowing the stack', () => {
		const deep = '('.repeat(5000) + 'a' + ')'.repeat(5000);
		expect(error(deep, { maxLength: 20_000 })).toMatchObject({ code: 'too_complex', position: QUERY_LIMITS.maxDepth });
		expect(explain('('.repeat(QUERY_LIMITS.maxDepth) + 'a' + ')'.repeat(QUERY_LIMITS.maxDepth))).toBe('a');
		expect(explain('NOT '.repeat(200) + 'a')).toBe('a');
	});

	it('reports positions in the original text even when NFKC changes lengths', () => {
		// ㈱ becomes "(株)" and ｶﾞ two code units become one; positions still point into what was typed.
		expect(error('ｶﾞｲﾄﾞ "x')).toMatchObject({ code: 'unbalanced_quote', position: 6 });
		expect(error('㍻ AND')).toMatchObject({ code: 'dangling_operator', position: 2 });
		expect(error('𠮷野家 OR')).toMatchObject({ code: 'dangling_operator', position: 5 });
	});

	it('never throws, whatever it is given, and keeps positions inside the text', () => {
		const alphabet = ['a', 'Oil', '広報', '党', ' ', '　', '"', '「', '」', '『', '』', '“', '”', '(', ')', '（', '）', '-', '*', '&', '|', 'AND', 'OR', 'NOT', ':', '^', "'", ';', '\\', '{', '}', '\u0000', '\uD800', '\u0301', '😀', '\n', '－', 'ＯＲ'];
		const random = seeded(42);
		let ok = 0;
		for (let n = 0; n < 5000; n++) {
			let q = '';
			const len = 1 + Math.floor(random() * 12);
			for (let k = 0; k < len; k++) q += alphabet[Math.floor(random() * alphabet.length)];
			const r = parseQuery(q);
			if (r.ok) {
				ok++;
				// Anything accepted prints to a form that reads back to the same tree.
				expect(parseQuery(explainQuery(r.ast)), q).toEqual(r);
			} else {
				expect(r.error.position, q).toBeGreaterThanOrEqual(0);
				expect(r.error.position, q).toBeLessThanOrEqual(q.length);
				expect(r.error.message.length).toBeGreaterThan(10);
			}
		}
		expect(ok).toBeGreaterThan(500);
	});
});

describe('describeQueryError', () => {
	const codes: QueryErrorCode[] = [
		'empty',
		'too_long',
		'too_complex',
		'unbalanced_quote',
		'unbalanced_paren',
		'empty_group',
		'empty_phrase',
		'dangling_operator',
		'only_negative',
		'prefix_too_short'
	];

	it('explains every code in English and Japanese', () => {
		for (const code of codes) {
			const en = describeQueryError(code, 'en');
			const ja = describeQueryError(code, 'ja');
			expect(en).toMatch(/^[A-Z].*\.$/);
			expect(ja).toMatch(/[\p{sc=Hiragana}\p{sc=Katakana}]/u);
			expect(ja).not.toBe(en);
		}
		expect(new Set(codes.map((c) => describeQueryError(c, 'en'))).size).toBe(codes.length);
	});

	it('names the place and the limit', () => {
		expect(describeQueryError('unbalanced_quote', 'en', { position: 4 })).toMatch(/\(at character 5\)$/);
		expect(describeQueryError('unbalanced_quote', 'ja', { position: 4 })).toMatch(/（5文字目）$/);
		expect(describeQueryError('too_long', 'ja', { maxLength: 300 })).toContain('300文字以内');
		expect(error('oil "gas').message).toBe(describeQueryError('unbalanced_quote', 'en', { position: 4 }));
	});
});

describe('explainQuery', () => {
	it('prints an explicit, normalised form', () => {
		expect(explain('(広報 OR PR) -求人')).toBe('(広報 OR PR) AND NOT 求人');
		expect(explain('「記者 発表」 econom*')).toBe('"記者 発表" AND econom*');
		expect(explain('「He said "no"」')).toBe('「He said "no"」');
		expect(explain('-AND x')).toBe('-AND AND x');
	});

	it('round-trips: parse(explain(ast)) gives back ast, for random trees', () => {
		const random = seeded(7);
		const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
		const latin = ['rise', 'Oil', 'and', 'or', 'not', 'Not', 'AT&T', 'title:foo', 'c*d', 'e-mail', '-AND', 'AND,', 'Москва', "o'neill"];
		const japanese = ['広報', '党', 'iPhone発売', '拝読', 'コーヒー', '𠮷野家'];
		const phrases = ['interest rates', '自民党 総裁', 'say "hi"', 'a 」b', '「x」 y', 'AND OR'];
		const leaf = (): QueryNode => {
			const r = random();
			if (r < 0.35) return term(pick(latin));
			if (r < 0.45) return term(pick(['econom', 'happy', 'AND', 'x-ab']), 'latin', true);
			if (r < 0.75) return term(pick(japanese), 'ja');
			return { type: 'phrase', text: pick(phrases) };
		};
		const positive = (depth: number): QueryNode => {
			if (depth === 0 || random() < 0.3) return leaf();
			const width = 2 + Math.floor(random() * 3);
			if (random() < 0.5) {
				const children: QueryNode[] = [];
				for (let k = 0; k < width; k++) {
					const c = positive(depth - 1);
					children.push(...(c.type === 'or' ? c.children : [c]));
				}
				return { type: 'or', children };
			}
			const children: QueryNode[] = [positive(depth - 1)];
			for (let k = 1; k < width; k++) children.push(random() < 0.4 ? { type: 'not', child: positive(depth - 1) } : positive(depth - 1));
			return { type: 'and', children: children.flatMap((c) => (c.type === 'and' ? c.children : [c])) };
		};
		for (let n = 0; n < 2000; n++) {
			const tree = positive(4);
			const printed = explainQuery(tree);
			const back = parseQuery(printed, { maxLength: 100_000 });
			expect(back, printed).toEqual({ ok: true, ast: tree });
		}
	});
});

describe('matchesQuery', () => {
	const doc = (title: string, body = '') => prepareDocument({ title, body });

	it('matches Japanese terms as substrings, including two-character and one-character words', () => {
		const d = doc('自民党総裁選、広報部が拝読');
		for (const q of ['自民党', '民党', '党', '総裁選', '広報', '広報部', '拝読', '拝', '読']) expect(matchesQuery(ast(q), d), q).toBe(true);
		for (const q of ['党総裁選広報', '広報課', '民主党', '読む']) expect(matchesQuery(ast(q), d), q).toBe(false);
	});

	it('does not join Japanese across punctuation or Latin text', () => {
		const d = doc('党、総裁 iPhone発売');
		expect(matchesQuery(ast('党総裁'), d)).toBe(false);
		expect(matchesQuery(ast('"党 総裁"'), d)).toBe(true);
		expect(matchesQuery(ast('iPhone発売'), d)).toBe(true);
		expect(matchesQuery(ast('裁iPhone'), d)).toBe(true);
	});

	it('matches Latin terms by stem and phrases by consecutive stems', () => {
		const d = doc('Oil prices rising', 'Interest rates rose. The companies said rates were rising again.');
		expect(matchesQuery(ast('rise'), d)).toBe(true);
		expect(matchesQuery(ast('RISES'), d)).toBe(true);
		expect(matchesQuery(ast('company'), d)).toBe(true);
		expect(matchesQuery(ast('"interest rate"'), d)).toBe(true);
		expect(matchesQuery(ast('"rates interest"'), d)).toBe(false);
		expect(matchesQuery(ast('"price rises"'), d)).toBe(true);
		expect(matchesQuery(ast('"rates were rising"'), d)).toBe(true);
		expect(matchesQuery(ast('"rates rising"'), d)).toBe(false);
	});

	it('keeps a phrase inside the title or inside the body', () => {
		const d = doc('Bank of England', 'rates held');
		expect(matchesQuery(ast('"england rates"'), d)).toBe(false);
		expect(matchesQuery(ast('england rates'), d)).toBe(true);
		const j = doc('広報', '部長');
		expect(matchesQuery(ast('広報部'), j)).toBe(false);
	});

	it('matches prefixes against stems', () => {
		const d = doc('Happiness and the economy', 'economists disagree');
		expect(matchesQuery(ast('econom*'), d)).toBe(true);
		expect(matchesQuery(ast('happy*'), d)).toBe(true);
		expect(matchesQuery(ast('happen*'), d)).toBe(false);
		expect(matchesQuery(ast('"the econ*"'), d)).toBe(false); // no prefixes inside phrases
		expect(matchesQuery(ast('disagre*'), d)).toBe(true);
		expect(matchesQuery(ast('zz*'), d)).toBe(false);
	});

	it('evaluates AND, OR and NOT', () => {
		const d = doc('広報の求人', 'PR agency hiring');
		expect(matchesQuery(ast('広報 -求人'), d)).toBe(false);
		expect(matchesQuery(ast('(広報 OR PR) AND NOT 採用'), d)).toBe(true);
		expect(matchesQuery(ast('missing OR agency'), d)).toBe(true);
		expect(matchesQuery(ast('missing OR (agency -hire)'), d)).toBe(false);
		expect(matchesQuery(ast('hire 求人'), d)).toBe(true);
	});

	it('accepts a raw article as well as a prepared one and normalises the article text', () => {
		expect(matchesQuery(ast('pr 広報'), { title: 'ＰＲと広報', body: '' })).toBe(true);
		expect(matchesQuery(ast('ガイド'), { title: '', body: 'ｶﾞｲﾄﾞﾗｲﾝ' })).toBe(true);
		expect(matchesQuery(ast('cafe'), { title: 'Café', body: '' })).toBe(true);
		expect(matchesQuery(ast('ひらがな'), { title: 'ヒラガナ', body: '' })).toBe(false);
	});
});

describe.skipIf(!haveCorpora)(`matchesQuery on real articles${haveCorpora ? '' : ' (skipped: ../shared/data/corpora is missing)'}`, () => {
	type Article = { title: string; body: string };
	const load = (file: string): Article[] =>
		readFileSync(resolve(CORPORA, file), 'utf8')
			.split('\n')
			.filter(Boolean)
			.slice(0, 200)
			.map((line) => JSON.parse(line) as Article);
	const livedoor = haveCorpora ? load('livedoor.jsonl') : [];
	const bbc = haveCorpora ? load('bbc.jsonl') : [];
	const all = [...livedoor, ...bbc];
	const prepared = all.map((a) => prepareDocument(a));
	const haystack = all.map((a) => normaliseText(`${a.title}\n${a.body}`));
	const matching = (q: string): Set<number> => {
		const tree = ast(q);
		return new Set(prepared.flatMap((p, i) => (matchesQuery(tree, p) ? [i] : [])));
	};

	it('loads 200 articles from each corpus', () => {
		expect(livedoor).toHaveLength(200);
		expect(bbc).toHaveLength(200);
	});

	it('agrees exactly with a substring search for Japanese words of one to four characters', () => {
		const counts: Record<string, number> = {};
		for (const word of ['映画', '女性', '広報', '拝読', '携帯', '発売', '独女', '結婚', '党', '円', '携帯電話', 'スマートフォン', '々']) {
			const expected = new Set(haystack.flatMap((h, i) => (h.includes(normaliseText(word)) ? [i] : [])));
			const found = matching(word);
			expect([...found].sort((a, b) => a - b), word).toEqual([...expected].sort((a, b) => a - b));
			counts[word] = found.size;
		}
		expect(counts['映画']).toBeGreaterThan(10);
		expect(counts['女性']).toBeGreaterThan(10);
		expect(counts['円']).toBeGreaterThan(10);
	});

	it('finds English word forms through the stem', () => {
		const containing = (re: RegExp) => new Set(haystack.flatMap((h, i) => (re.test(h) ? [i] : [])));
		const rise = matching('rise');
		const forms = containing(/\b(rise|rises|rising)\b/);
		expect(containing(/\brises\b/).size).toBeGreaterThan(0);
		expect(containing(/\brising\b/).size).toBeGreaterThan(0);
		// Every article with any of the forms is found, and nothing else ("risen" and "rose" have their own stems).
		expect([...rise].sort()).toEqual([...forms].sort());
		expect(rise.size).toBeGreaterThan(containing(/\brise\b/).size);

		const company = matching('companies');
		expect([...company].sort()).toEqual([...containing(/\b(company|companies|company's)\b/)].sort());

		const econom = matching('econom*');
		for (const i of containing(/\b(economy|economic|economics|economist|economists|economies)\b/)) expect(econom.has(i)).toBe(true);
	});

	it('combines words across both languages', () => {
		const films = matching('film OR 映画');
		expect(films.size).toBe(new Set([...matching('film'), ...matching('映画')]).size);
		const notWomen = matching('映画 -女性');
		const women = matching('女性');
		for (const i of notWomen) expect(women.has(i)).toBe(false);
		expect(notWomen.size + [...matching('映画')].filter((i) => women.has(i)).length).toBe(matching('映画').size);
	});
});

/** A small deterministic generator, so a failing random case can be replayed. */
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

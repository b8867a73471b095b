import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_EXPANDED_PHRASES, positiveLeaves, queryScript, QueryTooComplexError, toFtsMatch, toPgMatch, toTsQuery, toTsQueryRelaxed, toTsQuerySure } from './backend-query';
import { indexTokenSequence, matchesQuery, parseQuery, prepareDocument, type PreparedDocument, type QueryNode } from './query';

const CORPORA = resolve(process.cwd(), '../shared/data/corpora');
const haveCorpora = existsSync(resolve(CORPORA, 'livedoor.jsonl')) && existsSync(resolve(CORPORA, 'reuters21578.jsonl'));

function ast(text: string): QueryNode {
	const r = parseQuery(text);
	if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
	return r.ast;
}

describe('FTS5 MATCH expressions', () => {
	it('quote every token and keep user words out of the meta column', () => {
		expect(toFtsMatch(ast('oil'))).toBe('{title body} : ("oil")');
		expect(toFtsMatch(ast('広報部'))).toBe('{title body} : (("広報" + "報部"))');
		expect(toFtsMatch(ast('党'))).toBe('{title body} : ("党" *)');
		expect(toFtsMatch(ast('econom*'))).toBe('{title body} : ("econom" *)');
		expect(toFtsMatch(ast('"oil prices" -opec'))).toBe('{title body} : ((("oil" + "price") NOT "opec"))');
		expect(toFtsMatch(ast('a OR b c'))).toBe('{title body} : (("a" OR ("b" AND "c")))');
	});

	it('leave nothing of FTS5 or SQL syntax typed by a user', () => {
		for (const q of ['"a" OR 1=1; --', "x' OR '1'='1", 'title:x', 'NEAR(a b)', '{meta} : o1', 'a^b', 'x) OR (y', 'x" OR "y']) {
			const parsed = parseQuery(q);
			if (!parsed.ok) continue;
			const match = toFtsMatch(parsed.ast);
			// Outside the quoted tokens only our own operators, parentheses and the column filter remain.
			const outside = match.replace(/"[^"]*"/g, '').replace('{title body} :', '');
			expect(outside).toMatch(/^[\s()+*]*(?:(?:AND|OR|NOT)[\s()+*]*)*$/);
			for (const quoted of match.match(/"[^"]*"/g) ?? []) expect(quoted).toMatch(/^"[\p{L}\p{N}\p{M}]+"$/u);
		}
	});

	it('rewrite a negative alternative inside an AND, which FTS5 cannot say', () => {
		expect(toFtsMatch(ast('oil (prices OR NOT opec)'))).toBe('{title body} : ((("oil" AND "price") OR ("oil" NOT "opec")))');
		expect(toFtsMatch(ast('bank NOT (oil OR gas)'))).toBe('{title body} : ((("bank" NOT "oil") NOT "gas"))');
		expect(toFtsMatch(ast('bank NOT (oil NOT gas)'))).toBe('{title body} : ((("bank" NOT "oil") OR ("bank" AND "gas")))');
	});

	it('refuse a rewrite that would explode', () => {
		const groups = Array.from({ length: 12 }, (_, i) => `(w${i} OR NOT v${i})`).join(' ');
		expect(() => toFtsMatch(ast(`root ${groups}`))).toThrow(QueryTooComplexError);
		expect(MAX_EXPANDED_PHRASES).toBeGreaterThan(100);
	});

	describe.skipIf(!haveCorpora)('in a real FTS5 table over real articles: the same matches as matchesQuery', () => {
		let db: SQLite.Database;
		let docs: { id: number; doc: PreparedDocument }[];
		beforeAll(() => {
			const lines = (f: string, n: number) => readFileSync(resolve(CORPORA, f), 'utf8').split('\n').filter(Boolean).slice(0, n).map((l) => JSON.parse(l) as { title: string; body: string | null });
			const rows = [...lines('reuters21578.jsonl', 400), ...lines('livedoor.jsonl', 300)];
			db = new SQLite(':memory:');
			db.exec(`create virtual table f using fts5(title, body, meta, content='', contentless_delete=1, tokenize='ascii')`);
			const insert = db.prepare('insert into f (rowid, title, body, meta) values (?, ?, ?, ?)');
			docs = rows.map((r, i) => {
				insert.run(i + 1, indexTokenSequence(r.title).join(' '), indexTokenSequence(r.body ?? '').join(' '), 'o1 len s1');
				return { id: i + 1, doc: prepareDocument({ title: r.title, body: r.body ?? '' }) };
			});
		});
		afterAll(() => db?.close());

		it.each([
			'oil',
			'"oil prices"',
			'oil -opec',
			'oil (prices OR NOT opec)',
			'bank NOT (oil NOT gas)',
			'NOT (oil OR gas) bank',
			'econom* OR 携帯*',
			'携帯電話',
			'「携帯 電話」',
			'日本 -(映画 OR 女性)',
			'女性 OR (独女 -結婚)',
			'自民 党',
			'U.S. dlrs',
			'o1',
			'len s1',
			'"a" OR 1=1; --'
		])('%s', (q) => {
			const parsed = ast(q);
			const got = (db.prepare('select rowid from f where f match ? order by rowid').all(toFtsMatch(parsed)) as { rowid: number }[]).map((r) => r.rowid);
			const want = docs.filter((d) => matchesQuery(parsed, d.doc)).map((d) => d.id);
			expect(got).toEqual(want);
		});
	});
});

describe('tsquery text', () => {
	it('quotes lexemes, joins phrases with <-> and marks prefixes', () => {
		expect(toTsQuery(ast('oil'))).toBe(`'oil'`);
		expect(toTsQuery(ast('広報部 -求人'))).toBe(`(('広報' <-> '報部') & !'求人')`);
		expect(toTsQuery(ast('"oil prices" OR econom*'))).toBe(`(('oil' <-> 'price') | 'econom':*)`);
		expect(toTsQuery(ast('自民 党'))).toBe(`('自民' & '党':*)`);
		expect(toTsQuery(ast("it's"))).toBe(`'it'`);
	});
});

describe('relaxed tsquery for the GIN index', () => {
	it('turns phrases into their words ANDed, keeps excluded words and drops excluded phrases', () => {
		expect(toTsQueryRelaxed(ast('oil -opec'))).toBeNull();
		expect(toTsQueryRelaxed(ast('"oil prices" -opec'))).toBe(`(('oil' & 'price') & !'opec')`);
		expect(toTsQueryRelaxed(ast('携帯電話 -"smart phone"'))).toBe(`(('携帯' & '帯電' & '電話'))`);
		expect(toTsQueryRelaxed(ast('自民党 OR NOT "a b" x'))).toBe(`(('自民' & '民党') | ('x'))`);
		expect(toTsQueryRelaxed(ast('x (a OR NOT "c d")'))).toBe(`('x')`);
	});
});

describe('PostgreSQL match plan', () => {
	it('asks the index the query itself when it has no phrase', () => {
		expect(toPgMatch(ast('oil -opec'))).toEqual({ index: `('oil' & !'opec')`, check: null, sure: null, lede: false });
	});

	it('asks the index the relaxed query and checks the exact one, on the lede first only without NOT', () => {
		expect(toPgMatch(ast('"oil prices"'))).toEqual({ index: `('oil' & 'price')`, check: `('oil' <-> 'price')`, sure: null, lede: true });
		expect(toPgMatch(ast('携帯電話 OR 家電'))).toEqual({ index: `(('携帯' & '帯電' & '電話') | '家電')`, check: `(('携帯' <-> '帯電' <-> '電話') | '家電')`, sure: `('家電')`, lede: true });
		// The lede may lack the excluded word that the body has.
		expect(toPgMatch(ast('"oil prices" -opec'))).toEqual({ index: `(('oil' & 'price') & !'opec')`, check: `(('oil' <-> 'price') & !'opec')`, sure: null, lede: false });
		expect(toPgMatch(ast('映画 -アニメ'))).toEqual({ index: `('映画')`, check: `('映画' & !('アニ' <-> 'ニメ'))`, sure: `('映画' & !('アニ' & 'ニメ'))`, lede: false });
	});

	it('knows which matches need no check: an excluded phrase\'s words excluded together, alternatives without a phrase', () => {
		expect(toTsQuerySure(ast('oil -opec'))).toBeNull();
		expect(toTsQuerySure(ast('"oil prices"'))).toBeNull();
		expect(toTsQuerySure(ast('x -("b c" OR d)'))).toBe(`('x' & !(('b' & 'c') | 'd'))`);
		expect(toTsQuerySure(ast('x (a OR NOT "c d")'))).toBe(`('x' & ('a' | !('c' & 'd')))`);
		expect(toTsQuerySure(ast('自民党 OR NOT "a b" x'))).toBe(`((!('a' & 'b') & 'x'))`);
		// Excluding "a and the phrase" is sure when a or one of the phrase's words is missing.
		expect(toTsQuerySure(ast('x -(a "b c")'))).toBe(`('x' & !('a' & ('b' & 'c')))`);
		expect(toTsQuerySure(ast('x -(a OR NOT "b c")'))).toBeNull();
	});
});

describe('query facts for planning', () => {
	it('lists the words a result must contain and the script they are in', () => {
		expect(positiveLeaves(ast('oil -opec (gas OR 石油)')).map((l) => l.text)).toEqual(['oil', 'gas', '石油']);
		expect(queryScript(ast('日本 映画'))).toBe('ja');
		expect(queryScript(ast('oil -石油'))).toBe('latin');
		expect(queryScript(ast('oil 石油'))).toBe('mixed');
	});
});

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceError, type ArticleCandidate } from '../articles/candidate';
import {
	InvalidMappingError,
	parseArticleFile,
	parseDate,
	readArticleFile,
	rowToCandidate,
	suggestMapping,
	validateMapping,
	type Mapping
} from './mapping';

const CORPORA = resolve(process.cwd(), '../shared/data/corpora');
const haveCorpora = existsSync(CORPORA);
const CORPUS_FILES = [
	['reuters21578.jsonl', 19_043],
	['bbc.jsonl', 1_577],
	['livedoor.jsonl', 5_035]
] as const;

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('suggestMapping', () => {
	it('maps every field of the corpora files without help, preferring outlet over source', () => {
		const header = ['source', 'id', 'url', 'title', 'body', 'published_at', 'lang', 'outlet', 'byline', 'topics'];
		expect(suggestMapping(header)).toEqual({
			title: 'title',
			url: 'url',
			body: 'body',
			publishedAt: 'published_at',
			lang: 'lang',
			outletName: 'outlet',
			bylineRaw: 'byline',
			categories: 'topics',
			guid: 'id'
		});
	});

	it('recognises common English export headers regardless of case and punctuation', () => {
		const header = ['Headline', 'Link', 'Text', 'pubDate', 'Language', 'Source', 'Desk', 'Authors', 'Tags', 'GUID', 'Summary'];
		expect(suggestMapping(header)).toEqual({
			title: 'Headline',
			url: 'Link',
			body: 'Text',
			excerpt: 'Summary',
			publishedAt: 'pubDate',
			lang: 'Language',
			outletName: 'Source',
			section: 'Desk',
			bylineRaw: 'Authors',
			categories: 'Tags',
			guid: 'GUID'
		});
	});

	it('recognises Japanese headers, including full-width letters', () => {
		const header = ['見出し', 'ＵＲＬ', '本文', '掲載日', '言語', '媒体名', '面', '記者', 'カテゴリ'];
		expect(suggestMapping(header)).toEqual({
			title: '見出し',
			url: 'ＵＲＬ',
			body: '本文',
			publishedAt: '掲載日',
			lang: '言語',
			outletName: '媒体名',
			section: '面',
			bylineRaw: '記者',
			categories: 'カテゴリ'
		});
		expect(suggestMapping(['タイトル', '公開日', '著者', '部署'])).toEqual({
			title: 'タイトル',
			publishedAt: '公開日',
			bylineRaw: '著者',
			section: '部署'
		});
	});

	it('falls back to the head word of longer names, in both languages', () => {
		expect(suggestMapping(['Article Title', 'Publication date', 'Article URL', 'Author', 'Main text'])).toEqual({
			title: 'Article Title',
			url: 'Article URL',
			body: 'Main text',
			publishedAt: 'Publication date',
			bylineRaw: 'Author'
		});
		expect(suggestMapping(['記事タイトル', '記事本文', '配信日時', '担当記者'])).toEqual({
			title: '記事タイトル',
			body: '記事本文',
			publishedAt: '配信日時',
			bylineRaw: '担当記者'
		});
	});

	it('uses each column once and leaves unknown columns alone', () => {
		const mapping = suggestMapping(['title', 'title (2)', 'notes', 'date', 'time']);
		expect(mapping).toEqual({ title: 'title', publishedAt: 'date' });
	});
});

describe('validateMapping', () => {
	const header = ['headline', 'link'];

	it('accepts a mapping whose columns exist and whose title is mapped', () => {
		expect(validateMapping({ title: 'headline', url: 'link' }, header)).toEqual([]);
	});

	it('names the field for an unmapped title, a missing column and an unknown field', () => {
		expect(validateMapping({ url: 'link', body: 'text', colour: 'x' } as Mapping, header)).toEqual([
			{ field: 'title', message: 'title: choose the column that holds the title' },
			{ field: 'body', message: 'body: there is no column "text" in this file' },
			{ field: 'colour', message: 'colour: not an article field' }
		]);
	});

	it('treats an empty column name as "not mapped" (a form’s "none" choice)', () => {
		expect(validateMapping({ title: 'headline', url: '' }, header)).toEqual([]);
		expect(validateMapping({ title: '' }, header).map((e) => e.field)).toEqual(['title']);
	});
});

describe('parseDate', () => {
	const cases: [unknown, string | null][] = [
		['2010-05-21T14:30:00+0900', '2010-05-21T05:30:00.000Z'],
		['1987-02-26T15:01:01Z', '1987-02-26T15:01:01.000Z'],
		['2024-05-01T12:00:00.123456-05:00', '2024-05-01T17:00:00.123Z'],
		['2024-05-01', '2024-05-01T00:00:00.000Z'],
		['2024-05-01 08:30', '2024-05-01T08:30:00.000Z'],
		['2024/5/1', '2024-05-01T00:00:00.000Z'],
		['2024/05/01 23:59:59', '2024-05-01T23:59:59.000Z'],
		['2024年5月1日', '2024-05-01T00:00:00.000Z'],
		['２０２４年５月１日（水）', '2024-05-01T00:00:00.000Z'],
		['2024年5月1日 9時30分', '2024-05-01T09:30:00.000Z'],
		['2024年05月01日 18:05 JST', '2024-05-01T09:05:00.000Z'],
		['Mon, 01 May 2024 12:00:00 GMT', '2024-05-01T12:00:00.000Z'],
		['Wed, 02 Oct 2002 08:00:00 EST', '2002-10-02T13:00:00.000Z'],
		['Wed, 2 Oct 2002 15:00 JST', '2002-10-02T06:00:00.000Z'],
		['2 Oct 02 15:00:00 +0200', '2002-10-02T13:00:00.000Z'],
		['May 1, 2024', '2024-05-01T00:00:00.000Z'],
		['September 3rd, 2023 at 4:05 pm', '2023-09-03T16:05:00.000Z'],
		['25/12/2023', '2023-12-25T00:00:00.000Z'],
		['12/25/2023', '2023-12-25T00:00:00.000Z'],
		['20240501', '2024-05-01T00:00:00.000Z'],
		[1714564800, '2024-05-01T12:00:00.000Z'],
		['1714564800', '2024-05-01T12:00:00.000Z'],
		[1714564800123, '2024-05-01T12:00:00.123Z'],
		['', null],
		['  ', null],
		[null, null]
	];
	for (const [input, iso] of cases) {
		it(`reads ${JSON.stringify(input)}`, () => {
			expect(parseDate(input)).toEqual({ ok: true, iso });
		});
	}

	const bad: [unknown, string][] = [
		['yesterday', '"yesterday" is not a date this importer reads'],
		['2024-02-30', '"2024-02-30" is not a real date or time'],
		['2023-13-01', '"2023-13-01" is not a real date or time'],
		['03/04/2024', '"03/04/2024" could be day/month or month/day'],
		['Smarch 3, 2024', '"Smarch 3, 2024" is not a date this importer reads'],
		[-5, '-5 is not a date'],
		[{ year: 2024 }, 'is not a date']
	];
	for (const [input, reason] of bad) {
		it(`refuses ${JSON.stringify(input)} with a reason`, () => {
			expect(parseDate(input)).toEqual({ ok: false, reason });
		});
	}

	it('agrees with Date#toISOString across the whole range it accepts', () => {
		for (let i = 0; i < 2000; i++) {
			const t = Math.floor(((i * 7919) % 2000) / 2000 * 253_402_300_799_999);
			const iso = new Date(t).toISOString();
			expect(parseDate(iso)).toEqual({ ok: true, iso });
		}
	});
});

describe('rowToCandidate', () => {
	const header = ['見出し', 'URL', '本文', '公開日', '言語', '媒体名', '面', '記者', 'カテゴリ', 'ID'];
	const mapping = suggestMapping(header);

	it('turns a CSV row into a candidate: trims, joins title lines, unifies body line ends, splits categories', () => {
		const row = [
			'  円安が進む\n  輸出企業に追い風 ',
			' https://example.jp/a/1 ',
			'\r\n　第一段落。\r\n\r\n第二段落。\r\n',
			'2024年5月1日',
			'ja-JP',
			'毎日新聞',
			'経済面',
			'（山田太郎）',
			'経済、為替、経済',
			'12345'
		];
		expect(rowToCandidate(row, mapping, header, 'line 2')).toEqual({
			candidate: {
				location: 'line 2',
				url: 'https://example.jp/a/1',
				guid: '12345',
				title: '円安が進む 輸出企業に追い風',
				body: '第一段落。\n\n第二段落。',
				excerpt: null,
				publishedAt: '2024-05-01T00:00:00.000Z',
				lang: 'ja',
				outletName: '毎日新聞',
				section: '経済面',
				bylineRaw: '（山田太郎）',
				categories: ['経済', '為替']
			} satisfies ArticleCandidate
		});
	});

	it('reads JSON values: arrays of topics and authors, numbers, { name } objects', () => {
		const m: Mapping = { title: 'title', categories: 'topics', bylineRaw: 'authors', guid: 'id', publishedAt: 'ts', outletName: 'publisher' };
		const result = rowToCandidate(
			{ title: 'T', topics: [' crude ', 'ship', '', null], authors: ['Ann Lee', { name: 'Bo Chan' }], id: 42, ts: 1714564800, publisher: { name: 'Reuters' } },
			m,
			['title', 'topics', 'authors', 'id', 'ts', 'publisher'],
			'line 9'
		);
		expect(result.problem).toBeUndefined();
		expect(result.candidate).toMatchObject({
			categories: ['crude', 'ship'],
			bylineRaw: 'Ann Lee, Bo Chan',
			guid: '42',
			publishedAt: '2024-05-01T12:00:00.000Z',
			outletName: 'Reuters'
		});
	});

	it('keeps commas inside labels when the list is split by ; or |', () => {
		const m: Mapping = { title: 'title', categories: 'tags' };
		const labels = (tags: string) => rowToCandidate({ title: 'T', tags }, m, ['title', 'tags'], 'line 1').candidate?.categories;
		expect(labels('Mergers, acquisitions; Banks')).toEqual(['Mergers, acquisitions', 'Banks']);
		expect(labels('a|b | c')).toEqual(['a', 'b', 'c']);
		expect(labels('a, b,c')).toEqual(['a', 'b', 'c']);
		expect(labels('')).toEqual([]);
	});

	it('skips a row without a title, naming its line', () => {
		expect(rowToCandidate(['   ', 'https://x.test/'], { title: 't', url: 'u' }, ['t', 'u'], 'line 12')).toEqual({
			problem: { location: 'line 12', reason: 'no title' }
		});
		expect(rowToCandidate({ body: 'text only' }, { title: 'title', body: 'body' }, ['title', 'body'], 'line 3')).toEqual({
			problem: { location: 'line 3', reason: 'no title' }
		});
	});

	it('keeps the article when a date, URL or language cannot be read, and says what was left out', () => {
		const m: Mapping = { title: 'title', publishedAt: 'date', url: 'link', lang: 'language' };
		const result = rowToCandidate(
			{ title: 'Kept', date: '31/31/2024', link: 'n/a', language: 'Klingon!' },
			m,
			['title', 'date', 'link', 'language'],
			'line 7'
		);
		expect(result.candidate).toMatchObject({ title: 'Kept', publishedAt: null, url: null, lang: null });
		expect(result.problem).toEqual({
			location: 'line 7',
			reason:
				'imported, but link "n/a" is not a web address, so it was left empty; date "31/31/2024" is not a real date, so the article has no date; language "Klingon!" is not a language code, so it was left empty'
		});
	});

	it('maps language names to codes', () => {
		const lang = (language: string) =>
			rowToCandidate({ title: 'T', language }, { title: 'title', lang: 'language' }, ['title', 'language'], 'line 1').candidate?.lang;
		expect([lang('EN'), lang('en_GB'), lang('Japanese'), lang('日本語'), lang('JP'), lang('zh-Hant-TW')]).toEqual([
			'en', 'en', 'ja', 'ja', 'ja', 'zh'
		]);
		expect(lang('constructor')).toBeNull();
	});

	it('keeps a 5,000-character byline as it is', () => {
		const byline = `By ${'Someone Long-Named and '.repeat(250)}`.slice(0, 5000).trim();
		const result = rowToCandidate([ 'T', byline ], { title: 'title', bylineRaw: 'byline' }, ['title', 'byline'], 'line 2');
		expect(result.problem).toBeUndefined();
		expect(result.candidate?.bylineRaw).toBe(byline);
		expect(byline.length).toBeGreaterThanOrEqual(4999);
	});
});

describe('parseArticleFile: bad input', () => {
	it('reports each broken CSV record by line while the good ones import', () => {
		const byline = 'x'.repeat(5000);
		const text = [
			'title,url,byline,title', // 1: duplicate column name
			'Good one,https://a.test/1,Ann,dup',
			'"Broken,https://a.test/2,Bob,dup', // 3: unbalanced quote
			'Good two,https://a.test/3,Cy,dup',
			'Short row,https://a.test/4', // 5: wrong field count
			`Long byline,https://a.test/5,${byline},dup`,
			',https://a.test/6,Nobody,dup', // 7: no title
			'Good three,https://a.test/7,"Di, Ed",dup'
		].join('\r\n');
		const file = parseArticleFile(utf8(text), 'csv');
		expect(file.header).toEqual(['title', 'url', 'byline', 'title (2)']);
		expect(file.mapping).toEqual({ title: 'title', url: 'url', bylineRaw: 'byline' });
		expect(file.candidates.map((c) => [c.location, c.title, c.bylineRaw?.length])).toEqual([
			['line 2', 'Good one', 3],
			['line 4', 'Good two', 2],
			['line 6', 'Long byline', 5000],
			['line 8', 'Good three', 6]
		]);
		expect(file.problems).toEqual([
			{
				location: 'line 1',
				reason: 'the column name "title" appears more than once (columns 1 and 4); column 4 is called "title (2)" here'
			},
			{ location: 'line 3', reason: 'unbalanced quote (the field that starts here never closes)' },
			{ location: 'line 5', reason: '2 fields, the header has 4' },
			{ location: 'line 7', reason: 'no title' }
		]);
	});

	it('reports broken JSONL lines (not JSON, an array) while the good ones import', () => {
		const text = '{"title":"A","lang":"en"}\n{"title": B}\n\n[{"title":"C"}]\n{"body":"no title"}\n{"title":"D"}\n';
		const file = parseArticleFile(utf8(text), 'jsonl');
		expect(file.candidates.map((c) => [c.location, c.title])).toEqual([
			['line 1', 'A'],
			['line 6', 'D']
		]);
		expect(file.problems.map((p) => p.location)).toEqual(['line 2', 'line 4', 'line 5']);
		expect(file.problems[0].reason).toMatch(/^not a JSON object \(/);
		expect(file.problems[1].reason).toBe('not a JSON object (it is an array)');
		expect(file.problems[2].reason).toBe('no title');
	});

	it('accepts a JSON array (a .json export) and names its items', () => {
		const file = parseArticleFile(utf8('[\n {"headline":"A"},\n 7,\n {"headline":"B"}\n]'), 'jsonl');
		expect(file.candidates.map((c) => [c.location, c.title])).toEqual([
			['item 1', 'A'],
			['item 3', 'B']
		]);
		expect(file.problems).toEqual([{ location: 'item 2', reason: 'not a JSON object (it is a number)' }]);
	});

	it('gives up on the whole file, saying why, when it is empty or not the format at all', () => {
		expect(() => parseArticleFile(new Uint8Array(), 'csv')).toThrow('the file is empty');
		expect(() => parseArticleFile(utf8('\n\n'), 'jsonl')).toThrow('the file is empty');
		expect(() => parseArticleFile(utf8('title,url\nA,B\n'), 'jsonl')).toThrow(
			/^no line of this file is a JSON object, so it is not JSON Lines \(line 1: not a JSON object/
		);
		expect(() => parseArticleFile(utf8('[{"title": "A"},'), 'jsonl')).toThrow('starts like a JSON array but is not valid JSON');
	});

	it('gives zero candidates and no problem for a header-only CSV', () => {
		const file = parseArticleFile(utf8('title,url\r\n'), 'csv');
		expect(file).toMatchObject({ candidates: [], problems: [], header: ['title', 'url'] });
	});

	it('refuses a mapping that does not fit, carrying the header and a suggestion for the form', () => {
		let error: unknown;
		try {
			parseArticleFile(utf8('headline,link\nA,B\n'), 'csv', { url: 'link', body: 'text' });
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(InvalidMappingError);
		expect(error).toBeInstanceOf(SourceError);
		const e = error as InvalidMappingError;
		expect(e.message).toBe(
			'the column mapping does not fit this file: title: choose the column that holds the title; body: there is no column "text" in this file'
		);
		expect(e.header).toEqual(['headline', 'link']);
		expect(e.suggestion).toEqual({ title: 'headline', url: 'link' });
		expect(() => parseArticleFile(utf8('notes,misc\nA,B\n'), 'csv')).toThrow(InvalidMappingError);
	});
});

describe.skipIf(!haveCorpora)(`article files from the corpora${haveCorpora ? '' : ' (skipped: ../shared/data/corpora is missing)'}`, () => {
	const dir = haveCorpora ? mkdtempSync(join(tmpdir(), 'tegami-article-files-')) : '';
	afterAll(() => {
		if (dir) rmSync(dir, { recursive: true, force: true });
	});

	for (const [file, count] of CORPUS_FILES) {
		it(`imports all ${count} rows of ${file} with a title and a language, and no problem`, () => {
			const bytes = readFileSync(resolve(CORPORA, file));
			const started = performance.now();
			const parsed = parseArticleFile(bytes, 'jsonl');
			const ms = performance.now() - started;
			console.log(
				`${file}: ${count} rows, ${(bytes.length / 1e6).toFixed(1)} MB in ${ms.toFixed(0)} ms = ${Math.round((count / ms) * 1000)} rows/s, ${Math.round(bytes.length / 1e3 / ms)} MB/s`
			);
			expect(parsed.problems).toEqual([]);
			expect(parsed.candidates).toHaveLength(count);
			expect(parsed.encoding).toBe('utf-8');
			for (const c of parsed.candidates) {
				expect(c.title.length).toBeGreaterThan(0);
				expect(c.lang).toBe(file === 'livedoor.jsonl' ? 'ja' : 'en');
			}
		});
	}

	it('keeps each field of the corpora as found', () => {
		const text = readFileSync(resolve(CORPORA, 'livedoor.jsonl'), 'utf8');
		const first = JSON.parse(text.slice(0, text.indexOf('\n'))) as Record<string, unknown>;
		const [candidate] = parseArticleFile(utf8(text.slice(0, text.indexOf('\n'))), 'jsonl').candidates;
		expect(candidate).toEqual({
			location: 'line 1',
			url: first.url,
			guid: first.id,
			title: first.title,
			body: (first.body as string).trim(),
			excerpt: null,
			publishedAt: new Date(first.published_at as string).toISOString(),
			lang: 'ja',
			outletName: first.outlet,
			section: null,
			bylineRaw: null,
			categories: first.topics
		});
		const reuters = parseArticleFile(readFileSync(resolve(CORPORA, 'reuters21578.jsonl')), 'jsonl').candidates;
		const signed = reuters.filter((c) => c.bylineRaw !== null);
		expect(signed).toHaveLength(875);
		expect(reuters.filter((c) => c.publishedAt === null)).toHaveLength(1);
	});

	/** Writes the same slice of articles as CSV, quoted as RFC 4180 says, with the given header names. */
	function toCsv(rows: Record<string, unknown>[], header: string[]): string {
		const keys = ['title', 'url', 'body', 'published_at', 'lang', 'outlet', 'byline', 'topics', 'id'];
		const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
		const lines = [header.map(quote).join(',')];
		for (const r of rows) {
			lines.push(
				keys
					.map((k) => {
						const v = r[k];
						return quote(v === null || v === undefined ? '' : Array.isArray(v) ? v.join(';') : String(v));
					})
					.join(',')
			);
		}
		return lines.join('\r\n') + '\r\n';
	}

	function slice(file: string, n: number, keep: (r: Record<string, unknown>) => boolean = () => true) {
		return readFileSync(resolve(CORPORA, file), 'utf8')
			.split('\n')
			.filter(Boolean)
			.map((l) => JSON.parse(l) as Record<string, unknown>)
			.filter(keep)
			.slice(0, n);
	}

	const comparable = (c: ArticleCandidate) => ({ ...c, location: undefined });

	it('round-trips a CSV of real articles in UTF-8 and UTF-8 with a BOM, with English headers', () => {
		const rows = [...slice('reuters21578.jsonl', 300), ...slice('bbc.jsonl', 100), ...slice('livedoor.jsonl', 300)];
		const expected = parseArticleFile(utf8(rows.map((r) => JSON.stringify(r)).join('\n')), 'jsonl').candidates;
		const csv = toCsv(rows, ['Headline', 'Link', 'Body', 'Published at', 'Language', 'Outlet', 'Byline', 'Topics', 'ID']);
		for (const [name, bytes, encoding] of [
			['utf8.csv', Buffer.from(csv, 'utf8'), 'utf-8'],
			['utf8-bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv, 'utf8')]), 'utf-8-bom']
		] as const) {
			writeFileSync(join(dir, name), bytes);
			const parsed = parseArticleFile(readFileSync(join(dir, name)), 'csv');
			expect(parsed.encoding).toBe(encoding);
			expect(parsed.header[0]).toBe('Headline');
			expect(parsed.problems).toEqual([]);
			expect(parsed.candidates.map(comparable)).toEqual(expected.map(comparable));
		}
	});

	it('round-trips a Shift_JIS (CP932) CSV of livedoor articles with Japanese headers, incl. ①, ～ and 髙', () => {
		// Only articles CP932 can hold: Excel would have replaced anything else before we ever saw it.
		const fits = (r: Record<string, unknown>) => {
			const s = JSON.stringify(r);
			return iconv.decode(iconv.encode(s, 'cp932'), 'cp932') === s;
		};
		const rows = slice('livedoor.jsonl', 400, fits);
		rows.push({
			title: '髙島屋①号店 ～ 新装開店',
			url: 'https://example.jp/takashimaya',
			body: '①から⑳まで、～も髙も﨑も。\n\n第二段落。',
			published_at: '2024年5月1日',
			lang: 'ja',
			outlet: '髙知新聞',
			byline: '（髙橋一郎）',
			topics: ['経済', '流通'],
			id: 'cp932-sample'
		});
		const header = ['見出し', 'URL', '本文', '掲載日', '言語', '媒体名', '記者', 'カテゴリ', 'ID'];
		const csv = toCsv(rows, header);
		const bytes = iconv.encode(csv, 'cp932');
		writeFileSync(join(dir, 'sjis.csv'), bytes);

		const parsed = parseArticleFile(readFileSync(join(dir, 'sjis.csv')), 'csv');
		expect(parsed.encoding).toBe('shift_jis');
		expect(parsed.header).toEqual(header);
		expect(parsed.mapping).toEqual({
			title: '見出し',
			url: 'URL',
			body: '本文',
			publishedAt: '掲載日',
			lang: '言語',
			outletName: '媒体名',
			bylineRaw: '記者',
			categories: 'カテゴリ',
			guid: 'ID'
		});
		expect(parsed.problems).toEqual([]);
		const expected = parseArticleFile(utf8(rows.map((r) => JSON.stringify(r)).join('\n')), 'jsonl').candidates;
		expect(parsed.candidates.map(comparable)).toEqual(expected.map(comparable));
		expect(parsed.candidates).toHaveLength(401);
		expect(parsed.candidates.at(-1)).toMatchObject({
			title: '髙島屋①号店 ～ 新装開店',
			outletName: '髙知新聞',
			bylineRaw: '（髙橋一郎）',
			publishedAt: '2024-05-01T00:00:00.000Z'
		});
	});

	it('reads a generated CSV of every corpus article and reports its speed', () => {
		const rows = CORPUS_FILES.flatMap(([file]) => slice(file, Infinity));
		const bytes = Buffer.from(toCsv(rows, ['title', 'url', 'body', 'published_at', 'lang', 'outlet', 'byline', 'topics', 'id']));
		const started = performance.now();
		const file = readArticleFile(bytes, 'csv');
		const parsedAt = performance.now();
		const parsed = parseArticleFile(bytes, 'csv');
		const ms = performance.now() - parsedAt;
		console.log(
			`generated CSV: ${rows.length} rows, ${(bytes.length / 1e6).toFixed(1)} MB; decode+parse ${(parsedAt - started).toFixed(0)} ms, decode+parse+map ${ms.toFixed(0)} ms = ${Math.round((rows.length / ms) * 1000)} rows/s`
		);
		expect(file.records).toHaveLength(25_655);
		expect(parsed.problems).toEqual([]);
		expect(parsed.candidates).toHaveLength(25_655);
	});
});

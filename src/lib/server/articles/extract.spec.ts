import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from './candidate';
import { normaliseByline } from './byline';
import { detectLang, extractArticle, MAX_HTML_CHARS, parseDate, stripSiteName, type ExtractedArticle } from './extract';
import { measureBylines } from '../../../../scripts/measure-bylines';

const FIXTURES = resolve(process.cwd(), '../shared/data/fixtures');
const READABILITY = resolve(FIXTURES, 'readability-pages/test-pages');
const POSTLIGHT = resolve(FIXTURES, 'postlight-pages');
const haveReadability = existsSync(READABILITY);
const havePostlight = existsSync(resolve(POSTLIGHT, 'expected.json'));

function page(head: string, body: string, htmlAttributes = ''): string {
	return `<!doctype html><html${htmlAttributes}><head>${head}</head><body>${body}</body></html>`;
}

const ARTICLE_TEXT =
	'<article><p>The council approved the new budget on Tuesday after a long debate about the funding of schools and roads in the city.</p>' +
	'<p>Opponents said the plan would raise taxes for the families that can least afford it, and they promised to fight it at the next election.</p></article>';

describe('extractArticle: metadata in order of trust', () => {
	it('reads JSON-LD from @graph, resolving @id references and arrays of authors', () => {
		const jsonLd = {
			'@context': 'https://schema.org',
			'@graph': [
				{ '@type': 'WebSite', '@id': '#site', name: 'Example Times' },
				{ '@type': 'Person', '@id': '#jane', name: 'Jane Doe' },
				{
					'@type': 'NewsArticle',
					headline: 'Council approves budget',
					author: [{ '@id': '#jane' }, { '@type': 'Person', name: 'John Roe' }, 'Ann Lee'],
					datePublished: '2024-03-05T09:30:00+09:00',
					publisher: { '@type': 'Organization', name: 'Example Times' },
					inLanguage: 'en-GB',
					articleSection: ['Politics', 'Local']
				}
			]
		};
		const html = page(
			`<title>Council approves budget | Example Times</title>
			<script type="application/ld+json">${JSON.stringify(jsonLd)}</script>
			<meta property="og:title" content="A social headline">
			<meta name="author" content="Someone Else">`,
			ARTICLE_TEXT
		);
		const article = extractArticle(html, { url: 'https://example.com/2024/03/budget' });
		expect(article).toMatchObject({
			location: 'page',
			title: 'Council approves budget',
			bylineRaw: 'Jane Doe, John Roe, Ann Lee',
			publishedAt: '2024-03-05T00:30:00.000Z',
			outletName: 'Example Times',
			siteName: 'Example Times',
			lang: 'en',
			section: 'Politics',
			categories: ['Local'],
			url: 'https://example.com/2024/03/budget'
		});
	});

	it('falls back to OpenGraph and meta tags, dropping author URLs', () => {
		const html = page(
			`<title>Budget passes - Example Times</title>
			<meta property="og:site_name" content="Example Times">
			<meta property="article:author" content="https://www.facebook.com/example">
			<meta name="author" content="Jane Doe">
			<meta property="article:section" content="Politics">
			<meta property="og:locale" content="ja_JP">
			<meta name="pubdate" content="2024/03/05 18:00">
			<meta property="og:description" content="The council approved the budget.">
			<link rel="canonical" href="/2024/03/budget?ref=canonical">`,
			ARTICLE_TEXT
		);
		const article = extractArticle(html, { url: 'https://www.example.com/2024/03/budget' });
		expect(article).toMatchObject({
			title: 'Budget passes',
			bylineRaw: 'Jane Doe',
			section: 'Politics',
			lang: 'ja',
			// No offset on a Japanese page: JST.
			publishedAt: '2024-03-05T09:00:00.000Z',
			excerpt: 'The council approved the budget.',
			siteName: 'Example Times',
			url: 'https://www.example.com/2024/03/budget?ref=canonical'
		});
	});

	it('prefers a writer named anywhere over an author that is just the site', () => {
		const html = page(
			`<meta property="og:site_name" content="BBC News"><meta property="og:article:author" content="BBC News">
			<meta property="og:title" content="A story">`,
			`<article><p class="byline">By Sam Writer</p>${ARTICLE_TEXT}</article>`
		);
		expect(extractArticle(html).bylineRaw).toBe('By Sam Writer');
		const unsigned = page(`<meta property="og:site_name" content="BBC News"><meta name="author" content="BBC News"><title>A story</title>`, ARTICLE_TEXT);
		expect(extractArticle(unsigned).bylineRaw).toBe('BBC News');
	});

	it('takes co-authors marked with rel=author together, but not other articles\u2019 authors', () => {
		const html = page(
			'<title>A story</title>',
			`<div class="by"><a rel="author" href="/a">Julia Wong</a> and <a rel="author" href="/b">Sam Levin</a></div>${ARTICLE_TEXT}
			<aside><ul><li><a rel="author" href="/c">Other Person</a></li></ul></aside>`
		);
		expect(extractArticle(html).bylineRaw).toBe('Julia Wong, Sam Levin');
	});

	it('never throws on a bad date and gives null instead', () => {
		const html = page('<title>A story</title><meta property="article:published_time" content="yesterday-ish">', ARTICLE_TEXT);
		expect(extractArticle(html).publishedAt).toBeNull();
	});
});

describe('extractArticle: the byline shown in the page', () => {
	/** A page with a headline and body text; `head` and the markup around the headline vary. */
	function story(beforeHeadline: string, afterHeadline: string, head = '<title>Council approves budget | Example Times</title>'): string {
		return page(head, `${beforeHeadline}<article><h1>Council approves budget</h1>${afterHeadline}${ARTICLE_TEXT}</article>`);
	}

	it('takes the byline nearest the headline, not a related story\u2019s author box', () => {
		const html = story(
			'',
			'<p class="standfirst">The vote was close.</p><div class="meta">By <a href="/author/ann-lee">Ann Lee</a></div>',
			'<title>Council approves budget</title>'
		);
		const withRelated = html.replace(
			'</body>',
			'<section class="more-stories"><h2>Tax plan</h2><p class="byline">By Tom Ray</p></section></body>'
		);
		expect(extractArticle(withRelated).bylineRaw).toBe('By Ann Lee');
	});

	it('finds bylines by their markup: byline and author classes, data-testid, address, rel and itemprop', () => {
		const cases: Array<[string, string]> = [
			['<p class="article-byline">By Ann Lee</p>', 'By Ann Lee'],
			['<div class="PostHeader__AuthorNameSection">Ann Lee</div>', 'Ann Lee'],
			['<span data-testid="byline-text">By Ann Lee</span>', 'By Ann Lee'],
			['<address>Ann Lee</address>', 'Ann Lee'],
			['<span class="writer">山田太郎</span>', '山田太郎'],
			['<div>By <span class="name">Ann Lee</span></div>', 'By Ann Lee']
		];
		for (const [markup, byline] of cases) expect(extractArticle(story('', markup)).bylineRaw, markup).toBe(byline);
	});

	it('reads links to author pages with their co-authors and the label before them', () => {
		const html = story(
			'',
			'<ul class="details"><li>By: <a href="/writer/ann-lee/">Ann Lee</a>, <a href="/writer/tom-ray/">Tom Ray</a></li></ul>'
		);
		expect(extractArticle(html).bylineRaw).toBe('By: Ann Lee, Tom Ray');
		const profile = story('', '<div class="info"><a href="/profile/ann-lee-123">Ann Lee</a> <span>3h ago</span></div>');
		expect(extractArticle(profile).bylineRaw).toBe('Ann Lee');
	});

	it('keeps only the marked names of a box that also holds a job title, a date and share buttons', () => {
		const html = story(
			'',
			`<div class="byline"><div class="author-name"><span>By</span> <a href="/people/ann-lee">Ann Lee</a><span>Staff Writer</span></div>
			<time>March 3, 2024 9:00 AM</time><ul><li>Facebook</li><li>Twitter</li><li>Show more sharing options</li><li>Print</li></ul></div>`
		);
		expect(extractArticle(html).bylineRaw).toBe('By Ann Lee');
	});

	it('reads a byline box as a reader sees it, with a space between inline boxes and a line per block', () => {
		const html = story('', '<div class="post-byline"><div><span>By</span><span>by ANN LEE and\n TOM RAY</span></div><div>March 3, 2024</div></div>');
		const article = extractArticle(html);
		expect(article.bylineRaw).toBe('By by ANN LEE and TOM RAY\nMarch 3, 2024');
		expect(normaliseByline(article.bylineRaw).people.map((person) => person.name)).toEqual(['Ann Lee', 'Tom Ray']);
	});

	it('reads Japanese credit labels near the headline and keeps the illustrator apart', () => {
		const labelled = story('', '<div class="info"><time>2024/03/05</time><span class="gtm">著者：山田太郎</span></div>');
		expect(extractArticle(labelled).bylineRaw).toBe('著者：山田太郎');
		const credits = story(
			'',
			'<dl class="p-author"><dt>著者</dt><dd><a href="/author/1/">山田太郎</a></dd><dt>イラスト</dt><dd><a href="/author/2/">鈴木花子</a></dd></dl>'
		);
		const article = extractArticle(credits);
		expect(article.bylineRaw).toBe('著者 山田太郎\nイラスト 鈴木花子');
		expect(normaliseByline(article.bylineRaw, { lang: 'ja' }).people.map((person) => person.name)).toEqual(['山田太郎']);
	});

	it('skips a picture\u2019s credit, a standfirst, social accounts, account links and hidden text', () => {
		const html = story(
			'<header><a href="/users/sign_out">Log Out</a></header>',
			`<p class="credit">Photo: Ann Poe</p>
			<div class="byline-deck">Jane Doe is our city reporter. She has covered the council for a decade.</div>
			<div class="author-box"><span class="hidden">Hidden Person</span><a href="https://twitter.com/@tomray">Follow @tomray</a>
			<a href="/author/tom-ray">Tom Ray</a></div>`
		);
		expect(extractArticle(html).bylineRaw).toBe('Tom Ray');
	});

	it('finds the headline by the page title when a logo is the first <h1>, and the byline after it', () => {
		const html = page(
			'<title>Council approves budget_News_Example Daily</title>',
			`<a class="logo"><h1>Example Daily</h1></a><div class="user"><a href="/users/42">Sam Reader</a></div>
			<div class="main"><h2 class="title">Council approves budget</h2><div class="author"><span class="name">Ann Lee</span><span>2024-03-05 10:00:00</span></div>${ARTICLE_TEXT}</div>`
		);
		expect(normaliseByline(extractArticle(html).bylineRaw).people.map((person) => person.name)).toEqual(['Ann Lee']);
	});

	it('reads a long list of authors each marked on its own', () => {
		const names = Array.from({ length: 12 }, (_, i) => `Author${String.fromCharCode(65 + i)} Surname${String.fromCharCode(65 + i)}`);
		const list = names.map((name) => `<span class="citation-author">${name}</span>`).join(', ');
		const html = story('', `<div class="cite"><span class="citation-authors">${list}</span></div>`);
		expect(extractArticle(html).bylineRaw).toBe(names.join(', '));
	});

	it('lets structured metadata win, and a visible byline win over microdata and rel=author elsewhere', () => {
		const meta = story('', '<p class="byline">By Ann Lee</p>', '<title>Council approves budget</title><meta name="author" content="Tom Ray">');
		expect(extractArticle(meta).bylineRaw).toBe('Tom Ray');
		const elsewhere = story(
			'',
			'<p class="byline">By Ann Lee</p>'
		).replace('</body>', '<div class="bio"><a rel="author" href="/about">See full bio</a></div></body>');
		expect(extractArticle(elsewhere).bylineRaw).toBe('By Ann Lee');
	});

	it('ignores an author given as a path, and reads every name of one microdata author', () => {
		const path = story('', '', '<title>Council approves budget</title><meta property="article:author" content="/@annlee"><meta name="author" content="Ann Lee">');
		expect(extractArticle(path).bylineRaw).toBe('Ann Lee');
		const microdata = story(
			'',
			'<div itemprop="author" itemscope><span itemprop="name">Ann Lee</span><span itemprop="name">Tom Ray, The Associated Press</span>' +
				'<span itemprop="affiliation" itemscope><span itemprop="name">Example University</span></span></div>'
		);
		expect(extractArticle(microdata).bylineRaw).toBe('Ann Lee, Tom Ray, The Associated Press');
	});
});

describe('extractArticle: titles', () => {
	it('falls back to the first <h1>, then the URL, when the document has no title', () => {
		expect(extractArticle(page('', `<h1>Heading only</h1>${ARTICLE_TEXT}`)).title).toBe('Heading only');
		expect(extractArticle(page('', ARTICLE_TEXT), { url: 'https://news.example.com/2024/council-approves-budget.html' }).title).toBe(
			'council approves budget'
		);
	});

	it('keeps a title whose separated part is not the site name', () => {
		const html = page('<title>Brexit - what happens next</title><meta property="og:site_name" content="Example Times">', ARTICLE_TEXT);
		expect(extractArticle(html).title).toBe('Brexit - what happens next');
	});
});

describe('stripSiteName', () => {
	it('removes a known site name before or after any of the usual separators', () => {
		expect(stripSiteName('Headline here | The Verge', ['The Verge'])).toBe('Headline here');
		expect(stripSiteName('The Verge: Headline here', ['theverge'])).toBe('Headline here');
		expect(stripSiteName('見出しです：朝日新聞デジタル', ['朝日新聞デジタル'])).toBe('見出しです');
		expect(stripSiteName('見出しです｜日経ビジネス電子版', ['日経ビジネス電子版'])).toBe('見出しです');
		expect(stripSiteName('Headline — Section | Example News', ['Example News'])).toBe('Headline — Section');
		expect(stripSiteName('Well-known facts', ['known'])).toBe('Well-known facts');
	});
});

describe('parseDate', () => {
	it('reads the formats pages use, as UTC', () => {
		expect(parseDate('2016-12-16T21:19:00.000Z')).toBe('2016-12-16T21:19:00.000Z');
		expect(parseDate('2019-02-22T14:37:03+09:00')).toBe('2019-02-22T05:37:03.000Z');
		expect(parseDate('2016-10-13 17:00:00 -0400')).toBe('2016-10-13T21:00:00.000Z');
		expect(parseDate('20190305')).toBe('2019-03-05T00:00:00.000Z');
		expect(parseDate('2019年2月27日', 540)).toBe('2019-02-26T15:00:00.000Z');
		expect(parseDate('2019年02月22日 14時30分', 540)).toBe('2019-02-22T05:30:00.000Z');
		expect(parseDate('Fri, 16 Dec 2016 21:19:00 GMT')).toBe('2016-12-16T21:19:00.000Z');
		expect(parseDate('Thursday, December 22, 2016, 06:47 PM')).toBe('2016-12-22T18:47:00.000Z');
		expect(parseDate('1482432451')).toBe('2016-12-22T18:47:31.000Z');
	});

	it('gives null for what is not a date', () => {
		for (const bad of ['', 'soon', '2019-02-30', '2019-13-01', 'Article 12', '0000-00-00', '9999-01-01T00:00:00Z']) {
			expect(parseDate(bad)).toBeNull();
		}
	});
});

describe('detectLang', () => {
	it('tells Japanese and English apart and leaves other text unlabelled', () => {
		expect(detectLang('トレンドマイクロは3月9日、Wi-Fi利用時の通信を暗号化し保護するアプリを発表した。')).toBe('ja');
		expect(detectLang('The council approved the budget on Tuesday after a long debate.')).toBe('en');
		expect(detectLang('Lorem ipsum dolor sit amet, consectetur adipiscing elit.')).toBeNull();
		expect(detectLang('国务院总理李克强主持召开国务院常务会议')).toBeNull();
		expect(detectLang('12345 !!!')).toBeNull();
	});
});

describe('extractArticle: body and bad input', () => {
	it('gives plain text with a blank line between paragraphs and a newline for <br>', () => {
		const html = page(
			'<title>A story</title>',
			`<article><h2>Sub  heading</h2><p>First   paragraph with <b>bold</b>\n text that is long enough to be read as the main content of this page.</p>
			<p>Line one<br>line two of a paragraph that is also long enough to count as article text here.</p><ul><li>Item A</li><li>Item B</li></ul></article>`
		);
		expect(extractArticle(html).body).toBe(
			'Sub heading\n\nFirst paragraph with bold text that is long enough to be read as the main content of this page.\n\n' +
				'Line one\nline two of a paragraph that is also long enough to count as article text here.\n\nItem A\n\nItem B'
		);
	});

	it('throws SourceError for an empty page and for a page of scripts only', () => {
		expect(() => extractArticle('')).toThrow(SourceError);
		expect(() => extractArticle('   \n')).toThrow('the page is empty');
		const scripts = '<html><head><script>var a = 1;</script><style>p { color: red }</style></head><body><script>document.write("x")</script></body></html>';
		expect(() => extractArticle(scripts)).toThrow(new SourceError('no article found in the page'));
		expect(() => extractArticle('<script>var a = 1</script>', { url: 'https://example.com/a/story' })).toThrow(SourceError);
	});

	it('never runs scripts or inline event handlers', () => {
		const marker = globalThis as { __extractPwned?: number };
		const html = page(
			'<title>T</title><script>globalThis.__extractPwned = 1</script>',
			`<img src="x" onerror="globalThis.__extractPwned = 2"><p onclick="globalThis.__extractPwned = 3">Text here</p>
			<script>globalThis.__extractPwned = 4</script><iframe srcdoc="<script>globalThis.__extractPwned = 5</script>"></iframe>`
		);
		const article = extractArticle(html);
		expect(marker.__extractPwned).toBeUndefined();
		expect(article.body).toBe('Text here');
	});

	it('reads a pasted fragment without <html> or <body>', () => {
		const article = extractArticle('<p>Hello world, this is a pasted paragraph.</p><p>Second one.</p>');
		expect(article.body).toBe('Hello world, this is a pasted paragraph.\n\nSecond one.');
		expect(article.title).toBe('Hello world, this is a pasted paragraph.');
		const ja = extractArticle('<html lang="ja"><head><title>見出し｜サイト</title><meta property="og:site_name" content="サイト"></head><p>本文です。</p></html>');
		expect(ja).toMatchObject({ title: '見出し', body: '本文です。', lang: 'ja', siteName: 'サイト' });
	});

	it('makes the best of malformed HTML', () => {
		const article = extractArticle('<html><head><title>Broken page</title><body><h1>Broken page<p>First para <b>bold <i>x</b> y</i><p>Second <div>para');
		expect(article.title).toBe('Broken page');
		expect(article.body).toContain('First para bold x y');
		expect(article.body).toContain('Second');
		// An unclosed <title> swallows the rest of the page, as it does in a browser; the markup goes.
		expect(extractArticle('<title>Unclosed <p>text').title).toBe('Unclosed text');
	});

	it(`parses only the first ${MAX_HTML_CHARS.toLocaleString('en')} characters of a 20 MB page`, () => {
		const paragraph = `<p>${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(20)}</p>\n`;
		const parts = ['<html><head><title>Huge page</title></head><body><article><h1>Huge</h1>'];
		let size = parts[0].length;
		while (size < 20_000_000) {
			parts.push(paragraph);
			size += paragraph.length;
		}
		parts.push('<p>BEYOND THE CAP</p></article></body></html>');
		const html = parts.join('');
		expect(html.length).toBeGreaterThan(20_000_000);
		const article = extractArticle(html);
		expect(article.title).toBe('Huge page');
		expect(article.body!.length).toBeGreaterThan(4_000_000);
		expect(article.body!.length).toBeLessThan(MAX_HTML_CHARS);
		expect(article.body).not.toContain('BEYOND THE CAP');
	});
});

// ---------------------------------------------------------------------------------------------
// Real pages. Expected values are other extractors' outputs, so they are a floor, not the truth.

/** Case-, width- and quote-insensitive text for comparing titles. */
function norm(value: string | null | undefined): string {
	return (value ?? '').normalize('NFKC').toLowerCase().replace(/[\s"'‘’“”`]+/g, ' ').trim();
}

function sameTitle(got: string, expected: string): boolean {
	const a = norm(got);
	const b = norm(expected);
	return a !== '' && b !== '' && (a === b || a.includes(b) || b.includes(a));
}

function loose(value: string | null | undefined): string {
	return (value ?? '').normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

function rate(hits: number, total: number): number {
	return total === 0 ? 0 : hits / total;
}

describe.skipIf(!haveReadability)(
	`extractArticle on readability-pages${haveReadability ? '' : ' (skipped: ../shared/data/fixtures/readability-pages is missing)'}`,
	() => {
		const results = new Map<string, { article: ExtractedArticle; expected: { title?: string; lang?: string } }>();

		beforeAll(() => {
			for (const name of readdirSync(READABILITY).sort()) {
				const html = readFileSync(resolve(READABILITY, name, 'source.html'), 'utf8');
				const expected = JSON.parse(readFileSync(resolve(READABILITY, name, 'expected-metadata.json'), 'utf8'));
				results.set(name, { article: extractArticle(html, { url: 'http://fakehost/test/page.html' }), expected });
			}
		}, 300_000);

		it('extracts all 130 pages with a non-empty title and body', () => {
			expect(results.size).toBe(130);
			for (const [name, { article }] of results) {
				expect(article.title, name).not.toBe('');
				expect(article.body, name).toBeTruthy();
			}
		});

		it('agrees with the expected titles and languages on at least 94% of pages', () => {
			let titles = 0;
			let titled = 0;
			let langs = 0;
			let labelled = 0;
			for (const { article, expected } of results.values()) {
				if (expected.title) {
					titled++;
					if (sameTitle(article.title, expected.title)) titles++;
				}
				if (expected.lang) {
					labelled++;
					if (article.lang === expected.lang.toLowerCase().split(/[-_]/)[0]) langs++;
				}
			}
			// Measured: titles 124/127, languages 73/73.
			expect(rate(titles, titled)).toBeGreaterThanOrEqual(0.94);
			expect(rate(langs, labelled)).toBeGreaterThanOrEqual(0.95);
		});

		it('reads the Japanese page, Wikipedia and the Guardian as expected', () => {
			expect(results.get('yahoo-4')!.article).toMatchObject({
				title: 'トレンドマイクロ、公衆無線LANを安全に使うためのアプリ「フリーWi-Fiプロテクション」（CNET Japan）',
				lang: 'ja',
				siteName: 'Yahoo!ニュース'
			});
			expect(results.get('yahoo-4')!.article.body).toMatch(/^トレンドマイクロは3月9日、Wi-Fi利用時の通信を暗号化し/);
			// Wikipedia's JSON-LD `headline` is a description; its `name` is the title.
			expect(results.get('wikipedia-2')!.article.title).toBe('New Zealand');
			expect(results.get('nytimes-1')!.article).toMatchObject({
				title: 'United States to Lift Sudan Sanctions',
				bylineRaw: 'By JEFFREY GETTLEMAN',
				publishedAt: '2017-01-13T05:00:04.000Z',
				section: 'Africa'
			});
			expect(results.get('guardian-1')!.article).toMatchObject({
				// The columnist's name after " | " in og:title goes, as a site name would.
				title: "'What is the sea telling us?': Māori tribes fearful over whale strandings",
				bylineRaw: 'Eleanor Ainge Roy',
				outletName: 'the Guardian',
				publishedAt: '2019-01-03T07:00:02.000Z'
			});
		});
	}
);

interface PostlightExpected {
	fixture: string;
	url: string;
	title?: string;
	author?: string | null;
	date_published?: string | null;
}

describe.skipIf(!havePostlight)(
	`extractArticle on postlight-pages${havePostlight ? '' : ' (skipped: ../shared/data/fixtures/postlight-pages is missing)'}`,
	() => {
		const results = new Map<string, { article: ExtractedArticle; expected: PostlightExpected | undefined }>();

		beforeAll(() => {
			const expected: PostlightExpected[] = JSON.parse(readFileSync(resolve(POSTLIGHT, 'expected.json'), 'utf8'));
			const byFixture = new Map(expected.map((entry) => [entry.fixture, entry]));
			for (const file of readdirSync(resolve(POSTLIGHT, 'pages')).sort()) {
				const entry = byFixture.get(`pages/${file}`);
				const html = readFileSync(resolve(POSTLIGHT, 'pages', file), 'utf8');
				results.set(file.replace(/\.html$/, ''), { article: extractArticle(html, { url: entry?.url ?? null }), expected: entry });
			}
		}, 300_000);

		it('extracts all 85 pages with a non-empty title', () => {
			expect(results.size).toBe(85);
			for (const [name, { article }] of results) expect(article.title, name).not.toBe('');
		});

		it('agrees with the expected titles, dates and authors at the measured rates', () => {
			const tally = { title: [0, 0], date: [0, 0], author: [0, 0] };
			for (const { article, expected } of results.values()) {
				if (!expected) continue;
				if (expected.title) {
					tally.title[1]++;
					if (sameTitle(article.title, expected.title)) tally.title[0]++;
				}
				if (expected.date_published) {
					tally.date[1]++;
					if (article.publishedAt?.slice(0, 10) === expected.date_published.slice(0, 10)) tally.date[0]++;
				}
				if (expected.author) {
					tally.author[1]++;
					if (article.bylineRaw && loose(article.bylineRaw).includes(loose(expected.author))) tally.author[0]++;
				}
			}
			// Measured: titles 64/76 (the misses are mostly a social headline against the visible
			// one), dates 41/59 (the misses are dates only in the visible text), authors 59/67 (49
			// before bylines were read from the page; the misses are organisations, a band, a
			// handle, and expected values that keep UI text or a translator).
			expect(rate(tally.title[0], tally.title[1])).toBeGreaterThanOrEqual(0.8);
			expect(rate(tally.date[0], tally.date[1])).toBeGreaterThanOrEqual(0.65);
			expect(rate(tally.author[0], tally.author[1])).toBeGreaterThanOrEqual(0.85);
		});

		it('reads the Japanese news pages as expected', () => {
			expect(results.get('www.itmedia.co.jp')!.article).toMatchObject({
				title: 'Intel NUCで最新SSDを比較してみた',
				// The `writer` meta holds "田中宏昌，<b>ITmedia</b>"; the markup goes, the text stays raw.
				bylineRaw: '田中宏昌，ITmedia',
				lang: 'ja',
				siteName: 'ITmedia PC USER'
			});
			expect(results.get('www.lifehacker.jp')!.article).toMatchObject({
				bylineRaw: '島津健吾',
				publishedAt: '2019-03-08T13:00:00.000Z',
				siteName: 'ライフハッカー［日本版］'
			});
			expect(results.get('news.mynavi.jp')!.article).toMatchObject({
				title: '人気の圧縮・解凍ソフト「WinRAR」に脆弱性、アップデートを',
				publishedAt: '2019-02-22T08:23:44.000Z'
			});
			expect(results.get('wired.jp')!.article).toMatchObject({
				title: 'あの有名フォント「Helvetica」は、こうしてデジタル時代に生まれ変わった',
				// `article:author` names the writer; meta `author` only names the publisher's parent.
				bylineRaw: 'Arielle Pardes',
				publishedAt: '2019-04-25T07:00:25.000Z'
			});
			expect(results.get('japan.cnet.com')!.article.publishedAt).toBe('2019-04-13T00:00:00.000Z');
		});

		it('gives the people of the byline, end to end, with precision and recall of at least 0.9', () => {
			// The hand-typed gold people of scripts/measure-bylines.ts; measured 1.0 and 1.0 (0.93
			// and 0.78 before bylines were read from the page near the headline).
			const { endToEnd } = measureBylines(resolve(FIXTURES, '..'));
			expect(endToEnd.pagesMeasured).toBe(58);
			expect(endToEnd.precision, JSON.stringify(endToEnd.falsePositives)).toBeGreaterThanOrEqual(0.9);
			expect(endToEnd.recall, JSON.stringify(endToEnd.misses)).toBeGreaterThanOrEqual(0.9);
		}, 300_000);

		it('reads bylines shown in the page of the Japanese and English sites that give no metadata', () => {
			expect(results.get('japan.cnet.com')!.article.bylineRaw).toBe('松村太郎');
			expect(results.get('news.mynavi.jp')!.article.bylineRaw).toBe('著者：後藤大地');
			expect(results.get('bookwalker.jp')!.article.bylineRaw).toBe('著者 お米ゴハン\nイラスト 汐街コナ');
			expect(results.get('www.dmagazine.com')!.article.bylineRaw).toBe('By Kathy Wise');
			expect(results.get('www.politico.com')!.article.bylineRaw).toBe('By Steven Shepard');
		});

		it('reads English bylines from structured data, meta tags and rel=author links', () => {
			expect(results.get('www.theguardian.com')!.article.bylineRaw).toBe('Julia Carrie Wong, Sam Levin');
			expect(results.get('www.al.com')!.article.bylineRaw).toBe('Mike Cason | mcason@al.com');
			expect(results.get('uproxx.com')!.article.bylineRaw).toBe('Andrew Husband');
			expect(results.get('www.reuters.com')!.article.publishedAt).toBe('2016-12-14T06:02:15.000Z');
		});
	}
);

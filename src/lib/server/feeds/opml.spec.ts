import { describe, expect, it } from 'vitest';
import { SourceError } from '../articles/candidate';
import { parseOpml, toOpml, type OpmlFeed } from './opml';
import { readXml } from './parse';

const bytes = (s: string) => new TextEncoder().encode(s);

function sourceError(fn: () => unknown): string {
	try {
		fn();
	} catch (e) {
		if (e instanceof SourceError) return e.message;
		throw e;
	}
	throw new Error('expected a SourceError');
}

// The shape Feedly, Inoreader and NetNewsWire export: folders of feeds, some feeds at the top.
const EXPORT = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>Subscriptions</title></head>
  <body>
    <outline text="The Guardian" title="The Guardian" type="rss" xmlUrl="https://www.theguardian.com/us/rss" htmlUrl="https://www.theguardian.com/us"/>
    <outline text="経済" title="経済">
      <outline text="日経" type="rss" xmlUrl="https://www.nikkei.com/rss/news.rdf" htmlUrl="https://www.nikkei.com/"/>
      <outline text="Markets" title="Markets">
        <outline title="Reuters Markets" text="ignored when title is given" xmlURL="https://example.com/reuters/markets.xml"/>
      </outline>
      <outline text="Broken" xmlUrl="not a url"/>
      <outline text="FTP" xmlUrl="ftp://example.com/feed.xml"/>
    </outline>
    <outline text="Guardian again" xmlUrl="https://www.theguardian.com/us/rss"/>
    <outline text="Tagged" xmlUrl="https://blog.example/feed" category="/Tech/Web,/Other"/>
    <outline text="Just a note"/>
  </body>
</opml>`;

describe('parseOpml', () => {
	const { feeds, problems } = parseOpml(bytes(EXPORT));

	it('lists the feeds with their folders as categories, nested folders joined', () => {
		expect(feeds).toEqual([
			{ title: 'The Guardian', xmlUrl: 'https://www.theguardian.com/us/rss', htmlUrl: 'https://www.theguardian.com/us', category: null },
			{ title: '日経', xmlUrl: 'https://www.nikkei.com/rss/news.rdf', htmlUrl: 'https://www.nikkei.com/', category: '経済' },
			{ title: 'Reuters Markets', xmlUrl: 'https://example.com/reuters/markets.xml', htmlUrl: null, category: '経済 / Markets' },
			{ title: 'Tagged', xmlUrl: 'https://blog.example/feed', htmlUrl: null, category: 'Tech / Web' }
		]);
	});

	it('reports invalid and duplicate feed addresses by line, and skips outlines that are not feeds', () => {
		expect(problems).toEqual([
			{ location: 'line 11', reason: 'the feed address "not a url" is not a valid http(s) URL; skipped' },
			{ location: 'line 12', reason: 'the feed address "ftp://example.com/feed.xml" is not a valid http(s) URL; skipped' },
			{ location: 'line 14', reason: 'the feed https://www.theguardian.com/us/rss is already listed at line 5; skipped' }
		]);
	});

	it('refuses what is not OPML, clearly', () => {
		expect(sourceError(() => parseOpml(new Uint8Array()))).toMatch(/^empty/);
		expect(sourceError(() => parseOpml(bytes('<rss version="2.0"><channel/></rss>')))).toBe(
			'not an OPML file: the root element is <rss> (it is a feed: subscribe to it directly)'
		);
		expect(sourceError(() => parseOpml(bytes('<opml version="2.0"><head/></opml>')))).toBe('not an OPML file: it has no <body>');
		expect(sourceError(() => parseOpml(bytes('title,url\nA,https://a.example/')))).toBe('not an OPML file: the content is not XML');
	});

	it('keeps the feeds before a truncation and says where it broke', () => {
		const cut = EXPORT.slice(0, EXPORT.indexOf('<outline text="Markets"'));
		const r = parseOpml(bytes(cut));
		expect(r.feeds.map((f) => f.title)).toEqual(['The Guardian', '日経']);
		expect(r.problems.at(-1)).toEqual({
			location: expect.stringMatching(/^line 8, column \d+$/),
			reason: 'the file ends before it is complete (truncated?); the outlines before the break were read'
		});
	});

	it('reads an OPML file saved in Shift_JIS by its declaration', () => {
		// 経済 in Shift_JIS.
		const head = bytes('<?xml version="1.0" encoding="Shift_JIS"?><opml version="2.0"><body><outline text="');
		const tail = bytes('" xmlUrl="https://keizai.example/rss"/></body></opml>');
		const sjis = Uint8Array.of(...head, 0x8c, 0x6f, 0x8d, 0xcf, ...tail);
		expect(parseOpml(sjis).feeds[0].title).toBe('経済');
	});
});

describe('toOpml', () => {
	const feeds: OpmlFeed[] = [
		{ title: 'Top & "quoted" <feed>', xmlUrl: 'https://a.example/rss?x=1&y=2', htmlUrl: 'https://a.example/', category: null },
		{ title: '日本経済新聞', xmlUrl: 'https://www.nikkei.com/rss/news.rdf', htmlUrl: null, category: '経済' },
		{ title: 'Markets', xmlUrl: 'https://m.example/rss', htmlUrl: null, category: '経済 / Markets' },
		{ title: 'Tech one', xmlUrl: 'https://t.example/rss', htmlUrl: 'https://t.example/', category: 'Tech' }
	];
	const now = new Date('2024-05-01T09:00:00Z');
	const xml = toOpml(feeds, { title: 'Tegami <feeds> & more', now });

	it('writes well-formed OPML 2.0 with everything escaped', () => {
		const doc = readXml(xml);
		expect(doc.problems).toEqual([]);
		expect(doc.truncatedAt).toBeNull();
		expect(doc.root).toMatchObject({ local: 'opml', attrs: [expect.objectContaining({ local: 'version', value: '2.0' })] });
		expect(xml).toContain('<title>Tegami &lt;feeds&gt; &amp; more</title>');
		expect(xml).toContain('<dateCreated>Wed, 01 May 2024 09:00:00 GMT</dateCreated>');
		expect(xml).toContain('xmlUrl="https://a.example/rss?x=1&amp;y=2"');
		expect(xml).toContain('text="Top &amp; &quot;quoted&quot; &lt;feed&gt;"');
	});

	it('round-trips through parseOpml', () => {
		expect(parseOpml(bytes(xml))).toEqual({ feeds, problems: [] });
	});

	it('drops characters XML cannot carry instead of writing a broken file', () => {
		const out = toOpml([{ title: 'bell\u0007 and \ud800 lone surrogate', xmlUrl: 'https://x.example/', htmlUrl: null, category: null }], { title: 't' });
		expect(readXml(out).problems).toEqual([]);
		expect(parseOpml(bytes(out)).feeds[0].title).toBe('bell and lone surrogate');
	});
});

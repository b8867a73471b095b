/**
 * Extracts one article (main text and metadata) from a web page: HTML fetched from a URL by the
 * safe fetcher, or pasted by a user.
 *
 * Parsing uses linkedom (a light DOM without a browser: it never runs scripts, fires event
 * handlers or loads subresources) and Mozilla's Readability for the main content.
 *
 * Each field is taken from the first source that has it, in this order of trust:
 *
 * | field       | sources, most trusted first |
 * |-------------|-----------------------------|
 * | title       | JSON-LD `headline` (or `name`), `og:title`, `twitter:title`, `dc.title`, Readability's `<title>` heuristic, `<title>`, the first `<h1>` — each without a leading/trailing site name; then the URL's last path segment, then the first line of the text |
 * | bylineRaw   | JSON-LD `author`, `article:author` (a name, not a URL or path), meta `byl`/`byline`/`dc.creator`/`citation_author`/`author`/`parsely-author`/`sailthru.author` (and kin), the byline shown nearest the headline (see findVisibleByline), microdata `itemprop=author`, `rel=author` links, the byline Readability finds in the page; an author that only names the site itself is used last |
 * | publishedAt | JSON-LD `datePublished`, `article:published_time`, meta `date`/`pubdate`/`publish-date`/`dc.date`/`parsely-pub-date` (and kin), microdata `datePublished`, the first `<time datetime>` |
 * | lang        | `<html lang>`, `og:locale`, `content-language`, JSON-LD `inLanguage`, then a guess from the text |
 * | outletName  | JSON-LD `publisher.name`, `og:site_name`, `application-name` |
 * | siteName    | `og:site_name`, `application-name`, JSON-LD `publisher.name` |
 * | section     | JSON-LD `articleSection`, `article:section` |
 * | excerpt     | JSON-LD `description`, `og:description`, `twitter:description`, meta `description` |
 * | url         | `<link rel=canonical>`, `og:url` (when on the same site as the given URL), the given URL |
 * | body        | Readability's main content as plain text, else the whole `<body>` as text |
 *
 * Structured metadata comes first because publishers write it for machines; what is guessed from
 * the visible page comes after. For the byline, the page is read before Readability rearranges it:
 * the author box nearest the headline is taken, not the first one in the page, which is often a
 * related story's (microdata and rel=author anywhere in the page come after it for that reason). We read the metadata ourselves (with broader rules than
 * Readability's: `@graph`, `@id` references, arrays of authors, more meta names) and then remove
 * it from the document before Readability runs, so that its byline and title are what it found in
 * the page itself, a separate and lower-trust source. Its excerpt, siteName and publishedTime
 * would only repeat that metadata, so they are not used; an excerpt is kept only when the page
 * states one, not Readability's first paragraph, which the body already holds.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { JA_LABELS } from './byline-data';
import { creditLabelAtEnd, normaliseByline } from './byline';
import type { ArticleCandidate } from './candidate';
import { SourceError } from './candidate';

/**
 * Only the first 5,000,000 characters (about 5 MB) of a page are parsed. Real article pages in the
 * fixtures are at most ~2.2 MB; beyond the cap a page is almost always inline data or scripts,
 * and parsing 20 MB of DOM would take seconds and hundreds of MB for nothing.
 */
export const MAX_HTML_CHARS = 5_000_000;

/** What `extractArticle` returns: an article candidate plus the name the site gives itself. */
export type ExtractedArticle = ArticleCandidate & { siteName: string | null };

/** Extracts the main article of an HTML page; throws SourceError when there is nothing to read. */
export function extractArticle(html: string, options: { url?: string | null } = {}): ExtractedArticle {
	if (typeof html !== 'string' || html.trim() === '') throw new SourceError('the page is empty');
	const source = html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html;
	const givenUrl = httpUrl(options.url ?? null);

	let document: Document;
	try {
		document = parseHTML(withBody(source)).document as unknown as Document;
	} catch (error) {
		throw new SourceError(`the page could not be parsed as HTML (${(error as Error).message})`);
	}
	if (!document.documentElement || !document.body) throw new SourceError('no article found in the page');

	const meta = readMeta(document);
	const htmlLang = document.querySelector('html[lang]')?.getAttribute('lang')?.trim() || null;
	const rawTitle = clean(document.querySelector('title')?.textContent);
	const ld = readJsonLd(document, first(rawTitle, meta.get('og:title')));
	const firstH1 = clean(document.querySelector('h1')?.textContent);
	const microDate =
		document.querySelector('[itemprop="datePublished"]')?.getAttribute('content') ??
		document.querySelector('[itemprop="datePublished"]')?.getAttribute('datetime') ??
		null;
	const timeDate = document.querySelector('time[datetime]')?.getAttribute('datetime') ?? null;
	const microdataAuthor = readMarkedAuthors(document, '[itemprop~="author"]', (element) => {
		// One author element may hold several names ("Paul Wiseman", "Fatima Hussein"); a name in
		// an item of its own inside it (the author's employer) is not one of them.
		const named = Array.from(element.querySelectorAll('[itemprop~="name"]')).filter((name) => {
			const scope = name.parentElement?.closest('[itemscope]');
			return !scope || scope === element || !element.contains(scope);
		});
		if (named.length === 0) return shortName(element.getAttribute('content') ?? element.textContent);
		return joinNames(named.map((name) => shortName(name.getAttribute('content') ?? name.textContent)));
	});
	const relAuthor = readMarkedAuthors(document, 'a[rel~="author"]', (element) => shortName(element.textContent));
	const canonical = document.querySelector('link[rel~="canonical"]')?.getAttribute('href') ?? null;

	const siteName = first(meta.get('og:site_name'), meta.get('application-name'), ld.publisher);
	const outletName = first(ld.publisher, meta.get('og:site_name'), meta.get('application-name'));
	const url = chooseUrl(givenUrl, canonical, first(meta.get('og:url')));
	const siteNames = [siteName, outletName, ld.publisher, hostLabel(url)].filter(
		(name): name is string => !!name
	);
	// Before Readability, which rearranges the document.
	const visibleByline = findVisibleByline(document, [ld.headline, first(meta.get('og:title')), rawTitle], {
		siteName,
		outletName
	});

	const readable = runReadability(document);
	const body = readable.body;

	const structuredByline = chooseByline(
		[
			ld.authors,
			joinNames([...(meta.get('article:author') ?? []), ...(meta.get('og:article:author') ?? [])]),
			...AUTHOR_META.map((name) => joinNames(meta.get(name) ?? []))
		],
		siteNames
	);
	// Microdata and rel=author anywhere in the page come after the byline near the headline, which
	// takes them in when they are there: elsewhere they may be a related story's author or a
	// "See full bio" link.
	const bylineRaw = chooseByline(
		[structuredByline, visibleByline, microdataAuthor, relAuthor, joinNames([readable.byline])],
		siteNames
	);

	const documentTitle = [
		ld.headline,
		first(meta.get('og:title')),
		first(meta.get('twitter:title')),
		first(meta.get('dc.title'), meta.get('dc:title')),
		readable.title,
		rawTitle,
		firstH1
	]
		// Markup in a title is a broken page's (an unclosed <title> swallows the rest of it).
		.map((candidate) => clean(candidate?.replace(/<\/?[a-z][^>]*>/gi, ' ')))
		// Opinion pages put the columnist where others put the site ("Headline | Eleanor Ainge Roy").
		.map((candidate) => (candidate ? stripSiteName(candidate, bylineRaw ? [...siteNames, bylineRaw] : siteNames) : null))
		.find((candidate) => !!candidate);
	if (!documentTitle && !body) throw new SourceError('no article found in the page');
	const title = documentTitle || titleFromUrl(url) || firstLine(body!);

	const lang =
		primaryLang(htmlLang) ??
		primaryLang(first(meta.get('og:locale'))) ??
		primaryLang(first(meta.get('content-language'), meta.get('language'), meta.get('dc.language'))) ??
		primaryLang(ld.inLanguage) ??
		detectLang(body ?? `${title}`);

	const publishedAt =
		[
			ld.datePublished,
			first(meta.get('article:published_time'), meta.get('og:article:published_time')),
			...DATE_META.map((name) => first(meta.get(name))),
			microDate,
			timeDate
		]
			// Japanese pages write local time without an offset; JST (UTC+9) is what they mean.
			.map((value) => (value ? parseDate(value, lang === 'ja' ? 540 : 0) : null))
			.find((value) => !!value) ?? null;

	const excerpt = first(
		ld.description,
		meta.get('og:description'),
		meta.get('twitter:description'),
		meta.get('description')
	);

	return {
		location: 'page',
		url,
		guid: null,
		title,
		body,
		excerpt,
		publishedAt,
		lang,
		outletName,
		section: ld.section ?? first(meta.get('article:section')),
		bylineRaw,
		categories: uniqueLabels([
			...ld.sections.slice(1),
			...(meta.get('article:tag') ?? []),
			...ld.keywords
		]),
		siteName
	};
}

/**
 * The page with an explicit <body>. linkedom does not build the implied <html>/<body> of the HTML
 * parsing algorithm: without a <body> tag (a pasted fragment, minimal pages) the content would sit
 * outside document.body, where Readability never looks.
 */
function withBody(source: string): string {
	if (/<body[\s>]/i.test(source)) return source;
	const htmlTag = /<html\b[^>]*>/i.exec(source)?.[0] ?? '<html>';
	const inner = source.replace(/<!doctype[^>]*>/gi, '').replace(/<\/?html\b[^>]*>/gi, '');
	return `<!doctype html>${htmlTag}<head></head><body>${inner}</body></html>`;
}

// ---------------------------------------------------------------------------------------------
// Meta tags

/** Meta names that carry the byline, most specific first: `author` is often a CMS or company default. */
const AUTHOR_META = [
	'byl',
	'byline',
	'dc.creator',
	'dc:creator',
	'dcterms.creator',
	'citation_author',
	'author',
	'parsely-author',
	'sailthru.author',
	'article_author',
	'article.author',
	'cxenseparse:author',
	'writer'
];

const DATE_META = [
	'date',
	'pubdate',
	'publishdate',
	'publish-date',
	'publish_date',
	'dc.date',
	'dc.date.issued',
	'dcterms.date',
	'dcterms.created',
	'parsely-pub-date',
	'sailthru.date',
	'citation_publication_date',
	'citation_date',
	'og:published_time',
	'cxenseparse:recs:publishtime',
	'article:published',
	'datepublished'
];

/** Every <meta> value keyed by its lowercased name, property, itemprop or http-equiv, in order. */
function readMeta(document: Document): Map<string, string[]> {
	const values = new Map<string, string[]>();
	for (const element of Array.from(document.querySelectorAll('meta'))) {
		// A few publishers (and pages saved through some tools) put the value in `value`.
		const content = clean(element.getAttribute('content') ?? element.getAttribute('value'));
		if (!content) continue;
		const keys = new Set<string>();
		for (const attribute of ['name', 'property', 'itemprop', 'http-equiv']) {
			// `property` may hold several space-separated RDFa terms.
			for (const key of (element.getAttribute(attribute) ?? '').toLowerCase().split(/\s+/)) {
				if (key) keys.add(key);
			}
		}
		for (const key of keys) {
			const list = values.get(key);
			if (list) list.push(content);
			else values.set(key, [content]);
		}
	}
	return values;
}

/**
 * Author names marked up in the page: the first element matching `selector` and its siblings that
 * match too (co-authors listed together), not every match on the page, which would take in the
 * authors of related articles. `nameOf` picks the name inside one element.
 */
function readMarkedAuthors(document: Document, selector: string, nameOf: (element: Element) => string | null): string | null {
	const first = Array.from(document.querySelectorAll(selector)).find((element) => nameOf(element));
	if (!first) return null;
	const group = first.parentElement
		? Array.from(first.parentElement.children).filter((element) => element.matches(selector))
		: [first];
	return joinNames(group.map(nameOf));
}

/** A short text (an author's name, not a paragraph that happens to be marked as one), or null. */
function shortName(value: string | null | undefined): string | null {
	const name = clean(value);
	return name && name.length <= 100 ? name : null;
}

// ---------------------------------------------------------------------------------------------
// JSON-LD

const ARTICLE_TYPES = new Set([
	'article',
	'newsarticle',
	'blogposting',
	'reportagenewsarticle',
	'analysisnewsarticle',
	'opinionnewsarticle',
	'reviewnewsarticle',
	'backgroundnewsarticle',
	'techarticle',
	'scholarlyarticle',
	'report',
	'liveblogposting',
	'socialmediaposting'
]);

interface JsonLdArticle {
	headline: string | null;
	authors: string | null;
	datePublished: string | null;
	publisher: string | null;
	inLanguage: string | null;
	section: string | null;
	sections: string[];
	description: string | null;
	keywords: string[];
}

type JsonNode = Record<string, unknown>;

/**
 * The first article-typed JSON-LD object in the page (top level, arrays or `@graph`). `pageTitle`
 * settles `headline` against `name` when they differ (Wikipedia puts a description in `headline`).
 */
function readJsonLd(document: Document, pageTitle: string | null): JsonLdArticle {
	const empty: JsonLdArticle = {
		headline: null,
		authors: null,
		datePublished: null,
		publisher: null,
		inLanguage: null,
		section: null,
		sections: [],
		description: null,
		keywords: []
	};
	for (const script of Array.from(document.querySelectorAll('script'))) {
		if (!/ld\+json/i.test(script.getAttribute('type') ?? '')) continue;
		const data = parseJson(script.textContent ?? '');
		if (data === undefined) continue;
		const nodes: JsonNode[] = [];
		collectNodes(data, nodes, 0);
		const byId = new Map<string, JsonNode>();
		for (const node of nodes) if (typeof node['@id'] === 'string') byId.set(node['@id'], node);
		const article = nodes.find((node) => typesOf(node).some((type) => ARTICLE_TYPES.has(type)));
		if (!article) continue;
		const resolve = (value: unknown): unknown =>
			isObject(value) && typeof value['@id'] === 'string' && Object.keys(value).length === 1
				? (byId.get(value['@id']) ?? value)
				: value;

		const authorNodes = asArray(article.author ?? article.creator).map(resolve);
		const personNames: string[] = [];
		const otherNames: string[] = [];
		for (const author of authorNodes) {
			const name = nameOf(author);
			if (!name) continue;
			const isOrganization = typesOf(author).some((type) => /organi[sz]ation|corporation/.test(type));
			(isOrganization ? otherNames : personNames).push(name);
		}
		const sections = asArray(article.articleSection).map((value) => text(value)).filter(isString);
		const keywords = asArray(article.keywords)
			.flatMap((value) => (typeof value === 'string' ? value.split(',') : []))
			.map((value) => clean(value))
			.filter(isString);
		return {
			headline:
				chooseHeadline(text(article.headline), text(article.name), pageTitle) ??
				text(article.alternativeHeadline),
			authors: joinNames([...personNames, ...otherNames]),
			datePublished: text(article.datePublished) ?? text(article.dateCreated) ?? text(article.uploadDate),
			publisher: nameOf(resolve(asArray(article.publisher)[0])),
			// Either a plain tag or a schema.org Language ({ name: "English", alternateName: "en" }).
			inLanguage:
				text(article.inLanguage) ??
				(isObject(article.inLanguage) ? text(article.inLanguage.alternateName) : null),
			section: sections[0] ?? null,
			sections,
			description: text(article.description),
			keywords
		};
	}
	return empty;
}

function chooseHeadline(headline: string | null, name: string | null, pageTitle: string | null): string | null {
	if (!headline || !name || headline === name || !pageTitle) return headline ?? name;
	// `name` wins only when the page title is mostly that name; a short `name` inside a long title
	// is the site's own name (aktualne.cz puts "Aktuálně.cz" there).
	const title = loose(pageTitle);
	const key = loose(name);
	return title.includes(key) && !title.includes(loose(headline)) && key.length >= 0.4 * title.length ? name : headline;
}

/** JSON.parse that tolerates what pages commonly wrap or break their JSON-LD with. */
function parseJson(raw: string): unknown {
	const trimmed = raw
		.replace(/^\s*(?:\/\/\s*)?<!\[CDATA\[/, '')
		.replace(/(?:\/\/\s*)?\]\]>\s*$/, '')
		.replace(/^\s*<!--/, '')
		.replace(/-->\s*$/, '')
		.trim();
	if (!trimmed) return undefined;
	try {
		return JSON.parse(trimmed);
	} catch {
		// Raw newlines and tabs inside strings are the usual breakage; outside strings they are
		// whitespace anyway, so replacing every control character with a space is safe.
		try {
			return JSON.parse(trimmed.replace(/[\u0000-\u001f]+/g, ' '));
		} catch {
			return undefined;
		}
	}
}

function collectNodes(value: unknown, into: JsonNode[], depth: number): void {
	if (depth > 6) return;
	if (Array.isArray(value)) {
		for (const item of value) collectNodes(item, into, depth + 1);
	} else if (isObject(value)) {
		into.push(value);
		// Only @graph and mainEntity hold the page's own article; an ItemList's elements are
		// other articles (related links) and must not be mistaken for this one.
		if (value['@graph']) collectNodes(value['@graph'], into, depth + 1);
		if (value.mainEntity) collectNodes(value.mainEntity, into, depth + 1);
	}
}

function typesOf(value: unknown): string[] {
	if (!isObject(value)) return [];
	return asArray(value['@type'])
		.filter(isString)
		.map((type) => type.replace(/^https?:\/\/schema\.org\//i, '').toLowerCase());
}

function nameOf(value: unknown): string | null {
	if (typeof value === 'string') return clean(value);
	if (!isObject(value)) return null;
	const name = text(value.name);
	if (name) return name;
	const given = text(value.givenName);
	const family = text(value.familyName);
	return given || family ? [given, family].filter(Boolean).join(' ') : null;
}

/** A JSON-LD value as a trimmed string: plain strings, `{ "@value": … }`, or the first of an array. */
function text(value: unknown): string | null {
	if (typeof value === 'string') return clean(value);
	if (typeof value === 'number') return String(value);
	if (Array.isArray(value)) return value.length > 0 ? text(value[0]) : null;
	if (isObject(value) && '@value' in value) return text(value['@value']);
	return null;
}

function isObject(value: unknown): value is JsonNode {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
	return typeof value === 'string' && value !== '';
}

function asArray(value: unknown): unknown[] {
	if (value === undefined || value === null) return [];
	return Array.isArray(value) ? value : [value];
}

// ---------------------------------------------------------------------------------------------
// Readability and the text body

interface ReadableResult {
	title: string | null;
	byline: string | null;
	body: string | null;
}

function runReadability(document: Document): ReadableResult {
	// Metadata has been read already; taking it away makes Readability look for a byline and a
	// title in the visible page, giving us a separate, lower-trust source for each. Readability
	// drops scripts itself; dropping styles and templates too keeps their text out of the body
	// when we fall back to the whole <body>.
	for (const element of Array.from(document.querySelectorAll('meta, script, style, noscript, template'))) {
		element.remove();
	}
	let parsed: ReturnType<Readability<Node>['parse']> = null;
	try {
		parsed = new Readability<Node>(document, {
			disableJSONLD: true,
			serializer: (node) => node
		}).parse();
	} catch {
		// Readability can fail on pathological markup; the page's metadata is still worth having,
		// and the plain body text is the fallback below.
		parsed = null;
	}
	let body = parsed?.content ? blockText(parsed.content) : null;
	if (!body && document.body) body = blockText(document.body);
	return {
		title: clean(parsed?.title),
		byline: clean(parsed?.byline),
		body: body || null
	};
}

const BLOCK_TAGS = new Set([
	'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET',
	'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR',
	'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE', 'TBODY', 'THEAD', 'TFOOT',
	'TR', 'UL', 'CAPTION'
]);
/** Table cells are separated by a space; each row (a block) is a paragraph. */
const CELL_TAGS = new Set(['TD', 'TH']);
const SKIPPED_TAGS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'OBJECT', 'HEAD']);
const LINE_BREAK = '\u0000';

/**
 * Plain text of an element with a blank line between blocks and a newline for each <br>;
 * whitespace inside a block collapses to single spaces. Iterative, as real pages nest deeply.
 */
function blockText(root: Node): string {
	const paragraphs: string[] = [];
	let current = '';
	const flush = (): void => {
		const paragraph = current
			.split(LINE_BREAK)
			.map((line) => line.replace(/\s+/g, ' ').trim())
			.filter((line) => line !== '')
			.join('\n');
		if (paragraph) paragraphs.push(paragraph);
		current = '';
	};
	type Step = { node: Node; leaving: boolean; pre: boolean };
	const stack: Step[] = [{ node: root, leaving: false, pre: false }];
	while (stack.length > 0) {
		const { node, leaving, pre } = stack.pop()!;
		if (node.nodeType === 3) {
			const value = node.nodeValue ?? '';
			current += pre ? value.replace(/\r?\n/g, LINE_BREAK) : value;
			continue;
		}
		if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) continue;
		const tag = node.nodeType === 1 ? (node as Element).tagName.toUpperCase() : '';
		if (SKIPPED_TAGS.has(tag)) continue;
		if (tag === 'BR') {
			current += LINE_BREAK;
			continue;
		}
		const block = BLOCK_TAGS.has(tag);
		if (leaving) {
			if (block) flush();
			else if (CELL_TAGS.has(tag)) current += ' ';
			continue;
		}
		if (block) flush();
		stack.push({ node, leaving: true, pre });
		const children = node.childNodes;
		const inPre = pre || tag === 'PRE';
		for (let index = children.length - 1; index >= 0; index--) {
			stack.push({ node: children[index], leaving: false, pre: inPre });
		}
	}
	flush();
	return paragraphs.join('\n\n');
}

// ---------------------------------------------------------------------------------------------
// Titles

/** A hyphen or slash only separates when spaced; the others may be written tight, as in Japanese. */
const SEPARATOR = /\s+[-/]\s+|\s*[|｜–—:：»·／]\s*|\s*[-/]{2,}\s*/gu;

/**
 * Removes a site name that a title carries before or after a separator
 * ("Headline | The Site", "The Site: Headline", "見出し：朝日新聞デジタル"), only when that part
 * matches one of the site's known names, so that a real "A - B" headline is kept whole.
 */
export function stripSiteName(title: string, siteNames: readonly string[]): string | null {
	let current = clean(title);
	if (!current) return null;
	const known = siteNames.map(loose).filter((name) => name.length >= 2);
	const matchesSite = (part: string): boolean => {
		const key = loose(part);
		if (key.length < 2) return false;
		return known.some(
			(name) =>
				key === name ||
				(Math.min(key.length, name.length) >= 4 &&
					(name.includes(key) || key.includes(name)) &&
					Math.min(key.length, name.length) / Math.max(key.length, name.length) >= 0.5)
		);
	};
	for (let changed = true; changed && known.length > 0; ) {
		changed = false;
		const separators = Array.from(current.matchAll(SEPARATOR));
		// Suffix first ("Headline | Section | Site" loses only "Site"), trying the shortest tail.
		for (const separator of separators.slice().reverse()) {
			const head = clean(current.slice(0, separator.index));
			if (head && matchesSite(current.slice(separator.index + separator[0].length))) {
				current = head;
				changed = true;
				break;
			}
		}
		if (changed) continue;
		for (const separator of separators) {
			const rest = clean(current.slice(separator.index + separator[0].length));
			if (rest && matchesSite(current.slice(0, separator.index))) {
				current = rest;
				changed = true;
				break;
			}
		}
	}
	return current;
}

/** Lowercased letters and digits only, for comparing names that differ in spacing or punctuation. */
function loose(value: string): string {
	return value.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

function titleFromUrl(url: string | null): string | null {
	if (!url) return null;
	try {
		const segments = new URL(url).pathname.split('/').filter(Boolean);
		const last = segments.at(-1);
		if (!last) return null;
		const words = decodeURIComponent(last)
			.replace(/\.(?:s?html?|php|aspx?|jsp)$/i, '')
			.replace(/[-_+]+/g, ' ');
		return clean(words);
	} catch {
		return null;
	}
}

function firstLine(body: string): string {
	const line = body.split('\n').find((candidate) => candidate.trim() !== '') ?? body;
	return line.length > 120 ? `${line.slice(0, 119).trimEnd()}…` : line.trim();
}

// ---------------------------------------------------------------------------------------------
// Bylines

/**
 * The first usable byline in trust order. Authors that only name the site itself ("ITmedia",
 * "BBC News") are publisher placeholders, used only when nothing names a writer.
 */
function chooseByline(candidates: (string | null)[], siteNames: readonly string[]): string | null {
	const siteKeys = new Set(siteNames.map(loose).filter(Boolean));
	let placeholder: string | null = null;
	for (const candidate of candidates) {
		if (!candidate) continue;
		if (siteKeys.has(loose(candidate))) {
			placeholder ??= candidate;
			continue;
		}
		return candidate;
	}
	return placeholder;
}

/** Joins author strings with ", ", dropping URLs and exact repeats; null when none remain. */
function joinNames(values: readonly (string | null | undefined)[]): string | null {
	const names: string[] = [];
	for (const value of values) {
		// Some CMSs leave markup in byline metadata ("田中宏昌，<b>ITmedia</b>").
		const name = clean(value?.replace(/<[^>]*>/g, ''));
		if (!name || isUrl(name) || names.includes(name)) continue;
		names.push(name);
	}
	return names.length > 0 ? names.join(', ') : null;
}

/** A URL or a site-relative path ("/@timoreilly", "/author/jane-doe"), which some CMSs put where a name belongs. */
function isUrl(value: string): boolean {
	return /^(?:https?:)?\/\/\S+$|^www\.\S+$|^\/\S*$/i.test(value);
}

// ---------------------------------------------------------------------------------------------
// Bylines shown in the page

/**
 * How far from the headline a byline may be, in visible characters (whitespace not counted).
 * Bylines sit right under the headline, or under a standfirst and a lead picture's caption;
 * a little before it for pages that put the author above the title.
 */
const BYLINE_AFTER_HEADLINE = 1_500;
const BYLINE_BEFORE_HEADLINE = 300;
/** Longest text read whole as one byline box; an author box with a biography is longer. */
const MAX_BYLINE_CHARS = 200;
/** Longest box read for the names it marks (a paper's eighteen authors, each in its own element). */
const MAX_AUTHOR_LIST_CHARS = 2_000;
/**
 * Most lines in a byline box read whole. A box with more holds page furniture too (share buttons,
 * text-size controls) whose labels would pass for names; a tighter box inside it gets its turn.
 */
const MAX_BYLINE_LINES = 6;
/** How many candidates near the headline are tried before giving up. */
const MAX_BYLINE_CANDIDATES = 40;

/** Class, id and data-* values that mark a byline or an author's name. */
const BYLINE_MARK = /by-?line|author|writer|reporter|journalist|contributor|credit/i;
/**
 * Parts of an author box that hold something other than the name (a portrait, a biography,
 * buttons), and the credits of pictures rather than of the article.
 */
const NOT_A_NAME_MARK = /avatar|image|img|photo|picture|media|caption|thumb|bio|desc|social|follow|share|twitter|mail|icon/i;
/** Class and id values of an element that holds one author's name and nothing else. */
const NAME_MARK = /author-?(?:name|link)|byline-?(?:author|name|link)|(?:writer|reporter|contributor)-?name/i;
/** Containers of other articles or of page furniture (class and id values): an author named there wrote something else. */
const ELSEWHERE_MARK =
	/related|recommend|more-?(?:stories|articles|from|news)|popular|trending|most-?read|sidebar|comment|promo|teaser|newsletter|read-?next|up-?next|next-?(?:article|post|story)|carousel|scroller|widget|breadcrumb|menu/i;
const ELSEWHERE_TAGS = new Set(['NAV', 'ASIDE', 'FOOTER', 'FIGURE', 'FIGCAPTION', 'BLOCKQUOTE', 'FORM']);
/** Elements whose text is never part of a byline: scripts, controls, pictures. */
const UNSEEN_TAGS = new Set([
	'SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'OBJECT', 'HEAD',
	'BUTTON', 'SELECT', 'OPTION', 'TEXTAREA', 'INPUT', 'IMG'
]);

/**
 * Links to an author's page: /author/jane-doe, /writers/jane, /staff/jane, /people/jane, /by/jane,
 * /u/jane, /@jane, ?author=12. The segment after the folder is the person, so a bare "/authors/"
 * index is not one.
 */
const PROFILE_LINK =
	/\/(?:authors?|autor(?:es)?|auteurs?|writers?|bylines?|contributors?|columnists?|reporters?|journalists?|staff|people|profiles?|bio|by|editors?|users?|u)\/[^/?#\s]+|\/@[\w.-]+|[?&]author=\w/i;
/**
 * Not an author's page on the site: the reader's own account pages, which share paths with
 * authors' (/users/sign_out), and the author's accounts on social networks (a "Follow" button).
 */
const NOT_PROFILE_LINK =
	/(?:sign|log)[-_]?(?:in|out|up|off)|register|settings|account|password|\/(?:edit|new)(?:[/?#]|$)|^(?:https?:)?\/\/(?:[\w-]+\.)*(?:twitter|x|facebook|instagram|linkedin|youtube|tiktok|threads|pinterest)\.(?:com|net)(?:[/?#]|$)/i;

/**
 * A label that opens a byline: "By Jane Doe", "Written by …", "Author: …", after a little
 * decoration ("— By", "// By"). A capital after it: "By 2020, …" is prose.
 */
const EN_BYLINE_LABEL =
	/^[\s\p{P}\p{S}]{0,3}(?:(?:[Ww]ritten|[Ss]tory|[Ww]ords|[Tt]ext|[Rr]eport(?:ed|ing)?|[Pp]osted|[Aa]rticle)\s+)?[Bb][Yy]\s*:?\s+[\p{Lu}\p{Lt}]|^[\s\p{P}\p{S}]{0,3}(?:[Aa]uthors?|[Ww]riter|[Rr]eporter|[Bb]yline)\s*:\s*\S/u;
/** Japanese labels of the writer ("著者：…", "文●…", "（記者・…）"), with the separator that must follow. */
const JA_BYLINE_LABEL = new RegExp(
	`^[（(【\\[]?(?:${JA_LABELS.filter(([, role]) => role === 'author' || role === 'reporter')
		.map(([label]) => label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
		.sort((a, b) => b.length - a.length)
		.join('|')})\\s*[:：●・/／=＝|｜】\\]）)]\\s*\\S`,
	'u'
);

interface Placed {
	element: Element;
	/** Visible characters (whitespace not counted) before the element, and up to its end, in document order. */
	start: number;
	end: number;
}

/**
 * The byline a reader sees near the headline, as text ("By Jane Doe, John Roe"), or null.
 *
 * Candidates are boxes marked as a byline or an author (class, id or data-* value containing
 * byline/author/writer/reporter/journalist/contributor/credit, `itemprop=author`, `rel=author`,
 * `<address>`), links to an author's page, and short texts that open with a byline label ("By …",
 * "著者：…"). Those within reach of the headline and outside other articles' boxes (related links,
 * navigation, sidebars, comments, captions) are tried nearest first, the outermost of nested boxes
 * first so that co-authors stay together; the first whose text credits an author, a reporter or
 * an agency wins (a picture's credit does not).
 */
function findVisibleByline(
	document: Document,
	titleHints: readonly (string | null)[],
	context: { siteName: string | null; outletName: string | null }
): string | null {
	if (!document.body) return null;
	const placed = placeElements(document.body);
	const headline = findHeadline(placed, titleHints);
	if (!headline) return null;

	const candidates: Array<{ item: Placed; distance: number }> = [];
	for (const item of placed) {
		const { element, start, end } = item;
		if (end === start) continue;
		let distance: number;
		if (start >= headline.end) distance = start - headline.end;
		else if (end <= headline.start) distance = (headline.start - end) * (BYLINE_AFTER_HEADLINE / BYLINE_BEFORE_HEADLINE);
		else continue; // the headline itself, or a box around it
		if (distance > BYLINE_AFTER_HEADLINE) continue;
		if (isProfileLink(element) || isMarkedByline(element) || (end - start <= 120 && opensWithLabel(element))) {
			candidates.push({ item, distance });
		}
	}
	candidates.sort((a, b) => a.distance - b.distance || b.item.end - b.item.start - (a.item.end - a.item.start));

	let tried = 0;
	for (const { item } of candidates) {
		if (tried >= MAX_BYLINE_CANDIDATES) break;
		if (isElsewhere(item.element, headline.element)) continue;
		tried++;
		// A lone author's name is read with the block around it, for its co-authors and its label.
		const box = isNameElement(item.element) ? blockAround(item.element) : item.element;
		const length = visibleLength(box);
		const text = length <= MAX_AUTHOR_LIST_CHARS ? bylineOfBox(box, length) : null;
		if (!text || isProse(text)) continue;
		const found = normaliseByline(text, context);
		// A picture's credit ("Photo: Jane Doe") or an editor's is not the article's byline.
		if (found.people.some((person) => person.role === 'author' || person.role === 'reporter') || found.agencies.length > 0) {
			return text;
		}
	}
	return null;
}

/**
 * Sentences rather than a credit: a standfirst or a biography next to the headline ("Jane Doe is a
 * reporter. She covers …", "…を遂げた。まるで…").
 */
function isProse(text: string): boolean {
	return /。\s*\S|\p{Ll}{2}[.!?]\s+\p{Lu}[\p{L}'’]*(?: [\p{Ll}'’]+){2}/u.test(text);
}

/** Every element under `root` with the span of visible text it covers. Iterative, as pages nest deeply. */
function placeElements(root: Element): Placed[] {
	const placed: Placed[] = [];
	let count = 0;
	const stack: Array<{ node: Node; leaving: Placed | null }> = [{ node: root, leaving: null }];
	while (stack.length > 0) {
		const { node, leaving } = stack.pop()!;
		if (leaving) {
			leaving.end = count;
			continue;
		}
		if (node.nodeType === 3) {
			count += (node.nodeValue ?? '').replace(/\s+/g, '').length;
			continue;
		}
		if (node.nodeType !== 1 || isUnseen(node as Element)) continue;
		const item: Placed = { element: node as Element, start: count, end: count };
		placed.push(item);
		stack.push({ node, leaving: item });
		const children = node.childNodes;
		for (let index = children.length - 1; index >= 0; index--) stack.push({ node: children[index], leaving: null });
	}
	return placed;
}

function isUnseen(element: Element): boolean {
	if (UNSEEN_TAGS.has(element.tagName.toUpperCase())) return true;
	if (element.hasAttribute('hidden') || element.getAttribute('aria-hidden') === 'true') return true;
	// The usual utility classes for hidden elements (Bootstrap's among them), including text only
	// for screen readers, which labels icons ("Twitter", "Email") rather than naming anyone.
	const classes = element.getAttribute('class') ?? '';
	if (/(?:^|\s)(?:hidden|hide|d-none|is-hidden|sr-only|visually-hidden|screen-reader-text)(?:\s|$)/i.test(classes)) return true;
	return /display\s*:\s*none|visibility\s*:\s*hidden/i.test(element.getAttribute('style') ?? '');
}

/** Visible characters in an element, whitespace not counted. */
function visibleLength(element: Element): number {
	return placeElements(element)[0]?.end ?? 0;
}

/**
 * The article's headline: the <h1> that matches the page's title (a page may have others, for its
 * logo or a related story), else such an <h2>, else the first <h1> inside <article> or <main>,
 * else the first <h1> that is not a link. Without any, the start of <article> or <main> stands in.
 */
function findHeadline(placed: readonly Placed[], titleHints: readonly (string | null)[]): Placed | null {
	const hints = titleHints.map((hint) => loose(hint ?? '')).filter((hint) => hint.length >= 4);
	// Most of the title, not a part of it: the site's name in a logo <h1> is in the title too.
	const matches = (item: Placed): boolean => {
		const text = loose(item.element.textContent ?? '');
		return (
			text.length >= 4 &&
			hints.some(
				(hint) =>
					(hint.includes(text) && text.length >= 0.5 * hint.length) ||
					(text.includes(hint) && hint.length >= 0.5 * text.length)
			)
		);
	};
	const headings = (tag: string) => placed.filter((item) => item.element.tagName.toUpperCase() === tag && item.end > item.start);
	const h1 = headings('H1');
	const matching = h1.find(matches) ?? headings('H2').find(matches);
	if (matching) return matching;
	// A headline reworded for sharing ("…新聞も家具も簡単に固定" against "…家具の固定も簡単") still
	// shares most of its character pairs with the title.
	let best: Placed | null = null;
	let bestScore = 0.5;
	for (const item of h1) {
		const text = loose(item.element.textContent ?? '');
		for (const hint of hints) {
			const score = pairSimilarity(text, hint);
			if (score > bestScore) [best, bestScore] = [item, score];
		}
	}
	if (best) return best;
	const inArticle = h1.find((item) => item.element.closest('article, main, [role="main"]'));
	const unlinked = h1.find((item) => !item.element.closest('a'));
	if (inArticle ?? unlinked) return inArticle ?? unlinked ?? null;
	const container = placed.find((item) => /^(?:ARTICLE|MAIN)$/.test(item.element.tagName.toUpperCase()));
	return container ? { ...container, end: container.start } : null;
}

/** Dice similarity of two texts' character pairs, from 0 to 1. */
function pairSimilarity(a: string, b: string): number {
	if (a.length < 2 || b.length < 2) return 0;
	const pairs = new Map<string, number>();
	for (let index = 0; index < a.length - 1; index++) {
		const pair = a.slice(index, index + 2);
		pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
	}
	let shared = 0;
	for (let index = 0; index < b.length - 1; index++) {
		const pair = b.slice(index, index + 2);
		const count = pairs.get(pair) ?? 0;
		if (count > 0) {
			shared++;
			pairs.set(pair, count - 1);
		}
	}
	return (2 * shared) / (a.length - 1 + b.length - 1);
}

function isMarkedByline(element: Element): boolean {
	if (element.tagName.toUpperCase() === 'ADDRESS') return true;
	if (/(?:^|\s)author(?:\s|$)/i.test(`${element.getAttribute('itemprop') ?? ''} ${element.getAttribute('rel') ?? ''}`)) return true;
	for (const attribute of Array.from(element.attributes)) {
		const name = attribute.name.toLowerCase();
		if (name !== 'class' && name !== 'id' && !name.startsWith('data-')) continue;
		if (BYLINE_MARK.test(attribute.value) && !NOT_A_NAME_MARK.test(attribute.value)) return true;
	}
	return false;
}

function isProfileLink(element: Element): boolean {
	if (element.tagName.toUpperCase() !== 'A') return false;
	const href = (element.getAttribute('href') ?? '').trim();
	if (!PROFILE_LINK.test(href) || NOT_PROFILE_LINK.test(href)) return false;
	return !NOT_A_NAME_MARK.test(element.getAttribute('class') ?? '') && !!clean(element.textContent);
}

/** An element that holds one author's name: an author link, or a name marked as such. */
function isNameElement(element: Element): boolean {
	if (isProfileLink(element)) return true;
	if (!clean(element.textContent)) return false;
	if (/(?:^|\s)author(?:\s|$)/i.test(element.getAttribute('rel') ?? '')) return true;
	if (/(?:^|\s)name(?:\s|$)/i.test(element.getAttribute('itemprop') ?? '')) {
		// The author's own name, not that of an item inside it (the author's employer).
		const item = element.parentElement?.closest('[itemscope], [itemprop~="author"]');
		if (item && /(?:^|\s)author(?:\s|$)/i.test(item.getAttribute('itemprop') ?? '')) return true;
	}
	return NAME_MARK.test(`${element.getAttribute('class') ?? ''} ${element.getAttribute('id') ?? ''}`);
}

function opensWithLabel(element: Element): boolean {
	const text = clean(element.textContent);
	return !!text && (EN_BYLINE_LABEL.test(text) || JA_BYLINE_LABEL.test(text));
}

/**
 * Whether an element sits in another article's box or in page furniture, rather than in this
 * article. Only boxes below the one shared with the headline count: that one and those above it
 * are the page's layout ("layout-with-sidebar").
 */
function isElsewhere(element: Element, headline: Element): boolean {
	for (let node: Element | null = element; node && !node.contains(headline); node = node.parentElement) {
		if (ELSEWHERE_TAGS.has(node.tagName.toUpperCase())) return true;
		if (ELSEWHERE_MARK.test(`${node.getAttribute('class') ?? ''} ${node.getAttribute('id') ?? ''}`)) return true;
	}
	return false;
}

/** The nearest block that holds an inline element (at most three levels up). */
function blockAround(element: Element): Element {
	let block = element;
	for (let depth = 0; depth < 3 && block.parentElement; depth++) {
		block = block.parentElement;
		if (BLOCK_TAGS.has(block.tagName.toUpperCase())) break;
	}
	return block;
}

/**
 * The byline a box shows. When the box marks its names (author links, `itemprop=name`, an
 * "author-name" class), only those names are taken, each with the credit label printed before it
 * ("By", "著者", "イラスト"), so that a job title, a section name, a date or share buttons in the
 * same box are left out. Otherwise the box's whole text is read, if it is short enough to be only
 * a byline; a longer box is read as a list of authors when its children are marked as authors.
 */
function bylineOfBox(box: Element, length: number): string | null {
	const pieces = markedNames(box);
	if (pieces.length > 0) {
		return pieces
			.map(({ label, name }, index) => (label ? `${index > 0 ? '\n' : ''}${label} ${name}` : `${index > 0 ? ', ' : ''}${name}`))
			.join('');
	}
	if (length > MAX_BYLINE_CHARS) {
		const authors = Array.from(box.children).filter((child) => !isUnseen(child) && isMarkedByline(child));
		return authors.length >= 2 ? joinNames(authors.map((author) => shortName(boxText(author)))) : null;
	}
	const text = boxText(box);
	return text && text.split('\n').length <= MAX_BYLINE_LINES ? text : null;
}

/** The marked names in a box, in order, each with the credit label just before it, if any. */
function markedNames(box: Element): Array<{ label: string | null; name: string }> {
	const pieces: Array<{ label: string | null; name: string }> = [];
	let between = '';
	const stack: Node[] = [box];
	while (stack.length > 0) {
		const node = stack.pop()!;
		if (node.nodeType === 3) {
			between += node.nodeValue ?? '';
			continue;
		}
		if (node.nodeType !== 1 || isUnseen(node as Element)) continue;
		const element = node as Element;
		// Of nested name elements the innermost holds just the name ("<div class=author-name><a
		// href=/people/jane>Jane Doe</a><span>Staff Writer</span></div>").
		if (element !== box && isNameElement(element) && !Array.from(element.querySelectorAll('*')).some(isNameElement)) {
			const name = shortName(element.textContent);
			if (name && !pieces.some((piece) => piece.name === name)) {
				pieces.push({ label: creditLabelAtEnd(decodeEntities(between)), name });
			}
			between = '';
			continue;
		}
		between += ' ';
		const children = node.childNodes;
		for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]);
	}
	return pieces;
}

/**
 * The text of a byline box as a reader sees it: blocks on their own lines, and a space where two
 * inline boxes meet ("<span>By</span><span>Jane Doe</span>" is "By Jane Doe", not "ByJane Doe").
 */
function boxText(element: Element): string | null {
	let text = '';
	const stack: Array<{ node: Node; leaving: boolean }> = [{ node: element, leaving: false }];
	while (stack.length > 0) {
		const { node, leaving } = stack.pop()!;
		if (node.nodeType === 3) {
			// A line break in the source is only a space; the breaks that count are the boxes'.
			text += (node.nodeValue ?? '').replace(/\s+/g, ' ');
			continue;
		}
		if (node.nodeType !== 1) continue;
		const child = node as Element;
		if (child !== element && isUnseen(child)) continue;
		const tag = child.tagName.toUpperCase();
		text += BLOCK_TAGS.has(tag) || tag === 'BR' ? '\n' : ' ';
		if (leaving) continue;
		stack.push({ node, leaving: true });
		const children = node.childNodes;
		for (let index = children.length - 1; index >= 0; index--) stack.push({ node: children[index], leaving: false });
	}
	const lines = decodeEntities(text)
		.split('\n')
		.map((line) =>
			line
				.replace(/\s+/g, ' ')
				.replace(/ ([,.;:!?、。，）)\]])/g, '$1')
				.replace(/([（(\[]) /g, '$1')
				.trim()
		)
		.filter((line) => line !== '');
	return lines.length > 0 ? lines.join('\n') : null;
}

// ---------------------------------------------------------------------------------------------
// Dates

/**
 * A page's date string as ISO-8601 UTC, or null when it cannot be read. Values without an offset
 * are taken to be at `assumedOffsetMinutes` east of UTC (0 unless the caller knows better).
 */
export function parseDate(value: string, assumedOffsetMinutes = 0): string | null {
	const input = value.normalize('NFKC').trim();
	if (!input) return null;
	let time: number | null = null;

	const epoch = /^(\d{10})(\d{3})?$/.exec(input);
	const iso =
		/^(\d{4})-?(\d{2})-?(\d{2})(?:[T\s]+(\d{1,2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
			input
		);
	const numeric =
		/^(\d{4})\s*[/.年]\s*(\d{1,2})\s*[/.月]\s*(\d{1,2})\s*日?(?:\s*(?:\([^)]*\))?\s*(\d{1,2})\s*[:時]\s*(\d{1,2})\s*分?(?::(\d{2}))?)?/.exec(
			input
		);
	if (epoch) {
		time = Number(epoch[1]) * 1000 + Number(epoch[2] ?? 0);
	} else if (iso || numeric) {
		const match = (iso ?? numeric)!;
		const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
		if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
		time = Date.UTC(year, month - 1, day, hour, minute, second);
		if (new Date(time).getUTCDate() !== day) return null;
		const zone = iso?.[7];
		if (zone && /^[+-]/.test(zone)) {
			const [, sign, hours, minutes] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
			time -= (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes ?? 0)) * 60_000;
		} else if (!zone) {
			time -= assumedOffsetMinutes * 60_000;
		}
	} else {
		// Free-form dates ("Fri, 16 Dec 2016 21:19:00 GMT", "December 16, 2016"): Date.parse
		// reads them, but is lenient enough to turn junk into a date, so the year must agree.
		const year = /\b(1[89]\d{2}|2\d{3})\b/.exec(input)?.[1];
		if (!year) return null;
		const hasZone = /\b(?:GMT|UTC|Z|[ECMP][SD]T)\b|[+-]\d{2}:?\d{2}\b/.test(input);
		const parsed = Date.parse(hasZone ? input : `${input} UTC`);
		if (Number.isNaN(parsed)) return null;
		if (!hasZone && new Date(parsed).getUTCFullYear() !== Number(year)) return null;
		time = hasZone ? parsed : parsed - assumedOffsetMinutes * 60_000;
	}
	if (time === null || Number.isNaN(time)) return null;
	const date = new Date(time);
	const year = date.getUTCFullYear();
	if (year < 1900 || year > 2200) return null;
	return date.toISOString();
}

// ---------------------------------------------------------------------------------------------
// Language

/** The primary subtag of a language tag or locale ("en-US", "ja_JP" → "en", "ja"), or null. */
function primaryLang(value: string | null | undefined): string | null {
	const match = /^\s*([a-z]{2,3})(?:[-_][a-z0-9]+)*\s*$/i.exec(value ?? '');
	if (!match) return null;
	const tag = match[1].toLowerCase();
	return tag === 'und' || tag === 'mul' || tag === 'zxx' ? null : tag;
}

/**
 * A rough guess from the text when the page declares no language: Japanese when kana appear and
 * Han plus kana make up a good share of the letters (Han alone would be Chinese), English when
 * Latin letters dominate and common English words are frequent; otherwise null.
 */
export function detectLang(value: string): string | null {
	const sample = value.slice(0, 20_000);
	let kana = 0;
	let han = 0;
	let latin = 0;
	let letters = 0;
	for (const char of sample) {
		if (/\p{Script=Hiragana}|\p{Script=Katakana}/u.test(char)) kana++;
		else if (/\p{Script=Han}/u.test(char)) han++;
		else if (/\p{Script=Latin}/u.test(char)) latin++;
		else if (!/\p{L}/u.test(char)) continue;
		letters++;
	}
	if (letters === 0) return null;
	if (kana > 0 && (kana + han) / letters >= 0.3 && kana / (kana + han) >= 0.1) return 'ja';
	if (latin / letters >= 0.8) {
		const words = sample.toLowerCase().match(/[a-z]+/g) ?? [];
		const common = words.filter((word) => ENGLISH_WORDS.has(word)).length;
		if (words.length > 0 && common / words.length >= 0.08) return 'en';
	}
	return null;
}

const ENGLISH_WORDS = new Set(
	'the and of to in is that for it was on with as are this by be at from have has'.split(' ')
);

// ---------------------------------------------------------------------------------------------
// URLs and small helpers

function httpUrl(value: string | null): string | null {
	if (!value) return null;
	try {
		const url = new URL(value.trim());
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
	} catch {
		return null;
	}
}

/**
 * The page's canonical URL when it is believable: on the same site as the URL it was fetched
 * from and not just that site's home page (a common template mistake); else the given URL.
 */
function chooseUrl(given: string | null, canonical: string | null, ogUrl: string | null): string | null {
	for (const candidate of [canonical, ogUrl]) {
		if (!candidate) continue;
		let resolved: URL;
		try {
			resolved = new URL(candidate.trim(), given ?? undefined);
		} catch {
			continue;
		}
		if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') continue;
		if (!given) return resolved.href;
		const base = new URL(given);
		if (siteOf(resolved.hostname) !== siteOf(base.hostname)) continue;
		if (resolved.pathname.replace(/\/+$/, '') === '' && base.pathname.replace(/\/+$/, '') !== '') continue;
		return resolved.href;
	}
	return given;
}

/** A host's registrable part, roughly: "m.example.com" → "example.com", "news.example.co.jp" → "example.co.jp". */
function siteOf(hostname: string): string {
	const labels = hostname.toLowerCase().split('.');
	const secondLevel = /^(?:co|com|ne|net|or|org|ac|go|gov|edu|ed|lg|gr)$/;
	const keep = labels.length >= 3 && labels.at(-1)!.length === 2 && secondLevel.test(labels.at(-2)!) ? 3 : 2;
	return labels.slice(-keep).join('.');
}

/** A host's main label as a site name to recognise in titles ("www.theverge.com" → "theverge"). */
function hostLabel(url: string | null): string | null {
	if (!url) return null;
	try {
		const labels = new URL(url).hostname.replace(/^www\./, '').split('.');
		const generic = new Set(['com', 'net', 'org', 'co', 'ne', 'or', 'go', 'ac', 'jp', 'uk', 'de', 'fr', 'io']);
		const meaningful = labels.filter((label) => !generic.has(label));
		return meaningful.at(-1) ?? null;
	} catch {
		return null;
	}
}

/** The first non-empty value among strings and lists of strings. */
function first(...values: (string | readonly string[] | null | undefined)[]): string | null {
	for (const value of values) {
		const list = typeof value === 'string' ? [value] : (value ?? []);
		for (const item of list) {
			const cleaned = clean(item);
			if (cleaned) return cleaned;
		}
	}
	return null;
}

function uniqueLabels(values: readonly string[]): string[] {
	const seen = new Set<string>();
	const labels: string[] = [];
	for (const value of values) {
		const label = clean(value);
		if (!label || label.length > 80 || seen.has(label.toLowerCase())) continue;
		seen.add(label.toLowerCase());
		labels.push(label);
		if (labels.length >= 20) break;
	}
	return labels;
}

/** Trimmed single-line text with HTML entities decoded (meta and JSON-LD are often escaped twice). */
function clean(value: string | null | undefined): string | null {
	if (typeof value !== 'string') return null;
	const decoded = decodeEntities(value).replace(/\s+/g, ' ').trim();
	return decoded === '' ? null : decoded;
}

const NAMED_ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
	ndash: '–',
	mdash: '—',
	hellip: '…',
	lsquo: '‘',
	rsquo: '’',
	ldquo: '“',
	rdquo: '”'
};

function decodeEntities(value: string): string {
	if (!value.includes('&')) return value;
	return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
		if (entity[0] === '#') {
			const code = entity[1].toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
			return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
		}
		return NAMED_ENTITIES[entity.toLowerCase()] ?? whole;
	});
}

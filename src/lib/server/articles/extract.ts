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
 * | bylineRaw   | JSON-LD `author`, `article:author` (a name, not a URL), meta `byl`/`byline`/`dc.creator`/`citation_author`/`author`/`parsely-author`/`sailthru.author` (and kin), microdata `itemprop=author`, `rel=author` links, the byline Readability finds in the page; an author that only names the site itself is used last |
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
 * the visible page comes after. We read the metadata ourselves (with broader rules than
 * Readability's: `@graph`, `@id` references, arrays of authors, more meta names) and then remove
 * it from the document before Readability runs, so that its byline and title are what it found in
 * the page itself, a separate and lower-trust source. Its excerpt, siteName and publishedTime
 * would only repeat that metadata, so they are not used; an excerpt is kept only when the page
 * states one, not Readability's first paragraph, which the body already holds.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
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
		const named = element.querySelector('[itemprop~="name"]') ?? element;
		return shortName(named.getAttribute('content') ?? named.textContent);
	});
	const relAuthor = readMarkedAuthors(document, 'a[rel~="author"]', (element) => shortName(element.textContent));
	const canonical = document.querySelector('link[rel~="canonical"]')?.getAttribute('href') ?? null;

	const readable = runReadability(document);
	const body = readable.body;

	const siteName = first(meta.get('og:site_name'), meta.get('application-name'), ld.publisher);
	const outletName = first(ld.publisher, meta.get('og:site_name'), meta.get('application-name'));
	const url = chooseUrl(givenUrl, canonical, first(meta.get('og:url')));
	const siteNames = [siteName, outletName, ld.publisher, hostLabel(url)].filter(
		(name): name is string => !!name
	);

	const bylineRaw = chooseByline(
		[
			ld.authors,
			joinNames([...(meta.get('article:author') ?? []), ...(meta.get('og:article:author') ?? [])]),
			...AUTHOR_META.map((name) => joinNames(meta.get(name) ?? [])),
			microdataAuthor,
			relAuthor,
			joinNames([readable.byline])
		],
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

function isUrl(value: string): boolean {
	return /^(?:https?:)?\/\/\S+$|^www\.\S+$/i.test(value);
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

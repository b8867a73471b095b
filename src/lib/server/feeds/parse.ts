/**
 * RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom 0.3/1.0 → article candidates.
 *
 * The XML is read with sax in strict mode but every well-formedness error is recorded and parsing
 * resumes, so a feed with one bare "&" still gives all its items (and says where it broke). No DTD
 * is ever fetched; internal entities are expanded only when they are plain text, and a DTD whose
 * entities refer to other entities (the "billion laughs" bomb) is refused outright.
 */
import sax, { type QualifiedTag, type SAXParser } from 'sax';
import { Parser as HtmlParser } from 'htmlparser2';
import { SourceError, type ArticleCandidate, type ImportProblem, type ParsedSource } from '../articles/candidate';
import { charsetFromContentType, decodeText, gunzipIfCompressed, mapC1ToWindows1252, repairMojibake } from './encoding';

export type FeedKind = 'rss' | 'atom' | 'rdf';

export type ParsedFeed = ParsedSource & {
	feed: {
		kind: FeedKind;
		title: string | null;
		link: string | null;
		/** The feed's language as it gives it ("en-us"); candidates carry the primary tag only. */
		lang: string | null;
		/** The encoding the bytes were read in (WHATWG name). */
		encoding: string;
	};
};

type FeedInfo = Omit<ParsedFeed['feed'], 'encoding'>;

export interface ParseFeedOptions {
	/** The address the feed was fetched from: the last resort for resolving relative links. */
	url?: string | null;
	/** The HTTP Content-Type header; its charset overrides the XML declaration. */
	contentType?: string | null;
}

// ---------------------------------------------------------------------------------------------
// XML tree

export interface XmlElement {
	/** Local name, lower-cased: feeds are inconsistent about case ("pubDate", "pubdate"). */
	local: string;
	prefix: string;
	uri: string;
	/** Short name of the vocabulary: "atom", "rss", "dc", "content", … or "none"/"unknown". */
	fam: string;
	attrs: { local: string; prefix: string; uri: string; value: string }[];
	children: XmlNode[];
	parent: XmlElement | null;
	/** xml:base in scope, resolved as far as possible (absolute when anything absolute was known). */
	base: string | null;
	/** xml:lang in scope. */
	lang: string | null;
	line: number;
	column: number;
	closed: boolean;
}

export type XmlNode = XmlElement | string;

export interface XmlDocument {
	root: XmlElement;
	/** Well-formedness errors that were read past, and entity notes, as problems. */
	problems: ImportProblem[];
	/** Where the text ended with elements still open, or null when the document is complete. */
	truncatedAt: { line: number; column: number } | null;
}

const NS_FAMILIES: Record<string, string> = {
	'http://www.w3.org/2005/atom': 'atom',
	'http://purl.org/atom/ns': 'atom',
	'http://purl.org/rss/1.0': 'rss',
	'http://my.netscape.com/rdf/simple/0.9': 'rss',
	'http://channel.netscape.com/rdf/simple/0.9': 'rss',
	'http://backend.userland.com/rss2': 'rss',
	'http://backend.userland.com/rss': 'rss',
	'http://blogs.law.harvard.edu/tech/rss': 'rss',
	'http://www.w3.org/1999/02/22-rdf-syntax-ns': 'rdf',
	'http://purl.org/dc/elements/1.1': 'dc',
	'http://purl.org/dc/elements/1.0': 'dc',
	'http://purl.org/dc/terms': 'dcterms',
	'http://purl.org/rss/1.0/modules/content': 'content',
	'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
	'http://rssnamespace.org/feedburner/ext/1.0': 'feedburner',
	'http://www.w3.org/1999/xhtml': 'xhtml',
	'http://search.yahoo.com/mrss': 'media',
	'http://www.w3.org/xml/1998/namespace': 'xml',
	'http://opml.org/spec2': 'opml'
};

// Prefixes used without a declaration (a common slip) still mean what everyone means by them.
const PREFIX_FAMILIES: Record<string, string> = {
	atom: 'atom',
	atom10: 'atom',
	dc: 'dc',
	dcterms: 'dcterms',
	content: 'content',
	itunes: 'itunes',
	feedburner: 'feedburner',
	media: 'media',
	xhtml: 'xhtml',
	rdf: 'rdf'
};

function familyOf(uri: string, prefix: string): string {
	if (!uri) return prefix ? (PREFIX_FAMILIES[prefix.toLowerCase()] ?? 'unknown') : 'none';
	const key = uri.trim().toLowerCase().replace(/[/#]+$/, '');
	const fam = NS_FAMILIES[key];
	if (fam) return fam;
	// sax reports an unbound prefix by putting the prefix itself where the URI goes.
	if (uri === prefix) return PREFIX_FAMILIES[prefix.toLowerCase()] ?? 'unknown';
	return 'unknown';
}

const MAX_DEPTH = 1000;
const XML_PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const MAX_XML_PROBLEMS = 10;
const MAX_DECLARED_ENTITIES = 100;
const MAX_ENTITY_VALUE = 4096;
// Characters that declared entities may add to the document in total (counted per lookup).
const MAX_ENTITY_EXPANSION = 10_000_000;

interface ReadXmlOptions {
	url?: string | null;
	/** Called when the root element opens, before anything else is read; may throw SourceError. */
	onRoot?: (root: XmlElement) => void;
}

/** Reads XML text into a small tree, leniently: see XmlDocument for what is reported. */
export function readXml(text: string, options: ReadXmlOptions = {}): XmlDocument {
	const parser = sax.parser(true, { xmlns: true, position: true });
	const problems: ImportProblem[] = [];
	let extraErrors = 0;
	const stack: XmlElement[] = [];
	let root: XmlElement | null = null;
	const docBase = absoluteOrNull(options.url ?? null);

	const note = (reason: string) => {
		if (problems.length < MAX_XML_PROBLEMS) {
			problems.push({ location: `line ${parser.line + 1}, column ${parser.column + 1}`, reason });
		} else extraErrors++;
	};

	parser.onerror = (err) => {
		const message = err.message.split('\n')[0];
		// Truncation is reported once, from the open-element stack, with better wording.
		if (message !== 'Unclosed root tag' && message !== 'Unexpected end') {
			note(describeSaxError(message, parser as unknown as { entity?: string; tagName?: string }));
		}
		parser.resume();
	};

	parser.ondoctype = (doctype) => {
		declareEntities(doctype, parser, note);
	};

	parser.onopentag = (node) => {
		const tag = node as QualifiedTag;
		const parent = stack.length ? stack[stack.length - 1] : null;
		if (!parent && root) return; // A second root: sax has already reported it.
		if (stack.length >= MAX_DEPTH) throw new SourceError(`the XML is nested more than ${MAX_DEPTH} elements deep`);
		const attrs = Object.values(tag.attributes).map((a) => ({
			local: a.local.toLowerCase(),
			prefix: a.prefix,
			uri: a.uri,
			value: a.value
		}));
		const xmlBase = attrs.find((a) => a.local === 'base' && a.prefix === 'xml')?.value;
		const xmlLang = attrs.find((a) => a.local === 'lang' && a.prefix === 'xml')?.value;
		const parentBase = parent ? parent.base : docBase;
		const el: XmlElement = {
			local: tag.local.toLowerCase(),
			prefix: tag.prefix,
			uri: tag.uri,
			fam: familyOf(tag.uri, tag.prefix),
			attrs,
			children: [],
			parent,
			base: xmlBase !== undefined ? joinBase(xmlBase, parentBase) : parentBase,
			lang: xmlLang !== undefined ? xmlLang.trim() || null : parent ? parent.lang : null,
			line: parser.line + 1,
			column: parser.column + 1,
			closed: false
		};
		if (parent) parent.children.push(el);
		else {
			root = el;
			options.onRoot?.(el);
		}
		stack.push(el);
	};

	parser.onclosetag = () => {
		const el = stack.pop();
		if (el) el.closed = true;
	};

	const appendText = (t: string) => {
		const top = stack[stack.length - 1];
		if (!top) return;
		const last = top.children.length - 1;
		if (last >= 0 && typeof top.children[last] === 'string') top.children[last] += t;
		else top.children.push(t);
	};
	parser.ontext = appendText;
	parser.oncdata = appendText;

	let end = { line: 0, column: 0 };
	try {
		parser.write(text);
		// close() resets sax's position, so where the text ended is taken first.
		end = { line: parser.line + 1, column: parser.column + 1 };
		parser.close();
	} catch (e) {
		if (e instanceof SourceError) throw e;
		throw new SourceError(`the XML cannot be read: ${(e as Error).message.split('\n')[0]}`);
	}

	if (!root) throw new SourceError('not XML: no element was found');
	if (extraErrors) problems.push({ location: 'feed', reason: `${extraErrors} more XML errors were read past` });
	const truncatedAt = stack.length ? end : null;
	return { root, problems, truncatedAt };
}

function describeSaxError(message: string, parser: { entity?: string; tagName?: string }): string {
	if (message.startsWith('Invalid character in entity name')) {
		return 'not well-formed XML: a bare "&" (it should be written &amp;); read as a literal "&"';
	}
	if (message.startsWith('Invalid character entity')) {
		return `not well-formed XML: unknown entity "&${parser.entity ?? ''};"; kept as written`;
	}
	if (message.startsWith('Unbound namespace prefix')) {
		return `not well-formed XML: ${message.replace('Unbound namespace prefix', 'undeclared namespace prefix')}`;
	}
	if (message.startsWith('Unmatched closing tag')) {
		return `not well-formed XML: a closing tag with no matching opening tag (${message.replace(/^[^:]*:\s*/, '')}); ignored`;
	}
	if (message.startsWith('Unexpected close tag')) {
		return 'not well-formed XML: elements are closed in the wrong order; read as best as possible';
	}
	return `not well-formed XML: ${message}; read past`;
}

/**
 * Takes what a DOCTYPE's internal subset declares. Plain-text general entities are made known to
 * sax (which inserts them literally, never re-parsing them); an entity defined through other
 * entities is how expansion bombs grow, so such a document is refused. External entities are
 * never fetched.
 */
function declareEntities(doctype: string, parser: SAXParser, note: (reason: string) => void): void {
	const decl = /<!ENTITY\s+(%\s+)?([^\s"'>%]+)\s+(?:"([^"]*)"|'([^']*)'|((?:SYSTEM|PUBLIC)\b[^>]*))\s*>/g;
	let count = 0;
	let expanded = 0;
	for (let m = decl.exec(doctype); m; m = decl.exec(doctype)) {
		const [, parameter, name, dq, sq, external] = m;
		if (++count > MAX_DECLARED_ENTITIES) {
			throw new SourceError(`refused: the document type declares more than ${MAX_DECLARED_ENTITIES} entities`);
		}
		if (parameter) continue; // Parameter entities only shape the DTD, which is not used.
		if (external !== undefined) {
			note(`the document declares the external entity "${name}"; it is not fetched, and "&${name};" is kept as written`);
			continue;
		}
		const raw = dq ?? sq ?? '';
		const withoutCharRefs = raw.replace(/&#(?:x[0-9a-f]+|[0-9]+);/gi, '');
		if (/[&%]/.test(withoutCharRefs)) {
			throw new SourceError(
				`refused: the document type declaration defines the entity "${name}" in terms of other entities, the shape of an entity-expansion ("billion laughs") attack`
			);
		}
		if (raw.length > MAX_ENTITY_VALUE) {
			throw new SourceError(`refused: the declared entity "${name}" is longer than ${MAX_ENTITY_VALUE} characters`);
		}
		if (XML_PREDEFINED.has(name)) continue;
		const value = raw.replace(/&#(x[0-9a-f]+|[0-9]+);/gi, (_, num: string) => charFromRef(num));
		// Even plain entities can amplify through sheer repetition; count what they add.
		Object.defineProperty(parser.ENTITIES, name, {
			configurable: true,
			enumerable: true,
			get() {
				expanded += value.length;
				if (expanded > MAX_ENTITY_EXPANSION) {
					throw new SourceError(
						`refused: declared entities expand to more than ${MAX_ENTITY_EXPANSION / 1_000_000} million characters`
					);
				}
				return value;
			}
		});
	}
}

function charFromRef(num: string): string {
	const code = num[0] === 'x' || num[0] === 'X' ? parseInt(num.slice(1), 16) : parseInt(num, 10);
	return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\uFFFD';
}

function absoluteOrNull(url: string | null): string | null {
	if (!url) return null;
	try {
		return new URL(url).href;
	} catch {
		return null;
	}
}

function isAbsolute(url: string | null): boolean {
	return absoluteOrNull(url) !== null;
}

// xml:base may itself be relative; resolve it when the outer base is known, else keep it raw.
function joinBase(base: string, outer: string | null): string | null {
	if (outer && isAbsolute(outer)) {
		try {
			return new URL(base.trim(), outer).href;
		} catch {
			return outer;
		}
	}
	return base.trim() || outer;
}

// ---------------------------------------------------------------------------------------------
// Tree helpers

function elementChildren(el: XmlElement): XmlElement[] {
	return el.children.filter((c): c is XmlElement => typeof c !== 'string');
}

function childrenOf(el: XmlElement, fams: readonly string[], local: string): XmlElement[] {
	return elementChildren(el).filter((c) => c.local === local && fams.includes(c.fam));
}

function childOf(el: XmlElement, fams: readonly string[], local: string): XmlElement | null {
	for (const c of el.children) {
		if (typeof c !== 'string' && c.local === local && fams.includes(c.fam)) return c;
	}
	return null;
}

function attrOf(el: XmlElement, local: string): string | null {
	const a = el.attrs.find((x) => x.local === local && (!x.prefix || x.prefix === el.prefix));
	return a ? a.value : null;
}

/** All text inside an element, markup dropped. */
export function textOf(el: XmlElement): string {
	let out = '';
	for (const c of el.children) out += typeof c === 'string' ? c : textOf(c);
	return out;
}

const VOID_TAGS = new Set(['br', 'hr', 'img', 'input', 'meta', 'link', 'area', 'base', 'col', 'embed', 'source', 'wbr']);

// Child elements as HTML source. Text is escaped for XHTML content (it is text there) and kept
// raw for RSS descriptions, where text nodes carry escaped HTML that is meant to be parsed.
function serializeChildren(el: XmlElement, escapeText: boolean): string {
	let out = '';
	for (const c of el.children) {
		if (typeof c === 'string') {
			out += escapeText ? c.replace(/&/g, '&amp;').replace(/</g, '&lt;') : c;
		} else if (VOID_TAGS.has(c.local)) {
			out += `<${c.local}>`;
		} else {
			out += `<${c.local}>${serializeChildren(c, escapeText)}</${c.local}>`;
		}
	}
	return out;
}

function collapse(text: string): string {
	return repairText(text.replace(/\s+/g, ' ').trim());
}

// Feeds are full of text that went through a wrong decoder once (see repairMojibake).
function repairText(text: string): string {
	return mapC1ToWindows1252(repairMojibake(text));
}

// ---------------------------------------------------------------------------------------------
// HTML → text

const BLOCK_TAGS = new Set([
	'address', 'article', 'aside', 'blockquote', 'caption', 'center', 'dd', 'details', 'dialog', 'div', 'dl', 'dt',
	'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup',
	'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'thead', 'tfoot', 'tr',
	'ul', 'body', 'html'
]);
// Not text a reader sees. (An iframe's or object's content is fallback text, which is kept.)
const SKIPPED_TAGS = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'svg', 'math', 'select', 'option']);
const CELL_TAGS = new Set(['td', 'th']);

/** Plain text of an HTML fragment: entities decoded, tags dropped, paragraphs kept as blank lines. */
export function htmlToText(html: string): string {
	if (!/[<&]/.test(html)) return tidyText(html);
	const out: string[] = [];
	let skip = 0;
	let pre = 0;
	const breakBlock = () => out.push('\n\n');
	const parser = new HtmlParser(
		{
			onopentag(name) {
				if (SKIPPED_TAGS.has(name)) skip++;
				else if (name === 'br') out.push('\n');
				else if (name === 'pre') {
					pre++;
					breakBlock();
				} else if (BLOCK_TAGS.has(name)) breakBlock();
				else if (CELL_TAGS.has(name)) out.push(' ');
			},
			onclosetag(name) {
				if (SKIPPED_TAGS.has(name)) skip = Math.max(0, skip - 1);
				else if (name === 'pre') {
					pre = Math.max(0, pre - 1);
					breakBlock();
				} else if (BLOCK_TAGS.has(name)) breakBlock();
			},
			ontext(text) {
				if (skip) return;
				// Inside <pre> whitespace is content; elsewhere it is layout, like a browser sees it.
				out.push(pre ? text.replace(/\n/g, PRE_NEWLINE).replace(/[ \t]/g, PRE_SPACE) : text.replace(/\s+/g, ' '));
			}
		},
		// Self-closing syntax is honoured so that a stray <script/> does not swallow the rest.
		{ decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true }
	);
	parser.write(html);
	parser.end();
	return tidyText(out.join(''));
}

// Placeholders (private-use characters) that carry <pre> layout through whitespace tidying.
const PRE_NEWLINE = '\ue000';
const PRE_SPACE = '\ue001';
const PRE_NEWLINES = /\ue000/g;
const PRE_SPACES = /\ue001/g;

function tidyText(text: string): string {
	return repairText(text)
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
		.join('\n')
		.replace(PRE_NEWLINES, '\n')
		.replace(PRE_SPACES, ' ')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

function oneLine(text: string): string {
	return collapse(text);
}

// ---------------------------------------------------------------------------------------------
// Dates

// English first; the others are the languages whose month names turn up in "RFC 822" dates.
const MONTHS: Record<string, number> = {
	jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
	// Portuguese, Spanish, Italian
	fev: 2, abr: 4, mai: 5, ago: 8, set: 9, out: 10, dez: 12, ene: 1, dic: 12, gen: 1, mag: 5, giu: 6, lug: 7, ott: 10,
	// German, French
	mär: 3, mrz: 3, okt: 10, janv: 1, févr: 2, fév: 2, mars: 3, avr: 4, juin: 6, juil: 7, août: 8, aoû: 8, déc: 12
};

function monthNumber(name: string): number | null {
	const n = name.toLowerCase().replace(/\.$/, '');
	return MONTHS[n] ?? MONTHS[n.slice(0, 4)] ?? MONTHS[n.slice(0, 3)] ?? null;
}

// Offsets in minutes for the zone names feeds actually use; RFC 822's own plus common ones.
const ZONES: Record<string, number> = {
	ut: 0, utc: 0, gmt: 0, z: 0, wet: 0,
	est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
	akst: -540, akdt: -480, hst: -600, ast: -240, adt: -180, nst: -210, ndt: -150,
	bst: 60, cet: 60, met: 60, west: 60, cest: 120, mest: 120, eet: 120, eest: 180, msk: 180,
	ist: 330, sgt: 480, hkt: 480, awst: 480, jst: 540, kst: 540, acst: 570, acdt: 630,
	aest: 600, aedt: 660, nzst: 720, nzdt: 780
};

function zoneOffset(zone: string | undefined): number | null {
	if (!zone) return 0;
	const z = zone.trim().toLowerCase().replace(/^\(|\)$/g, '');
	if (!z) return 0;
	const numeric = /^(?:gmt|utc|ut)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z);
	if (numeric) {
		const [, sign, hh, mm] = numeric;
		const minutes = Number(hh) * 60 + Number(mm ?? 0);
		if (Number(hh) > 14 || Number(mm ?? 0) > 59) return null;
		return sign === '-' ? -minutes : minutes;
	}
	if (z in ZONES) return ZONES[z];
	// RFC 2822 calls military letters too unreliable to use; an unknown zone name is likewise read
	// as UTC: a date a few hours off is more use than none.
	if (/^[a-z]{1,5}$/.test(z)) return 0;
	return null;
}

function fourDigitYear(y: string): number {
	const n = Number(y);
	if (y.length === 2) return n < 50 ? 2000 + n : 1900 + n;
	return n;
}

function toIso(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMinutes: number): string | null {
	if (y < 1000 || y > 9999 || mo < 1 || mo > 12 || d < 1 || h > 24 || mi > 59 || s > 60) return null;
	const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
	if (d > daysInMonth) return null;
	if (h === 24 && (mi > 0 || s > 0)) return null;
	const ms = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59)) - offsetMinutes * 60_000;
	return new Date(ms).toISOString();
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?`;
const ZONE = String.raw`((?:[+-]\d{1,2}(?::?\d{2})?)|(?:[a-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?))`;
const RFC822 = new RegExp(
	String.raw`^(?:\p{L}{2,9}\.?,?\s+)?(\d{1,2})(?:st|nd|rd|th)?[\s-]+(\p{L}{3,9})\.?,?[\s-]+(\d{4}|\d{2})(?:,?\s+(?:at\s+)?${TIME}\s*(?:(am|pm)\s*)?)?${ZONE}?(?:\s*\([^)]*\))?$`,
	'iu'
);
const MONTH_FIRST = new RegExp(
	String.raw`^(?:\p{L}{2,9}\.?,?\s+)?(\p{L}{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(?:at\s+)?${TIME}\s*(?:(am|pm)\s*)?)?${ZONE}?(?:\s*\([^)]*\))?$`,
	'iu'
);
const CTIME = new RegExp(String.raw`^[a-z]{3},?\s+([a-z]{3})\s+(\d{1,2})\s+${TIME}\s+(?:([a-z]{1,5}|[+-]\d{4})\s+)?(\d{4})$`, 'i');
const ISO = /^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?(?:(?:T|\s+)(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?$/i;
const SLASHED = new RegExp(String.raw`^(\d{4})/(\d{1,2})/(\d{1,2})(?:\s+${TIME})?\s*${ZONE}?$`, 'i');
const JAPANESE = /^(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日(?:\s*[(（][^)）]*[)）])?(?:\s*(\d{1,2})[:時](\d{1,2})分?(?::(\d{2}))?)?$/;

function hour12(h: number, ampm: string | undefined): number {
	if (!ampm) return h;
	const pm = ampm.toLowerCase() === 'pm';
	return (h % 12) + (pm ? 12 : 0);
}

/** A feed date (RFC 822 in its many variants, ISO 8601/W3C-DTF, a few others) as ISO UTC, or null. */
export function parseFeedDate(value: string | null | undefined): string | null {
	if (!value) return null;
	const s = value.trim().replace(/\s+/g, ' ');
	if (!s) return null;

	let m = ISO.exec(s);
	if (m) {
		const [, y, mo, d, h, mi, sec, zone] = m;
		const offset = zoneOffset(zone);
		if (offset === null) return null;
		return toIso(Number(y), Number(mo ?? 1), Number(d ?? 1), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), offset);
	}
	m = RFC822.exec(s);
	if (m) {
		const [, d, mon, y, h, mi, sec, ampm, zone] = m;
		return fromParts(fourDigitYear(y), mon, Number(d), h, mi, sec, ampm, zone);
	}
	m = MONTH_FIRST.exec(s);
	if (m) {
		const [, mon, d, y, h, mi, sec, ampm, zone] = m;
		return fromParts(Number(y), mon, Number(d), h, mi, sec, ampm, zone);
	}
	m = CTIME.exec(s);
	if (m) {
		const [, mon, d, h, mi, sec, zone, y] = m;
		return fromParts(Number(y), mon, Number(d), h, mi, sec, undefined, zone);
	}
	m = SLASHED.exec(s);
	if (m) {
		const [, y, mo, d, h, mi, sec, zone] = m;
		const offset = zoneOffset(zone);
		if (offset === null) return null;
		return toIso(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), offset);
	}
	m = JAPANESE.exec(s);
	if (m) {
		const [, y, mo, d, h, mi, sec] = m;
		// Written the Japanese way, a time without a zone is Japan time.
		return toIso(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(sec ?? 0), 540);
	}
	return null;
}

function fromParts(
	y: number,
	monthName: string,
	d: number,
	h: string | undefined,
	mi: string | undefined,
	sec: string | undefined,
	ampm: string | undefined,
	zone: string | undefined
): string | null {
	const mo = monthNumber(monthName);
	if (!mo) return null;
	const offset = zoneOffset(zone);
	if (offset === null) return null;
	return toIso(y, mo, d, hour12(Number(h ?? 0), ampm), Number(mi ?? 0), Number(sec ?? 0), offset);
}

// ---------------------------------------------------------------------------------------------
// Feed → candidates

const RSS_FAMS = ['rss', 'none'] as const;
const ATOM_FAMS = ['atom', 'none'] as const;
const HTML_ROOTS = new Set(['html', 'head', 'body']);

/** One feed item as read, before the checks that make it an article candidate. */
export type FeedEntry = Omit<ArticleCandidate, 'title'> & {
	title: string | null;
	/** False when the document ended inside this item. */
	complete: boolean;
};

export interface FeedEntries {
	feed: ParsedFeed['feed'];
	entries: FeedEntry[];
	/** Feed-level problems (encoding, XML errors) and per-item notes that do not drop the item. */
	problems: ImportProblem[];
	truncatedAt: { line: number; column: number } | null;
}

/** Parses feed bytes into article candidates plus what the feed says about itself. */
export function parseFeed(bytes: Uint8Array, options: ParseFeedOptions = {}): ParsedFeed {
	const read = readFeedEntries(bytes, options);
	const problems = [...read.problems];
	const candidates: ArticleCandidate[] = [];
	const cutAt = read.truncatedAt ? `line ${read.truncatedAt.line}, column ${read.truncatedAt.column}` : '';
	for (const { complete, ...entry } of read.entries) {
		if (!complete) {
			problems.push({ location: entry.location, reason: `the feed ends inside this item (cut off at ${cutAt}); skipped` });
			continue;
		}
		if (!entry.title && !entry.url) {
			problems.push({ location: entry.location, reason: `${entry.location} has neither title nor link` });
			continue;
		}
		const title = entry.title || titleFromText(entry.body ?? entry.excerpt) || entry.url || '';
		candidates.push({ ...entry, title });
	}
	if (read.truncatedAt) {
		if (!candidates.length && read.entries.length) {
			throw new SourceError(`the feed is cut off at ${cutAt}, before any complete item`);
		}
		problems.push({
			location: cutAt,
			reason: `the feed ends before it is complete (truncated?); ${candidates.length} item${candidates.length === 1 ? '' : 's'} before the break ${candidates.length === 1 ? 'was' : 'were'} read`
		});
	}
	return { candidates, problems, feed: read.feed };
}

/** Reads every item of a feed with all it gives, without dropping any (see parseFeed for that). */
export function readFeedEntries(bytes: Uint8Array, options: ParseFeedOptions = {}): FeedEntries {
	if (!bytes.length) throw new SourceError('empty: the feed has no content');
	const raw = gunzipIfCompressed(bytes);
	const decoded = decodeText(raw, { contentTypeCharset: charsetFromContentType(options.contentType) });
	const problems: ImportProblem[] = decoded.warnings.map((reason) => ({ location: 'feed', reason: `encoding: ${reason}` }));
	const text = decoded.text.replace(/^\uFEFF/, '');
	const start = text.trimStart();
	if (!start) throw new SourceError('empty: the feed has no content');
	if (start[0] === '{' || start[0] === '[') throw new SourceError('not a feed: it is JSON (JSON Feed is not supported)');
	if (!start.includes('<')) throw new SourceError('not a feed: the content is not XML');

	let kind = 'rss' as FeedKind;
	const doc = readXml(text, {
		url: options.url,
		onRoot(root) {
			if (HTML_ROOTS.has(root.local) && (root.fam === 'none' || root.fam === 'xhtml')) {
				throw new SourceError('not a feed: it is an HTML page');
			}
			if (root.local === 'rss' || root.local === 'channel') kind = 'rss';
			else if (root.local === 'rdf') kind = 'rdf';
			else if ((root.local === 'feed' || root.local === 'entry') && root.fam !== 'rss') kind = 'atom';
			else {
				const name = root.prefix ? `${root.prefix}:${root.local}` : root.local;
				throw new SourceError(`not a feed: the document's root element is <${name}>, not <rss>, <rdf:RDF> or <feed>`);
			}
			// Whatever namespace the root is in is the feed's core vocabulary, even an odd one.
			if (root.fam === 'unknown') root.fam = kind === 'atom' ? 'atom' : 'rss';
		}
	});
	retagCoreNamespace(doc.root, kind);
	problems.push(...doc.problems);

	const reader = kind === 'atom' ? new AtomReader(doc.root, options) : new RssReader(doc.root, kind, options);
	const entries = reader.entries().map((el, i) => {
		const { entry, problems: notes } = reader.entry(el, `item ${i + 1}`);
		problems.push(...notes);
		return entry;
	});
	return { feed: { ...reader.feedInfo(), encoding: decoded.encoding }, entries, problems, truncatedAt: doc.truncatedAt };
}

// Elements in the root's own (possibly unusual) namespace belong to the core vocabulary.
function retagCoreNamespace(root: XmlElement, kind: FeedKind): void {
	const coreUri = root.uri;
	const coreFam = kind === 'atom' ? 'atom' : 'rss';
	if (!coreUri || familyOf(coreUri, root.prefix) !== 'unknown') return;
	const walk = (el: XmlElement) => {
		if (el.uri === coreUri) el.fam = coreFam;
		for (const c of el.children) if (typeof c !== 'string') walk(c);
	};
	walk(root);
}

abstract class FeedReader {
	protected feedUrl: string | null;
	protected feedLinkAbs: string | null = null;

	constructor(
		protected root: XmlElement,
		options: ParseFeedOptions
	) {
		this.feedUrl = absoluteOrNull(options.url ?? null);
	}

	abstract entries(): XmlElement[];
	abstract feedInfo(): FeedInfo;
	protected abstract entryFields(entry: XmlElement): EntryFields;

	/** Reads one entry's fields; a link that cannot be made absolute is noted. */
	entry(el: XmlElement, location: string): { entry: FeedEntry; problems: ImportProblem[] } {
		const problems: ImportProblem[] = [];
		const f = this.entryFields(el);
		let url: string | null = null;
		if (f.link) {
			const resolved = this.resolve(f.link.href, f.link.el);
			if (resolved.absolute) {
				// Only web links are article addresses ("tag:" ids, "javascript:" and the like are not).
				url = /^https?:$/.test(new URL(resolved.url).protocol) ? resolved.url : null;
			} else {
				url = resolved.url;
				problems.push({
					location,
					reason: `the link "${f.link.href}" is relative and the feed gives no address to resolve it against; kept as written`
				});
			}
		}
		const body = f.body || null;
		return {
			entry: {
				location,
				url,
				guid: f.guid || null,
				title: f.title || null,
				body,
				excerpt: f.excerpt && f.excerpt !== body ? f.excerpt : null,
				publishedAt: f.publishedAt,
				lang: primaryLanguage(f.lang),
				outletName: this.feedInfo().title,
				section: null,
				bylineRaw: f.byline || null,
				categories: f.categories,
				complete: el.closed
			},
			problems
		};
	}

	/** Resolves a link against xml:base in scope, then the feed's link, then the feed's address. */
	protected resolve(href: string, el: XmlElement): { url: string; absolute: boolean } {
		const ref = href.trim();
		if (isAbsolute(ref)) return { url: new URL(ref).href, absolute: true };
		const fallback = this.feedLinkAbs ?? this.feedUrl;
		const base = el.base && isAbsolute(el.base) ? el.base : el.base && fallback ? joinBase(el.base, fallback) : fallback;
		if (base && isAbsolute(base)) {
			try {
				return { url: new URL(ref, base).href, absolute: true };
			} catch {
				// A reference URL() rejects is kept as written, like any unresolvable one.
			}
		}
		return { url: ref, absolute: false };
	}

	protected selfLink(container: XmlElement): string | null {
		for (const link of childrenOf(container, ['atom'], 'link')) {
			if ((attrOf(link, 'rel') ?? '').toLowerCase() === 'self') {
				const href = attrOf(link, 'href');
				if (href) {
					const abs = joinBase(href, link.base);
					if (abs && isAbsolute(abs)) return new URL(abs).href;
				}
			}
		}
		return null;
	}
}

interface EntryFields {
	title: string | null;
	link: { href: string; el: XmlElement } | null;
	guid: string | null;
	body: string | null;
	excerpt: string | null;
	publishedAt: string | null;
	lang: string | null;
	byline: string | null;
	categories: string[];
}

class RssReader extends FeedReader {
	private channel: XmlElement;
	private info: FeedInfo | null = null;

	constructor(
		root: XmlElement,
		private kind: FeedKind,
		options: ParseFeedOptions
	) {
		super(root, options);
		this.channel = root.local === 'channel' ? root : (childOf(root, RSS_FAMS, 'channel') ?? root);
		this.feedUrl ??= this.selfLink(this.channel);
		const link = this.channelLink();
		if (link) {
			const resolved = this.resolve(link.href, link.el);
			this.feedLinkAbs = resolved.absolute ? resolved.url : null;
		}
	}

	private channelLink(): { href: string; el: XmlElement } | null {
		for (const el of childrenOf(this.channel, RSS_FAMS, 'link')) {
			const href = collapse(textOf(el)) || attrOf(el, 'href');
			if (href) return { href, el };
		}
		return atomAlternate(this.channel);
	}

	entries(): XmlElement[] {
		const seen = new Set<XmlElement>();
		const items: XmlElement[] = [];
		// RSS 0.9/1.0 put items beside the channel, not in it; some broken 2.0 feeds do too.
		for (const el of [...elementChildren(this.root), ...(this.channel !== this.root ? elementChildren(this.channel) : [])]) {
			if (el.local === 'item' && RSS_FAMS.includes(el.fam as 'rss') && !seen.has(el)) {
				seen.add(el);
				items.push(el);
			}
		}
		return items.sort((a, b) => a.line - b.line || a.column - b.column);
	}

	feedInfo(): FeedInfo {
		if (this.info) return this.info;
		const titleEl = childOf(this.channel, RSS_FAMS, 'title') ?? childOf(this.channel, ['dc'], 'title');
		const langEl = childOf(this.channel, RSS_FAMS, 'language') ?? childOf(this.channel, ['dc'], 'language');
		const link = this.channelLink();
		this.info = {
			kind: this.kind,
			title: titleEl ? rssText(titleEl) || null : null,
			link: link ? this.resolve(link.href, link.el).url : null,
			lang: (langEl ? collapse(textOf(langEl)) : '') || this.channel.lang || null
		};
		return this.info;
	}

	protected entryFields(item: XmlElement): EntryFields {
		const titleEl =
			childOf(item, RSS_FAMS, 'title') ??
			childOf(item, ['dc'], 'title') ??
			childOf(item, ['atom'], 'title') ??
			mediaChild(item, 'title');
		const title = titleEl ? (titleEl.fam === 'atom' ? atomText(titleEl) : rssText(titleEl)) : null;

		const content =
			childOf(item, ['content'], 'encoded') ??
			childOf(item, ['xhtml', ...RSS_FAMS], 'body') ??
			childOf(item, RSS_FAMS, 'fullitem') ??
			childOf(item, ['atom'], 'content');
		const description =
			childOf(item, RSS_FAMS, 'description') ?? childOf(item, ['dc'], 'description') ?? childOf(item, ['atom'], 'summary');
		const contentText = content ? (content.fam === 'atom' ? atomText(content, true) : htmlOf(content, content.fam === 'xhtml')) : null;
		const descriptionText = description ? (description.fam === 'atom' ? atomText(description, true) : htmlOf(description, false)) : null;
		const fallbackBody = contentText || descriptionText ? null : podcastSummary(item);

		const guidEl = childOf(item, RSS_FAMS, 'guid');
		const guid = guidEl ? collapse(textOf(guidEl)) : null;
		const about = item.attrs.find((a) => a.local === 'about' && familyOf(a.uri, a.prefix) === 'rdf')?.value ?? null;

		return {
			title,
			link: this.itemLink(item, guidEl, guid, about),
			guid: guid || about || atomId(item),
			body: contentText || descriptionText || fallbackBody,
			excerpt: contentText ? descriptionText : null,
			publishedAt: firstDate(item, [
				[RSS_FAMS, 'pubdate'],
				[['dc'], 'date'],
				[['dcterms'], 'issued'],
				[['dcterms'], 'created'],
				[['atom'], 'published'],
				[['atom'], 'updated'],
				[['dcterms'], 'modified']
			]),
			lang: ownLang(item) ?? this.feedInfo().lang,
			byline: rssByline(item),
			categories: categoriesOf(item)
		};
	}

	private itemLink(
		item: XmlElement,
		guidEl: XmlElement | null,
		guid: string | null,
		about: string | null
	): { href: string; el: XmlElement } | null {
		// FeedBurner rewrote links through a redirector that no longer exists; the original is kept here.
		const orig = childOf(item, ['feedburner'], 'origlink');
		if (orig && collapse(textOf(orig))) return { href: collapse(textOf(orig)), el: orig };
		for (const el of childrenOf(item, RSS_FAMS, 'link')) {
			const href = collapse(textOf(el)) || attrOf(el, 'href');
			if (href) return { href, el };
		}
		const alt = atomAlternate(item);
		if (alt) return alt;
		if (guidEl && guid && (attrOf(guidEl, 'ispermalink') ?? 'true').toLowerCase() !== 'false' && /^https?:\/\//i.test(guid)) {
			return { href: guid, el: guidEl };
		}
		if (about && /^https?:\/\//i.test(about)) return { href: about, el: item };
		return null;
	}
}

class AtomReader extends FeedReader {
	private info: FeedInfo | null = null;
	private feedAuthors: string[];

	constructor(root: XmlElement, options: ParseFeedOptions) {
		super(root, options);
		this.feedUrl ??= this.selfLink(root);
		const alt = root.local === 'feed' ? atomAlternate(root) : null;
		if (alt) {
			const resolved = this.resolve(alt.href, alt.el);
			this.feedLinkAbs = resolved.absolute ? resolved.url : null;
		}
		this.feedAuthors = root.local === 'feed' ? atomAuthors(root) : [];
	}

	entries(): XmlElement[] {
		if (this.root.local === 'entry') return [this.root];
		return childrenOf(this.root, ATOM_FAMS, 'entry');
	}

	feedInfo(): FeedInfo {
		if (this.info) return this.info;
		const isFeed = this.root.local === 'feed';
		const titleEl = isFeed ? childOf(this.root, ATOM_FAMS, 'title') : null;
		const alt = isFeed ? atomAlternate(this.root) : null;
		this.info = {
			kind: 'atom',
			title: titleEl ? atomText(titleEl) || null : null,
			link: alt ? this.resolve(alt.href, alt.el).url : null,
			lang: this.root.lang ?? dcLanguage(this.root)
		};
		return this.info;
	}

	protected entryFields(entry: XmlElement): EntryFields {
		const titleEl = childOf(entry, ATOM_FAMS, 'title');
		const content = childrenOf(entry, ATOM_FAMS, 'content').find((c) => !attrOf(c, 'src')) ?? null;
		const summary = childOf(entry, ATOM_FAMS, 'summary');
		const contentText = content ? atomText(content, true) : null;
		const summaryText = summary ? atomText(summary, true) : null;
		const orig = childOf(entry, ['feedburner'], 'origlink');
		const source = childOf(entry, ATOM_FAMS, 'source');

		const authors = atomAuthors(entry);
		const creators = childrenOf(entry, ['dc'], 'creator').map((c) => bylineText(c)).filter(Boolean);
		const byline = authors.length
			? authors
			: creators.length
				? creators
				: source && atomAuthors(source).length
					? atomAuthors(source)
					: this.feedAuthors;

		return {
			title: titleEl ? atomText(titleEl) : null,
			link: orig && collapse(textOf(orig)) ? { href: collapse(textOf(orig)), el: orig } : atomAlternate(entry),
			guid: atomId(entry),
			body: contentText || summaryText || podcastSummary(entry),
			excerpt: contentText ? summaryText : null,
			publishedAt: firstDate(entry, [
				[ATOM_FAMS, 'published'],
				[ATOM_FAMS, 'issued'],
				[ATOM_FAMS, 'created'],
				[['dc'], 'date'],
				[ATOM_FAMS, 'updated'],
				[ATOM_FAMS, 'modified']
			]),
			lang: ownLang(entry) ?? this.root.lang ?? this.feedInfo().lang,
			byline: joinNames(byline),
			categories: categoriesOf(entry)
		};
	}
}

// An Atom text construct (title, summary, content) as plain text, by its declared type.
function atomText(el: XmlElement, multiline = false): string {
	const type = (attrOf(el, 'type') ?? '').trim().toLowerCase() || 'text';
	const mode = (attrOf(el, 'mode') ?? '').trim().toLowerCase();
	let text: string;
	if (mode === 'base64') {
		const decoded = Buffer.from(textOf(el).replace(/\s+/g, ''), 'base64').toString('utf8');
		text = type.includes('html') ? htmlToText(decoded) : tidyText(decoded);
	} else if (type === 'xhtml' || type.endsWith('+xml') || type.endsWith('/xml') || mode === 'xml') {
		text = htmlToText(serializeChildren(el, true));
	} else if (type === 'html' || type.startsWith('text/html') || mode === 'escaped' || elementChildren(el).length) {
		text = htmlToText(serializeChildren(el, false));
	} else if (type === 'text' || type.startsWith('text/')) {
		text = tidyText(textOf(el));
	} else {
		return ''; // Some other media type (an image, say): not text.
	}
	return multiline ? text : oneLine(text);
}

// RSS titles are plain text by the spec, but feeds put entities and tags in them.
function rssText(el: XmlElement): string {
	if (elementChildren(el).length) return oneLine(htmlToText(serializeChildren(el, false)));
	const text = textOf(el);
	return oneLine(/[<&]/.test(text) ? htmlToText(text) : text);
}

// Descriptions and content:encoded hold HTML, escaped or (against the spec) as child elements.
function htmlOf(el: XmlElement, xhtml: boolean): string {
	return htmlToText(serializeChildren(el, xhtml));
}

function podcastSummary(item: XmlElement): string | null {
	const el = childOf(item, ['itunes'], 'summary') ?? mediaChild(item, 'description');
	return el ? htmlToText(textOf(el)) || null : null;
}

// Media RSS puts title and description either on the item or in a <media:group>.
function mediaChild(item: XmlElement, local: string): XmlElement | null {
	const direct = childOf(item, ['media'], local);
	if (direct) return direct;
	for (const group of childrenOf(item, ['media'], 'group')) {
		const inGroup = childOf(group, ['media'], local);
		if (inGroup) return inGroup;
	}
	return null;
}

function atomId(el: XmlElement): string | null {
	const id = childOf(el, el.fam === 'atom' || el.fam === 'none' ? ATOM_FAMS : ['atom'], 'id');
	return id ? collapse(textOf(id)) || null : null;
}

// The link a reader would follow: rel="alternate" (the default), HTML preferred.
function atomAlternate(el: XmlElement): { href: string; el: XmlElement } | null {
	const links = childrenOf(el, el.fam === 'atom' ? ATOM_FAMS : ['atom'], 'link')
		.map((link) => ({
			el: link,
			href: (attrOf(link, 'href') ?? collapse(textOf(link))).trim(),
			rel: (attrOf(link, 'rel') ?? 'alternate').trim().toLowerCase(),
			type: (attrOf(link, 'type') ?? '').trim().toLowerCase()
		}))
		.filter((l) => l.href);
	const alternates = links.filter((l) => l.rel === 'alternate' || l.rel === 'http://www.iana.org/assignments/relation/alternate');
	const pick =
		alternates.find((l) => l.type === 'text/html' || l.type === 'application/xhtml+xml') ??
		alternates.find((l) => !l.type) ??
		alternates[0] ??
		null;
	return pick ? { href: pick.href, el: pick.el } : null;
}

function atomAuthors(el: XmlElement): string[] {
	const fams = el.fam === 'atom' ? ATOM_FAMS : ['atom'];
	return childrenOf(el, fams, 'author')
		.map((author) => {
			const name = childOf(author, fams, 'name');
			if (name) return bylineText(name);
			const email = childOf(author, fams, 'email');
			if (email) return bylineText(email);
			// Atom 0.3 feeds sometimes give the name as the element's text.
			return elementChildren(author).length ? '' : bylineText(author);
		})
		.filter(Boolean);
}

function rssByline(item: XmlElement): string | null {
	const creators = childrenOf(item, ['dc'], 'creator').map((c) => bylineText(c)).filter(Boolean);
	if (creators.length) return joinNames(creators);
	const authors = childrenOf(item, RSS_FAMS, 'author').map((a) => bylineText(a)).filter(Boolean);
	if (authors.length) return joinNames(authors);
	const atom = atomAuthors(item);
	if (atom.length) return joinNames(atom);
	const others = [...childrenOf(item, ['itunes'], 'author'), ...childrenOf(item, ['dc'], 'author')]
		.map((a) => bylineText(a))
		.filter(Boolean);
	return others.length ? joinNames(others) : null;
}

// A byline as written, whitespace tidied. RSS <author> is "email (Name)" by the spec and others copy
// the habit; the name is what identifies the reporter, so a name next to an email is kept alone.
function bylineText(el: XmlElement): string {
	const text = withoutEmail(collapse(textOf(el)));
	return /[<&]/.test(text) ? oneLine(htmlToText(text)) : text;
}

const EMAIL = String.raw`(?:mailto:)?[^\s@()<>]+@[^\s@()<>]+`;
const EMAIL_THEN_NAME = new RegExp(String.raw`^${EMAIL}\s*\((.+)\)$`, 'i');
const NAME_THEN_EMAIL = new RegExp(String.raw`^(.+?)\s*(?:<${EMAIL}>|\(${EMAIL}\)|\[${EMAIL}\])$`, 'i');

/** "jane@x.com (Jane Doe)", "Jane Doe <jane@x.com>", "Jane Doe (jane@x.com)" → "Jane Doe". */
export function withoutEmail(author: string): string {
	const a = author.trim();
	const m = EMAIL_THEN_NAME.exec(a) ?? NAME_THEN_EMAIL.exec(a);
	return m ? m[1].trim() : a;
}

function joinNames(names: string[]): string | null {
	const unique = [...new Set(names.map((n) => n.trim()).filter(Boolean))];
	return unique.length ? unique.join(', ') : null;
}

function categoriesOf(el: XmlElement): string[] {
	const out: string[] = [];
	for (const c of elementChildren(el)) {
		if (c.local === 'category') {
			const label = c.fam === 'atom' || (c.fam === 'none' && attrOf(c, 'term'))
				? (attrOf(c, 'label') ?? attrOf(c, 'term') ?? textOf(c))
				: textOf(c);
			if (c.fam === 'atom' || c.fam === 'rss' || c.fam === 'none') out.push(label);
		} else if (c.local === 'subject' && c.fam === 'dc') out.push(textOf(c));
	}
	return [...new Set(out.map((s) => oneLine(/[<&]/.test(s) ? htmlToText(s) : s)).filter(Boolean))];
}

function firstDate(el: XmlElement, fields: [readonly string[], string][]): string | null {
	for (const [fams, local] of fields) {
		for (const c of childrenOf(el, fams, local)) {
			const date = parseFeedDate(textOf(c));
			if (date) return date;
		}
	}
	return null;
}

function ownLang(el: XmlElement): string | null {
	const own = el.attrs.find((a) => a.local === 'lang' && a.prefix === 'xml')?.value?.trim();
	return own || dcLanguage(el) || el.lang || null;
}

function dcLanguage(el: XmlElement): string | null {
	const dc = childOf(el, ['dc'], 'language');
	return dc ? collapse(textOf(dc)) || null : null;
}

/** "en-US" → "en", "ja_JP" → "ja"; null for anything that is not a language tag. */
export function primaryLanguage(tag: string | null | undefined): string | null {
	if (!tag) return null;
	const m = /^\s*([a-z]{2,3})(?:[-_]|$)/i.exec(tag);
	return m ? m[1].toLowerCase() : null;
}

function titleFromText(text: string | null): string | null {
	if (!text) return null;
	const first = oneLine(text.split('\n\n')[0]);
	if (first.length <= 100) return first || null;
	const cut = first.slice(0, 100);
	const space = cut.lastIndexOf(' ');
	return `${(space > 60 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

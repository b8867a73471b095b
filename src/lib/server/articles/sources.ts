import type { ArticleSourceKind } from '../db/schema';
import { SourceError, type ParsedSource } from './candidate';
import { extractArticle } from './extract';
import { parseFeed } from '../feeds/parse';
import { charsetFromContentType, decodeText } from '../feeds/encoding';
import { parseArticleFile } from '../imports/mapping';
import type { Mapping } from '../imports/mapping';
import { safeFetch } from '../http/safe-fetch';

/** The formats an import accepts. OPML is a feed list: importing it subscribes to its feeds. */
export type SourceFormat = 'rss' | 'atom' | 'rdf' | 'opml' | 'csv' | 'jsonl' | 'html';
export const SOURCE_FORMATS: readonly SourceFormat[] = ['rss', 'atom', 'rdf', 'opml', 'csv', 'jsonl', 'html'];

export interface LoadedSource {
	kind: ArticleSourceKind;
	format: SourceFormat;
	label: string;
	parsed: ParsedSource;
	/** For CSV/JSONL: the columns found and the mapping used. */
	header?: string[];
	mapping?: Mapping;
	encoding?: string;
}

const EXTENSIONS: Record<string, SourceFormat> = {
	csv: 'csv',
	tsv: 'csv',
	txt: 'csv',
	jsonl: 'jsonl',
	ndjson: 'jsonl',
	json: 'jsonl',
	opml: 'opml',
	xml: 'rss',
	rss: 'rss',
	atom: 'atom',
	rdf: 'rdf',
	html: 'html',
	htm: 'html'
};

/** Guess a source's format from its name, then from its first bytes. */
export function detectFormat(bytes: Uint8Array, name?: string | null, contentType?: string | null): SourceFormat {
	const head = new TextDecoder('utf-8').decode(bytes.subarray(0, 2048)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
	if (head.startsWith('<opml') || /^<\?xml[^>]*>\s*(<!--[\s\S]*?-->\s*)*<opml/.test(head)) return 'opml';
	if (/^(<\?xml|<rss|<feed|<rdf:rdf|<\?xml-stylesheet)/.test(head)) return 'rss';
	if (/^(<!doctype html|<html|<head|<body|<meta|<!--)/.test(head)) return 'html';
	const ct = contentType?.toLowerCase() ?? '';
	if (/(rss|atom|rdf)\+xml|\/xml/.test(ct)) return 'rss';
	if (ct.includes('text/html')) return 'html';
	const ext = name?.toLowerCase().match(/\.([a-z]+)(\?.*)?$/)?.[1];
	if (ext && EXTENSIONS[ext]) return EXTENSIONS[ext];
	if (head.startsWith('{')) return 'jsonl';
	// gzip-compressed feeds are sniffed inside parseFeed.
	if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'rss';
	return 'csv';
}

/** Parse bytes in the given (or detected) format into article candidates. */
export function parseSource(
	bytes: Uint8Array,
	options: { format?: SourceFormat | null; name?: string | null; url?: string | null; contentType?: string | null; mapping?: Mapping | null }
): LoadedSource {
	if (bytes.length === 0) throw new SourceError(`${options.name ?? options.url ?? 'the input'} is empty`);
	const format = options.format ?? detectFormat(bytes, options.name ?? options.url, options.contentType);
	const label = options.url ?? options.name ?? 'pasted input';
	switch (format) {
		case 'rss':
		case 'atom':
		case 'rdf': {
			const feed = parseFeed(bytes, { url: options.url ?? null, contentType: options.contentType ?? null });
			return { kind: 'feed', format, label, parsed: feed };
		}
		case 'csv':
		case 'jsonl': {
			const file = parseArticleFile(bytes, format, options.mapping ?? undefined);
			return {
				kind: format,
				format,
				label,
				parsed: file,
				header: file.header,
				mapping: file.mapping,
				encoding: file.encoding
			};
		}
		case 'html': {
			// A page names its charset in the HTTP header or a <meta>; Japanese sites still use Shift_JIS and EUC-JP.
			const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
			const meta = head.match(/<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)/i)?.[1] ?? null;
			const html = decodeText(bytes, { contentTypeCharset: charsetFromContentType(options.contentType), declared: meta }).text;
			const candidate = extractArticle(html, { url: options.url ?? null });
			const { siteName, ...rest } = candidate;
			return {
				kind: options.url ? 'url' : 'html',
				format,
				label,
				parsed: { candidates: [{ ...rest, outletName: rest.outletName ?? siteName }], problems: [] }
			};
		}
		case 'opml':
			throw new SourceError('an OPML file is a list of feeds: subscribe to it instead of importing articles from it');
	}
}

/** Fetch a URL safely and parse what comes back (a feed or an article page). */
export async function fetchSource(url: string, options: { format?: SourceFormat | null; mapping?: Mapping | null } = {}) {
	const res = await safeFetch(url, {
		accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5'
	});
	return {
		bytes: res.body,
		// The whole header, so that its charset parameter reaches the decoder.
		source: parseSource(res.body, { format: options.format, url: res.finalUrl, contentType: res.headers['content-type'] ?? res.contentType, mapping: options.mapping })
	};
}

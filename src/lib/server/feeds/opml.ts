/**
 * OPML feed lists: reading one exported from another reader, and writing ours (OPML 2.0).
 * Folders (outlines that hold outlines) become categories; nested folders join as "A / B".
 */
import { SourceError, type ImportProblem } from '../articles/candidate';
import { decodeText, gunzipIfCompressed } from './encoding';
import { readXml, type XmlElement } from './parse';

export interface OpmlFeed {
	title: string | null;
	xmlUrl: string;
	htmlUrl: string | null;
	category: string | null;
}

const CATEGORY_SEPARATOR = ' / ';

/** Reads the feeds an OPML file lists; outlines without a feed address are folders or skipped. */
export function parseOpml(bytes: Uint8Array): { feeds: OpmlFeed[]; problems: ImportProblem[] } {
	if (!bytes.length) throw new SourceError('empty: the OPML file has no content');
	const decoded = decodeText(gunzipIfCompressed(bytes));
	const text = decoded.text.replace(/^\uFEFF/, '');
	if (!text.trim()) throw new SourceError('empty: the OPML file has no content');
	if (!text.includes('<')) throw new SourceError('not an OPML file: the content is not XML');

	const doc = readXml(text, {
		onRoot(root) {
			if (root.local !== 'opml') {
				const name = root.prefix ? `${root.prefix}:${root.local}` : root.local;
				const hint = ['rss', 'feed', 'rdf'].includes(root.local) ? ' (it is a feed: subscribe to it directly)' : '';
				throw new SourceError(`not an OPML file: the root element is <${name}>${hint}`);
			}
		}
	});
	const problems: ImportProblem[] = [
		...decoded.warnings.map((reason) => ({ location: 'file', reason: `encoding: ${reason}` })),
		...doc.problems
	];
	if (doc.truncatedAt) {
		problems.push({
			location: `line ${doc.truncatedAt.line}, column ${doc.truncatedAt.column}`,
			reason: 'the file ends before it is complete (truncated?); the outlines before the break were read'
		});
	}

	const body = doc.root.children.find((c): c is XmlElement => typeof c !== 'string' && c.local === 'body');
	if (!body) throw new SourceError('not an OPML file: it has no <body>');

	const feeds: OpmlFeed[] = [];
	const seen = new Map<string, number>();
	const walk = (parent: XmlElement, path: string[]) => {
		for (const el of parent.children) {
			if (typeof el === 'string' || el.local !== 'outline') continue;
			const label = cleanText(attr(el, 'title') ?? attr(el, 'text'));
			const xmlUrl = attr(el, 'xmlurl')?.trim();
			if (!xmlUrl) {
				// A folder; an empty outline without a label or children carries nothing and is skipped.
				walk(el, label ? [...path, label] : path);
				continue;
			}
			const location = `line ${el.line}`;
			const url = httpUrl(xmlUrl);
			if (!url) {
				problems.push({ location, reason: `the feed address "${xmlUrl}" is not a valid http(s) URL; skipped` });
				continue;
			}
			const firstLine = seen.get(url);
			if (firstLine !== undefined) {
				problems.push({ location, reason: `the feed ${url} is already listed at line ${firstLine}; skipped` });
				continue;
			}
			seen.set(url, el.line);
			const htmlUrl = attr(el, 'htmlurl')?.trim();
			feeds.push({
				title: label,
				xmlUrl: url,
				htmlUrl: htmlUrl ? httpUrl(htmlUrl) : null,
				category: path.length ? path.join(CATEGORY_SEPARATOR) : categoryAttribute(el)
			});
			// Some readers nest items under a feed outline; anything below is not another feed list.
		}
	};
	walk(body, []);
	return { feeds, problems };
}

function attr(el: XmlElement, name: string): string | null {
	return el.attrs.find((a) => a.local === name && !a.prefix)?.value ?? null;
}

function cleanText(value: string | null): string | null {
	const text = value?.replace(/\s+/g, ' ').trim();
	return text || null;
}

function httpUrl(value: string): string | null {
	try {
		const url = new URL(value.trim());
		return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
	} catch {
		return null;
	}
}

// OPML 2.0's category attribute: comma-separated, slash-delimited paths ("/Tech/News").
function categoryAttribute(el: XmlElement): string | null {
	const first = attr(el, 'category')?.split(',')[0] ?? '';
	const parts = first.split('/').map((p) => p.trim()).filter(Boolean);
	return parts.length ? parts.join(CATEGORY_SEPARATOR) : null;
}

/** Writes feeds as an OPML 2.0 document, one folder per category (nested for "A / B"). */
export function toOpml(feeds: readonly OpmlFeed[], options: { title: string; now?: Date }): string {
	interface Folder {
		name: string;
		folders: Map<string, Folder>;
		feeds: OpmlFeed[];
	}
	const root: Folder = { name: '', folders: new Map(), feeds: [] };
	for (const feed of feeds) {
		let folder = root;
		for (const name of (feed.category ?? '').split(CATEGORY_SEPARATOR).map((p) => p.trim()).filter(Boolean)) {
			let next = folder.folders.get(name);
			if (!next) {
				next = { name, folders: new Map(), feeds: [] };
				folder.folders.set(name, next);
			}
			folder = next;
		}
		folder.feeds.push(feed);
	}

	const lines: string[] = [];
	const write = (folder: Folder, depth: number) => {
		const pad = '\t'.repeat(depth);
		for (const feed of folder.feeds) {
			const title = feed.title ?? feed.xmlUrl;
			const html = feed.htmlUrl ? ` htmlUrl="${escapeXml(feed.htmlUrl)}"` : '';
			lines.push(
				`${pad}<outline type="rss" text="${escapeXml(title)}" title="${escapeXml(title)}" xmlUrl="${escapeXml(feed.xmlUrl)}"${html}/>`
			);
		}
		for (const sub of folder.folders.values()) {
			lines.push(`${pad}<outline text="${escapeXml(sub.name)}" title="${escapeXml(sub.name)}">`);
			write(sub, depth + 1);
			lines.push(`${pad}</outline>`);
		}
	};
	write(root, 2);

	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<opml version="2.0">',
		'\t<head>',
		`\t\t<title>${escapeXml(options.title)}</title>`,
		`\t\t<dateCreated>${(options.now ?? new Date()).toUTCString()}</dateCreated>`,
		'\t</head>',
		'\t<body>',
		...lines,
		'\t</body>',
		'</opml>',
		''
	].join('\n');
}

// Attribute-safe escaping; characters XML 1.0 forbids outright are dropped, and whitespace that
// attribute normalisation would flatten is kept as character references.
function escapeXml(value: string): string {
	return value
		.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
		.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/\t/g, '&#9;')
		.replace(/\n/g, '&#10;')
		.replace(/\r/g, '&#13;');
}

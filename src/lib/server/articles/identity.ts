import { createHash } from 'node:crypto';

/**
 * How an article is recognised when it comes again: by its canonical URL, or — for print
 * articles and sources without links — by its normalised title, outlet and day.
 */

// Query parameters that say how a reader arrived, not which article it is.
const TRACKING_PARAMS = [
	/^utm_/i,
	/^(fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok)$/i,
	/^(cid|cmpid|ncid|ocid|ito|icid|rss|rssfeed|from|ref|ref_src|ref_url|source|src|share|smid|sh|xtor|at_medium|at_campaign|spm|s_cid|wt\.mc_id|guccounter|guce_referrer|guce_referrer_sig|soc_src|soc_trk|ns_mchannel|ns_source|ns_campaign|ns_linkname|ns_fee|sr_share|feature)$/i
];

/** The canonical form of an article URL, or null when it is not an http(s) URL. */
export function canonicalUrl(raw: string | null | undefined): string | null {
	if (!raw) return null;
	let u: URL;
	try {
		u = new URL(raw.trim());
	} catch {
		return null;
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
	u.hash = '';
	u.username = '';
	u.password = '';
	u.hostname = u.hostname.toLowerCase().replace(/\.$/, '');
	const kept = [...u.searchParams.entries()].filter(([k]) => !TRACKING_PARAMS.some((re) => re.test(k)));
	kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	u.search = kept.length ? `?${new URLSearchParams(kept).toString()}` : '';
	let s = u.toString();
	// http and https, www. and not, a trailing slash or not: the same article.
	s = s.replace(/^https?:\/\/(www\.)?/, '');
	if (s.endsWith('/') && !s.includes('?')) s = s.slice(0, -1);
	return s;
}

/** Title for comparison: NFKC, lower case, no punctuation or spaces. */
export function titleKey(title: string): string {
	return title
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\p{P}\p{S}\s]+/gu, '');
}

/** The outlet name for comparison. */
export function outletKey(name: string): string {
	return name
		.normalize('NFKC')
		.toLowerCase()
		.replace(/^the\s+/, '')
		.replace(/[\s\p{P}]+/gu, '');
}

/** The key under which an article may exist only once. */
export function dedupeKey(article: {
	url: string | null;
	title: string;
	outletKey: string | null;
	publishedAt: string | null;
}): string {
	const url = canonicalUrl(article.url);
	if (url) return `u:${url}`;
	const day = article.publishedAt ? article.publishedAt.slice(0, 10) : 'undated';
	return `t:${titleKey(article.title)}|${article.outletKey ?? ''}|${day}`;
}

/** A short hash of what an article says, to tell an edited article from a repeat. */
export function contentHash(parts: (string | null | undefined)[]): string {
	const h = createHash('sha256');
	for (const p of parts) h.update(p ?? '\u0000').update('\u0001');
	return h.digest('base64url').slice(0, 22);
}

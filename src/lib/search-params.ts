/**
 * The search page's address as options for the search service: every parameter is checked, and a
 * value no form of ours would send (a forged or mistyped link) is named rather than ignored, so
 * the person sees why the filter did not apply.
 */
import { isIsoDate } from './schemas/validation';

/** The kinds of outlet (outlets.kind). */
export type OutletKind = 'newspaper' | 'magazine' | 'tv' | 'radio' | 'web' | 'wire';

export const SEARCH_PAGE_SIZE = 20;
/** The service reads at most 10,000 results deep. */
export const SEARCH_MAX_PAGE = 500;
export const OUTLET_KINDS: readonly OutletKind[] = ['newspaper', 'magazine', 'tv', 'radio', 'web', 'wire'];
const LANGS = ['en', 'ja'] as const;

export type SearchView = 'articles' | 'reporters';

export interface SearchParams {
	q: string;
	view: SearchView;
	order: 'relevance' | 'date';
	topic: number | null;
	outlet: number | null;
	reporter: number | null;
	from: string;
	to: string;
	lang: '' | (typeof LANGS)[number];
	signed: '' | 'yes' | 'no';
	kind: '' | OutletKind;
	page: number;
}

/** A parameter whose value cannot be used: its name, for the message. */
export type InvalidParam = 'view' | 'order' | 'topic' | 'outlet' | 'reporter' | 'from' | 'to' | 'lang' | 'signed' | 'kind' | 'page';

const ID_RE = /^[1-9]\d{0,9}$/;
/** Reads the search page's parameters; `invalid` names those that were present but unusable (they are left unset). */
export function readSearchParams(query: URLSearchParams): { params: SearchParams; invalid: InvalidParam[] } {
	const invalid: InvalidParam[] = [];
	const get = (name: string) => (query.get(name) ?? '').trim();
	function choice<T extends string>(name: InvalidParam, allowed: readonly T[], fallback: T | ''): T | '' {
		const v = get(name);
		if (v === '') return fallback;
		if ((allowed as readonly string[]).includes(v)) return v as T;
		invalid.push(name);
		return fallback;
	}
	const id = (name: InvalidParam): number | null => {
		const v = get(name);
		if (v === '') return null;
		if (ID_RE.test(v)) return Number(v);
		invalid.push(name);
		return null;
	};
	const date = (name: 'from' | 'to'): string => {
		const v = get(name);
		if (v === '' || isIsoDate(v)) return v;
		invalid.push(name);
		return '';
	};
	let page = 1;
	const pageText = get('page');
	if (pageText !== '') {
		if (ID_RE.test(pageText)) page = Math.min(Number(pageText), SEARCH_MAX_PAGE);
		else invalid.push('page');
	}
	const params: SearchParams = {
		// Not trimmed: the query language gives spaces meaning, and the service reports a blank query.
		q: query.get('q') ?? '',
		view: (choice('view', ['articles', 'reporters'] as const, 'articles') || 'articles') as SearchView,
		order: (choice('order', ['relevance', 'date'] as const, 'relevance') || 'relevance') as 'relevance' | 'date',
		topic: id('topic'),
		outlet: id('outlet'),
		reporter: id('reporter'),
		from: date('from'),
		to: date('to'),
		lang: choice('lang', LANGS, ''),
		signed: choice('signed', ['yes', 'no'] as const, ''),
		kind: choice('kind', OUTLET_KINDS, ''),
		page
	};
	if (params.from && params.to && params.from > params.to) invalid.push('to');
	return { params, invalid };
}

/** The page's address for these parameters (defaults left out), with some of them changed. */
export function searchHref(params: SearchParams, change: Partial<SearchParams> = {}): string {
	const p = { ...params, ...change };
	const q = new URLSearchParams();
	if (p.q) q.set('q', p.q);
	if (p.view !== 'articles') q.set('view', p.view);
	if (p.order !== 'relevance') q.set('order', p.order);
	if (p.topic !== null) q.set('topic', String(p.topic));
	if (p.outlet !== null) q.set('outlet', String(p.outlet));
	if (p.reporter !== null) q.set('reporter', String(p.reporter));
	if (p.from) q.set('from', p.from);
	if (p.to) q.set('to', p.to);
	if (p.lang) q.set('lang', p.lang);
	if (p.signed) q.set('signed', p.signed);
	if (p.kind) q.set('kind', p.kind);
	if (p.page > 1) q.set('page', String(p.page));
	const s = q.toString();
	return s ? `/search?${s}` : '/search';
}

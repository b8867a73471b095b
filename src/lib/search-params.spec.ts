import { describe, expect, it } from 'vitest';
import { readSearchParams, searchHref, SEARCH_MAX_PAGE } from './search-params';

const read = (query: string) => readSearchParams(new URLSearchParams(query));

describe('readSearchParams', () => {
	it('reads every filter of the form', () => {
		const { params, invalid } = read('q=広報+OR+PR&view=articles&order=date&topic=3&outlet=7&reporter=12&from=2024-01-01&to=2024-12-31&lang=ja&signed=no&page=4');
		expect(invalid).toEqual([]);
		expect(params).toEqual({
			q: '広報 OR PR',
			view: 'articles',
			order: 'date',
			topic: 3,
			outlet: 7,
			reporter: 12,
			from: '2024-01-01',
			to: '2024-12-31',
			lang: 'ja',
			signed: 'no',
			kind: '',
			page: 4
		});
	});

	it('defaults to relevance order, the articles view and page 1', () => {
		expect(read('')).toEqual({
			params: { q: '', view: 'articles', order: 'relevance', topic: null, outlet: null, reporter: null, from: '', to: '', lang: '', signed: '', kind: '', page: 1 },
			invalid: []
		});
	});

	it('names forged or mistyped values instead of ignoring them', () => {
		const { params, invalid } = read("view=admin&order=random&topic=1%20OR%201=1&outlet=-4&reporter=0&from=2024-02-30&to=yesterday&lang=fr&signed=maybe&kind=blog&page=abc");
		expect(invalid.sort()).toEqual(['from', 'kind', 'lang', 'order', 'outlet', 'page', 'reporter', 'signed', 'to', 'topic', 'view'].sort());
		expect(params).toMatchObject({ view: 'articles', order: 'relevance', topic: null, outlet: null, reporter: null, from: '', to: '', lang: '', signed: '', kind: '', page: 1 });
	});

	it('refuses a date range that ends before it starts', () => {
		expect(read('from=2025-05-01&to=2025-04-01').invalid).toEqual(['to']);
	});

	it('keeps the query as typed, operators and quotes included, and caps the page', () => {
		const q = `"oil prices" AND (opec OR 'x') -- ; drop table articles`;
		expect(read(new URLSearchParams({ q }).toString()).params.q).toBe(q);
		expect(read('page=999999').params.page).toBe(SEARCH_MAX_PAGE);
	});
});

describe('searchHref', () => {
	it('leaves defaults out and reads back to the same parameters', () => {
		const { params } = read('q=oil&view=reporters&lang=en&kind=wire');
		const href = searchHref(params, { page: 2 });
		expect(href).toBe('/search?q=oil&view=reporters&lang=en&kind=wire&page=2');
		expect(read(href.split('?')[1]).params).toEqual({ ...params, page: 2 });
		expect(searchHref(read('').params)).toBe('/search');
	});
});

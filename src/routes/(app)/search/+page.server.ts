import { requireStaff } from '$lib/server/auth/guards';
import { searchArticles, whoCovers, type SearchError } from '$lib/server/search/search.service';
import { describeQueryError, type QueryErrorCode } from '$lib/server/search/query';
import { listOutlets } from '$lib/server/outlets/outlets.repository';
import { listTopics } from '$lib/server/topics/topics.service';
import { getReporter } from '$lib/server/reporters/reporters.service';
import { readSearchParams, SEARCH_PAGE_SIZE } from '$lib/search-params';
import { getLocale } from '$lib/paraglide/runtime';
import { m } from '$lib/paraglide/messages.js';
import type { PageServerLoad } from './$types';

const QUERY_ERRORS = new Set<string>([
	'empty',
	'too_long',
	'too_complex',
	'unbalanced_quote',
	'unbalanced_paren',
	'empty_group',
	'empty_phrase',
	'dangling_operator',
	'only_negative',
	'prefix_too_short'
] satisfies QueryErrorCode[]);

/** The service's error in the reader's language, naming where in the query it is. */
function explain(error: SearchError): string {
	if (QUERY_ERRORS.has(error.code)) return describeQueryError(error.code as QueryErrorCode, getLocale() === 'ja' ? 'ja' : 'en', { position: error.position });
	switch (error.code) {
		case 'too_short':
			return m.search_error_too_short();
		case 'invalid_filter':
			return m.search_error_invalid_filter();
		default:
			return error.message;
	}
}

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const database = event.locals.database;
	const db = database.db;
	const { params, invalid } = readSearchParams(event.url.searchParams);
	const [topics, outlets, reporter] = await Promise.all([
		listTopics(db),
		listOutlets(db),
		params.reporter === null ? Promise.resolve(undefined) : getReporter(db, params.reporter)
	]);
	if (params.reporter !== null && !reporter) invalid.push('reporter');
	const base = {
		params,
		invalid,
		topics: topics.map((t) => ({ id: t.id, name: t.name })),
		outlets: outlets.map((o) => ({ id: o.id, name: o.name })),
		reporter: reporter ? { id: reporter.id, name: reporter.display_name } : null,
		pageSize: SEARCH_PAGE_SIZE
	};
	// A filter that cannot apply would make the answer wrong without saying so: explain, don't search.
	if (invalid.length) return { ...base, search: null, who: null, error: null };

	if (params.view === 'reporters') {
		if (!params.q.trim() && params.topic === null) return { ...base, search: null, who: null, error: null };
		const result = await whoCovers(database, { query: params.q, topicId: params.topic, lang: params.lang || null, outletKind: params.kind || null, limit: 20 });
		if ('error' in result) return { ...base, search: null, who: null, error: { text: explain(result.error), position: result.error.position ?? null } };
		return { ...base, search: null, who: result, error: null };
	}

	if (!params.q.trim()) return { ...base, search: null, who: null, error: null };
	const result = await searchArticles(database, {
		query: params.q,
		topicId: params.topic,
		outletId: params.outlet,
		reporterId: params.reporter,
		from: params.from || null,
		to: params.to || null,
		lang: params.lang || null,
		signed: params.signed === '' ? null : params.signed === 'yes',
		order: params.order,
		limit: SEARCH_PAGE_SIZE,
		offset: (params.page - 1) * SEARCH_PAGE_SIZE
	});
	if ('error' in result) return { ...base, search: null, who: null, error: { text: explain(result.error), position: result.error.position ?? null } };
	return { ...base, search: result, who: null, error: null };
};

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

export interface ArticleListFilter {
	signed?: boolean;
	outletId?: number;
	reporterId?: number;
	limit?: number;
	offset?: number;
}

export interface ReporterChip {
	articleId: number;
	id: number;
	name: string;
	role: string;
	source: string;
}

/** The reporters of these articles, in byline order: one query for the whole page. */
export async function reportersOfArticles(db: Db, articleIds: number[]): Promise<Map<number, ReporterChip[]>> {
	const out = new Map<number, ReporterChip[]>();
	if (!articleIds.length) return out;
	const rows = await db
		.selectFrom('article_reporters')
		.innerJoin('reporters', 'reporters.id', 'article_reporters.reporter_id')
		.select([
			'article_reporters.article_id as articleId',
			'reporters.id as id',
			'reporters.display_name as name',
			'article_reporters.role as role',
			'article_reporters.source as source'
		])
		.where('article_reporters.article_id', 'in', articleIds)
		.orderBy('article_reporters.article_id')
		.orderBy('article_reporters.position')
		.execute();
	for (const r of rows) {
		const list = out.get(r.articleId);
		if (list) list.push(r);
		else out.set(r.articleId, [r]);
	}
	return out;
}

/** Newest articles first, with outlet and reporters. */
export async function listArticles(db: Db, filter: ArticleListFilter = {}) {
	let q = db
		.selectFrom('articles')
		.leftJoin('outlets', 'outlets.id', 'articles.outlet_id')
		.select([
			'articles.id',
			'articles.title',
			'articles.url',
			'articles.published_at',
			'articles.lang',
			'articles.section',
			'articles.signed',
			'articles.identify_status',
			'articles.agencies',
			'articles.byline_raw',
			'articles.source_kind',
			'outlets.id as outlet_id',
			'outlets.name as outlet_name'
		]);
	if (filter.signed !== undefined) q = q.where('articles.signed', '=', filter.signed ? 1 : 0);
	if (filter.outletId !== undefined) q = q.where('articles.outlet_id', '=', filter.outletId);
	if (filter.reporterId !== undefined) {
		const reporterId = filter.reporterId;
		q = q.where((eb) =>
			eb.exists(
				eb
					.selectFrom('article_reporters')
					.select('article_reporters.article_id')
					.whereRef('article_reporters.article_id', '=', 'articles.id')
					.where('article_reporters.reporter_id', '=', reporterId)
			)
		);
	}
	const rows = await q
		.orderBy('articles.published_at', (ob) => ob.desc().nullsLast())
		.orderBy('articles.id', 'desc')
		.limit(filter.limit ?? 50)
		.offset(filter.offset ?? 0)
		.execute();
	const reporters = await reportersOfArticles(db, rows.map((r) => r.id));
	return rows.map((r) => ({ ...r, agencies: JSON.parse(r.agencies) as string[], reporters: reporters.get(r.id) ?? [] }));
}

export async function countArticles(db: Db): Promise<{ total: number; unsigned: number; openTasks: number }> {
	const row = await db
		.selectFrom('articles')
		.select((eb) => [
			eb.fn.countAll<number>().as('total'),
			eb.fn.sum<number>(eb.case().when('signed', '=', 0).then(1).else(0).end()).as('unsigned'),
			eb.fn.sum<number>(eb.case().when('identify_status', '=', 'open').then(1).else(0).end()).as('open_tasks')
		])
		.executeTakeFirstOrThrow();
	return { total: Number(row.total), unsigned: Number(row.unsigned ?? 0), openTasks: Number(row.open_tasks ?? 0) };
}

/** Unsigned articles whose writer nobody has identified yet, counted up to `cap` (Today shows "cap+"). */
export async function countOpenIdentifyTasks(db: Db, cap: number): Promise<number> {
	const row = await db
		.selectFrom((eb) => eb.selectFrom('articles').select('id').where('identify_status', '=', 'open').limit(cap).as('t'))
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** One article with everything its page shows. */
export async function getArticle(db: Db, id: number) {
	const row = await db
		.selectFrom('articles')
		.leftJoin('outlets', 'outlets.id', 'articles.outlet_id')
		.select([
			'articles.id',
			'articles.title',
			'articles.url',
			'articles.published_at',
			'articles.lang',
			'articles.section',
			'articles.body',
			'articles.excerpt',
			'articles.byline_raw',
			'articles.agencies',
			'articles.categories',
			'articles.signed',
			'articles.identify_status',
			'articles.source_kind',
			'articles.source_label',
			'articles.import_run_id',
			'articles.created_at',
			'articles.updated_at',
			'outlets.id as outlet_id',
			'outlets.name as outlet_name',
			'outlets.desk_phone as outlet_desk_phone'
		])
		.where('articles.id', '=', id)
		.executeTakeFirst();
	if (!row) return undefined;
	const [reporters, identifications] = await Promise.all([
		reportersOfArticles(db, [id]),
		db
			.selectFrom('article_identifications')
			.leftJoin('users', 'users.id', 'article_identifications.user_id')
			.leftJoin('reporters', 'reporters.id', 'article_identifications.reporter_id')
			.select([
				'article_identifications.id',
				'article_identifications.method',
				'article_identifications.learned_on',
				'article_identifications.note',
				'article_identifications.created_at',
				'users.display_name as user_name',
				'reporters.display_name as reporter_name'
			])
			.where('article_identifications.article_id', '=', id)
			.orderBy('article_identifications.id')
			.execute()
	]);
	return {
		...row,
		agencies: JSON.parse(row.agencies) as string[],
		categories: JSON.parse(row.categories) as string[],
		reporters: reporters.get(id) ?? [],
		identifications
	};
}

/** Unsigned articles waiting for their writer to be found, grouped by outlet in the page. */
export function listIdentifyQueue(db: Db, limit = 200) {
	return db
		.selectFrom('articles')
		.leftJoin('outlets', 'outlets.id', 'articles.outlet_id')
		.select([
			'articles.id',
			'articles.title',
			'articles.url',
			'articles.published_at',
			'articles.section',
			'outlets.id as outlet_id',
			'outlets.name as outlet_name',
			'outlets.desk_phone as outlet_desk_phone'
		])
		.where('articles.identify_status', '=', 'open')
		.orderBy('outlets.name')
		.orderBy('articles.published_at', 'desc')
		.limit(limit)
		.execute();
}

export function listImportRuns(db: Db, limit = 50) {
	return db
		.selectFrom('import_runs')
		.leftJoin('users', 'users.id', 'import_runs.user_id')
		.select([
			'import_runs.id',
			'import_runs.kind',
			'import_runs.label',
			'import_runs.status',
			'import_runs.added',
			'import_runs.updated',
			'import_runs.duplicates',
			'import_runs.skipped',
			'import_runs.reporters_created',
			'import_runs.started_at',
			'import_runs.finished_at',
			'users.display_name as user_name'
		])
		.orderBy('import_runs.id', 'desc')
		.limit(limit)
		.execute();
}

export async function getImportRun(db: Db, id: number) {
	const row = await db
		.selectFrom('import_runs')
		.leftJoin('users', 'users.id', 'import_runs.user_id')
		.selectAll('import_runs')
		.select('users.display_name as user_name')
		.where('import_runs.id', '=', id)
		.executeTakeFirst();
	if (!row) return undefined;
	return { ...row, problems: JSON.parse(row.problems) as { location: string; reason: string; note?: boolean }[] };
}

/** Titles of these articles by id (provenance on a reporter's page names the article each name came from). */
export async function getArticleTitles(db: Db, ids: number[]): Promise<Map<number, string>> {
	const unique = [...new Set(ids)];
	if (!unique.length) return new Map();
	const rows = await db.selectFrom('articles').select(['id', 'title']).where('id', 'in', unique).execute();
	return new Map(rows.map((r) => [r.id, r.title]));
}

/** The first articles a run added (a run page links them; for a single page or paste, the one article). */
export function listArticlesOfRun(db: Db, runId: number, limit = 20) {
	return db
		.selectFrom('articles')
		.select(['id', 'title', 'lang', 'published_at'])
		.where('import_run_id', '=', runId)
		.orderBy('id')
		.limit(limit)
		.execute();
}

import type { Kysely, Transaction } from 'kysely';
import type { Selectable } from 'kysely';
import type { ArticleReporterTable, DB, IdentificationMethod, ReporterTable } from '../db/schema';
import { recordAudit } from '../audit/audit';
import { normaliseByline, personKey, readingKey } from '../articles/byline';
import { InputError } from '../../schemas/validation';
import { invalidateQuickFind } from '../search/quickfind';
import { carrySuppressionOnMerge } from '../privacy/suppression';
import { carryRecordsOnMerge, restoreRecordsOnSplit, type RecordsMoved } from './records';

type Db = Kysely<DB> | Transaction<DB>;

/** What a merge moved, kept so the merge can be split again. */
interface MergeRecord {
	reporter: Selectable<ReporterTable>;
	links: Selectable<ArticleReporterTable>[];
	names: number[];
	movedArticleIds: number[];
	/** Facts, log, notes, stints and list places (absent in merges made before reporter records). */
	records?: RecordsMoved;
}

export const IDENTIFICATION_METHODS: readonly IdentificationMethod[] = ['desk_call', 'email', 'reporter', 'other'];

/** Reporters with their outlet and article count, for lists and pickers. */
export function listReporters(db: Db, options: { outletId?: number; limit?: number } = {}) {
	let q = db
		.selectFrom('reporters')
		.leftJoin('outlets', 'outlets.id', 'reporters.outlet_id')
		.select((eb) => [
			'reporters.id',
			'reporters.display_name',
			'reporters.reading',
			'reporters.created_via',
			'outlets.id as outlet_id',
			'outlets.name as outlet_name',
			eb
				.selectFrom('article_reporters')
				.select((e) => e.fn.countAll<number>().as('n'))
				.whereRef('article_reporters.reporter_id', '=', 'reporters.id')
				.as('article_count')
		]);
	if (options.outletId !== undefined) q = q.where('reporters.outlet_id', '=', options.outletId);
	return q.orderBy('reporters.display_name').limit(options.limit ?? 500).execute();
}

/** One reporter's record as the article index knows it: names seen, outlets, provenance. */
export async function getReporter(db: Db, id: number) {
	const reporter = await db
		.selectFrom('reporters')
		.leftJoin('outlets', 'outlets.id', 'reporters.outlet_id')
		.leftJoin('users', 'users.id', 'reporters.created_by')
		.select([
			'reporters.id',
			'reporters.display_name',
			'reporters.reading',
			'reporters.romanized',
			'reporters.created_via',
			'reporters.created_from_article_id',
			'reporters.created_at',
			'outlets.id as outlet_id',
			'outlets.name as outlet_name',
			'users.display_name as created_by_name'
		])
		.where('reporters.id', '=', id)
		.executeTakeFirst();
	if (!reporter) return undefined;
	const names = await db
		.selectFrom('reporter_names')
		.leftJoin('outlets', 'outlets.id', 'reporter_names.outlet_id')
		.select(['reporter_names.id', 'reporter_names.name', 'reporter_names.source', 'reporter_names.article_id', 'reporter_names.created_at', 'outlets.name as outlet_name'])
		.where('reporter_names.reporter_id', '=', id)
		.orderBy('reporter_names.id')
		.execute();
	return { ...reporter, names };
}

/** Open review items: a newer reporter record and the existing one it may be. */
export async function listReviews(db: Db, limit = 100) {
	return db
		.selectFrom('reporter_reviews as rv')
		.innerJoin('reporters as a', 'a.id', 'rv.reporter_id')
		.innerJoin('reporters as b', 'b.id', 'rv.candidate_id')
		.leftJoin('outlets as oa', 'oa.id', 'a.outlet_id')
		.leftJoin('outlets as ob', 'ob.id', 'b.outlet_id')
		.select([
			'rv.id',
			'rv.score',
			'rv.reason',
			'rv.created_at',
			'a.id as reporter_id',
			'a.display_name as reporter_name',
			'oa.name as reporter_outlet',
			'b.id as candidate_id',
			'b.display_name as candidate_name',
			'ob.name as candidate_outlet'
		])
		.where('rv.status', '=', 'open')
		.orderBy('rv.score', 'desc')
		.orderBy('rv.id')
		.limit(limit)
		.execute();
}

export async function countOpenReviews(db: Db): Promise<number> {
	const row = await db
		.selectFrom('reporter_reviews')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('status', '=', 'open')
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/**
 * Fold reporter `mergedId` into `keptId`: every article link and name variant moves over, the
 * merged record is deleted, and what moved is kept in reporter_merges so the merge can be split
 * again. Later capabilities that point at reporters (lists, letters, coverage) move here too.
 */
export async function mergeReporters(db: Kysely<DB>, userId: number, keptId: number, mergedId: number): Promise<number> {
	if (keptId === mergedId) throw new InputError({ candidate: 'error_merge_same' });
	const mergeId = await db.transaction().execute(async (trx) => {
		const [kept, merged] = await Promise.all([
			trx.selectFrom('reporters').select(['id', 'display_name']).where('id', '=', keptId).executeTakeFirst(),
			trx.selectFrom('reporters').selectAll().where('id', '=', mergedId).executeTakeFirst()
		]);
		if (!kept || !merged) throw new InputError({ candidate: 'error_not_found' });
		const links = await trx.selectFrom('article_reporters').selectAll().where('reporter_id', '=', mergedId).execute();
		const names = await trx.selectFrom('reporter_names').select(['id']).where('reporter_id', '=', mergedId).execute();
		const keptArticles = new Set(
			(await trx.selectFrom('article_reporters').select('article_id').where('reporter_id', '=', keptId).execute()).map((r) => r.article_id)
		);
		const moveLinks = links.filter((l) => !keptArticles.has(l.article_id));
		for (let i = 0; i < moveLinks.length; i += 200) {
			await trx.insertInto('article_reporters').values(moveLinks.slice(i, i + 200).map((l) => ({ ...l, reporter_id: keptId }))).execute();
		}
		await trx.updateTable('reporter_names').set({ reporter_id: keptId }).where('reporter_id', '=', mergedId).execute();
		await trx.updateTable('article_identifications').set({ reporter_id: keptId }).where('reporter_id', '=', mergedId).execute();
		// Whoever watched either record now watches the kept one.
		const watchers = await trx.selectFrom('watch_reporters').select(['user_id', 'created_at']).where('reporter_id', '=', mergedId).execute();
		if (watchers.length) {
			await trx
				.insertInto('watch_reporters')
				.values(watchers.map((w) => ({ user_id: w.user_id, reporter_id: keptId, created_at: w.created_at })))
				.onConflict((oc) => oc.columns(['user_id', 'reporter_id']).doNothing())
				.execute();
		}
		const now = new Date().toISOString();
		const records = await carryRecordsOnMerge(trx, keptId, mergedId, now);
		await trx.updateTable('suppression_flags').set({ reporter_id: keptId }).where('reporter_id', '=', mergedId).execute();
		const row = await trx
			.insertInto('reporter_merges')
			.values({
				kept_id: keptId,
				merged_id: mergedId,
				merged_name: merged.display_name,
				moved: JSON.stringify({
					reporter: merged,
					links,
					names: names.map((n) => n.id),
					movedArticleIds: moveLinks.map((l) => l.article_id),
					records
				} satisfies MergeRecord),
				user_id: userId,
				created_at: now
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx
			.updateTable('reporter_reviews')
			.set({ status: 'merged', resolved_by: userId, resolved_at: now })
			.where((eb) =>
				eb.or([
					eb.and([eb('reporter_id', '=', mergedId), eb('candidate_id', '=', keptId)]),
					eb.and([eb('reporter_id', '=', keptId), eb('candidate_id', '=', mergedId)])
				])
			)
			.execute();
		// Reviews of the merged record against third parties now concern the kept one.
		await trx.deleteFrom('reporter_reviews').where((eb) => eb.or([eb('reporter_id', '=', mergedId), eb('candidate_id', '=', mergedId)])).where('status', '=', 'open').execute();
		// The person asked not to be contacted, whichever record they asked through.
		await carrySuppressionOnMerge(trx, keptId, mergedId, userId);
		await trx.deleteFrom('article_reporters').where('reporter_id', '=', mergedId).execute();
		await trx.deleteFrom('reporters').where('id', '=', mergedId).execute();
		await recordAudit(trx, { actorUserId: userId, action: 'reporter.merged', subjectType: 'reporter', subjectId: keptId, detail: { merged: mergedId, merge: row.id } });
		return row.id;
	});
	invalidateQuickFind(db);
	return mergeId;
}

/** Undo a merge: the merged reporter comes back with the articles and names it brought. */
export async function splitMerge(db: Kysely<DB>, userId: number, mergeId: number): Promise<number> {
	const restoredId = await db.transaction().execute(async (trx) => {
		const merge = await trx.selectFrom('reporter_merges').selectAll().where('id', '=', mergeId).executeTakeFirst();
		if (!merge) throw new InputError({ merge: 'error_not_found' });
		const moved = JSON.parse(merge.moved) as MergeRecord;
		const { id: _oldId, ...r } = moved.reporter;
		const restored = await trx
			.insertInto('reporters')
			// The key again from the reading: a snapshot taken before keys existed has none.
			.values({ ...r, reading_key: readingKey(r.reading), updated_at: new Date().toISOString() })
			.returning('id')
			.executeTakeFirstOrThrow();
		if (moved.names.length) {
			await trx.updateTable('reporter_names').set({ reporter_id: restored.id }).where('id', 'in', moved.names).execute();
		}
		// Links the kept reporter had only through the merge go back; those it had itself stay.
		if (moved.movedArticleIds.length) {
			await trx
				.deleteFrom('article_reporters')
				.where('reporter_id', '=', merge.kept_id)
				.where('article_id', 'in', moved.movedArticleIds)
				.execute();
		}
		for (let i = 0; i < moved.links.length; i += 200) {
			await trx
				.insertInto('article_reporters')
				.values(moved.links.slice(i, i + 200).map((l) => ({ ...l, reporter_id: restored.id })))
				.onConflict((oc) => oc.columns(['article_id', 'reporter_id']).doNothing())
				.execute();
		}
		await restoreRecordsOnSplit(trx, restored.id, merge.kept_id, moved.records);
		await trx.deleteFrom('reporter_merges').where('id', '=', mergeId).execute();
		await recordAudit(trx, { actorUserId: userId, action: 'reporter.split', subjectType: 'reporter', subjectId: restored.id, detail: { from: merge.kept_id } });
		return restored.id;
	});
	invalidateQuickFind(db);
	return restoredId;
}

/** A person decided two records are different people. */
export async function keepApart(db: Kysely<DB>, userId: number, reviewId: number): Promise<void> {
	const result = await db
		.updateTable('reporter_reviews')
		.set({ status: 'kept_apart', resolved_by: userId, resolved_at: new Date().toISOString() })
		.where('id', '=', reviewId)
		.where('status', '=', 'open')
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) throw new InputError({ review: 'error_not_found' });
	await recordAudit(db, { actorUserId: userId, action: 'reporter.review_kept_apart', subjectType: 'reporter_review', subjectId: reviewId });
}

export interface IdentifyInput {
	articleId: number;
	/** An existing reporter, or … */
	reporterId: number | null;
	/** … the name of a new one. */
	newReporterName: string | null;
	method: IdentificationMethod;
	/** YYYY-MM-DD */
	learnedOn: string;
	note: string | null;
}

/**
 * Record who wrote an unsigned article and how we learned it (e.g. a call to the desk). Links the
 * article to the reporter — a new record when the name is new — and closes the task.
 */
export async function identifyWriter(db: Kysely<DB>, userId: number, input: IdentifyInput): Promise<number> {
	if (!IDENTIFICATION_METHODS.includes(input.method)) throw new InputError({ method: 'error_method_invalid' });
	if (!/^\d{4}-\d{2}-\d{2}$/.test(input.learnedOn) || Number.isNaN(Date.parse(input.learnedOn))) {
		throw new InputError({ learnedOn: 'error_date_invalid' });
	}
	if (input.reporterId === null && !input.newReporterName?.trim()) throw new InputError({ reporter: 'error_reporter_required' });
	const note = input.note?.trim().slice(0, 2000) || null;
	return db.transaction().execute(async (trx) => {
		const article = await trx.selectFrom('articles').select(['id', 'outlet_id', 'lang']).where('id', '=', input.articleId).executeTakeFirst();
		if (!article) throw new InputError({ articleId: 'error_not_found' });
		const now = new Date().toISOString();
		let reporterId = input.reporterId;
		if (reporterId !== null) {
			const exists = await trx.selectFrom('reporters').select('id').where('id', '=', reporterId).executeTakeFirst();
			if (!exists) throw new InputError({ reporter: 'error_not_found' });
		} else {
			const raw = input.newReporterName!.trim().slice(0, 120);
			// The normaliser cleans "山田太郎記者" or "By Jane Doe" typed as they appear in print.
			const person = normaliseByline(raw, { lang: article.lang }).people[0];
			const name = person?.name ?? raw.normalize('NFKC');
			const key = person?.key ?? personKey(name);
			const row = await trx
				.insertInto('reporters')
				.values({
					display_name: name,
					name_key: key,
					reading: null,
					romanized: null,
					outlet_id: article.outlet_id,
					created_via: 'identified',
					created_from_article_id: article.id,
					created_by: userId,
					created_at: now,
					updated_at: now
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			reporterId = row.id;
			await trx
				.insertInto('reporter_names')
				.values({ reporter_id: row.id, name, name_key: key, outlet_id: article.outlet_id, source: 'identified', article_id: article.id, created_at: now })
				.execute();
		}
		await trx
			.insertInto('article_reporters')
			.values({ article_id: article.id, reporter_id: reporterId, role: 'author', position: 0, source: 'identified', created_at: now })
			.onConflict((oc) => oc.columns(['article_id', 'reporter_id']).doNothing())
			.execute();
		const ident = await trx
			.insertInto('article_identifications')
			.values({ article_id: article.id, reporter_id: reporterId, method: input.method, learned_on: input.learnedOn, note, user_id: userId, created_at: now })
			.returning('id')
			.executeTakeFirstOrThrow();
		await trx.updateTable('articles').set({ identify_status: 'identified', updated_at: now }).where('id', '=', article.id).execute();
		await recordAudit(trx, { actorUserId: userId, action: 'article.identified', subjectType: 'article', subjectId: article.id, detail: { reporterId, method: input.method } });
		return ident.id;
	});
}

/** Take an unsigned article off the task list without naming a writer (e.g. an editorial). */
export async function dismissIdentifyTask(db: Kysely<DB>, userId: number, articleId: number): Promise<void> {
	const result = await db
		.updateTable('articles')
		.set({ identify_status: 'dismissed', updated_at: new Date().toISOString() })
		.where('id', '=', articleId)
		.where('identify_status', '=', 'open')
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) throw new InputError({ articleId: 'error_not_found' });
	await recordAudit(db, { actorUserId: userId, action: 'article.identified', subjectType: 'article', subjectId: articleId, detail: { dismissed: true } });
}

/** Merges folded into this reporter, newest first, so its page can offer to split each again. */
export function listMergesInto(db: Db, reporterId: number) {
	return db
		.selectFrom('reporter_merges')
		.leftJoin('users', 'users.id', 'reporter_merges.user_id')
		.select([
			'reporter_merges.id',
			'reporter_merges.merged_name',
			'reporter_merges.created_at',
			'users.display_name as user_name'
		])
		.where('reporter_merges.kept_id', '=', reporterId)
		.orderBy('reporter_merges.id', 'desc')
		.execute();
}

/** One review item that is still open, or undefined. */
export function getOpenReview(db: Db, id: number) {
	return db
		.selectFrom('reporter_reviews')
		.select(['id', 'reporter_id', 'candidate_id'])
		.where('id', '=', id)
		.where('status', '=', 'open')
		.executeTakeFirst();
}

/**
 * The newest `perReporter` article titles of each reporter, in one query for all of them (the
 * review queue shows a few per record so a person can tell two namesakes apart).
 */
export async function recentArticlesOfReporters(
	db: Db,
	reporterIds: number[],
	perReporter = 2
): Promise<Map<number, { id: number; title: string; published_at: string | null }[]>> {
	const out = new Map<number, { id: number; title: string; published_at: string | null }[]>();
	if (!reporterIds.length) return out;
	const rows = await db
		.selectFrom((eb) =>
			eb
				.selectFrom('article_reporters')
				.innerJoin('articles', 'articles.id', 'article_reporters.article_id')
				.select((e) => [
					'article_reporters.reporter_id',
					'articles.id',
					'articles.title',
					'articles.published_at',
					e.fn
						.agg<number>('row_number')
						.over((ob) =>
							ob
								.partitionBy('article_reporters.reporter_id')
								.orderBy('articles.published_at', (o) => o.desc().nullsLast())
								.orderBy('articles.id', 'desc')
						)
						.as('rank')
				])
				.where('article_reporters.reporter_id', 'in', [...new Set(reporterIds)])
				.as('ranked')
		)
		.select(['ranked.reporter_id', 'ranked.id', 'ranked.title', 'ranked.published_at'])
		.where('ranked.rank', '<=', perReporter)
		.orderBy('ranked.reporter_id')
		.orderBy('ranked.rank')
		.execute();
	for (const r of rows) {
		const item = { id: r.id, title: r.title, published_at: r.published_at };
		const list = out.get(r.reporter_id);
		if (list) list.push(item);
		else out.set(r.reporter_id, [item]);
	}
	return out;
}

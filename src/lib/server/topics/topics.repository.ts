import { PostgresAdapter, sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { ArticleTopicSource, DB, TopicJobStatus, TopicVerdict } from '../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/** Rows per multi-row INSERT: 500 rows × 6 columns stays far inside both databases' parameter limits. */
const INSERT_CHUNK = 500;
/** Ids per `in (…)` list. */
const ID_CHUNK = 500;

const TOPIC_COLUMNS = [
	'topics.id',
	'topics.name',
	'topics.name_reading',
	'topics.description',
	'topics.rule',
	'topics.rule_error',
	'topics.rule_version',
	'topics.applied_version',
	'topics.created_by',
	'topics.created_at',
	'topics.updated_at'
] as const;

const JOB_COLUMNS = [
	'topic_jobs.id',
	'topic_jobs.topic_id',
	'topic_jobs.status',
	'topic_jobs.rule_version',
	'topic_jobs.last_article_id',
	'topic_jobs.processed',
	'topic_jobs.total',
	'topic_jobs.matched',
	'topic_jobs.error',
	'topic_jobs.created_at',
	'topic_jobs.started_at',
	'topic_jobs.finished_at'
] as const;

/** Whether db talks to PostgreSQL (row locks are needed there; SQLite transactions are serial already). */
export function isPostgres(db: Db): boolean {
	return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Splits a list into pieces of at most size items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
	return out;
}

// ---------------------------------------------------------------------------------------------
// Topics

/** Every topic with how many articles it holds, by name. */
export function listTopics(db: Db) {
	return db
		.selectFrom('topics')
		.select([
			...TOPIC_COLUMNS,
			(eb) =>
				eb
					.selectFrom('article_topics')
					.select((e) => e.fn.countAll<number>().as('n'))
					.whereRef('article_topics.topic_id', '=', 'topics.id')
					.as('article_count')
		])
		.orderBy('topics.name')
		.execute();
}

/** One topic, or undefined. */
export function getTopicById(db: Db, id: number) {
	return db.selectFrom('topics').select(TOPIC_COLUMNS).where('topics.id', '=', id).executeTakeFirst();
}

/** The topic holding a name key, or undefined. */
export function getTopicByNameKey(db: Db, nameKey: string) {
	return db.selectFrom('topics').select(['topics.id']).where('topics.name_key', '=', nameKey).executeTakeFirst();
}

/**
 * Topics that have a rule, for applying rules. On PostgreSQL the rows are share-locked until the
 * caller's transaction ends, so a rule edit waits for links made with the old rule to commit and
 * the job it queues then re-makes them; without the lock those links could land after the job.
 */
export function listRuleTopics(db: Db, options: { lock?: boolean } = {}) {
	let q = db
		.selectFrom('topics')
		.select(['topics.id', 'topics.rule', 'topics.rule_version'])
		.where('topics.rule', 'is not', null)
		.orderBy('topics.id');
	if (options.lock && isPostgres(db)) q = q.forShare();
	return q.execute();
}

/**
 * A topic's current rule version, locked on PostgreSQL until the caller's transaction ends. The
 * lock conflicts with a rule edit and with an import applying rules (listRuleTopics), so a job's
 * chunk and an import batch never write the same topic's links at once (which could deadlock on
 * an updated article's rows), yet allows the key-share locks that other tables' foreign keys take.
 */
export function getRuleVersionLocked(db: Db, topicId: number) {
	let q = db.selectFrom('topics').select(['topics.rule_version']).where('topics.id', '=', topicId);
	if (isPostgres(db)) q = q.forNoKeyUpdate();
	return q.executeTakeFirst();
}

export async function insertTopic(
	db: Db,
	values: {
		name: string;
		name_key: string;
		name_reading: string | null;
		description: string | null;
		rule: string | null;
		created_by: number | null;
		now: string;
	}
): Promise<number> {
	const row = await db
		.insertInto('topics')
		.values({
			name: values.name,
			name_key: values.name_key,
			name_reading: values.name_reading,
			description: values.description,
			rule: values.rule,
			rule_error: null,
			rule_version: 1,
			applied_version: values.rule ? 0 : 1,
			created_by: values.created_by,
			created_at: values.now,
			updated_at: values.now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

export async function updateTopicRow(
	db: Db,
	id: number,
	values: {
		name: string;
		name_key: string;
		name_reading: string | null;
		description: string | null;
		rule: string | null;
		rule_version: number;
		now: string;
	}
): Promise<void> {
	await db
		.updateTable('topics')
		.set({
			name: values.name,
			name_key: values.name_key,
			name_reading: values.name_reading,
			description: values.description,
			rule: values.rule,
			rule_error: null,
			rule_version: values.rule_version,
			updated_at: values.now
		})
		.where('id', '=', id)
		.execute();
}

export async function deleteTopicRow(db: Db, id: number): Promise<boolean> {
	const r = await db.deleteFrom('topics').where('id', '=', id).executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

/** Records why a stored rule cannot be applied, unless the rule changed meanwhile. */
export async function setRuleError(db: Db, topicId: number, ruleVersion: number, error: string | null): Promise<void> {
	await db
		.updateTable('topics')
		.set({ rule_error: error })
		.where('id', '=', topicId)
		.where('rule_version', '=', ruleVersion)
		.execute();
}

/** Marks a rule version as fully applied, unless a newer version replaced it meanwhile. */
export async function setAppliedVersion(db: Db, topicId: number, ruleVersion: number): Promise<void> {
	await db
		.updateTable('topics')
		.set({ applied_version: ruleVersion })
		.where('id', '=', topicId)
		.where('rule_version', '=', ruleVersion)
		.execute();
}

// ---------------------------------------------------------------------------------------------
// Article ↔ topic links

/** Removes rule-made links of the given articles (before their rules are applied afresh). */
export async function deleteRuleLinksOfArticles(db: Db, articleIds: readonly number[]): Promise<void> {
	for (const ids of chunks(articleIds, ID_CHUNK)) {
		await db.deleteFrom('article_topics').where('source', '=', 'rule').where('article_id', 'in', ids).execute();
	}
}

/** Removes one topic's rule-made links for articles with ids in (afterId, upToId]. */
export async function deleteRuleLinksInRange(db: Db, topicId: number, afterId: number, upToId: number): Promise<void> {
	await db
		.deleteFrom('article_topics')
		.where('topic_id', '=', topicId)
		.where('source', '=', 'rule')
		.where('article_id', '>', afterId)
		.where('article_id', '<=', upToId)
		.execute();
}

/** Inserts rule-made links; a link a person made already wins. */
export async function insertRuleLinks(db: Db, links: readonly { articleId: number; topicId: number }[], now: string): Promise<number> {
	let inserted = 0;
	for (const part of chunks(links, INSERT_CHUNK)) {
		const r = await db
			.insertInto('article_topics')
			.values(
				part.map((l) => ({
					article_id: l.articleId,
					topic_id: l.topicId,
					source: 'rule' as const,
					confidence: null,
					created_by: null,
					created_at: now
				}))
			)
			.onConflict((oc) => oc.columns(['article_id', 'topic_id']).doNothing())
			.executeTakeFirst();
		inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
	}
	return inserted;
}

/** The (article, topic) pairs a person rejected among the given articles, as "articleId:topicId". */
export async function rejectedPairs(db: Db, articleIds: readonly number[]): Promise<Set<string>> {
	const out = new Set<string>();
	for (const ids of chunks(articleIds, ID_CHUNK)) {
		const rows = await db
			.selectFrom('topic_feedback')
			.select(['article_id', 'topic_id'])
			.where('verdict', '=', 'rejected')
			.where('article_id', 'in', ids)
			.execute();
		for (const r of rows) out.add(`${r.article_id}:${r.topic_id}`);
	}
	return out;
}

/** Article ids a person rejected for one topic within (afterId, upToId]. */
export async function rejectedInRange(db: Db, topicId: number, afterId: number, upToId: number): Promise<Set<number>> {
	const rows = await db
		.selectFrom('topic_feedback')
		.select('article_id')
		.where('topic_id', '=', topicId)
		.where('verdict', '=', 'rejected')
		.where('article_id', '>', afterId)
		.where('article_id', '<=', upToId)
		.execute();
	return new Set(rows.map((r) => r.article_id));
}

export function getLink(db: Db, articleId: number, topicId: number) {
	return db
		.selectFrom('article_topics')
		.select(['source', 'confidence'])
		.where('article_id', '=', articleId)
		.where('topic_id', '=', topicId)
		.executeTakeFirst();
}

/**
 * Links an article to a topic as a person's call. A rule-made link becomes the person's (so a rule
 * change no longer removes it); a link a person already made keeps its source.
 */
export async function upsertPersonLink(
	db: Db,
	values: { articleId: number; topicId: number; source: Exclude<ArticleTopicSource, 'rule'>; confidence: number | null; userId: number | null; now: string }
): Promise<void> {
	await db
		.insertInto('article_topics')
		.values({
			article_id: values.articleId,
			topic_id: values.topicId,
			source: values.source,
			confidence: values.confidence,
			created_by: values.userId,
			created_at: values.now
		})
		.onConflict((oc) =>
			oc
				.columns(['article_id', 'topic_id'])
				.doUpdateSet({ source: values.source, confidence: values.confidence, created_by: values.userId, created_at: values.now })
				.where('article_topics.source', '=', 'rule')
		)
		.execute();
}

export async function deleteLink(db: Db, articleId: number, topicId: number): Promise<boolean> {
	const r = await db.deleteFrom('article_topics').where('article_id', '=', articleId).where('topic_id', '=', topicId).executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

// ---------------------------------------------------------------------------------------------
// Feedback and suggestions

/** Records a person's verdict on an article for a topic; a later verdict replaces an earlier one. */
export async function upsertFeedback(
	db: Db,
	values: { articleId: number; topicId: number; verdict: TopicVerdict; userId: number | null; now: string }
): Promise<void> {
	await db
		.insertInto('topic_feedback')
		.values({
			article_id: values.articleId,
			topic_id: values.topicId,
			verdict: values.verdict,
			user_id: values.userId,
			created_at: values.now
		})
		.onConflict((oc) =>
			oc.columns(['article_id', 'topic_id']).doUpdateSet({ verdict: values.verdict, user_id: values.userId, created_at: values.now })
		)
		.execute();
}

export async function deleteFeedback(db: Db, articleId: number, topicId: number, verdict: TopicVerdict): Promise<void> {
	await db
		.deleteFrom('topic_feedback')
		.where('article_id', '=', articleId)
		.where('topic_id', '=', topicId)
		.where('verdict', '=', verdict)
		.execute();
}

export function getFeedback(db: Db, articleId: number, topicId: number) {
	return db
		.selectFrom('topic_feedback')
		.select(['verdict', 'user_id', 'created_at'])
		.where('article_id', '=', articleId)
		.where('topic_id', '=', topicId)
		.executeTakeFirst();
}

export function getSuggestion(db: Db, articleId: number, topicId: number) {
	return db
		.selectFrom('topic_suggestions')
		.select(['confidence'])
		.where('article_id', '=', articleId)
		.where('topic_id', '=', topicId)
		.executeTakeFirst();
}

export async function deleteSuggestion(db: Db, articleId: number, topicId: number): Promise<void> {
	await db.deleteFrom('topic_suggestions').where('article_id', '=', articleId).where('topic_id', '=', topicId).execute();
}

/** Every positive example a person gave: confirmations and person-made links, newest first. */
export function listPositiveExamples(db: Db) {
	return db
		.selectFrom('topic_feedback')
		.select(['article_id', 'topic_id', 'created_at'])
		.where('verdict', '=', 'confirmed')
		.unionAll(
			db
				.selectFrom('article_topics')
				.select(['article_id', 'topic_id', 'created_at'])
				.where('source', 'in', ['manual', 'suggestion'])
		)
		.orderBy('created_at', 'desc')
		.execute();
}

/** Every rejection, newest first. */
export function listRejections(db: Db) {
	return db
		.selectFrom('topic_feedback')
		.select(['article_id', 'topic_id', 'created_at'])
		.where('verdict', '=', 'rejected')
		.orderBy('created_at', 'desc')
		.execute();
}

/** Title and the start of the body of the given articles (the classifier reads no further). */
export async function articleTexts(db: Db, articleIds: readonly number[], maxBodyChars: number) {
	const out: { id: number; title: string; body: string | null }[] = [];
	for (const ids of chunks(articleIds, ID_CHUNK)) {
		const rows = await db
			.selectFrom('articles')
			.select(['id', 'title', sql<string | null>`substr(body, 1, ${sql.lit(Math.max(1, Math.floor(maxBodyChars)))})`.as('body')])
			.where('id', 'in', ids)
			.execute();
		out.push(...rows);
	}
	return out;
}

export function articleIdRange(db: Db) {
	return db
		.selectFrom('articles')
		.select((eb) => [eb.fn.min<number>('id').as('min'), eb.fn.max<number>('id').as('max')])
		.executeTakeFirstOrThrow();
}

/** Of the given ids, those of existing articles that no topic holds (candidates for background examples). */
export async function untaggedArticleIds(db: Db, ids: readonly number[]): Promise<number[]> {
	const out: number[] = [];
	for (const part of chunks(ids, ID_CHUNK)) {
		const rows = await db
			.selectFrom('articles')
			.select('articles.id')
			.where('articles.id', 'in', part)
			.where((eb) => eb.not(eb.exists(eb.selectFrom('article_topics').select('article_topics.article_id').whereRef('article_topics.article_id', '=', 'articles.id'))))
			.execute();
		out.push(...rows.map((r) => r.id));
	}
	return out;
}

/** Pairs (as "articleId:topicId") that already have a link or a verdict: no suggestion for them. */
export async function decidedPairs(db: Db, articleIds: readonly number[]): Promise<Set<string>> {
	const out = new Set<string>();
	for (const ids of chunks(articleIds, ID_CHUNK)) {
		const rows = await db
			.selectFrom('article_topics')
			.select(['article_id', 'topic_id'])
			.where('article_id', 'in', ids)
			.unionAll(db.selectFrom('topic_feedback').select(['article_id', 'topic_id']).where('article_id', 'in', ids))
			.execute();
		for (const r of rows) out.add(`${r.article_id}:${r.topic_id}`);
	}
	return out;
}

export async function replaceSuggestions(
	db: Db,
	articleIds: readonly number[],
	rows: readonly { articleId: number; topicId: number; confidence: number }[],
	now: string
): Promise<void> {
	for (const ids of chunks(articleIds, ID_CHUNK)) {
		await db.deleteFrom('topic_suggestions').where('article_id', 'in', ids).execute();
	}
	for (const part of chunks(rows, INSERT_CHUNK)) {
		await db
			.insertInto('topic_suggestions')
			.values(part.map((r) => ({ article_id: r.articleId, topic_id: r.topicId, confidence: r.confidence, created_at: now })))
			.execute();
	}
}

/** A topic's open suggestions, most confident first, with what the topic page shows of each article. */
export function listSuggestionRows(db: Db, topicId: number, limit: number) {
	return db
		.selectFrom('topic_suggestions as s')
		.innerJoin('articles as a', 'a.id', 's.article_id')
		.leftJoin('outlets as o', 'o.id', 'a.outlet_id')
		.select([
			's.article_id',
			's.confidence',
			's.created_at',
			'a.title',
			'a.url',
			'a.published_at',
			'a.lang',
			'o.name as outlet_name'
		])
		.where('s.topic_id', '=', topicId)
		.orderBy('s.confidence', 'desc')
		.orderBy('s.article_id', 'desc')
		.limit(limit)
		.execute();
}

export function getLatestModel(db: Db) {
	return db
		.selectFrom('topic_models')
		.select(['id', 'model', 'topics', 'examples', 'feedback_at', 'trained_at'])
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
}

/** Replaces the stored model (there is only ever one). */
export async function storeModel(
	db: Db,
	values: { model: string; topics: number; examples: number; feedback_at: string | null; trained_at: string }
): Promise<void> {
	await db.deleteFrom('topic_models').execute();
	await db.insertInto('topic_models').values(values).execute();
}

/** Of the given topic ids, those that still exist. */
export async function existingTopicIds(db: Db, ids: readonly number[]): Promise<Set<number>> {
	if (ids.length === 0) return new Set();
	const rows = await db.selectFrom('topics').select('id').where('id', 'in', [...ids]).execute();
	return new Set(rows.map((r) => r.id));
}

// ---------------------------------------------------------------------------------------------
// Jobs

export async function insertJob(db: Db, topicId: number, ruleVersion: number, now: string): Promise<number> {
	const row = await db
		.insertInto('topic_jobs')
		.values({
			topic_id: topicId,
			kind: 'apply_rule',
			status: 'queued',
			rule_version: ruleVersion,
			last_article_id: 0,
			processed: 0,
			total: null,
			matched: 0,
			created_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Cancels a topic's queued and running jobs: a newer rule version supersedes them. */
export async function cancelActiveJobs(db: Db, topicId: number, reason: string, now: string): Promise<void> {
	await db
		.updateTable('topic_jobs')
		.set({ status: 'cancelled', error: reason, lease_owner: null, lease_until: null, finished_at: now })
		.where('topic_id', '=', topicId)
		.where('status', 'in', ['queued', 'running'])
		.execute();
}

/** Jobs a runner may take: queued ones, and running ones whose runner's lease ran out. */
export function listClaimableJobIds(db: Db, now: string, limit: number) {
	return db
		.selectFrom('topic_jobs')
		.select('id')
		.where((eb) =>
			eb.or([
				eb('status', '=', 'queued'),
				eb.and([eb('status', '=', 'running'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)])])
			])
		)
		.orderBy('id')
		.limit(limit)
		.execute();
}

/** Claims a job with one conditional UPDATE, so of several runners exactly one gets it. */
export async function claimJob(db: Db, jobId: number, owner: string, now: string, leaseUntil: string): Promise<boolean> {
	const r = await db
		.updateTable('topic_jobs')
		.set({ status: 'running', lease_owner: owner, lease_until: leaseUntil, started_at: sql<string>`coalesce(started_at, ${now})` })
		.where('id', '=', jobId)
		.where((eb) =>
			eb.or([
				eb('status', '=', 'queued'),
				eb.and([eb('status', '=', 'running'), eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)])])
			])
		)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

export function getJob(db: Db, jobId: number) {
	return db.selectFrom('topic_jobs').select(JOB_COLUMNS).where('topic_jobs.id', '=', jobId).executeTakeFirst();
}

/** A topic's most recent job (for its progress bar), or undefined. */
export function getLatestJob(db: Db, topicId: number) {
	return db
		.selectFrom('topic_jobs')
		.select(JOB_COLUMNS)
		.where('topic_jobs.topic_id', '=', topicId)
		.orderBy('topic_jobs.id', 'desc')
		.limit(1)
		.executeTakeFirst();
}

/**
 * Records a chunk's progress and renews the lease, only while this runner still holds the job;
 * false means the job was cancelled or taken over and the chunk must be rolled back.
 */
export async function advanceJob(
	db: Db,
	jobId: number,
	owner: string,
	values: { lastArticleId: number; processed: number; matched: number; total?: number; leaseUntil: string }
): Promise<boolean> {
	const r = await db
		.updateTable('topic_jobs')
		.set({
			last_article_id: values.lastArticleId,
			processed: values.processed,
			matched: values.matched,
			...(values.total !== undefined ? { total: values.total } : {}),
			lease_until: values.leaseUntil
		})
		.where('id', '=', jobId)
		.where('lease_owner', '=', owner)
		.where('status', '=', 'running')
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

/** Ends a job this runner holds; false when it was no longer this runner's. */
export async function finishJob(
	db: Db,
	jobId: number,
	owner: string,
	status: Extract<TopicJobStatus, 'done' | 'failed' | 'cancelled'>,
	error: string | null,
	now: string
): Promise<boolean> {
	const r = await db
		.updateTable('topic_jobs')
		.set({ status, error: error?.slice(0, 2000) ?? null, lease_owner: null, lease_until: null, finished_at: now })
		.where('id', '=', jobId)
		.where('lease_owner', '=', owner)
		.where('status', '=', 'running')
		.executeTakeFirst();
	return Number(r.numUpdatedRows) === 1;
}

export async function countArticles(db: Db): Promise<number> {
	const row = await db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
	return Number(row.n);
}

/** The next articles after an id, in id order, with their text when wanted and what tells a later change. */
export function nextArticles(db: Db, afterId: number, limit: number, withText: boolean) {
	const q = db.selectFrom('articles').where('id', '>', afterId).orderBy('id').limit(limit);
	return withText
		? q.select(['id', 'title', 'body', 'updated_at', 'content_hash']).execute()
		: q.select(['id', sql<string>`''`.as('title'), sql<string | null>`null`.as('body'), 'updated_at', 'content_hash']).execute();
}

/** The articles now in (afterId, upToId] with what tells whether they changed since they were read. */
export function articleVersionsInRange(db: Db, afterId: number, upToId: number) {
	return db
		.selectFrom('articles')
		.select(['id', 'updated_at', 'content_hash'])
		.where('id', '>', afterId)
		.where('id', '<=', upToId)
		.execute();
}

/** Title and body of the given articles. */
export async function articleFullTexts(db: Db, articleIds: readonly number[]) {
	const out: { id: number; title: string; body: string | null }[] = [];
	for (const ids of chunks(articleIds, ID_CHUNK)) {
		out.push(...(await db.selectFrom('articles').select(['id', 'title', 'body']).where('id', 'in', ids).execute()));
	}
	return out;
}

// ---------------------------------------------------------------------------------------------
// Topic page

const articleDate = sql<string>`coalesce(a.published_at, a.created_at)`;
const articleMonth = sql<string>`substr(coalesce(a.published_at, a.created_at), 1, 7)`;

/** How many links a topic has, by source. */
export function countLinksBySource(db: Db, topicId: number) {
	return db
		.selectFrom('article_topics')
		.select(['source', (eb) => eb.fn.countAll<number>().as('n')])
		.where('topic_id', '=', topicId)
		.groupBy('source')
		.execute();
}

/** A topic's articles per month ("2026-11"), oldest first; undated articles count when imported. */
export function countByMonth(db: Db, topicId: number) {
	return db
		.selectFrom('article_topics as at')
		.innerJoin('articles as a', 'a.id', 'at.article_id')
		.select([articleMonth.as('month'), (eb) => eb.fn.countAll<number>().as('n')])
		.where('at.topic_id', '=', topicId)
		.groupBy(articleMonth)
		.orderBy(articleMonth)
		.execute();
}

/** The reporters who wrote most of a topic's articles, in one query. */
export function topReporters(db: Db, topicId: number, limit: number) {
	return db
		.selectFrom('article_topics as at')
		.innerJoin('article_reporters as ar', 'ar.article_id', 'at.article_id')
		.innerJoin('reporters as r', 'r.id', 'ar.reporter_id')
		.innerJoin('articles as a', 'a.id', 'at.article_id')
		.leftJoin('outlets as o', 'o.id', 'r.outlet_id')
		.select([
			'r.id',
			'r.display_name',
			'o.name as outlet_name',
			(eb) => eb.fn.countAll<number>().as('n'),
			(eb) => eb.fn.max(articleDate).as('latest')
		])
		.where('at.topic_id', '=', topicId)
		.groupBy(['r.id', 'r.display_name', 'o.name'])
		.orderBy('n', 'desc')
		.orderBy('latest', 'desc')
		.orderBy('r.id')
		.limit(limit)
		.execute();
}

/** The outlets that published most of a topic's articles, in one query. */
export function topOutlets(db: Db, topicId: number, limit: number) {
	return db
		.selectFrom('article_topics as at')
		.innerJoin('articles as a', 'a.id', 'at.article_id')
		.innerJoin('outlets as o', 'o.id', 'a.outlet_id')
		.select(['o.id', 'o.name', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max(articleDate).as('latest')])
		.where('at.topic_id', '=', topicId)
		.groupBy(['o.id', 'o.name'])
		.orderBy('n', 'desc')
		.orderBy('latest', 'desc')
		.orderBy('o.id')
		.limit(limit)
		.execute();
}

/** A topic's most recent articles with how each came to be linked. */
export function recentTopicArticles(db: Db, topicId: number, limit: number) {
	return db
		.selectFrom('article_topics as at')
		.innerJoin('articles as a', 'a.id', 'at.article_id')
		.leftJoin('outlets as o', 'o.id', 'a.outlet_id')
		.select([
			'a.id',
			'a.title',
			'a.url',
			'a.published_at',
			'a.lang',
			'a.signed',
			'o.name as outlet_name',
			'at.source',
			'at.confidence'
		])
		.where('at.topic_id', '=', topicId)
		.orderBy(articleDate, 'desc')
		.orderBy('a.id', 'desc')
		.limit(limit)
		.execute();
}

/** The reporters of the given articles, in one query. */
export async function reportersOfArticles(db: Db, articleIds: readonly number[]) {
	if (articleIds.length === 0) return [];
	return db
		.selectFrom('article_reporters as ar')
		.innerJoin('reporters as r', 'r.id', 'ar.reporter_id')
		.select(['ar.article_id', 'r.id', 'r.display_name', 'ar.position'])
		.where('ar.article_id', 'in', [...articleIds])
		.orderBy('ar.article_id')
		.orderBy('ar.position')
		.execute();
}

export async function countSuggestions(db: Db, topicId: number): Promise<number> {
	const row = await db
		.selectFrom('topic_suggestions')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('topic_id', '=', topicId)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

export function articleExists(db: Db, articleId: number) {
	return db.selectFrom('articles').select(['id', 'title', 'body']).where('id', '=', articleId).executeTakeFirst();
}

/** An article's topics for its page, with how each link was made (rule, manual or suggestion), by name. */
export function listTopicsOfArticle(db: Db, articleId: number) {
	return db
		.selectFrom('article_topics as at')
		.innerJoin('topics as t', 't.id', 'at.topic_id')
		.select(['t.id', 't.name', 'at.source', 'at.confidence'])
		.where('at.article_id', '=', articleId)
		.orderBy('t.name')
		.execute();
}

/** An SQL condition, valid on both databases, that the article in `articleId` carries the topic (search's topic filter). */
export function topicArticlesCondition(articleId: RawBuilder<unknown>, topicId: number): RawBuilder<unknown> {
	return sql`${articleId} in (select article_topics.article_id from article_topics where article_topics.topic_id = ${topicId})`;
}

/** When a person last confirmed, rejected, tagged or accepted (null: never): newer than the model's feedback_at means retraining would learn something. */
export async function newestVerdictAt(db: Db): Promise<string | null> {
	const [feedback, links] = await Promise.all([
		db.selectFrom('topic_feedback').select((eb) => eb.fn.max('created_at').as('at')).executeTakeFirst(),
		db
			.selectFrom('article_topics')
			.select((eb) => eb.fn.max('created_at').as('at'))
			.where('source', 'in', ['manual', 'suggestion'])
			.executeTakeFirst()
	]);
	const all = [feedback?.at, links?.at].filter((x): x is string => typeof x === 'string');
	return all.length ? all.sort()[all.length - 1] : null;
}

/** Ids of articles after `afterId`, oldest first, at most `limit`. */
export async function articleIdsAfter(db: Db, afterId: number, limit: number): Promise<number[]> {
	const rows = await db.selectFrom('articles').select('id').where('id', '>', afterId).orderBy('id').limit(limit).execute();
	return rows.map((r) => r.id);
}

/** The largest article id (0 for none). */
export async function maxArticleId(db: Db): Promise<number> {
	const row = await db.selectFrom('articles').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
	return Number(row?.id ?? 0);
}

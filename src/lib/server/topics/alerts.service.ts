/**
 * "Good moment" alerts: an agent watches reporters and topics; when a newly imported article by a
 * watched reporter holds a watched topic, it appears on that agent's Today list. One alert per
 * (user, article, reporter, topic), so importing the same article again, or running the hook twice,
 * never repeats one.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { InputError } from '../../schemas/validation';
import { chunks } from './topics.repository';

type Db = Kysely<DB> | Transaction<DB>;

/** Articles older than this when imported (an archive, a feed's back catalogue) are no "moment". */
export const ALERT_MAX_AGE_DAYS = 14;

async function requireUser(db: Db, userId: number): Promise<void> {
	const row = await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
	if (!row) throw new InputError({ userId: 'error_not_found' });
}

/** Adds a reporter to a user's watch list (watching twice is harmless). */
export async function watchReporter(db: Db, userId: number, reporterId: number): Promise<void> {
	await requireUser(db, userId);
	const reporter = await db.selectFrom('reporters').select('id').where('id', '=', reporterId).executeTakeFirst();
	if (!reporter) throw new InputError({ reporterId: 'error_not_found' });
	await db
		.insertInto('watch_reporters')
		.values({ user_id: userId, reporter_id: reporterId, created_at: new Date().toISOString() })
		.onConflict((oc) => oc.columns(['user_id', 'reporter_id']).doNothing())
		.execute();
}

/** Removes a reporter from a user's watch list; returns whether it was on it. */
export async function unwatchReporter(db: Db, userId: number, reporterId: number): Promise<boolean> {
	const r = await db.deleteFrom('watch_reporters').where('user_id', '=', userId).where('reporter_id', '=', reporterId).executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

/** Adds a topic to a user's watch list (watching twice is harmless). */
export async function watchTopic(db: Db, userId: number, topicId: number): Promise<void> {
	await requireUser(db, userId);
	const topic = await db.selectFrom('topics').select('id').where('id', '=', topicId).executeTakeFirst();
	if (!topic) throw new InputError({ topicId: 'error_not_found' });
	await db
		.insertInto('watch_topics')
		.values({ user_id: userId, topic_id: topicId, created_at: new Date().toISOString() })
		.onConflict((oc) => oc.columns(['user_id', 'topic_id']).doNothing())
		.execute();
}

/** Removes a topic from a user's watch list; returns whether it was on it. */
export async function unwatchTopic(db: Db, userId: number, topicId: number): Promise<boolean> {
	const r = await db.deleteFrom('watch_topics').where('user_id', '=', userId).where('topic_id', '=', topicId).executeTakeFirst();
	return Number(r.numDeletedRows) > 0;
}

/** A user's watched reporters and topics, for the watch-list page and "watching" buttons. */
export async function getWatchList(db: Db, userId: number) {
	const [reporters, topics] = await Promise.all([
		db
			.selectFrom('watch_reporters as w')
			.innerJoin('reporters as r', 'r.id', 'w.reporter_id')
			.leftJoin('outlets as o', 'o.id', 'r.outlet_id')
			.select(['r.id', 'r.display_name', 'o.name as outlet_name', 'w.created_at'])
			.where('w.user_id', '=', userId)
			.orderBy('r.display_name')
			.execute(),
		db
			.selectFrom('watch_topics as w')
			.innerJoin('topics as t', 't.id', 'w.topic_id')
			.select(['t.id', 't.name', 'w.created_at'])
			.where('w.user_id', '=', userId)
			.orderBy('t.name')
			.execute()
	]);
	return { reporters, topics };
}

/**
 * The import's hook, called in the batch's transaction after topic rules were applied and bylines
 * linked: for each given article, every user who watches one of its reporters and one of its topics
 * gets an alert. Articles published more than `maxAgeDays` before `now` are left out (an undated
 * article counts as new); disabled users get none. Returns how many alerts were created.
 */
export async function createAlertsFor(
	trx: Db,
	articleIds: readonly number[],
	options: { now?: Date; maxAgeDays?: number } = {}
): Promise<number> {
	if (articleIds.length === 0) return 0;
	const now = options.now ?? new Date();
	const since = new Date(now.getTime() - (options.maxAgeDays ?? ALERT_MAX_AGE_DAYS) * 86_400_000).toISOString();
	const created = now.toISOString();
	let inserted = 0;
	for (const ids of chunks(articleIds, 500)) {
		const r = await trx
			.insertInto('alerts')
			.columns(['user_id', 'article_id', 'reporter_id', 'topic_id', 'created_at'])
			.expression((eb) =>
				eb
					.selectFrom('article_reporters as ar')
					.innerJoin('articles as a', 'a.id', 'ar.article_id')
					.innerJoin('watch_reporters as wr', 'wr.reporter_id', 'ar.reporter_id')
					.innerJoin('article_topics as at', 'at.article_id', 'ar.article_id')
					.innerJoin('watch_topics as wt', (join) => join.onRef('wt.topic_id', '=', 'at.topic_id').onRef('wt.user_id', '=', 'wr.user_id'))
					.innerJoin('users as u', 'u.id', 'wr.user_id')
					.select(['wr.user_id', 'ar.article_id', 'ar.reporter_id', 'at.topic_id', sql<string>`cast(${created} as text)`.as('created_at')])
					// SQLite needs a WHERE in an INSERT … SELECT … ON CONFLICT; this one is always there.
					.where('ar.article_id', 'in', ids)
					.where('u.disabled_at', 'is', null)
					.where((w) => w.or([w('a.published_at', 'is', null), w('a.published_at', '>=', since)]))
			)
			.onConflict((oc) => oc.columns(['user_id', 'article_id', 'reporter_id', 'topic_id']).doNothing())
			.executeTakeFirst();
		inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
	}
	return inserted;
}

/** A user's alerts for the Today page, newest first, with the article, reporter and topic. */
export function listAlerts(db: Db, userId: number, options: { unseenOnly?: boolean; limit?: number } = {}) {
	let q = db
		.selectFrom('alerts as al')
		.innerJoin('articles as a', 'a.id', 'al.article_id')
		.innerJoin('reporters as r', 'r.id', 'al.reporter_id')
		.innerJoin('topics as t', 't.id', 'al.topic_id')
		.leftJoin('outlets as o', 'o.id', 'a.outlet_id')
		.select([
			'al.id',
			'al.created_at',
			'al.seen_at',
			'a.id as article_id',
			'a.title',
			'a.url',
			'a.published_at',
			'o.name as outlet_name',
			'r.id as reporter_id',
			'r.display_name as reporter_name',
			't.id as topic_id',
			't.name as topic_name'
		])
		.where('al.user_id', '=', userId);
	if (options.unseenOnly) q = q.where('al.seen_at', 'is', null);
	return q
		.orderBy('al.created_at', 'desc')
		.orderBy('al.id', 'desc')
		.limit(Math.min(Math.max(options.limit ?? 50, 1), 500))
		.execute();
}

/** Marks one of the user's alerts seen; another user's alert is left alone. Returns whether it changed. */
export async function markAlertSeen(db: Db, userId: number, alertId: number): Promise<boolean> {
	const r = await db
		.updateTable('alerts')
		.set({ seen_at: new Date().toISOString() })
		.where('id', '=', alertId)
		.where('user_id', '=', userId)
		.where('seen_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numUpdatedRows) > 0;
}

/** Marks all of a user's alerts seen; returns how many. */
export async function markAllAlertsSeen(db: Db, userId: number): Promise<number> {
	const r = await db
		.updateTable('alerts')
		.set({ seen_at: new Date().toISOString() })
		.where('user_id', '=', userId)
		.where('seen_at', 'is', null)
		.executeTakeFirst();
	return Number(r.numUpdatedRows);
}

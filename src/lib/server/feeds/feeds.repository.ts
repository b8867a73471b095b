import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';

type Db = Kysely<DB> | Transaction<DB>;

/** Subscribed feeds with their outlet and polling state, for the feeds page. */
export function listFeeds(db: Db) {
	return db
		.selectFrom('feeds')
		.leftJoin('outlets', 'outlets.id', 'feeds.outlet_id')
		.select([
			'feeds.id',
			'feeds.url',
			'feeds.title',
			'feeds.category',
			'feeds.active',
			'feeds.interval_minutes',
			'feeds.last_polled_at',
			'feeds.last_success_at',
			'feeds.next_poll_at',
			'feeds.failures',
			'feeds.last_error',
			'outlets.id as outlet_id',
			'outlets.name as outlet_name'
		])
		.orderBy('feeds.title')
		.orderBy('feeds.url')
		.execute();
}

/** One feed's address and title (to name it in a notice), or undefined. */
export function getFeed(db: Db, id: number) {
	return db.selectFrom('feeds').select(['id', 'url', 'title', 'active']).where('id', '=', id).executeTakeFirst();
}

/**
 * Pause or resume polling. Resuming makes the feed due at once and forgets its failures, since a
 * person resuming it expects it to be tried now rather than after the back-off.
 */
export async function setFeedActive(db: Db, id: number, active: boolean): Promise<boolean> {
	const now = new Date().toISOString();
	const result = await db
		.updateTable('feeds')
		.set(active ? { active: 1, next_poll_at: now, failures: 0, updated_at: now } : { active: 0, updated_at: now })
		.where('id', '=', id)
		.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

/** Unsubscribe; the articles already imported from the feed stay. */
export async function deleteFeed(db: Db, id: number): Promise<boolean> {
	const result = await db.deleteFrom('feeds').where('id', '=', id).executeTakeFirst();
	return Number(result.numDeletedRows) === 1;
}

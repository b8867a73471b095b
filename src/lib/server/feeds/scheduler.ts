import type { Database } from '../db/connect';
import { pollDueFeeds } from './feeds.service';

/**
 * Poll due feeds every `seconds` inside the app process. Several processes sharing a PostgreSQL
 * database may all run it: feeds are leased one at a time, so each is fetched once.
 * Returns a function that stops it.
 */
export function startFeedScheduler(database: Database, seconds: number): () => void {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			const results = await pollDueFeeds(database.db);
			for (const r of results) {
				if (r.status === 'failed') console.warn(`tegami: feed ${r.url} failed: ${r.error}`);
			}
		} catch (e) {
			console.error('tegami: feed polling failed:', e);
		} finally {
			running = false;
		}
	};
	const timer = setInterval(tick, seconds * 1000);
	timer.unref();
	void tick();
	return () => clearInterval(timer);
}

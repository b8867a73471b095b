import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { recordAudit } from '../audit/audit';
import { importArticles, type ImportReport } from '../articles/import.service';
import { SourceError } from '../articles/candidate';
import { resolveOutlet } from '../outlets/outlets.repository';
import { safeFetch, FetchError } from '../http/safe-fetch';
import { InputError } from '../../schemas/validation';
import { parseFeed } from './parse';
import { parseOpml, toOpml } from './opml';

/** How long a poller may hold a feed before another process may take it over. */
const LEASE_MS = 5 * 60_000;
/** Back-off after failures: the interval doubles per failure, up to a day. */
const MAX_BACKOFF_MS = 24 * 60 * 60_000;

export interface PollResult {
	feedId: number;
	url: string;
	status: 'imported' | 'not_modified' | 'failed';
	report?: ImportReport;
	error?: string;
}

/** Check that a feed address is an http(s) URL; returns it normalised. */
export function parseFeedUrl(raw: string): string {
	let u: URL;
	try {
		u = new URL(raw.trim());
	} catch {
		throw new InputError({ url: 'error_url_invalid' });
	}
	if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError({ url: 'error_url_scheme' });
	u.hash = '';
	return u.toString();
}

/** Subscribe to a feed; polling starts at once. Subscribing twice to one URL is refused. */
export async function subscribeFeed(
	db: Kysely<DB>,
	userId: number | null,
	input: { url: string; title?: string | null; outletName?: string | null; category?: string | null; intervalMinutes?: number }
): Promise<number> {
	const url = parseFeedUrl(input.url);
	const now = new Date().toISOString();
	const existing = await db.selectFrom('feeds').select('id').where('url', '=', url).executeTakeFirst();
	if (existing) throw new InputError({ url: 'error_feed_exists' });
	const outletId = await resolveOutlet(db, input.outletName ?? null, now);
	const row = await db
		.insertInto('feeds')
		.values({
			url,
			title: input.title?.trim().slice(0, 300) || null,
			site_url: null,
			category: input.category?.trim().slice(0, 100) || null,
			outlet_id: outletId,
			active: 1,
			interval_minutes: Math.min(Math.max(input.intervalMinutes ?? 60, 5), 7 * 24 * 60),
			next_poll_at: now,
			failures: 0,
			created_by: userId,
			created_at: now,
			updated_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	if (userId) await recordAudit(db, { actorUserId: userId, action: 'feed.subscribed', subjectType: 'feed', subjectId: row.id });
	return row.id;
}

/**
 * Claim a feed for polling. The claim is one conditional UPDATE, so of several app processes
 * sharing a database exactly one wins, and a claim left by a crashed process runs out.
 */
async function claimFeed(db: Kysely<DB>, feedId: number, owner: string, now: Date, onlyIfDue: boolean): Promise<boolean> {
	let q = db
		.updateTable('feeds')
		.set({ lease_owner: owner, lease_until: new Date(now.getTime() + LEASE_MS).toISOString() })
		.where('id', '=', feedId)
		.where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now.toISOString())]));
	if (onlyIfDue) q = q.where('active', '=', 1).where('next_poll_at', '<=', now.toISOString());
	const result = await q.executeTakeFirst();
	return Number(result.numUpdatedRows) === 1;
}

type FeedRelease = Partial<{
	etag: string | null;
	last_modified: string | null;
	last_success_at: string;
	failures: number;
	last_error: string | null;
	title: string | null;
	site_url: string | null;
}>;

/** Fetch one claimed feed and import what is new; records the outcome and the next poll time. */
async function pollClaimedFeed(db: Kysely<DB>, feedId: number, owner: string, userId: number | null, now: Date): Promise<PollResult> {
	const feed = await db
		.selectFrom('feeds')
		.leftJoin('outlets', 'outlets.id', 'feeds.outlet_id')
		.select([
			'feeds.id',
			'feeds.url',
			'feeds.etag',
			'feeds.last_modified',
			'feeds.interval_minutes',
			'feeds.failures',
			'feeds.title',
			'outlets.name as outlet_name'
		])
		.where('feeds.id', '=', feedId)
		.executeTakeFirstOrThrow();
	const release = async (values: FeedRelease, nextMs: number) => {
		await db
			.updateTable('feeds')
			.set({
				...values,
				last_polled_at: now.toISOString(),
				next_poll_at: new Date(now.getTime() + nextMs).toISOString(),
				lease_owner: null,
				lease_until: null,
				updated_at: new Date().toISOString()
			})
			.where('id', '=', feedId)
			.where('lease_owner', '=', owner)
			.execute();
	};
	const intervalMs = feed.interval_minutes * 60_000;
	try {
		const res = await safeFetch(feed.url, {
			etag: feed.etag,
			lastModified: feed.last_modified,
			accept: 'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
			maxBytes: 20 * 1024 * 1024
		});
		if (res.notModified) {
			await release({ failures: 0, last_error: null, last_success_at: now.toISOString() }, intervalMs);
			return { feedId, url: feed.url, status: 'not_modified' };
		}
		const parsed = parseFeed(res.body, { url: res.finalUrl, contentType: res.headers['content-type'] ?? res.contentType });
		// A feed that gave nothing but problems (cut off before its first item) has failed.
		if (!parsed.candidates.length && parsed.problems.length) {
			throw new SourceError(parsed.problems.map((p) => `${p.location}: ${p.reason}`).join('; '));
		}
		const report = await importArticles(db, parsed, {
			kind: 'feed',
			label: feed.url,
			userId,
			outletName: feed.outlet_name ?? parsed.feed.title,
			feedId
		});
		await release(
			{
				etag: res.etag,
				last_modified: res.lastModified,
				failures: 0,
				last_error: null,
				last_success_at: now.toISOString(),
				title: feed.title ?? parsed.feed.title?.slice(0, 300) ?? null,
				site_url: parsed.feed.link
			},
			intervalMs
		);
		return { feedId, url: feed.url, status: 'imported', report };
	} catch (e) {
		const known = e instanceof FetchError || e instanceof SourceError;
		const message = known ? (e as Error).message : `unexpected error: ${(e as Error).message}`;
		const failures = feed.failures + 1;
		await release({ failures, last_error: message.slice(0, 1000) }, Math.min(intervalMs * 2 ** failures, MAX_BACKOFF_MS));
		if (!known) console.error(`tegami: feed ${feed.url}:`, e);
		return { feedId, url: feed.url, status: 'failed', error: message };
	}
}

/** Poll every feed that is due, once (`tegami feeds poll`, the scheduler). */
export async function pollDueFeeds(
	db: Kysely<DB>,
	options: { userId?: number | null; limit?: number; now?: Date } = {}
): Promise<PollResult[]> {
	const now = options.now ?? new Date();
	const owner = randomUUID();
	const due = await db
		.selectFrom('feeds')
		.select('id')
		.where('active', '=', 1)
		.where('next_poll_at', '<=', now.toISOString())
		.orderBy('next_poll_at')
		.limit(options.limit ?? 100)
		.execute();
	const results: PollResult[] = [];
	for (const { id } of due) {
		if (!(await claimFeed(db, id, owner, now, true))) continue;
		results.push(await pollClaimedFeed(db, id, owner, options.userId ?? null, now));
	}
	return results;
}

/** "Fetch now" for one feed, due or not; null when another process is polling it right now. */
export async function fetchFeedNow(db: Kysely<DB>, feedId: number, userId: number | null): Promise<PollResult | null> {
	const owner = randomUUID();
	const now = new Date();
	if (!(await claimFeed(db, feedId, owner, now, false))) return null;
	return pollClaimedFeed(db, feedId, owner, userId, now);
}

/** Subscribe to every feed in an OPML file; existing subscriptions are left as they are. */
export async function importOpml(db: Kysely<DB>, userId: number | null, bytes: Uint8Array) {
	const { feeds, problems } = parseOpml(bytes);
	let added = 0;
	let existing = 0;
	const skipped = [...problems];
	for (const [i, f] of feeds.entries()) {
		try {
			await subscribeFeed(db, userId, { url: f.xmlUrl, title: f.title, category: f.category });
			added++;
		} catch (e) {
			if (e instanceof InputError && e.issues.url === 'error_feed_exists') existing++;
			else if (e instanceof InputError) skipped.push({ location: `outline ${i + 1}`, reason: `not a usable feed address: ${f.xmlUrl}` });
			else throw e;
		}
	}
	if (userId) await recordAudit(db, { actorUserId: userId, action: 'feeds.opml_imported', detail: { added, existing, skipped: skipped.length } });
	return { added, existing, skipped };
}

/** The feed list as OPML 2.0. */
export async function exportOpml(db: Kysely<DB>): Promise<string> {
	const feeds = await db
		.selectFrom('feeds')
		.select(['url', 'title', 'site_url', 'category'])
		.orderBy('category')
		.orderBy('title')
		.execute();
	return toOpml(
		feeds.map((f) => ({ xmlUrl: f.url, title: f.title, htmlUrl: f.site_url, category: f.category })),
		{ title: 'Tegami feeds' }
	);
}

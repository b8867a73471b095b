/**
 * The queries the article index pages added, on both databases: the feed list and its pause,
 * resume and unsubscribe; a reporter's merges (for "split again"); the newest titles of many
 * reporters in one windowed query (the review queue); article titles by id and a run's articles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { importArticles } from '../../src/lib/server/articles/import.service';
import { getArticleTitles, listArticlesOfRun } from '../../src/lib/server/articles/articles.repository';
import { subscribeFeed } from '../../src/lib/server/feeds/feeds.service';
import { deleteFeed, getFeed, listFeeds, setFeedActive } from '../../src/lib/server/feeds/feeds.repository';
import {
	getOpenReview,
	listMergesInto,
	listReviews,
	mergeReporters,
	recentArticlesOfReporters,
	splitMerge
} from '../../src/lib/server/reporters/reporters.service';
import type { ArticleCandidate } from '../../src/lib/server/articles/candidate';
import { createUser } from '../../src/lib/server/users/users.service';

function candidate(n: number, values: Partial<ArticleCandidate>): ArticleCandidate {
	return {
		location: `item ${n}`,
		url: null,
		guid: null,
		title: `Article ${n}`,
		body: null,
		excerpt: null,
		publishedAt: null,
		lang: 'ja',
		outletName: null,
		section: null,
		bylineRaw: null,
		categories: [],
		...values
	};
}

describe.each(dialects)('article pages on %s', (kind) => {
	let database: TestDatabase;
	let userId: number;

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		userId = await createUser(database.db, null, {
			email: 'pages@x.test',
			displayName: 'Pages Agent',
			role: 'agent',
			clientId: null,
			password: 'a long password'
		});
	});
	afterAll(() => database?.close());

	it('lists feeds with their outlet, pauses, resumes and unsubscribes them', async () => {
		const db = database.db;
		const id = await subscribeFeed(db, userId, { url: 'https://feeds.example/a.xml', outletName: '東京新聞', intervalMinutes: 30 });
		const [feed] = (await listFeeds(db)).filter((f) => f.id === id);
		expect(feed).toMatchObject({ url: 'https://feeds.example/a.xml', outlet_name: '東京新聞', active: 1, interval_minutes: 30, failures: 0 });

		await db.updateTable('feeds').set({ failures: 3, next_poll_at: '2999-01-01T00:00:00.000Z' }).where('id', '=', id).execute();
		expect(await setFeedActive(db, id, false)).toBe(true);
		expect((await getFeed(db, id))?.active).toBe(0);
		expect(await setFeedActive(db, id, true)).toBe(true);
		const resumed = (await listFeeds(db)).find((f) => f.id === id)!;
		// Resumed means due now, with its failures forgotten.
		expect(resumed.active).toBe(1);
		expect(resumed.failures).toBe(0);
		expect(resumed.next_poll_at < new Date(Date.now() + 1000).toISOString()).toBe(true);

		expect(await deleteFeed(db, id)).toBe(true);
		expect(await getFeed(db, id)).toBeUndefined();
		expect(await deleteFeed(db, id)).toBe(false);
	});

	it('gives each reporter its newest titles in one query, lists merges and splits them', async () => {
		const db = database.db;
		// The same name at two outlets: a second record and a review of the pair.
		const report = await importArticles(
			db,
			{
				candidates: [
					candidate(1, { title: '古い記事', outletName: '北日本新聞', bylineRaw: '（高橋健）', publishedAt: '2024-01-01T00:00:00.000Z' }),
					candidate(2, { title: '新しい記事', outletName: '北日本新聞', bylineRaw: '（高橋健）', publishedAt: '2024-03-01T00:00:00.000Z' }),
					candidate(3, { title: '日付のない記事', outletName: '北日本新聞', bylineRaw: '（高橋健）' }),
					candidate(4, { title: '異動後の記事', outletName: '南日本新聞', bylineRaw: '（高橋健）', publishedAt: '2024-06-01T00:00:00.000Z' })
				],
				problems: []
			},
			{ kind: 'manual', label: 'test', userId }
		);
		expect(report.added).toBe(4);
		const review = (await listReviews(db)).find((r) => r.reporter_name === '高橋健' && r.reporter_outlet === '南日本新聞');
		expect(review).toBeDefined();
		expect(await getOpenReview(db, review!.id)).toMatchObject({ reporter_id: review!.reporter_id, candidate_id: review!.candidate_id });

		const recent = await recentArticlesOfReporters(db, [review!.candidate_id, review!.reporter_id, review!.candidate_id], 2);
		// Newest first, undated last, at most two each.
		expect(recent.get(review!.candidate_id)?.map((a) => a.title)).toEqual(['新しい記事', '古い記事']);
		expect(recent.get(review!.reporter_id)?.map((a) => a.title)).toEqual(['異動後の記事']);
		expect(await recentArticlesOfReporters(db, [])).toEqual(new Map());

		const titles = await getArticleTitles(db, [...(recent.get(review!.candidate_id) ?? []).map((a) => a.id), 999_999]);
		expect([...titles.values()].sort()).toEqual(['古い記事', '新しい記事']);
		expect((await listArticlesOfRun(db, report.runId!)).map((a) => a.title)).toEqual(['古い記事', '新しい記事', '日付のない記事', '異動後の記事']);

		const mergeId = await mergeReporters(db, userId, review!.candidate_id, review!.reporter_id);
		expect(await getOpenReview(db, review!.id)).toBeUndefined();
		const merges = await listMergesInto(db, review!.candidate_id);
		expect(merges).toEqual([expect.objectContaining({ id: mergeId, merged_name: '高橋健', user_name: 'Pages Agent' })]);

		await splitMerge(db, userId, mergeId);
		expect(await listMergesInto(db, review!.candidate_id)).toEqual([]);
	});
});

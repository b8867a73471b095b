import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { SourceError } from '$lib/server/articles/candidate';
import { fetchFeedNow, importOpml, subscribeFeed } from '$lib/server/feeds/feeds.service';
import { deleteFeed, getFeed, listFeeds, setFeedActive } from '$lib/server/feeds/feeds.repository';
import { listOutlets } from '$lib/server/outlets/outlets.repository';
import { InputError, field, parseId, type Issues } from '$lib/schemas/validation';
import { formatBytes, readForm, readUploadedFile, uploadLimitBytes } from '../import/uploads.server';
import type { Actions, PageServerLoad } from './$types';

const NOTICES = ['subscribed', 'paused', 'resumed', 'unsubscribed'] as const;

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const db = event.locals.database.db;
	const [feeds, outlets] = await Promise.all([listFeeds(db), listOutlets(db)]);
	const notice = event.url.searchParams.get('notice');
	return {
		feeds,
		outlets: outlets.map((o) => o.name),
		uploadLimit: formatBytes(uploadLimitBytes()),
		notice: (NOTICES as readonly string[]).includes(notice ?? '') ? notice : null
	};
};

/** The feed a per-feed button names, or null when it is gone (another tab unsubscribed it). */
async function postedFeed(event: RequestEvent, data: FormData) {
	const id = parseId(field(data, 'feedId'));
	return id ? ((await getFeed(event.locals.database.db, id)) ?? null) : null;
}

const gone = (action: string) => fail(404, { action, issues: { feedId: 'error_not_found' } as Issues });

export const actions: Actions = {
	subscribe: async (event) => {
		const user = requireStaff(event);
		const data = await event.request.formData();
		const values = {
			url: field(data, 'url'),
			outletName: field(data, 'outletName'),
			intervalMinutes: field(data, 'intervalMinutes') || '60'
		};
		const interval = Number(values.intervalMinutes);
		const issues: Issues = {};
		if (!values.url) issues.url = 'error_required';
		if (!Number.isInteger(interval) || interval < 5 || interval > 7 * 24 * 60) issues.intervalMinutes = 'feeds_error_interval';
		if (values.outletName.length > 200) issues.outletName = 'error_too_long';
		if (Object.keys(issues).length) return fail(400, { action: 'subscribe', values, issues });
		try {
			await subscribeFeed(event.locals.database.db, user.id, {
				url: values.url,
				outletName: values.outletName || null,
				intervalMinutes: interval
			});
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'subscribe', values, issues: e.issues });
			throw e;
		}
		redirect(303, '/articles/feeds?notice=subscribed');
	},

	/** Poll one feed now, due or not, and say what came of it. */
	fetch: async (event) => {
		const user = requireStaff(event);
		const data = await event.request.formData();
		const feed = await postedFeed(event, data);
		if (!feed) return gone('fetch');
		const result = await fetchFeedNow(event.locals.database.db, feed.id, user.id);
		// A first fetch gives the feed its title; name it by that.
		const after = result ? await getFeed(event.locals.database.db, feed.id) : feed;
		const name = after?.title ?? feed.title ?? feed.url;
		if (!result) return { action: 'fetch', fetched: { feedId: feed.id, name, busy: true } };
		return {
			action: 'fetch',
			fetched: {
				feedId: feed.id,
				name,
				busy: false,
				status: result.status,
				runId: result.report?.runId ?? null,
				added: result.report?.added ?? 0,
				updated: result.report?.updated ?? 0,
				duplicates: result.report?.duplicates ?? 0,
				skipped: result.report?.skipped.length ?? 0,
				error: result.error ?? null
			}
		};
	},

	pause: async (event) => {
		requireStaff(event);
		const feed = await postedFeed(event, await event.request.formData());
		if (!feed) return gone('pause');
		await setFeedActive(event.locals.database.db, feed.id, false);
		redirect(303, '/articles/feeds?notice=paused');
	},

	resume: async (event) => {
		requireStaff(event);
		const feed = await postedFeed(event, await event.request.formData());
		if (!feed) return gone('resume');
		await setFeedActive(event.locals.database.db, feed.id, true);
		redirect(303, '/articles/feeds?notice=resumed');
	},

	/** Stop following a feed; what it brought stays in the index. */
	unsubscribe: async (event) => {
		requireStaff(event);
		const feed = await postedFeed(event, await event.request.formData());
		if (!feed) return gone('unsubscribe');
		await deleteFeed(event.locals.database.db, feed.id);
		redirect(303, '/articles/feeds?notice=unsubscribed');
	},

	/** Subscribe to every feed of an OPML file. */
	opml: async (event) => {
		const user = requireStaff(event);
		const data = await readForm(event.request);
		if (!data) return fail(413, { action: 'opml', issues: { file: 'import_error_file_too_large' } as Issues });
		const upload = await readUploadedFile(data, 'file');
		if (!upload.ok) return fail(400, { action: 'opml', issues: { file: upload.issue } as Issues });
		try {
			const result = await importOpml(event.locals.database.db, user.id, upload.bytes);
			return { action: 'opml', opml: { added: result.added, existing: result.existing, skipped: result.skipped } };
		} catch (e) {
			if (e instanceof SourceError) return fail(400, { action: 'opml', issues: {} as Issues, reason: e.message });
			throw e;
		}
	}
};

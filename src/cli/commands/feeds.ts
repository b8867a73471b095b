import { exportOpml, pollDueFeeds, subscribeFeed } from '../../lib/server/feeds/feeds.service';
import { stringOption } from '../args';
import { withDatabase } from '../database';
import type { Command } from '../context';

export const feedCommands: Command[] = [
	{
		name: 'feeds poll',
		summary: 'poll the feeds that are due, once (for cron)',
		description:
			'Fetches every subscribed feed whose next poll time has come (with ETag/Last-Modified), imports new and changed articles, and backs off from feeds that fail. Safe to run from several machines against one PostgreSQL database: each feed is fetched by one of them.',
		options: { json: { type: 'boolean', description: 'print the results as JSON' } },
		examples: ['*/10 * * * * cd /srv/tegami && DATABASE_URL=… npx tegami feeds poll'],
		async run(args, context) {
			return withDatabase(context, { mustExist: true, requireMigrated: true }, async (database) => {
				const results = await pollDueFeeds(database.db);
				if (args.values.json) {
					context.out(
						JSON.stringify(
							results.map((r) => ({
								feedId: r.feedId,
								url: r.url,
								status: r.status,
								error: r.error ?? null,
								added: r.report?.added ?? 0,
								updated: r.report?.updated ?? 0,
								duplicates: r.report?.duplicates ?? 0,
								skipped: r.report?.skipped.length ?? 0
							}))
						)
					);
				} else if (!results.length) {
					context.out('No feed is due.');
				} else {
					for (const r of results) {
						if (r.status === 'failed') context.out(`failed   ${r.url}: ${r.error}`);
						else if (r.status === 'not_modified') context.out(`unchanged ${r.url}`);
						else context.out(`imported ${r.url}: ${r.report!.added} added, ${r.report!.updated} updated, ${r.report!.skipped.length} skipped`);
					}
				}
				return results.some((r) => r.status === 'failed') ? 1 : 0;
			});
		}
	},
	{
		name: 'feeds add',
		summary: 'subscribe to a feed',
		options: {
			outlet: { type: 'string', placeholder: 'NAME', description: 'the outlet its articles belong to (default: the feed title)' },
			interval: { type: 'string', placeholder: 'MINUTES', description: 'how often to poll it (default 60)' }
		},
		positionals: [{ name: 'URL', description: 'the feed address (RSS, Atom or RDF)', required: true }],
		fields: { url: 'URL' },
		async run(args, context) {
			const interval = stringOption(args, 'interval');
			await withDatabase(context, { mustExist: true, requireMigrated: true }, async (database) => {
				const id = await subscribeFeed(database.db, null, {
					url: args.positionals[0],
					outletName: stringOption(args, 'outlet') ?? null,
					intervalMinutes: interval ? Number(interval) || 60 : 60
				});
				context.out(`Subscribed (feed ${id}); it will be fetched at the next poll.`);
			});
		}
	},
	{
		name: 'feeds export',
		summary: 'print the feed list as OPML',
		options: {},
		async run(_args, context) {
			await withDatabase(context, { mustExist: true, requireMigrated: true }, async (database) => {
				context.out(await exportOpml(database.db));
			});
		}
	}
];

import { rebuildSearchIndex } from '../../lib/server/search/search.index';
import { searchArticles } from '../../lib/server/search/search.service';
import { partsToText } from '../../lib/server/search/snippet';
import { stringOption, UsageError } from '../args';
import { withDatabase } from '../database';
import { CliError } from '../errors';
import type { Command } from '../context';

export const searchCommands: Command[] = [
	{
		name: 'search',
		summary: 'search the article index (Japanese and English)',
		description:
			'QUERY is words that must all appear (AND), with OR, NOT or a leading -, "quoted phrases" (also 「…」) and parentheses; English words match their other forms (rising finds rise), Japanese words match anywhere in the text, and a word ending in * matches its beginning. Results are ranked by relevance blended with recency, newest first with --order date. A query that cannot be read is explained (exit status 1). For a query that starts with -, put -- before it.',
		options: {
			topic: { type: 'string', placeholder: 'T', description: 'only articles of topic number T' },
			lang: { type: 'string', placeholder: 'LANG', description: 'only articles in this language', choices: ['ja', 'en'] },
			limit: { type: 'string', placeholder: 'N', description: 'how many results to print', defaultValue: '20' },
			order: { type: 'string', placeholder: 'ORDER', description: 'relevance or date', choices: ['relevance', 'date'], defaultValue: 'relevance' },
			json: { type: 'boolean', description: 'print the results as a JSON array' }
		},
		positionals: [{ name: 'QUERY', description: 'what to search for', required: true }],
		examples: ['tegami search "広報 OR PR -求人" --json', 'tegami search \'"interest rates" bank*\' --lang en --limit 5', 'tegami search --limit 5 -- "-sport football"'],
		validate(args) {
			const limit = stringOption(args, 'limit');
			if (limit !== undefined && !/^\d+$/.test(limit)) throw new UsageError(`--limit must be a whole number (got "${limit}")`, 'search');
			const topic = stringOption(args, 'topic');
			if (topic !== undefined && !/^\d+$/.test(topic)) throw new UsageError(`--topic must be a topic number (got "${topic}")`, 'search');
		},
		async run(args, context) {
			const limit = Number(stringOption(args, 'limit') ?? 20);
			const topic = stringOption(args, 'topic');
			await withDatabase(context, { mustExist: true, requireMigrated: true }, async (database) => {
				const result = await searchArticles(database, {
					query: args.positionals[0],
					topicId: topic === undefined ? null : Number(topic),
					lang: stringOption(args, 'lang') ?? null,
					order: stringOption(args, 'order') === 'date' ? 'date' : 'relevance',
					limit
				});
				if ('error' in result) throw new CliError(`cannot search for that: ${result.error.message}`);
				if (!result.indexUpToDate) context.err('warning: some articles are not in the search index yet; run: tegami search reindex');
				if (args.values.json) {
					context.out(
						JSON.stringify(
							result.hits.map((h) => ({
								id: h.id,
								url: h.url,
								title: h.title,
								outlet: h.outlet,
								reporters: h.reporters,
								publishedAt: h.publishedAt,
								snippet: partsToText(h.snippet)
							}))
						)
					);
					return;
				}
				for (const h of result.hits) {
					const who = h.reporters.join(', ') || 'unsigned';
					context.out(`${h.id}\t${h.publishedAt?.slice(0, 10) ?? '----------'}\t${h.outlet ?? '-'}\t${who}\t${h.title}`);
					context.out(`\t${partsToText(h.snippet)}`);
				}
				const total = result.totalExact ? `${result.total}` : `at least ${result.total}`;
				context.out(`${result.hits.length} shown of ${total} match(es) for: ${result.understood}`);
			});
		}
	},
	{
		name: 'search reindex',
		summary: 'rebuild the search index from every article',
		description:
			'Needed after an upgrade that changes how text is split into searchable words (the app says so), or to repair the index. Imports and searches can go on meanwhile; until it finishes, search finds only the articles indexed so far.',
		options: { json: { type: 'boolean', description: 'print the result as JSON' } },
		async run(args, context) {
			await withDatabase(context, { mustExist: true, requireMigrated: true }, async (database) => {
				let shown = 0;
				const result = await rebuildSearchIndex(database, {
					onProgress: ({ done, total }) => {
						// A line per tenth is enough to see it move without flooding a log.
						if (done === total || done - shown >= Math.max(2000, total / 10)) {
							shown = done;
							context.err(`indexed ${done} of ${total} articles`);
						}
					}
				});
				if (args.values.json) context.out(JSON.stringify(result));
				else context.out(`Rebuilt the search index: ${result.articles} articles in ${(result.ms / 1000).toFixed(1)} s.`);
			});
		}
	}
];

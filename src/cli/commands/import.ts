import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { importArticles, previewImport } from '../../lib/server/articles/import.service';
import { fetchSource, parseSource, type SourceFormat } from '../../lib/server/articles/sources';
import { parseOpml } from '../../lib/server/feeds/opml';
import { importOpml } from '../../lib/server/feeds/feeds.service';
import { stringOption } from '../args';
import { withDatabase } from '../database';
import { CliError } from '../errors';
import type { Command } from '../context';

/** Files larger than this are refused before reading: an import file, not a disk image. */
const MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024;

const FORMAT_CHOICES = ['rss', 'atom', 'opml', 'csv', 'jsonl', 'html'] as const;

function readInput(input: string): { bytes: Uint8Array; name: string } {
	let size: number;
	try {
		size = statSync(input).size;
	} catch (e) {
		throw new CliError(`cannot read ${input}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
	}
	if (size > MAX_FILE_BYTES) throw new CliError(`${input} is ${size} bytes; the limit is ${MAX_FILE_BYTES} bytes`);
	return { bytes: readFileSync(input), name: basename(input) };
}

const isUrl = (s: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(s);

export const importCommands: Command[] = [
	{
		name: 'import',
		summary: 'import articles from a feed, a CSV/JSONL file, a web page or an OPML feed list',
		description:
			'INPUT is a file or an http(s) URL. The format is detected from the content and name unless --format says it. CSV and JSONL columns are mapped automatically (title, url, body, published_at, lang, outlet, byline, section, topics and their usual aliases in English and Japanese). An OPML file subscribes to the feeds it lists. Re-importing adds nothing that is already there; an article changed at its source is updated. Items that cannot be imported are reported with their location and reason; the rest are imported.',
		options: {
			format: { type: 'string', placeholder: 'FORMAT', description: 'rss, atom, opml, csv, jsonl or html', choices: FORMAT_CHOICES },
			outlet: { type: 'string', placeholder: 'NAME', description: 'the outlet of articles that do not name one' },
			'dry-run': { type: 'boolean', description: 'parse and show what would be imported; write nothing' },
			json: { type: 'boolean', description: 'print JSON: the articles (with --dry-run) or the run report' }
		},
		positionals: [{ name: 'INPUT', description: 'a file path or an http(s) URL', required: true }],
		examples: [
			'tegami import exports/articles.csv --outlet "東京ポスト"',
			'tegami import https://example.com/news/feed.xml',
			'tegami import corpus.jsonl --dry-run --json | head'
		],
		async run(args, context) {
			const input = args.positionals[0];
			const format = stringOption(args, 'format') as SourceFormat | undefined;
			const outletName = stringOption(args, 'outlet')?.trim() || null;
			const dryRun = args.values['dry-run'] === true;
			const json = args.values.json === true;

			let bytes: Uint8Array;
			let source;
			if (isUrl(input)) {
				const fetched = await fetchSource(input, { format: format === 'opml' ? null : format });
				bytes = fetched.bytes;
				source = format === 'opml' ? null : fetched.source;
			} else {
				const file = readInput(input);
				bytes = file.bytes;
				const detected = format ?? null;
				source = detected === 'opml' || (!detected && /\.opml$/i.test(file.name)) ? null : parseSource(bytes, { format: detected, name: file.name });
			}

			if (!source) {
				// An OPML feed list: subscribe (or, dry, list what would be subscribed).
				if (dryRun) {
					const { feeds, problems } = parseOpml(bytes);
					context.out(json ? JSON.stringify(feeds) : feeds.map((f) => `${f.xmlUrl}${f.title ? `  ${f.title}` : ''}`).join('\n'));
					for (const p of problems) context.err(`skipped ${p.location}: ${p.reason}`);
					return;
				}
				await withDatabase(context, { mustExist: true, requireMigrated: true }, async (database) => {
					const result = await importOpml(database.db, null, bytes);
					if (json) context.out(JSON.stringify(result));
					else {
						context.out(`Subscribed to ${result.added} feed(s); ${result.existing} already subscribed; ${result.skipped.length} skipped.`);
						for (const s of result.skipped) context.err(`skipped ${s.location}: ${s.reason}`);
					}
				});
				return;
			}

			const options = { kind: source.kind, label: source.label, userId: null, outletName };
			if (dryRun) {
				const preview = previewImport(source.parsed, options);
				if (json) {
					context.out(
						JSON.stringify(
							preview.articles.map((a) => ({
								title: a.title,
								url: a.url,
								byline: a.byline,
								reporters: a.reporters,
								agencies: a.agencies,
								publishedAt: a.publishedAt,
								lang: a.lang,
								outlet: a.outlet,
								location: a.location
							}))
						)
					);
				} else {
					for (const a of preview.articles) {
						const who = [...a.reporters, ...a.agencies].join(', ') || 'unsigned';
						context.out(`${a.location}\t${a.publishedAt?.slice(0, 10) ?? '----------'}\t${who}\t${a.title}`);
					}
					context.out(`${preview.articles.length} article(s) would be imported; ${preview.skipped.length} skipped.`);
				}
				for (const s of preview.skipped) context.err(`skipped ${s.location}: ${s.reason}`);
				for (const n of preview.notes) context.err(`note ${n.location}: ${n.reason}`);
				return;
			}
			await withDatabase(context, { mustExist: true, requireMigrated: true }, async (database) => {
				const report = await importArticles(database.db, source.parsed, options);
				if (json) {
					context.out(
						JSON.stringify({
							runId: report.runId,
							added: report.added,
							updated: report.updated,
							duplicates: report.duplicates,
							skipped: report.skipped,
							notes: report.notes,
							reportersCreated: report.reportersCreated,
							reviewsQueued: report.reviewsQueued,
							flagged: report.flagged
						})
					);
				} else {
					context.out(
						`Imported ${source.label}: ${report.added} added, ${report.updated} updated, ${report.duplicates} duplicates, ${report.skipped.length} skipped; ${report.reportersCreated} new reporter(s), ${report.reviewsQueued} match(es) to review (run ${report.runId}).`
					);
					if (report.flagged) context.err(`${report.flagged} new reporter(s) may be someone on the do-not-contact list: flagged for a person to check (Today in the app).`);
					for (const s of report.skipped.slice(0, 50)) context.err(`skipped ${s.location}: ${s.reason}`);
					if (report.skipped.length > 50) context.err(`… and ${report.skipped.length - 50} more (see the run in the app)`);
				}
			});
		}
	}
];


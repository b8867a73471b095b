import type { Insertable, Kysely, Transaction } from 'kysely';
import type { ArticleSourceKind, DB, IdentifyStatus } from '../db/schema';
import type { ArticleCandidate, ImportProblem, ParsedSource } from './candidate';
import { normaliseByline } from './byline';
import { canonicalUrl, contentHash, dedupeKey, outletKey } from './identity';
import { resolveOutlets } from '../outlets/outlets.repository';
import { InputError } from '../../schemas/validation';
import { linkBylines, newLinkingContext, type ArticlePeople, type LinkingContext } from '../reporters/linking';
import { databaseKindOf, indexArticles, removeFromIndex, type IndexRow } from '../search/search.index';
import { insertRowsReturning, sqliteHandleOf } from '../db/sqlite-statements';
import { applyTopicRules } from '../topics/topics.service';
import { createAlertsFor } from '../topics/alerts.service';

export interface ImportOptions {
	kind: ArticleSourceKind;
	/** What the run is called in the list of runs: a file name, a feed URL. */
	label: string;
	userId: number | null;
	/** Names the outlet of every article that does not name its own. */
	outletName?: string | null;
	/** Overrides the outlet every article names (a file exported from one paper). */
	forceOutlet?: boolean;
	feedId?: number | null;
	/** Articles per transaction; each committed batch survives a crash, and a re-run skips it. */
	batchSize?: number;
	/** A run row made beforehand by startImport (so a page can show it before the work ends). */
	runId?: number;
}

/** One article as an import would store it, for `--dry-run` and previews. */
export interface PreviewArticle {
	location: string;
	title: string;
	url: string | null;
	byline: string | null;
	reporters: string[];
	agencies: string[];
	publishedAt: string | null;
	lang: string | null;
	outlet: string | null;
}

export interface ImportReport {
	runId: number | null;
	added: number;
	updated: number;
	duplicates: number;
	skipped: ImportProblem[];
	/** Items imported with a remark (a date that could not be read, a link left out). */
	notes: ImportProblem[];
	reportersCreated: number;
	reviewsQueued: number;
	/** New reporters flagged as possibly someone on the do-not-contact list (listed on Today). */
	flagged: number;
}

/** The most problems one run keeps; the count of skipped items is always exact. */
const MAX_STORED_PROBLEMS = 1000;
const MAX_TITLE = 1000;
const MAX_BYLINE = 2000;
const MAX_BODY = 1_000_000;

interface Prepared {
	location: string;
	candidate: ArticleCandidate;
	title: string;
	outletName: string | null;
	/** outletKey(outletName) and canonicalUrl(url), worked out once: both are among the import's costs. */
	outletKey: string | null;
	canonicalUrl: string | null;
	people: { name: string; key: string; role?: string }[];
	agencies: string[];
	dedupeKey: string;
	hash: string;
}

function clean(s: string | null | undefined, max: number): string | null {
	if (s == null) return null;
	const t = s.normalize('NFC').trim();
	return t ? t.slice(0, max) : null;
}

/** Validate and normalise one candidate; a reason string when it cannot be imported. */
function prepare(c: ArticleCandidate, options: ImportOptions): Prepared | string {
	const title = clean(c.title?.replace(/\s+/g, ' '), MAX_TITLE);
	if (!title) return 'no title';
	const canonical = canonicalUrl(c.url);
	if (c.url && !canonical) return `the URL is not a web address: ${c.url.slice(0, 100)}`;
	const outletName = clean(options.forceOutlet ? options.outletName : (c.outletName ?? options.outletName), 200);
	const outletNameKey = outletName ? outletKey(outletName) : null;
	const byline = normaliseByline(c.bylineRaw?.slice(0, MAX_BYLINE), { lang: c.lang, outletName });
	const candidate = { ...c, title };
	return {
		location: c.location,
		candidate,
		title,
		outletName,
		outletKey: outletNameKey,
		canonicalUrl: canonical,
		people: byline.people.map((p) => ({ name: p.name, key: p.key, role: p.role })),
		agencies: byline.agencies,
		dedupeKey: dedupeKey({ url: c.url, title, outletKey: outletNameKey, publishedAt: c.publishedAt }),
		hash: contentHash([title, c.url, c.body, c.excerpt, c.publishedAt, c.bylineRaw, c.section, c.lang, outletName])
	};
}

/**
 * Split a parser's problems into items it skipped and remarks on items it kept: a problem whose
 * location is also a candidate's location concerns an item that is being imported.
 */
function splitProblems(parsed: ParsedSource): { skipped: ImportProblem[]; notes: ImportProblem[] } {
	const kept = new Set(parsed.candidates.map((c) => c.location));
	const skipped: ImportProblem[] = [];
	const notes: ImportProblem[] = [];
	for (const p of parsed.problems) (kept.has(p.location) ? notes : skipped).push(p);
	return { skipped, notes };
}

/** What an import would store, without writing anything (`tegami import --dry-run`). */
export function previewImport(
	parsed: ParsedSource,
	options: ImportOptions
): { articles: PreviewArticle[]; skipped: ImportProblem[]; notes: ImportProblem[] } {
	const articles: PreviewArticle[] = [];
	const { skipped, notes } = splitProblems(parsed);
	for (const c of parsed.candidates) {
		const p = prepare(c, options);
		if (typeof p === 'string') {
			skipped.push({ location: c.location, reason: p });
			continue;
		}
		articles.push({
			location: p.location,
			title: p.title,
			url: c.url,
			byline: c.bylineRaw,
			reporters: p.people.map((x) => x.name),
			agencies: p.agencies,
			publishedAt: c.publishedAt,
			lang: c.lang,
			outlet: p.outletName
		});
	}
	return { articles, skipped, notes };
}

/**
 * Import parsed articles: new ones are added, ones already held are counted as duplicates, and
 * ones changed at their source are updated in place. Work is committed in batches, so a crash
 * loses at most the batch in progress and a second run completes the rest. Every import has a
 * run row with its counts and the skipped items (location and reason).
 */
export async function importArticles(
	db: Kysely<DB>,
	parsed: ParsedSource,
	options: ImportOptions
): Promise<ImportReport> {
	const runId = options.runId ?? (await createRun(db, options));
	const run = { id: runId };
	const report: ImportReport = {
		runId: run.id,
		added: 0,
		updated: 0,
		duplicates: 0,
		...splitProblems(parsed),
		reportersCreated: 0,
		reviewsQueued: 0,
		flagged: 0
	};
	const outlets = new Map<string, number>();
	const linking = newLinkingContext(options.userId);
	const batchSize = options.batchSize ?? 500;
	try {
		const seen = new Set<string>();
		for (let i = 0; i < parsed.candidates.length; i += batchSize) {
			const batch: Prepared[] = [];
			for (const c of parsed.candidates.slice(i, i + batchSize)) {
				const p = prepare(c, options);
				if (typeof p === 'string') report.skipped.push({ location: c.location, reason: p });
				else if (seen.has(p.dedupeKey)) report.duplicates++;
				else {
					seen.add(p.dedupeKey);
					batch.push(p);
				}
			}
			if (batch.length) {
				await db.transaction().execute((trx) => storeBatch(trx, batch, options, run.id, outlets, linking, report));
			}
			report.reportersCreated = linking.reportersCreated;
			report.reviewsQueued = linking.reviewsCreated;
			report.flagged = linking.flagged;
			// Progress for the runs page; every 20 batches is enough for a person watching.
			if ((i / batchSize) % 20 === 19) await updateRunCounts(db, run.id, report);
		}
		await finishRun(db, run.id, 'done', report, null);
	} catch (e) {
		report.reportersCreated = linking.reportersCreated;
		report.flagged = linking.flagged;
		await finishRun(db, run.id, 'failed', report, e instanceof Error ? e.message : String(e));
		throw e;
	}
	return report;
}

/** Make the run row an import reports into. */
export async function createRun(db: Kysely<DB>, options: ImportOptions): Promise<number> {
	const now = new Date().toISOString();
	const run = await db
		.insertInto('import_runs')
		.values({
			kind: options.kind,
			label: options.label.slice(0, 500),
			status: 'running',
			dry_run: 0,
			added: 0,
			updated: 0,
			duplicates: 0,
			skipped: 0,
			reporters_created: 0,
			problems: '[]',
			feed_id: options.feedId ?? null,
			user_id: options.userId,
			started_at: now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return run.id;
}

/**
 * Start an import that goes on after the request that asked for it has been answered; the runs
 * page shows its progress. Failures end up in the run row, not in an unhandled rejection.
 */
export async function startImport(db: Kysely<DB>, parsed: ParsedSource, options: ImportOptions): Promise<number> {
	const runId = await createRun(db, options);
	void importArticles(db, parsed, { ...options, runId }).catch((e) => {
		console.error(`tegami: import run ${runId} failed:`, e);
	});
	return runId;
}

async function updateRunCounts(db: Kysely<DB>, runId: number, report: ImportReport) {
	await db
		.updateTable('import_runs')
		.set({
			added: report.added,
			updated: report.updated,
			duplicates: report.duplicates,
			skipped: report.skipped.length,
			reporters_created: report.reportersCreated,
			flagged: report.flagged
		})
		.where('id', '=', runId)
		.execute();
}

/** Runs left 'running' by a process that stopped (a crash, a restart) are marked as interrupted. */
export async function markInterruptedRuns(db: Kysely<DB>, olderThanMs = 0): Promise<number> {
	const result = await db
		.updateTable('import_runs')
		.set({ status: 'failed', error: 'interrupted: the app stopped during this import; import the same source again to complete it', finished_at: new Date().toISOString() })
		.where('status', '=', 'running')
		.where('started_at', '<', new Date(Date.now() - olderThanMs).toISOString())
		.executeTakeFirst();
	return Number(result.numUpdatedRows);
}

async function finishRun(db: Kysely<DB>, runId: number, status: 'done' | 'failed', report: ImportReport, error: string | null) {
	await db
		.updateTable('import_runs')
		.set({
			status,
			added: report.added,
			updated: report.updated,
			duplicates: report.duplicates,
			skipped: report.skipped.length,
			reporters_created: report.reportersCreated,
			flagged: report.flagged,
			// Skipped items first; remarks on imported ones after, marked as notes.
			problems: JSON.stringify([...report.skipped, ...report.notes.map((n) => ({ ...n, note: true }))].slice(0, MAX_STORED_PROBLEMS)),
			error: error?.slice(0, 2000) ?? null,
			finished_at: new Date().toISOString()
		})
		.where('id', '=', runId)
		.execute();
}

async function storeBatch(
	trx: Transaction<DB>,
	batch: Prepared[],
	options: ImportOptions,
	runId: number,
	outlets: Map<string, number>,
	linking: LinkingContext,
	report: ImportReport
): Promise<void> {
	const now = new Date().toISOString();
	linking.now = now;
	await resolveOutlets(trx, batch.flatMap((p) => (p.outletName ? [p.outletName] : [])), outlets, now);
	const existing = new Map<string, { id: number; content_hash: string; identify_status: string | null }>();
	const keys = batch.map((p) => p.dedupeKey);
	for (let i = 0; i < keys.length; i += 500) {
		const rows = await trx
			.selectFrom('articles')
			.select(['id', 'dedupe_key', 'content_hash', 'identify_status'])
			.where('dedupe_key', 'in', keys.slice(i, i + 500))
			.execute();
		for (const r of rows) existing.set(r.dedupe_key, r);
	}

	const toInsert: Prepared[] = [];
	const relink: ArticlePeople[] = [];
	// Indexed in this transaction, so an article is searchable exactly when it is stored.
	const toIndex: IndexRow[] = [];
	const reindexed: number[] = [];
	for (const p of batch) {
		const old = existing.get(p.dedupeKey);
		if (!old) toInsert.push(p);
		else if (old.content_hash === p.hash) report.duplicates++;
		else {
			const values = articleValues(p, outlets);
			// A writer someone already identified (or a task dismissed) stays so.
			if (old.identify_status === 'identified' || old.identify_status === 'dismissed') values.identify_status = old.identify_status;
			await trx.updateTable('articles').set({ ...values, updated_at: now }).where('id', '=', old.id).execute();
			reindexed.push(old.id);
			toIndex.push(indexRowOf(old.id, values, now));
			// The byline may have changed with the article: its byline links are made afresh.
			await trx.deleteFrom('article_reporters').where('article_id', '=', old.id).where('source', '=', 'byline').execute();
			relink.push({ articleId: old.id, outletId: outletIdOf(p, outlets), people: p.people });
			report.updated++;
		}
	}
	// SQLite: new articles go in through a statement kept on the connection (sqlite-statements.ts):
	// Kysely compiles and SQLite prepares a 100-row insert afresh each time, ~10 µs an article.
	const handle = await sqliteHandleOf(trx);
	// 100 rows × ~20 columns stays well inside both databases' limits on bound parameters.
	for (let i = 0; i < toInsert.length; i += 100) {
		const chunk = toInsert.slice(i, i + 100);
		const values = chunk.map((p) => articleValues(p, outlets));
		const rows: Insertable<DB['articles']>[] = chunk.map((p, k) => ({
			...values[k],
			dedupe_key: p.dedupeKey,
			source_kind: options.kind,
			source_label: options.label.slice(0, 500),
			import_run_id: runId,
			created_by: options.userId,
			created_at: now,
			updated_at: now
		}));
		const inserted = handle
			? insertRowsReturning<{ id: number; dedupe_key: string }>(handle, 'articles', rows, ['id', 'dedupe_key'])
			: await trx.insertInto('articles').values(rows).returning(['id', 'dedupe_key']).execute();
		const idByKey = new Map(inserted.map((r) => [r.dedupe_key, r.id]));
		for (const [k, p] of chunk.entries()) {
			const id = idByKey.get(p.dedupeKey)!;
			toIndex.push(indexRowOf(id, values[k], now));
			if (p.people.length) relink.push({ articleId: id, outletId: outletIdOf(p, outlets), people: p.people });
		}
		report.added += inserted.length;
	}
	if (relink.length) await linkBylines(trx, relink, linking);
	const kind = databaseKindOf(trx);
	await removeFromIndex(trx, kind, reindexed);
	const tokens = new Map((await indexArticles(trx, kind, toIndex)).map((t) => [t.id, t]));
	// Topic rules tag the stored articles (with the index's tokens: tokenising twice doubled that
	// cost); alerts need those tags and the reporter links above.
	await applyTopicRules(trx, toIndex.map((r) => ({ id: r.id, title: r.title, body: r.body, tokens: tokens.get(r.id) })));
	const reindexedIds = new Set(reindexed);
	await createAlertsFor(trx, toIndex.filter((r) => !reindexedIds.has(r.id)).map((r) => r.id));
}

function indexRowOf(id: number, v: ReturnType<typeof articleValues>, now: string): IndexRow {
	return { id, title: v.title, body: v.body, publishedAt: v.published_at, createdAt: now, outletId: v.outlet_id, lang: v.lang, signed: v.signed === 1 };
}

function outletIdOf(p: Prepared, outlets: Map<string, number>): number | null {
	return p.outletKey !== null ? (outlets.get(p.outletKey) ?? null) : null;
}

function articleValues(p: Prepared, outlets: Map<string, number>) {
	const c = p.candidate;
	const signed = p.people.length > 0;
	return {
		url: clean(c.url, 2000),
		canonical_url: p.canonicalUrl,
		guid: clean(c.guid, 500),
		title: p.title,
		outlet_id: outletIdOf(p, outlets),
		section: clean(c.section, 200),
		published_at: c.publishedAt,
		lang: clean(c.lang, 20)?.toLowerCase() ?? null,
		body: clean(c.body, MAX_BODY),
		excerpt: clean(c.excerpt, 5000),
		byline_raw: clean(c.bylineRaw, MAX_BYLINE),
		agencies: JSON.stringify(p.agencies),
		categories: JSON.stringify(c.categories.slice(0, 50)),
		signed: signed ? 1 : 0,
		// A wire story credits its agency; only articles that credit no one need their writer found.
		identify_status: (signed || p.agencies.length ? null : 'open') as IdentifyStatus | null,
		content_hash: p.hash
	};
}

export interface ManualArticleInput {
	title: string;
	outletName: string;
	section: string | null;
	/** YYYY-MM-DD, the day it appeared. */
	publishedOn: string;
	lang: string | null;
	bylineRaw: string | null;
	body: string | null;
	url: string | null;
}

/**
 * Enter an article by hand — typically a print article, which has no URL. It goes through the
 * same import path as every other source (dedupe, byline linking, the unsigned-article task),
 * as a run of one. Returns the article id, or the id of the article it duplicates.
 */
export async function createManualArticle(
	db: Kysely<DB>,
	userId: number,
	input: ManualArticleInput
): Promise<{ articleId: number; duplicate: boolean }> {
	const issues: Record<string, string> = {};
	if (!input.title.trim()) issues.title = 'error_required';
	if (!input.outletName.trim()) issues.outletName = 'error_required';
	if (!/^\d{4}-\d{2}-\d{2}$/.test(input.publishedOn) || Number.isNaN(Date.parse(input.publishedOn))) issues.publishedOn = 'error_date_invalid';
	if (input.url && !canonicalUrl(input.url)) issues.url = 'error_url_invalid';
	if (input.lang && !/^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(input.lang)) issues.lang = 'error_lang_invalid';
	if (Object.keys(issues).length) throw new InputError(issues);
	const candidate: ArticleCandidate = {
		location: 'form',
		url: input.url || null,
		guid: null,
		title: input.title,
		body: input.body,
		excerpt: null,
		publishedAt: `${input.publishedOn}T00:00:00.000Z`,
		lang: input.lang,
		outletName: input.outletName,
		section: input.section,
		bylineRaw: input.bylineRaw,
		categories: []
	};
	const options: ImportOptions = { kind: 'manual', label: 'manual entry', userId, outletName: input.outletName };
	const prepared = prepare(candidate, options);
	if (typeof prepared === 'string') throw new InputError({ title: 'error_article_invalid' });
	// The same article entered again is shown, never overwritten: a second entry with fewer
	// fields (no byline) must not undo the first one's reporter links.
	const existing = await db.selectFrom('articles').select('id').where('dedupe_key', '=', prepared.dedupeKey).executeTakeFirst();
	if (existing) return { articleId: existing.id, duplicate: true };
	const report = await importArticles(db, { candidates: [candidate], problems: [] }, options);
	if (report.skipped.length) throw new InputError({ title: 'error_article_invalid' });
	const row = await db.selectFrom('articles').select('id').where('dedupe_key', '=', prepared.dedupeKey).executeTakeFirstOrThrow();
	return { articleId: row.id, duplicate: report.added === 0 };
}

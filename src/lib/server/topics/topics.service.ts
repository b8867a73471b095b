/**
 * Topics: create, edit and delete them; apply their rules to imported articles and, in the
 * background, to the whole index when a rule changes; manual tagging; people's verdicts; learned
 * suggestions; and the topic page's figures.
 *
 * How an article comes to hold a topic (article_topics.source):
 * - 'rule': the topic's rule matched. Made on import (applyTopicRules) and re-made by a background
 *   job whenever the rule changes (runTopicJobs), which removes links the new rule no longer makes.
 * - 'manual': a person tagged or confirmed it. 'suggestion': a person accepted a suggestion.
 *   Neither is ever removed by a rule. A person's rejection (topic_feedback 'rejected') keeps a
 *   rule from adding the link again.
 *
 * Re-application when a rule is edited while its job runs: the edit bumps rule_version, cancels the
 * topic's queued and running jobs and queues a new one, all in one transaction. The running job
 * re-reads the version inside each chunk's transaction (locking the topic row on PostgreSQL, where
 * transactions are not serial as in SQLite) and stops without committing when it changed; the new
 * job re-makes every article's rule link chunk by chunk (delete the chunk's rule links, insert the
 * new matches), so the end state reflects the latest rule whatever the old job had done. An import
 * that changes articles between a chunk's read and its write is caught by re-reading the chunk's
 * article versions inside the write transaction. Jobs are leased like feeds, so a job left by a crashed process is resumed from the last
 * committed chunk by any runner once the lease runs out.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { InputError, field, type Issues } from '../../schemas/validation';
import { matchesQuery, parseQuery, PreparedDocument, prepareDocument, type QueryError, type QueryNode } from '../search/query';
import {
	mulberry32,
	TopicModel,
	TopicModelError,
	trainTopicModel,
	type SerializedTopicModel,
	type TopicExample,
	type TrainOptionsInput
} from './classifier';
import { DEFAULT_FEATURE_OPTIONS, extractFeatures } from './features';
import * as repo from './topics.repository';
import { invalidateQuickFind } from '../search/quickfind';

type Db = Kysely<DB> | Transaction<DB>;

/** A topic rule may be longer than a search-box query (long OR lists of names), but not unbounded. */
export const TOPIC_RULE_MAX_LENGTH = 4000;
const NAME_MAX = 200;
const DESCRIPTION_MAX = 2000;

/** Suggestions below this confidence are not shown. */
export const SUGGESTION_THRESHOLD = 0.6;

/** How long a runner holds a job between chunks before another process may take it over. */
const JOB_LEASE_MS = 2 * 60_000;
/** Articles read and matched per job chunk (one short write transaction each). */
const JOB_CHUNK = 2000;
/** Articles matched between yields to the event loop, so a request is never kept waiting for long. */
const YIELD_EVERY = 100;

export interface TopicInput {
	name: string;
	nameReading: string | null;
	description: string | null;
	/** The rule as typed; null or empty for a topic without one. */
	rule: string | null;
}

/** A rule that does not parse; `issues.rule` is the query error code, `queryError` says where and why. */
export class TopicRuleError extends InputError {
	override name = 'TopicRuleError';
	constructor(
		readonly queryError: QueryError,
		otherIssues: Issues = {}
	) {
		super({ ...otherIssues, rule: queryError.code });
	}
}

/** The key that makes topic names unique: NFKC, lower case, whitespace collapsed. */
export function topicNameKey(name: string): string {
	return name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Parses a topic rule (null when empty); throws TopicRuleError when it is not a valid query. */
export function parseTopicRule(rule: string | null | undefined): QueryNode | null {
	const text = rule?.trim() ?? '';
	if (!text) return null;
	const parsed = parseQuery(text, { maxLength: TOPIC_RULE_MAX_LENGTH });
	if (!parsed.ok) throw new TopicRuleError(parsed.error);
	return parsed.ast;
}

/** Reads a topic form (name, nameReading, description, rule); throws InputError naming each bad field. */
export function parseTopicForm(data: FormData | Record<string, unknown>): TopicInput {
	const input: TopicInput = {
		name: field(data, 'name').normalize('NFC'),
		nameReading: field(data, 'nameReading').normalize('NFC') || null,
		description: field(data, 'description').normalize('NFC') || null,
		rule: field(data, 'rule') || null
	};
	validateTopicInput(input);
	return input;
}

function validateTopicInput(input: TopicInput): void {
	const issues: Issues = {};
	const name = input.name.trim();
	if (!name) issues.name = 'error_required';
	else if (name.length > NAME_MAX) issues.name = 'error_too_long';
	if (input.nameReading && input.nameReading.length > NAME_MAX) issues.nameReading = 'error_too_long';
	if (input.description && input.description.length > DESCRIPTION_MAX) issues.description = 'error_too_long';
	let ruleError: QueryError | null = null;
	try {
		parseTopicRule(input.rule);
	} catch (e) {
		if (!(e instanceof TopicRuleError)) throw e;
		ruleError = e.queryError;
	}
	if (ruleError) throw new TopicRuleError(ruleError, issues);
	if (Object.keys(issues).length) throw new InputError(issues);
}

function cleanInput(input: TopicInput) {
	return {
		name: input.name.normalize('NFC').trim(),
		name_key: topicNameKey(input.name),
		name_reading: input.nameReading?.trim() || null,
		description: input.description?.trim() || null,
		rule: input.rule?.trim() || null
	};
}

/** Creates a topic; a rule is then applied to the whole index by a background job. Returns its id. */
export async function createTopic(db: Kysely<DB>, userId: number | null, input: TopicInput): Promise<number> {
	validateTopicInput(input);
	const values = cleanInput(input);
	const result = await db.transaction().execute(async (trx) => {
		if (await repo.getTopicByNameKey(trx, values.name_key)) throw new InputError({ name: 'error_topic_name_taken' });
		const now = new Date().toISOString();
		const id = await repo.insertTopic(trx, { ...values, created_by: userId, now }).catch(nameTaken);
		if (values.rule) await repo.insertJob(trx, id, 1, now);
		return id;
	});
	// Quick find lists topics by name.
	invalidateQuickFind(db);
	return result;
}

/** Two people saving the same new name at once: the unique index decides, and the loser hears why. */
function nameTaken(e: unknown): never {
	const code = (e as { code?: string }).code;
	if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE') throw new InputError({ name: 'error_topic_name_taken' });
	throw e;
}

/**
 * Edits a topic. A changed rule gets a new version, and a background job re-applies it to every
 * article (any job still applying the old version is cancelled). Returns whether the rule changed.
 */
export async function updateTopic(db: Kysely<DB>, id: number, input: TopicInput): Promise<{ ruleChanged: boolean }> {
	validateTopicInput(input);
	const values = cleanInput(input);
	const result = await db.transaction().execute(async (trx) => {
		const existing = await repo.getTopicById(trx, id);
		if (!existing) throw new InputError({ id: 'error_not_found' });
		const clash = await repo.getTopicByNameKey(trx, values.name_key);
		if (clash && clash.id !== id) throw new InputError({ name: 'error_topic_name_taken' });
		const now = new Date().toISOString();
		const ruleChanged = (existing.rule ?? null) !== values.rule;
		const version = ruleChanged ? existing.rule_version + 1 : existing.rule_version;
		// The topic row first, then its jobs: a job chunk locks in the same order, so they cannot deadlock.
		await repo.updateTopicRow(trx, id, { ...values, rule_version: version, now }).catch(nameTaken);
		if (ruleChanged) {
			await repo.cancelActiveJobs(trx, id, `superseded: the rule was changed (version ${version})`, now);
			await repo.insertJob(trx, id, version, now);
		}
		return { ruleChanged };
	});
	// Quick find lists topics by name.
	invalidateQuickFind(db);
	return result;
}

/** Deletes a topic with its links, verdicts, suggestions, jobs, watches and alerts. */
export async function deleteTopic(db: Kysely<DB>, id: number): Promise<boolean> {
	const deleted = await db.transaction().execute((trx) => repo.deleteTopicRow(trx, id));
	invalidateQuickFind(db);
	return deleted;
}

/** Queues the topic's current rule to be applied to every article again (e.g. after a failed job). */
export async function reapplyTopicRule(db: Kysely<DB>, id: number): Promise<number> {
	return db.transaction().execute(async (trx) => {
		const topic = await repo.getTopicById(trx, id);
		if (!topic) throw new InputError({ id: 'error_not_found' });
		const now = new Date().toISOString();
		await repo.cancelActiveJobs(trx, id, 'superseded: the rule is being applied again', now);
		return repo.insertJob(trx, id, topic.rule_version, now);
	});
}

/** Every topic with its article count, whether its rule is being re-applied, and any rule error. */
export async function listTopics(db: Db) {
	const rows = await repo.listTopics(db);
	return rows.map((t) => ({ ...t, article_count: Number(t.article_count ?? 0), reapplying: t.applied_version < t.rule_version }));
}

/** One topic, or undefined. */
export function getTopic(db: Db, id: number) {
	return repo.getTopicById(db, id);
}

// ---------------------------------------------------------------------------------------------
// Applying rules on import

/** An article as the import hands it over: its id and the text rules are matched against. */
export interface ArticleText {
	id: number;
	title: string;
	body: string | null;
	/**
	 * The indexTokenSequence of title and body, when the caller has them already (a search index
	 * built in the same batch): tokenising is most of applyTopicRules' cost.
	 */
	tokens?: { title: readonly string[]; body: readonly string[] };
}

/**
 * The import's hook, called inside the transaction that stores each batch: matches every topic's
 * rule against each article and links the matches (source 'rule'). Rule links the articles
 * already had are replaced, so an article updated at its source loses topics it no longer
 * matches; links a person made and rejections a person recorded are respected.
 */
export async function applyTopicRules(trx: Db, articles: readonly ArticleText[]): Promise<{ links: number }> {
	if (articles.length === 0) return { links: 0 };
	const topics = await repo.listRuleTopics(trx, { lock: true });
	const ids = articles.map((a) => a.id);
	await repo.deleteRuleLinksOfArticles(trx, ids);
	const rules: { id: number; ast: QueryNode }[] = [];
	for (const t of topics) {
		const parsed = parseQuery(t.rule ?? '', { maxLength: TOPIC_RULE_MAX_LENGTH });
		// A stored rule that no longer parses (a newer query language) is skipped here; its job records why.
		if (parsed.ok) rules.push({ id: t.id, ast: parsed.ast });
	}
	if (rules.length === 0) return { links: 0 };
	const rejected = await repo.rejectedPairs(trx, ids);
	const links: { articleId: number; topicId: number }[] = [];
	for (const a of articles) {
		const doc = a.tokens ? new PreparedDocument(a.tokens.title, a.tokens.body) : prepareDocument({ title: a.title ?? '', body: a.body ?? '' });
		for (const r of rules) {
			if (matchesQuery(r.ast, doc) && !rejected.has(`${a.id}:${r.id}`)) links.push({ articleId: a.id, topicId: r.id });
		}
	}
	if (links.length === 0) return { links: 0 };
	return { links: await repo.insertRuleLinks(trx, links, new Date().toISOString()) };
}

// ---------------------------------------------------------------------------------------------
// Background re-application

export interface TopicJobRunOptions {
	/** Names this runner in leases (default: a random id per call). */
	owner?: string;
	/** Articles per chunk (default 2,000). */
	chunkSize?: number;
	/** Stop after this many chunks, leaving the job leased as a stopped process would (for tests and time-boxed runs). */
	maxChunks?: number;
	/** The clock, for leases. */
	now?: () => Date;
	/** Called after each committed chunk (progress logging; tests edit rules here). */
	onChunk?: (progress: TopicJobProgress) => void | Promise<void>;
	/** Called between reading a chunk's articles and writing its links (tests change articles here, as a concurrent import would). */
	onChunkRead?: (articleIds: readonly number[]) => void | Promise<void>;
}

export interface TopicJobProgress {
	jobId: number;
	topicId: number;
	processed: number;
	total: number;
	matched: number;
}

export interface TopicJobOutcome extends TopicJobProgress {
	/** 'paused': maxChunks ran out and the job stays leased until another run resumes it. */
	status: 'done' | 'failed' | 'cancelled' | 'paused';
	error: string | null;
}

class JobStopped extends Error {}

/**
 * Runs queued rule re-applications (and ones a crashed runner left) until none is left, one job at a
 * time, committing each chunk of articles separately. Meant for the background: it yields to the
 * event loop while matching, and several processes may run it at once.
 */
export async function runTopicJobs(database: { db: Kysely<DB> }, options: TopicJobRunOptions = {}): Promise<TopicJobOutcome[]> {
	const db = database.db;
	const owner = options.owner ?? `topics-${randomUUID()}`;
	const clock = options.now ?? (() => new Date());
	const budget = { chunks: options.maxChunks ?? Infinity };
	const outcomes: TopicJobOutcome[] = [];
	for (;;) {
		if (budget.chunks <= 0) break;
		const jobId = await claimNextJob(db, owner, clock());
		if (jobId === null) break;
		const outcome = await runJob(db, jobId, owner, clock, options, budget);
		outcomes.push(outcome);
		if (outcome.status === 'paused') break;
	}
	return outcomes;
}

async function claimNextJob(db: Kysely<DB>, owner: string, now: Date): Promise<number | null> {
	const iso = now.toISOString();
	const leaseUntil = new Date(now.getTime() + JOB_LEASE_MS).toISOString();
	for (const { id } of await repo.listClaimableJobIds(db, iso, 20)) {
		if (await repo.claimJob(db, id, owner, iso, leaseUntil)) return id;
	}
	return null;
}

async function runJob(
	db: Kysely<DB>,
	jobId: number,
	owner: string,
	clock: () => Date,
	options: TopicJobRunOptions,
	budget: { chunks: number }
): Promise<TopicJobOutcome> {
	const job = await repo.getJob(db, jobId);
	if (!job) return { jobId, topicId: 0, processed: 0, total: 0, matched: 0, status: 'cancelled', error: 'the job was removed' };
	const state = {
		jobId,
		topicId: job.topic_id,
		lastId: job.last_article_id,
		processed: job.processed,
		matched: job.matched,
		total: job.total ?? 0
	};
	const outcome = (status: TopicJobOutcome['status'], error: string | null = null): TopicJobOutcome => ({
		jobId,
		topicId: state.topicId,
		processed: state.processed,
		total: state.total,
		matched: state.matched,
		status,
		error
	});
	const end = async (status: 'done' | 'failed' | 'cancelled', error: string | null) => {
		await repo.finishJob(db, jobId, owner, status, error, clock().toISOString());
		return outcome(status, error);
	};
	try {
		const topic = await repo.getTopicById(db, job.topic_id);
		if (!topic) return await end('cancelled', 'the topic was deleted');
		if (topic.rule_version !== job.rule_version) return await end('cancelled', `superseded: the rule was changed (version ${topic.rule_version})`);
		let ast: QueryNode | null = null;
		if (topic.rule) {
			const parsed = parseQuery(topic.rule, { maxLength: TOPIC_RULE_MAX_LENGTH });
			if (!parsed.ok) {
				await repo.setRuleError(db, topic.id, topic.rule_version, parsed.error.message);
				return await end('failed', `the rule cannot be applied: ${parsed.error.message}`);
			}
			ast = parsed.ast;
		}
		if (job.total === null) state.total = await repo.countArticles(db);
		const chunkSize = Math.max(1, options.chunkSize ?? JOB_CHUNK);
		for (;;) {
			if (budget.chunks <= 0) return outcome('paused');
			const rows = await repo.nextArticles(db, state.lastId, chunkSize, ast !== null);
			const matched = new Set<number>();
			if (ast) {
				for (let i = 0; i < rows.length; i++) {
					if (i > 0 && i % YIELD_EVERY === 0) await yieldToEventLoop();
					const a = rows[i];
					if (matchesQuery(ast, prepareDocument({ title: a.title ?? '', body: a.body ?? '' }))) matched.add(a.id);
				}
			}
			const read = new Map(rows.map((r) => [r.id, `${r.updated_at}|${r.content_hash}`]));
			const firstId = state.lastId;
			const lastId = rows.length ? rows[rows.length - 1].id : state.lastId;
			const finished = rows.length < chunkSize;
			await options.onChunkRead?.(rows.map((r) => r.id));
			let chunkMatches = 0;
			await withRetry(db, () =>
				db.transaction().execute(async (trx) => {
					const current = await repo.getRuleVersionLocked(trx, job.topic_id);
					if (!current || current.rule_version !== job.rule_version) throw new JobStopped();
					chunkMatches = 0; // a retried transaction counts afresh
					const now = clock().toISOString();
					const links: { articleId: number; topicId: number }[] = [];
					if (rows.length) {
						// Articles an import changed, added (PostgreSQL commits ids out of order) or deleted since
						// they were read: what is in the range now is what gets links, by its text now.
						const present = await repo.articleVersionsInRange(trx, firstId, lastId);
						const changed = present.filter((r) => read.get(r.id) !== `${r.updated_at}|${r.content_hash}`).map((r) => r.id);
						const rematched = new Set<number>();
						if (ast && changed.length) {
							for (const a of await repo.articleFullTexts(trx, changed)) {
								if (matchesQuery(ast, prepareDocument({ title: a.title ?? '', body: a.body ?? '' }))) rematched.add(a.id);
							}
						}
						const changedSet = new Set(changed);
						const rejected = await repo.rejectedInRange(trx, job.topic_id, firstId, lastId);
						for (const r of present) {
							const isMatch = changedSet.has(r.id) ? rematched.has(r.id) : matched.has(r.id);
							if (!isMatch) continue;
							chunkMatches++;
							if (!rejected.has(r.id)) links.push({ articleId: r.id, topicId: job.topic_id });
						}
					}
					const advanced = await repo.advanceJob(trx, jobId, owner, {
						lastArticleId: lastId,
						processed: state.processed + rows.length,
						matched: state.matched + chunkMatches,
						total: Math.max(state.total, state.processed + rows.length),
						leaseUntil: new Date(clock().getTime() + JOB_LEASE_MS).toISOString()
					});
					if (!advanced) throw new JobStopped();
					if (rows.length) {
						await repo.deleteRuleLinksInRange(trx, job.topic_id, firstId, lastId);
						await repo.insertRuleLinks(trx, links, now);
					}
					if (finished) {
						await repo.setAppliedVersion(trx, job.topic_id, job.rule_version);
						await repo.setRuleError(trx, job.topic_id, job.rule_version, null);
						await repo.finishJob(trx, jobId, owner, 'done', null, clock().toISOString());
					}
				})
			);
			budget.chunks--;
			state.lastId = lastId;
			state.processed += rows.length;
			state.matched += chunkMatches;
			state.total = Math.max(state.total, state.processed);
			await options.onChunk?.({ jobId, topicId: state.topicId, processed: state.processed, total: state.total, matched: state.matched });
			if (finished) return outcome('done');
		}
	} catch (e) {
		if (e instanceof JobStopped) {
			// Normally the edit that changed the rule cancelled the job already; this covers the rest.
			await repo.finishJob(db, jobId, owner, 'cancelled', 'superseded: the rule was changed', clock().toISOString());
			const row = await repo.getJob(db, jobId);
			return outcome('cancelled', row?.error ?? 'the job was cancelled or taken over by another runner');
		}
		const message = e instanceof Error ? e.message : String(e);
		await repo.finishJob(db, jobId, owner, 'failed', message, clock().toISOString()).catch(() => false);
		return outcome('failed', message);
	}
}

function yieldToEventLoop(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}

/** Retries a transaction PostgreSQL aborted to break a deadlock or a serialisation conflict. */
async function withRetry<T>(db: Db, work: () => Promise<T>, attempts = 3): Promise<T> {
	for (let i = 1; ; i++) {
		try {
			return await work();
		} catch (e) {
			const code = (e as { code?: string }).code;
			if (i >= attempts || !repo.isPostgres(db) || (code !== '40P01' && code !== '40001')) throw e;
		}
	}
}

/**
 * Runs topic jobs every `seconds` inside the app process, and keeps learned suggestions current
 * every `suggestEverySeconds` (refreshSuggestions); returns a function that stops it. Several
 * processes sharing a database may all run it: jobs are leased (two processes may both retrain
 * after the same verdicts, which costs time but stores the same model).
 */
export function startTopicJobRunner(database: { db: Kysely<DB> }, seconds = 5, suggestEverySeconds = 60): () => void {
	let running = false;
	let lastSuggest = 0;
	const cursor: SuggestionCursor = { lastArticleId: null };
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			for (const o of await runTopicJobs(database)) {
				if (o.status === 'failed') console.warn(`tegami: applying the rule of topic ${o.topicId} failed: ${o.error}`);
			}
			if (Date.now() - lastSuggest >= suggestEverySeconds * 1000) {
				lastSuggest = Date.now();
				await refreshSuggestions(database, cursor);
			}
		} catch (e) {
			console.error('tegami: topic jobs failed:', e);
		} finally {
			running = false;
		}
	};
	const timer = setInterval(tick, seconds * 1000);
	timer.unref();
	void tick();
	return () => clearInterval(timer);
}

/** Where the background suggester has got to: articles up to this id have been offered to the model. */
export interface SuggestionCursor {
	lastArticleId: number | null;
	/** The verdict time last retrained for, so that a model that cannot be trained is not retried every tick. */
	triedVerdictAt?: string | null;
}

/**
 * Keeps learned suggestions current without anyone pressing "retrain": retrains when people gave
 * verdicts since the model was trained (each accept or reject is learned from), and otherwise
 * suggests topics for articles imported since the last look, a chunk at a time.
 */
export async function refreshSuggestions(database: { db: Kysely<DB> }, cursor: SuggestionCursor, options: { chunk?: number } = {}): Promise<{ retrained: boolean; suggested: number }> {
	const db = database.db;
	const [model, verdictAt] = await Promise.all([repo.getLatestModel(db), repo.newestVerdictAt(db)]);
	if (verdictAt && verdictAt !== cursor.triedVerdictAt && (!model || !model.feedback_at || verdictAt > model.feedback_at)) {
		cursor.triedVerdictAt = verdictAt;
		const result = await retrainSuggestions(database);
		// Retraining suggested for the newest articles; new ones from here on.
		cursor.lastArticleId = await repo.maxArticleId(db);
		return { retrained: result.trained, suggested: result.suggestionsWritten };
	}
	if (!model) return { retrained: false, suggested: 0 };
	// A new process starts from now: retraining covered the newest articles when it ran.
	if (cursor.lastArticleId === null) {
		cursor.lastArticleId = await repo.maxArticleId(db);
		return { retrained: false, suggested: 0 };
	}
	const ids = await repo.articleIdsAfter(db, cursor.lastArticleId, options.chunk ?? 2000);
	if (!ids.length) return { retrained: false, suggested: 0 };
	const suggested = await suggestForArticles(db, ids);
	cursor.lastArticleId = ids[ids.length - 1];
	return { retrained: false, suggested };
}

/** A topic's latest re-application job, for its progress bar, or undefined when it never had one. */
export function getTopicJobProgress(db: Db, topicId: number) {
	return repo.getLatestJob(db, topicId);
}

// ---------------------------------------------------------------------------------------------
// Manual tagging and verdicts

async function requireArticleAndTopic(db: Db, articleId: number, topicId: number) {
	const [article, topic] = await Promise.all([repo.articleExists(db, articleId), repo.getTopicById(db, topicId)]);
	const issues: Issues = {};
	if (!article) issues.articleId = 'error_not_found';
	if (!topic) issues.topicId = 'error_not_found';
	if (Object.keys(issues).length) throw new InputError(issues);
	return { article: article!, topic: topic! };
}

/** Tags an article with a topic by hand; it stays whatever the rule says, and a past rejection is lifted. */
export async function tagArticle(db: Kysely<DB>, userId: number | null, articleId: number, topicId: number): Promise<void> {
	await db.transaction().execute(async (trx) => {
		await requireArticleAndTopic(trx, articleId, topicId);
		const now = new Date().toISOString();
		await repo.upsertPersonLink(trx, { articleId, topicId, source: 'manual', confidence: null, userId, now });
		await repo.deleteFeedback(trx, articleId, topicId, 'rejected');
		await repo.deleteSuggestion(trx, articleId, topicId);
	});
}

/**
 * Removes a topic from an article. When the topic's rule made the link, or would make it again, a
 * rejection is recorded so that re-applying the rule does not bring it back. Returns whether a link was removed.
 */
export async function untagArticle(db: Kysely<DB>, userId: number | null, articleId: number, topicId: number): Promise<boolean> {
	return db.transaction().execute(async (trx) => {
		const { article, topic } = await requireArticleAndTopic(trx, articleId, topicId);
		const link = await repo.getLink(trx, articleId, topicId);
		const removed = await repo.deleteLink(trx, articleId, topicId);
		await repo.deleteFeedback(trx, articleId, topicId, 'confirmed');
		await repo.deleteSuggestion(trx, articleId, topicId);
		let ruleWouldAdd = false;
		if (link?.source !== 'rule' && topic.rule) {
			const parsed = parseQuery(topic.rule, { maxLength: TOPIC_RULE_MAX_LENGTH });
			ruleWouldAdd = parsed.ok && matchesQuery(parsed.ast, { title: article.title, body: article.body ?? '' });
		}
		if (link?.source === 'rule' || ruleWouldAdd) {
			await repo.upsertFeedback(trx, { articleId, topicId, verdict: 'rejected', userId, now: new Date().toISOString() });
		}
		return removed;
	});
}

/**
 * A person confirms that an article is about a topic (accepting a suggestion is confirming it): the
 * verdict teaches the classifier, and the article is tagged ('suggestion' when it was suggested).
 */
export async function confirmTopic(db: Kysely<DB>, userId: number | null, articleId: number, topicId: number): Promise<void> {
	await db.transaction().execute(async (trx) => {
		await requireArticleAndTopic(trx, articleId, topicId);
		const now = new Date().toISOString();
		const suggestion = await repo.getSuggestion(trx, articleId, topicId);
		await repo.upsertFeedback(trx, { articleId, topicId, verdict: 'confirmed', userId, now });
		await repo.upsertPersonLink(trx, {
			articleId,
			topicId,
			source: suggestion ? 'suggestion' : 'manual',
			confidence: suggestion?.confidence ?? null,
			userId,
			now
		});
		await repo.deleteSuggestion(trx, articleId, topicId);
	});
}

/**
 * A person says an article is not about a topic (rejecting a suggestion is this): the verdict
 * teaches the classifier, the link and the suggestion go, and the rule will not add it again.
 */
export async function rejectTopic(db: Kysely<DB>, userId: number | null, articleId: number, topicId: number): Promise<void> {
	await db.transaction().execute(async (trx) => {
		await requireArticleAndTopic(trx, articleId, topicId);
		await repo.upsertFeedback(trx, { articleId, topicId, verdict: 'rejected', userId, now: new Date().toISOString() });
		await repo.deleteLink(trx, articleId, topicId);
		await repo.deleteSuggestion(trx, articleId, topicId);
	});
}

// ---------------------------------------------------------------------------------------------
// Learned suggestions

export interface RetrainOptions {
	/** Background articles (held by no topic) added as assumed negatives; default 4 per example, 400–4,000. */
	backgroundSize?: number;
	/** Most recent positive examples used per topic (keeps training time bounded). */
	maxPerTopic?: number;
	/** After training, suggest for this many of the newest articles (default 1,000; 0 for none). */
	suggestRecent?: number;
	/** Seed for the background sample, the folds and the training order. */
	seed?: number;
	train?: TrainOptionsInput;
}

export interface RetrainResult {
	trained: boolean;
	/** Why no model was trained, in plain English. */
	reason: string | null;
	topics: number;
	/** Articles with a confirmation or rejection. */
	examples: number;
	background: number;
	suggestionsWritten: number;
}

/**
 * Training options for suggestions. Stronger regularisation than the classifier's default (tuned
 * for picking one of several labels) generalises better from a few dozen examples to unseen
 * articles; measured on livedoor and BBC (see the report of this change).
 */
const SUGGESTION_TRAIN_OPTIONS: TrainOptionsInput = { l2: 3e-4 };
/** Folds for estimating how the model scores confirmed articles it has not seen. */
const CALIBRATION_FOLDS = 5;

const SUGGESTER_FORMAT = 'tegami-topic-suggester';

/** What topic_models.model holds: the classifier and, per topic, the scale that turns its probability into a confidence. */
interface StoredSuggester {
	format: typeof SUGGESTER_FORMAT;
	version: 1;
	model: SerializedTopicModel;
	/** Topic id → the mean probability the model gives a confirmed article it was not trained on. */
	scale: Record<string, number>;
}

/** A trained suggester: the model and its per-topic confidence scale. */
export interface TopicSuggester {
	model: TopicModel;
	scale: Record<string, number>;
}

/**
 * Trains one suggestion model on every confirmed example (confirmations and person-made links),
 * every rejection, and a sample of articles no topic holds as background, and stores it in place
 * of the previous one. Topics are the model's labels by id, so renaming a topic keeps its model.
 *
 * Confidence. The background is unlabelled, not negative: it holds articles about the topics that
 * nobody has confirmed yet, so the model learns to score unseen on-topic articles well below the
 * confirmed ones (on livedoor, a held-out sports article gets ~0.45 while every other article gets
 * under 0.1). Following Elkan & Noto (2008, learning from positive and unlabelled data), the
 * probability is divided by the mean probability the model gives confirmed articles it did not
 * train on, estimated by 5-fold cross-validation; a confidence of 1 means "as sure as about a
 * typical confirmed article".
 */
export async function retrainSuggestions(database: { db: Kysely<DB> }, options: RetrainOptions = {}): Promise<RetrainResult> {
	const db = database.db;
	const seed = options.seed ?? 1;
	const maxPerTopic = options.maxPerTopic ?? 2000;
	const [positives, rejections] = await Promise.all([repo.listPositiveExamples(db), repo.listRejections(db)]);
	const byArticle = new Map<number, { topics: Set<string>; rejected: Set<string> }>();
	const entry = (id: number) => {
		let e = byArticle.get(id);
		if (!e) byArticle.set(id, (e = { topics: new Set(), rejected: new Set() }));
		return e;
	};
	const perTopic = new Map<number, number>();
	let newest: string | null = null;
	for (const p of positives) {
		if (!newest || p.created_at > newest) newest = p.created_at;
		if (byArticle.get(p.article_id)?.topics.has(String(p.topic_id))) continue;
		const n = perTopic.get(p.topic_id) ?? 0;
		if (n >= maxPerTopic) continue;
		perTopic.set(p.topic_id, n + 1);
		entry(p.article_id).topics.add(String(p.topic_id));
	}
	for (const r of rejections) {
		if (!newest || r.created_at > newest) newest = r.created_at;
		const e = entry(r.article_id);
		if (!e.topics.has(String(r.topic_id))) e.rejected.add(String(r.topic_id));
	}
	const empty: RetrainResult = { trained: false, reason: null, topics: 0, examples: byArticle.size, background: 0, suggestionsWritten: 0 };
	if (perTopic.size === 0) return { ...empty, reason: 'no article is confirmed for any topic yet' };

	const backgroundSize = options.backgroundSize ?? Math.min(4000, Math.max(400, 4 * byArticle.size));
	const background = await sampleBackground(db, backgroundSize, new Set(byArticle.keys()), seed);
	const features = DEFAULT_FEATURE_OPTIONS;
	// In id order: the training order, and so the model, must not depend on the order rows come back in.
	const texts = (await repo.articleTexts(db, [...byArticle.keys(), ...background], features.maxBodyChars)).sort((a, b) => a.id - b.id);
	const examples: TopicExample[] = [];
	for (let i = 0; i < texts.length; i++) {
		if (i > 0 && i % 50 === 0) await yieldToEventLoop();
		const t = texts[i];
		const e = byArticle.get(t.id);
		examples.push({
			features: extractFeatures({ title: t.title, body: t.body }, features),
			topics: e ? [...e.topics] : [],
			rejected: e ? [...e.rejected] : []
		});
	}
	const trainOptions: TrainOptionsInput = { ...SUGGESTION_TRAIN_OPTIONS, seed, ...options.train };
	let model: TopicModel;
	try {
		model = trainTopicModel(examples, trainOptions);
	} catch (e) {
		if (e instanceof TopicModelError) return { ...empty, reason: e.message };
		throw e;
	}
	const scale = await estimateScale(examples, trainOptions, seed);
	const stored: StoredSuggester = { format: SUGGESTER_FORMAT, version: 1, model: model.toJSON(), scale };
	await db.transaction().execute((trx) =>
		repo.storeModel(trx, {
			model: JSON.stringify(stored),
			topics: model.topics.length,
			examples: byArticle.size,
			feedback_at: newest,
			trained_at: new Date().toISOString()
		})
	);
	let suggestionsWritten = 0;
	const recent = options.suggestRecent ?? 1000;
	if (recent > 0) {
		const ids = await db.selectFrom('articles').select('id').orderBy('id', 'desc').limit(recent).execute();
		suggestionsWritten = await suggestForArticles(db, ids.map((r) => r.id));
	}
	return {
		trained: true,
		reason: null,
		topics: model.topics.length,
		examples: byArticle.size,
		background: background.length,
		suggestionsWritten
	};
}

/**
 * Per topic, the mean probability that models trained without an article give it when it is
 * confirmed for the topic (k-fold), shrunk towards 0.6 when a topic has few examples and kept
 * within 0.3–1 so that one odd fold cannot make every article look certain.
 */
async function estimateScale(examples: readonly TopicExample[], options: TrainOptionsInput, seed: number): Promise<Record<string, number>> {
	const order = examples.map((_, i) => i);
	const rand = mulberry32(seed + 1);
	for (let i = order.length - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[order[i], order[j]] = [order[j], order[i]];
	}
	const fold = new Int32Array(examples.length);
	order.forEach((exampleIndex, k) => (fold[exampleIndex] = k % CALIBRATION_FOLDS));
	const sums = new Map<string, { sum: number; n: number }>();
	for (let k = 0; k < CALIBRATION_FOLDS; k++) {
		await yieldToEventLoop();
		const held = examples.filter((e, i) => fold[i] === k && e.topics.length > 0);
		if (held.length === 0) continue;
		let foldModel: TopicModel;
		try {
			foldModel = trainTopicModel(
				examples.filter((_, i) => fold[i] !== k),
				options
			);
		} catch (e) {
			if (e instanceof TopicModelError) continue; // this fold held every confirmed example
			throw e;
		}
		for (const e of held) {
			const scores = foldModel.predict(e.features);
			for (const topic of e.topics) {
				const s = scores.find((x) => x.topic === topic);
				if (!s) continue; // the topic's only examples were held out
				const acc = sums.get(topic) ?? { sum: 0, n: 0 };
				acc.sum += s.probability;
				acc.n += 1;
				sums.set(topic, acc);
			}
		}
	}
	const prior = 0.6;
	const weight = 3;
	const scale: Record<string, number> = {};
	for (const [topic, { sum, n }] of sums) scale[topic] = Math.min(1, Math.max(0.3, (sum + prior * weight) / (n + weight)));
	return scale;
}

/** Draws up to n article ids held by no topic and not among the examples, by seeded random ids in the id range. */
async function sampleBackground(db: Db, n: number, exclude: Set<number>, seed: number): Promise<number[]> {
	if (n <= 0) return [];
	const range = await repo.articleIdRange(db);
	if (range.min == null || range.max == null) return [];
	const min = Number(range.min);
	const max = Number(range.max);
	const rand = mulberry32(seed);
	const chosen = new Set<number>();
	// Ids are nearly dense, so a few rounds of random draws fill the sample without scanning the table.
	for (let round = 0; round < 6 && chosen.size < n; round++) {
		const want = new Set<number>();
		const draws = Math.min((n - chosen.size) * 2 + 20, max - min + 1);
		for (let i = 0; i < draws * 3 && want.size < draws; i++) {
			const id = min + Math.floor(rand() * (max - min + 1));
			if (!exclude.has(id) && !chosen.has(id)) want.add(id);
		}
		if (want.size === 0) break;
		// Taken in draw order, not in the order rows come back, so the same seed gives the same sample.
		const usable = new Set(await repo.untaggedArticleIds(db, [...want]));
		for (const id of want) {
			if (chosen.size < n && usable.has(id)) chosen.add(id);
		}
	}
	return [...chosen].sort((a, b) => a - b);
}

/** Loads the stored suggester, or null when none has been trained; throws TopicModelError when it is unreadable. */
export async function loadTopicSuggester(db: Db): Promise<TopicSuggester | null> {
	const row = await repo.getLatestModel(db);
	if (!row) return null;
	let stored: Partial<StoredSuggester>;
	try {
		stored = JSON.parse(row.model) as Partial<StoredSuggester>;
	} catch (e) {
		throw new TopicModelError(`the stored topic model is not JSON (${(e as Error).message})`);
	}
	if (stored?.format !== SUGGESTER_FORMAT) throw new TopicModelError('the stored value is not a topic suggester');
	return { model: TopicModel.fromJSON(stored.model), scale: stored.scale ?? {} };
}

/** Scores one article with a suggester: each topic with its confidence (0–1), most confident first. */
export function scoreArticle(suggester: TopicSuggester, text: { title: string; body: string | null }): { topic: string; confidence: number }[] {
	return suggester.model
		.predict(extractFeatures(text, suggester.model.features))
		.map((s) => ({ topic: s.topic, confidence: Math.min(1, s.probability / (suggester.scale[s.topic] ?? 1)) }))
		.sort((a, b) => b.confidence - a.confidence);
}

/**
 * Suggests topics for the given articles with the stored suggester: each topic whose confidence is
 * at least the threshold (0.6), unless the article already holds the topic or a person gave a
 * verdict on it. Replaces the articles' earlier suggestions. Returns how many were written.
 */
export async function suggestForArticles(
	db: Kysely<DB>,
	articleIds: readonly number[],
	options: { threshold?: number } = {}
): Promise<number> {
	if (articleIds.length === 0) return 0;
	const threshold = options.threshold ?? SUGGESTION_THRESHOLD;
	const suggester = await loadTopicSuggester(db);
	if (!suggester) return 0;
	const modelTopics = suggester.model.topics.map((t) => Number(t.topic)).filter((n) => Number.isInteger(n));
	const live = await repo.existingTopicIds(db, modelTopics);
	let written = 0;
	for (const ids of repo.chunks([...new Set(articleIds)], 500)) {
		const texts = await repo.articleTexts(db, ids, suggester.model.features.maxBodyChars);
		const decided = await repo.decidedPairs(db, ids);
		const rows: { articleId: number; topicId: number; confidence: number }[] = [];
		for (let i = 0; i < texts.length; i++) {
			if (i > 0 && i % 50 === 0) await yieldToEventLoop();
			const t = texts[i];
			for (const s of scoreArticle(suggester, t)) {
				if (s.confidence < threshold) break;
				const topicId = Number(s.topic);
				if (!live.has(topicId) || decided.has(`${t.id}:${topicId}`)) continue;
				rows.push({ articleId: t.id, topicId, confidence: s.confidence });
			}
		}
		await db.transaction().execute((trx) => repo.replaceSuggestions(trx, ids, rows, new Date().toISOString()));
		written += rows.length;
	}
	return written;
}

/** A topic's open suggestions for its page, most confident first. */
export function listSuggestions(db: Db, topicId: number, options: { limit?: number } = {}) {
	return repo.listSuggestionRows(db, topicId, Math.min(Math.max(options.limit ?? 50, 1), 500));
}

// ---------------------------------------------------------------------------------------------
// Topic page

/**
 * What the topic page shows: the topic, its article counts by source, articles per month (for the
 * chart), top reporters and top outlets, recent articles with their reporters, open suggestions and
 * the progress of a re-application. A fixed number of queries whatever the topic's size.
 */
export async function getTopicOverview(db: Db, topicId: number, options: { recent?: number; top?: number } = {}) {
	const topic = await repo.getTopicById(db, topicId);
	if (!topic) return undefined;
	const top = Math.min(Math.max(options.top ?? 10, 1), 100);
	const [bySource, months, reporters, outlets, recent, suggestions, job] = await Promise.all([
		repo.countLinksBySource(db, topicId),
		repo.countByMonth(db, topicId),
		repo.topReporters(db, topicId, top),
		repo.topOutlets(db, topicId, top),
		repo.recentTopicArticles(db, topicId, Math.min(Math.max(options.recent ?? 20, 1), 200)),
		repo.countSuggestions(db, topicId),
		repo.getLatestJob(db, topicId)
	]);
	const byline = await repo.reportersOfArticles(
		db,
		recent.map((a) => a.id)
	);
	const reportersByArticle = new Map<number, { id: number; name: string }[]>();
	for (const r of byline) {
		const list = reportersByArticle.get(r.article_id) ?? [];
		list.push({ id: r.id, name: r.display_name });
		reportersByArticle.set(r.article_id, list);
	}
	const counts = { total: 0, rule: 0, manual: 0, suggestion: 0 };
	for (const r of bySource) {
		counts[r.source] = Number(r.n);
		counts.total += Number(r.n);
	}
	return {
		topic,
		counts,
		months: months.map((m) => ({ month: m.month, count: Number(m.n) })),
		topReporters: reporters.map((r) => ({ id: r.id, name: r.display_name, outlet: r.outlet_name, count: Number(r.n), latest: r.latest as string | null })),
		topOutlets: outlets.map((o) => ({ id: o.id, name: o.name, count: Number(o.n), latest: o.latest as string | null })),
		recent: recent.map((a) => ({ ...a, reporters: reportersByArticle.get(a.id) ?? [] })),
		suggestions,
		job: job ?? null,
		reapplying: topic.applied_version < topic.rule_version
	};
}

/**
 * Topics on both databases with real articles from ../shared/data/corpora: rules and their bad
 * inputs, the import hook, background re-application (edits during a run, a crashed runner, a rule
 * that matches nearly everything), manual tags and verdicts, learned suggestions on livedoor, the
 * topic page, and "good moment" alerts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialects, type TestDatabase } from './databases';
import { importArticles } from '../../src/lib/server/articles/import.service';
import { parseSource } from '../../src/lib/server/articles/sources';
import { createUser } from '../../src/lib/server/users/users.service';
import { InputError } from '../../src/lib/schemas/validation';
import { mulberry32 } from '../../src/lib/server/topics/classifier';
import {
	applyTopicRules,
	confirmTopic,
	createTopic,
	deleteTopic,
	getTopic,
	getTopicJobProgress,
	getTopicOverview,
	listSuggestions,
	listTopics,
	rejectTopic,
	refreshSuggestions,
	retrainSuggestions,
	runTopicJobs,
	suggestForArticles,
	tagArticle,
	TopicRuleError,
	untagArticle,
	updateTopic,
	type ArticleText,
	type TopicInput,
	type TopicJobProgress
} from '../../src/lib/server/topics/topics.service';
import {
	createAlertsFor,
	listAlerts,
	markAlertSeen,
	unwatchTopic,
	watchReporter,
	watchTopic
} from '../../src/lib/server/topics/alerts.service';

const DATA = join(__dirname, '../../../shared/data');
const haveData = existsSync(join(DATA, 'corpora/livedoor.jsonl'));
const reasonSkipped = haveData ? '' : ' (skipped: ../shared/data/corpora is missing)';

type CorpusRecord = {
	id: string;
	title: string;
	body: string;
	published_at: string | null;
	lang: string;
	outlet: string;
	byline: string | null;
	url: string | null;
	topics: string[];
};

function readCorpus(name: string): CorpusRecord[] {
	return readFileSync(join(DATA, 'corpora', name), 'utf8')
		.split('\n')
		.filter((l) => l.trim())
		.map((l) => JSON.parse(l) as CorpusRecord);
}

/** The first n records of each label, in file order. */
function perLabel(records: CorpusRecord[], n: number): Map<string, CorpusRecord[]> {
	const out = new Map<string, CorpusRecord[]>();
	for (const r of records) {
		const label = r.topics[0];
		const list = out.get(label) ?? [];
		if (list.length < n) list.push(r);
		out.set(label, list);
	}
	return out;
}

const norm = (s: string | null) => (s ?? '').normalize('NFKC').toLowerCase();
const input = (name: string, rule: string | null): TopicInput => ({ name, nameReading: null, description: null, rule });

// Loaded once for both databases (only when the data is there).
const livedoor = haveData ? perLabel(readCorpus('livedoor.jsonl'), Infinity) : new Map<string, CorpusRecord[]>();
const bbc = haveData ? perLabel(readCorpus('bbc.jsonl'), 60) : new Map<string, CorpusRecord[]>();
const reuters = haveData ? readCorpus('reuters21578.jsonl').filter((r) => r.byline === 'By Rich Miller, Reuters') : [];

describe.each(dialects)('topics on %s' + reasonSkipped, (kind) => {
	let database: TestDatabase;
	let agentA: number;
	let agentB: number;
	/** Every imported article by corpus id. */
	const byCorpusId = new Map<string, ArticleText & { corpus: CorpusRecord }>();
	let allArticles: (ArticleText & { corpus: CorpusRecord })[] = [];

	async function importRecords(records: CorpusRecord[], label: string) {
		const bytes = new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join('\n'));
		const source = parseSource(bytes, { name: `${label}.jsonl` });
		const report = await importArticles(database.db, source.parsed, { kind: source.kind, label, userId: agentA });
		expect(report.skipped).toEqual([]);
		const rows = await database.db
			.selectFrom('articles')
			.select(['id', 'title', 'body', 'url', 'dedupe_key'])
			.where('import_run_id', '=', report.runId!)
			.orderBy('id')
			.execute();
		return rows;
	}

	const ids = async (topicId: number) =>
		new Set(
			(await database.db.selectFrom('article_topics').select('article_id').where('topic_id', '=', topicId).execute()).map((r) => r.article_id)
		);
	const expectedIds = (pred: (a: ArticleText) => boolean) => new Set(allArticles.filter(pred).map((a) => a.id));
	const has = (term: string) => (a: ArticleText) => norm(a.title).includes(term) || norm(a.body).includes(term);

	beforeAll(async () => {
		database = await createTestDatabase(kind);
		const user = (email: string) =>
			createUser(database.db, null, { email, displayName: email, role: 'agent', clientId: null, password: 'a long password' });
		agentA = await user('a@x.test');
		agentB = await user('b@x.test');
		if (!haveData) return;
		const records = [...[...livedoor.values()].flat(), ...[...bbc.values()].flat()];
		// Titles are unique enough in these subsets to find each record's article again.
		const t0 = performance.now();
		const rows = await importRecords(records, 'corpora');
		console.log(`[topics/${kind}] imported ${rows.length} articles in ${Math.round(performance.now() - t0)} ms (no topic hooks)`);
		const byTitle = new Map(records.map((r) => [r.title.replace(/\s+/g, ' ').trim(), r]));
		for (const row of rows) {
			const corpus = byTitle.get(row.title);
			if (!corpus) continue;
			const a = { id: row.id, title: row.title, body: row.body, corpus };
			byCorpusId.set(corpus.id, a);
			allArticles.push(a);
		}
		allArticles = allArticles.sort((a, b) => a.id - b.id);
		expect(allArticles.length).toBeGreaterThan(1400);
	});
	afterAll(() => database?.close());

	it('creates, renames and deletes topics; names are required and unique', async () => {
		const db = database.db;
		const id = await createTopic(db, agentA, input('Economy', 'econom*'));
		expect((await getTopic(db, id))?.rule).toBe('econom*');
		await expect(createTopic(db, agentA, input(' economy ', null))).rejects.toMatchObject({ issues: { name: 'error_topic_name_taken' } });
		await expect(createTopic(db, agentA, input('  ', null))).rejects.toMatchObject({ issues: { name: 'error_required' } });
		await expect(createTopic(db, agentA, input('x'.repeat(201), null))).rejects.toMatchObject({ issues: { name: 'error_too_long' } });
		const other = await createTopic(db, agentA, input('Markets', null));
		await expect(updateTopic(db, other, input('ECONOMY', null))).rejects.toMatchObject({ issues: { name: 'error_topic_name_taken' } });
		expect(await updateTopic(db, id, input('The economy', 'econom*'))).toEqual({ ruleChanged: false });
		expect((await getTopic(db, id))?.name).toBe('The economy');
		// A topic without a rule is complete at once; one with a rule waits for its job.
		const listed = await listTopics(db);
		expect(listed.find((t) => t.id === other)).toMatchObject({ reapplying: false, article_count: 0 });
		expect(listed.find((t) => t.id === id)).toMatchObject({ reapplying: true });
		expect(await deleteTopic(db, id)).toBe(true);
		expect(await deleteTopic(db, id)).toBe(false);
		await deleteTopic(db, other);
		expect(await listTopics(db)).toEqual([]);
	});

	it('refuses bad rules with the query error code and accepts a one-character term', async () => {
		const db = database.db;
		const bad: [string, string][] = [
			['"広報 部', 'unbalanced_quote'],
			['(election OR vote', 'unbalanced_paren'],
			['election)', 'unbalanced_paren'],
			['NOT 求人', 'only_negative'],
			['-sport -film', 'only_negative'],
			['映画 OR NOT 俳優', 'only_negative'],
			['election AND', 'dangling_operator'],
			['e'.repeat(10_000), 'too_long'],
			[('economy OR ').repeat(1000) + 'economy', 'too_long']
		];
		for (const [rule, code] of bad) {
			const err = await createTopic(db, agentA, input(`bad ${code} ${rule.length}`, rule)).catch((e) => e);
			expect(err, rule.slice(0, 40)).toBeInstanceOf(TopicRuleError);
			expect(err).toBeInstanceOf(InputError);
			expect((err as TopicRuleError).issues).toEqual({ rule: code });
			expect((err as TopicRuleError).queryError.message.length).toBeGreaterThan(10);
		}
		// Other field errors come with the rule's.
		await expect(createTopic(db, agentA, input('', '"x'))).rejects.toMatchObject({ issues: { name: 'error_required', rule: 'unbalanced_quote' } });
		expect(await listTopics(db)).toEqual([]);
		const cat = await createTopic(db, agentA, input('Cats', '猫'));
		expect((await getTopic(db, cat))?.rule).toBe('猫');
		await deleteTopic(db, cat);
	});

	describe.skipIf(!haveData)('rules on real articles', () => {
		it('applies rules to an imported batch: Japanese two-character and one-character terms, English word forms, NOT', async () => {
			const db = database.db;
			const film = await createTopic(db, agentA, input('映画', '映画'));
			const cat = await createTopic(db, agentA, input('猫', '猫'));
			const rise = await createTopic(db, agentA, input('Rising', 'rising'));
			const filmNoActor = await createTopic(db, agentA, input('映画（俳優以外）', '映画 NOT 俳優'));
			const phrase = await createTopic(db, agentA, input('Interest rates', '"interest rates" OR 金利'));
			// The import's hook, as storeBatch will call it, batch by batch of 500.
			for (let i = 0; i < allArticles.length; i += 500) {
				await db.transaction().execute((trx) => applyTopicRules(trx, allArticles.slice(i, i + 500)));
			}
			expect(await ids(film)).toEqual(expectedIds(has('映画')));
			expect((await ids(film)).size).toBeGreaterThan(100);
			expect(await ids(cat)).toEqual(expectedIds(has('猫')));
			expect((await ids(cat)).size).toBeGreaterThan(5);
			// rising, rises and rise share the stem "rise"; "risen" and "rose" do not.
			const wordForm = /\b(rise|rises|rising)\b/;
			const expectedRise = expectedIds((a) => wordForm.test(norm(a.title)) || wordForm.test(norm(a.body)));
			expect(await ids(rise)).toEqual(expectedRise);
			expect([...expectedRise].some((id) => !/\brising\b/.test(norm(byId(id).body)) && !/\brising\b/.test(norm(byId(id).title)))).toBe(true);
			expect(await ids(filmNoActor)).toEqual(expectedIds((a) => has('映画')(a) && !has('俳優')(a)));
			expect((await ids(filmNoActor)).size).toBeLessThan((await ids(film)).size);
			// A phrase matches word forms in order ("interest rate", "interest rates"), across punctuation but not across words.
			const phraseIds = await ids(phrase);
			const plain = expectedIds((a) => /\binterest rates\b/.test(norm(a.title)) || /\binterest rates\b/.test(norm(a.body)) || has('金利')(a));
			expect(plain.size).toBeGreaterThan(5);
			expect([...plain].every((id) => phraseIds.has(id))).toBe(true);
			expect([...phraseIds].every((id) => /\binterest\W+rat/.test(norm(byId(id).title) + '\n' + norm(byId(id).body)) || has('金利')(byId(id)))).toBe(true);
			expect([...phraseIds].some((id) => !/\binterest\W+rates\b/.test(norm(byId(id).title) + '\n' + norm(byId(id).body)) && !has('金利')(byId(id)))).toBe(true);

			// An article updated at its source loses the rule links it no longer earns; a person's link stays.
			const target = [...(await ids(film))][0];
			await tagArticle(db, agentA, target, cat);
			const changed = { id: target, title: 'お知らせ', body: '本文が差し替えられました。' };
			await db.transaction().execute((trx) => applyTopicRules(trx, [changed]));
			const links = await db.selectFrom('article_topics').select(['topic_id', 'source']).where('article_id', '=', target).execute();
			expect(links).toEqual([{ topic_id: cat, source: 'manual' }]);
			await db.transaction().execute((trx) => applyTopicRules(trx, [byId(target)]));

			for (const t of [film, cat, rise, filmNoActor, phrase]) await deleteTopic(db, t);
		});

		it('costs little per import batch: 500 articles × 20 rules', async () => {
			const db = database.db;
			const rules = [
				'映画', 'スマホ OR スマートフォン', 'iPhone OR Android', '結婚 NOT 離婚', '"ワールドカップ"', 'サッカー OR 野球',
				'女性 AND 仕事', 'アプリ', 'ゲーム*', '猫', 'election*', '"interest rates"', 'oil AND price*', 'football OR soccer',
				'film NOT television', 'econom* OR growth', 'Microsoft OR Apple OR Google', 'music AND (album OR single)',
				'broadband OR internet', '"prime minister" OR 首相'
			];
			const topicIds: number[] = [];
			for (const [i, rule] of rules.entries()) topicIds.push(await createTopic(db, agentA, input(`bench ${i}`, rule)));
			// A real mix: the livedoor and BBC articles interleaved, 500 at a time.
			const ja = allArticles.filter((a) => a.corpus.lang === 'ja');
			const en = allArticles.filter((a) => a.corpus.lang === 'en');
			const batch = [...ja.slice(0, 250), ...en.slice(0, 250)];
			const times: number[] = [];
			for (let run = 0; run < 5; run++) {
				const t0 = performance.now();
				await db.transaction().execute((trx) => applyTopicRules(trx, batch));
				times.push(performance.now() - t0);
			}
			times.sort((a, b) => a - b);
			const chars = batch.reduce((n, a) => n + a.title.length + (a.body?.length ?? 0), 0);
			console.log(
				`[topics/${kind}] applyTopicRules: 500 articles (250 ja, 250 en, ${Math.round(chars / 500)} chars each on average) × 20 rules: ` +
					`median ${times[2].toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times[4].toFixed(1)} ms per batch`
			);
			const linked = await db.selectFrom('article_topics').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
			expect(Number(linked.n)).toBeGreaterThan(200);
			for (const t of topicIds) await deleteTopic(db, t);
		});

		it('re-applies an edited rule in the background: old links go, person-made links stay, progress is counted', async () => {
			const db = database.db;
			const topic = await createTopic(db, agentA, input('Mobile', 'スマホ'));
			let outcomes = await runTopicJobs(database, { chunkSize: 400 });
			expect(outcomes).toMatchObject([{ topicId: topic, status: 'done', processed: allArticles.length, total: allArticles.length }]);
			const phones = expectedIds(has('スマホ'));
			expect(await ids(topic)).toEqual(phones);
			expect(outcomes[0].matched).toBe(phones.size);
			expect(await getTopic(db, topic)).toMatchObject({ rule_version: 1, applied_version: 1 });

			// A person tags an article the rule never matched, and removes one the rule made.
			const unrelated = allArticles.find((a) => !has('スマホ')(a) && !has('アプリ')(a) && a.corpus.lang === 'ja')!;
			const removed = allArticles.find((a) => has('スマホ')(a) && has('アプリ')(a))!;
			await tagArticle(db, agentA, unrelated.id, topic);
			expect(await untagArticle(db, agentA, removed.id, topic)).toBe(true);
			expect(await db.selectFrom('topic_feedback').select('verdict').where('article_id', '=', removed.id).where('topic_id', '=', topic).executeTakeFirst()).toEqual({ verdict: 'rejected' });

			expect(await updateTopic(db, topic, input('Mobile', 'アプリ'))).toEqual({ ruleChanged: true });
			expect(await getTopic(db, topic)).toMatchObject({ rule_version: 2, applied_version: 1 });
			expect((await listTopics(db)).find((t) => t.id === topic)?.reapplying).toBe(true);
			const progress: TopicJobProgress[] = [];
			outcomes = await runTopicJobs(database, { chunkSize: 300, onChunk: (p) => void progress.push(p) });
			expect(outcomes).toHaveLength(1);
			expect(outcomes[0]).toMatchObject({ status: 'done', processed: allArticles.length, total: allArticles.length });
			expect(progress.length).toBe(Math.ceil(allArticles.length / 300));
			expect(progress.map((p) => p.processed)).toEqual([...progress.map((p) => p.processed)].sort((a, b) => a - b));
			expect(progress.every((p) => p.total === allArticles.length)).toBe(true);
			const apps = expectedIds(has('アプリ'));
			// The new rule's matches, minus the rejection, plus the manual tag; articles with only スマホ lost the link.
			const want = new Set([...apps].filter((id) => id !== removed.id));
			want.add(unrelated.id);
			expect(await ids(topic)).toEqual(want);
			expect(outcomes[0].matched).toBe(apps.size);
			expect(await getTopic(db, topic)).toMatchObject({ rule_version: 2, applied_version: 2 });
			expect(await getTopicJobProgress(db, topic)).toMatchObject({ status: 'done', processed: allArticles.length, matched: apps.size });
			await deleteTopic(db, topic);
		});

		it('ends with the latest rule when a rule is edited while its job runs', async () => {
			const db = database.db;
			const topic = await createTopic(db, agentA, input('Edited', '映画'));
			let edited = false;
			const outcomes = await runTopicJobs(database, {
				chunkSize: 250,
				onChunk: async (p) => {
					if (edited || p.processed < 500) return;
					edited = true;
					// Half the index has 映画 links; the rule changes under the running job.
					expect((await ids(topic)).size).toBeGreaterThan(0);
					await updateTopic(db, topic, input('Edited', 'サッカー'));
				}
			});
			expect(outcomes.map((o) => o.status)).toEqual(['cancelled', 'done']);
			expect(outcomes[0].error).toMatch(/superseded/);
			expect(outcomes[1]).toMatchObject({ processed: allArticles.length, total: allArticles.length });
			expect(await ids(topic)).toEqual(expectedIds(has('サッカー')));
			expect(await getTopic(db, topic)).toMatchObject({ rule_version: 2, applied_version: 2 });

			// Edited between a stopped runner's chunks: the stale job is never resumed.
			await updateTopic(db, topic, input('Edited', '野球'));
			const first = await runTopicJobs(database, { chunkSize: 250, maxChunks: 2, owner: 'runner-1' });
			expect(first).toMatchObject([{ status: 'paused', processed: 500 }]);
			await updateTopic(db, topic, input('Edited', 'ゴルフ'));
			const rest = await runTopicJobs(database, { chunkSize: 250, owner: 'runner-2' });
			expect(rest.map((o) => o.status)).toEqual(['done']);
			expect(await ids(topic)).toEqual(expectedIds(has('ゴルフ')));
			await deleteTopic(db, topic);
		});

		it('resumes a job whose runner stopped, once its lease has run out, without counting twice', async () => {
			const db = database.db;
			const topic = await createTopic(db, agentA, input('Resumed', 'ゲーム'));
			const first = await runTopicJobs(database, { chunkSize: 200, maxChunks: 3, owner: 'crashed' });
			expect(first).toMatchObject([{ status: 'paused', processed: 600 }]);
			// The lease is still held: another runner leaves the job alone.
			expect(await runTopicJobs(database, { owner: 'other' })).toEqual([]);
			const later = () => new Date(Date.now() + 10 * 60_000);
			const second = await runTopicJobs(database, { chunkSize: 200, owner: 'other', now: later });
			expect(second).toMatchObject([{ status: 'done', processed: allArticles.length, total: allArticles.length }]);
			expect(await ids(topic)).toEqual(expectedIds(has('ゲーム')));
			expect(second[0].matched).toBe(expectedIds(has('ゲーム')).size);
			await deleteTopic(db, topic);
		});

		it('completes a rule that matches nearly everything and reports its count', async () => {
			const db = database.db;
			const topic = await createTopic(db, agentA, input('Everything', 'the OR e'));
			const [outcome] = await runTopicJobs(database);
			const english = allArticles.filter((a) => a.corpus.lang === 'en');
			const word = /\b(the|e)\b/;
			const withThe = expectedIds((a) => word.test(norm(a.title)) || word.test(norm(a.body)));
			expect(outcome).toMatchObject({ status: 'done', matched: withThe.size, processed: allArticles.length });
			expect(withThe.size).toBeGreaterThan(0.95 * english.length);
			expect(await ids(topic)).toEqual(withThe);
			const overview = await getTopicOverview(db, topic);
			expect(overview?.counts).toMatchObject({ total: withThe.size, rule: withThe.size });
			expect(overview?.job).toMatchObject({ status: 'done', matched: withThe.size });
			await deleteTopic(db, topic);
		});

		it('keeps links right when import batches update articles while an edited rule is re-applied', async () => {
			const db = database.db;
			const topic = await createTopic(db, agentA, input('Baseball', '野球'));
			await runTopicJobs(database);
			await updateTopic(db, topic, input('Baseball', '野球 OR 甲子園'));
			// Every fifth Japanese article gets "甲子園" appended by an import batch, as storeBatch updates
			// an article changed at its source and applies the rules in the same transaction. Half the
			// batches land while the job holds those articles read but not yet written.
			const targets = allArticles.filter((a) => a.corpus.lang === 'ja').filter((_, i) => i % 5 === 0);
			const changed = new Set(targets.map((a) => a.id));
			const importBatch = async (batch: ArticleText[]) => {
				if (batch.length === 0) return;
				await db.transaction().execute(async (trx) => {
					const now = new Date().toISOString();
					for (const a of batch) {
						await trx.updateTable('articles').set({ body: a.body, content_hash: `changed-${a.id}`, updated_at: now }).where('id', '=', a.id).execute();
					}
					await applyTopicRules(trx, batch);
				});
			};
			const edited = (a: ArticleText) => ({ id: a.id, title: a.title, body: `${a.body}\n甲子園` });
			const duringJob = targets.filter((_, i) => i % 2 === 0).map(edited);
			const alongside = targets.filter((_, i) => i % 2 === 1).map(edited);
			let raced = 0;
			const importer = async () => {
				for (let i = 0; i < alongside.length; i += 100) await importBatch(alongside.slice(i, i + 100));
			};
			const job = runTopicJobs(database, {
				chunkSize: 200,
				onChunkRead: async (readIds) => {
					const inChunk = new Set(readIds);
					const batch = duringJob.filter((a) => inChunk.has(a.id));
					raced += batch.length;
					await importBatch(batch);
				}
			});
			const [, outcomes] = await Promise.all([importer(), job]);
			expect(raced).toBe(duringJob.length);
			expect(outcomes.map((o) => o.status)).toEqual(['done']);
			const want = expectedIds((a) => changed.has(a.id) || has('野球')(a) || has('甲子園')(a));
			expect(await ids(topic)).toEqual(want);
			// The articles as they were, for the tests that follow.
			for (const a of targets) {
				await db.updateTable('articles').set({ body: a.body }).where('id', '=', a.id).execute();
			}
			await deleteTopic(db, topic);
		});

		it('learns suggestions from confirmed livedoor articles; accepting and rejecting feed back', async () => {
			const db = database.db;
			const categories = ['sports-watch', 'it-life-hack', 'movie-enter'];
			const topicOf = new Map<string, number>();
			for (const c of categories) topicOf.set(c, await createTopic(db, agentA, input(c, null)));
			for (const c of categories) {
				for (const r of livedoor.get(c)!.slice(0, 30)) await confirmTopic(db, agentA, byCorpusId.get(r.id)!.id, topicOf.get(c)!);
			}
			const t0 = performance.now();
			const trained = await retrainSuggestions(database, { suggestRecent: 0 });
			const trainMs = performance.now() - t0;
			expect(trained).toMatchObject({ trained: true, topics: 3, examples: 90 });
			expect(trained.background).toBe(400);

			// 200 other articles from all nine categories; six of them have no topic at all.
			const rest = allArticles.filter((a) => a.corpus.lang === 'ja' && !livedoor.get(a.corpus.topics[0])!.slice(0, 30).includes(a.corpus));
			const rand = mulberry32(7);
			const pool = [...rest];
			for (let i = pool.length - 1; i > 0; i--) {
				const j = Math.floor(rand() * (i + 1));
				[pool[i], pool[j]] = [pool[j], pool[i]];
			}
			const others = pool.slice(0, 200);
			const t1 = performance.now();
			const written = await suggestForArticles(db, others.map((a) => a.id));
			const suggestMs = performance.now() - t1;
			const suggestions = new Map<number, Awaited<ReturnType<typeof listSuggestions>>>();
			for (const c of categories) suggestions.set(topicOf.get(c)!, await listSuggestions(db, topicOf.get(c)!, { limit: 500 }));
			const all = [...suggestions.entries()].flatMap(([topicId, rows]) => rows.map((r) => ({ topicId, ...r })));
			expect(all.length).toBe(written);
			const categoryOf = new Map(others.map((a) => [a.id, a.corpus.topics[0]]));
			const right = all.filter((s) => topicOf.get(categoryOf.get(s.article_id)!) === s.topicId).length;
			const inTopics = others.filter((a) => categories.includes(a.corpus.topics[0])).length;
			console.log(
				`[topics/${kind}] suggestions on 200 livedoor articles (${inTopics} in the 3 topics): ${written} written, ${right} right ` +
					`(precision ${(right / written).toFixed(2)}, recall ${(right / inTopics).toFixed(2)}); ` +
					`retraining on 90 examples + ${trained.background} background took ${Math.round(trainMs)} ms, suggesting for 200 took ${Math.round(suggestMs)} ms`
			);
			// Precision is what a person meets; recall is limited on purpose by the 0.6 threshold (a measured
			// trade-off: ≥ 0.9 precision on three livedoor category sets, with recall 0.3–0.6).
			expect(right / written).toBeGreaterThanOrEqual(0.85);
			expect(right / inTopics).toBeGreaterThanOrEqual(0.35);
			expect(all.every((s) => s.confidence >= 0.6 && s.confidence <= 1)).toBe(true);
			for (const rows of suggestions.values()) {
				expect(rows.map((r) => r.confidence)).toEqual([...rows.map((r) => r.confidence)].sort((a, b) => b - a));
			}

			// Accept a right suggestion and reject a wrong one (or the least confident one).
			const good = all.find((s) => topicOf.get(categoryOf.get(s.article_id)!) === s.topicId)!;
			const bad =
				all.find((s) => s.article_id !== good.article_id && topicOf.get(categoryOf.get(s.article_id)!) !== s.topicId) ??
				all.filter((s) => s.article_id !== good.article_id).at(-1)!;
			await confirmTopic(db, agentB, good.article_id, good.topicId);
			await rejectTopic(db, agentB, bad.article_id, bad.topicId);
			const link = await db
				.selectFrom('article_topics')
				.select(['source', 'confidence', 'created_by'])
				.where('article_id', '=', good.article_id)
				.where('topic_id', '=', good.topicId)
				.executeTakeFirstOrThrow();
			expect(link).toEqual({ source: 'suggestion', confidence: expect.closeTo(good.confidence, 5), created_by: agentB });
			const verdicts = await db.selectFrom('topic_feedback').select(['article_id', 'topic_id', 'verdict']).where('user_id', '=', agentB).execute();
			expect(verdicts).toEqual(
				expect.arrayContaining([
					{ article_id: good.article_id, topic_id: good.topicId, verdict: 'confirmed' },
					{ article_id: bad.article_id, topic_id: bad.topicId, verdict: 'rejected' }
				])
			);
			// Decided pairs are not suggested again, after retraining with the new verdicts.
			const again = await retrainSuggestions(database, { suggestRecent: 0 });
			expect(again.examples).toBe(92);
			await suggestForArticles(db, others.map((a) => a.id));
			const after = await db.selectFrom('topic_suggestions').select(['article_id', 'topic_id']).execute();
			expect(after).not.toContainEqual({ article_id: good.article_id, topic_id: good.topicId });
			expect(after).not.toContainEqual({ article_id: bad.article_id, topic_id: bad.topicId });

			// In the background (refreshSuggestions, run by the app every minute): a model that has learned
			// every verdict is left alone; a new verdict retrains it; articles past the cursor are offered to it.
			const cursor: { lastArticleId: number | null } = { lastArticleId: null };
			expect(await refreshSuggestions(database, cursor)).toEqual({ retrained: false, suggested: 0 });
			const newest = Math.max(...allArticles.map((a) => a.id));
			expect(cursor.lastArticleId).toBeGreaterThanOrEqual(newest);
			const next = all.find((s) => s.article_id !== good.article_id && s.article_id !== bad.article_id && topicOf.get(categoryOf.get(s.article_id)!) === s.topicId)!;
			await confirmTopic(db, agentA, next.article_id, next.topicId);
			expect(await refreshSuggestions(database, cursor)).toMatchObject({ retrained: true });
			expect((await db.selectFrom('topic_models').select('examples').executeTakeFirstOrThrow()).examples).toBe(93);
			expect(await refreshSuggestions(database, cursor)).toEqual({ retrained: false, suggested: 0 });
			await db.deleteFrom('topic_suggestions').execute();
			cursor.lastArticleId = Math.min(...others.map((a) => a.id)) - 1;
			const caughtUp = await refreshSuggestions(database, cursor, { chunk: 100_000 });
			expect(caughtUp.retrained).toBe(false);
			expect(caughtUp.suggested).toBeGreaterThan(0);
			expect(cursor.lastArticleId).toBeGreaterThanOrEqual(newest);

			// The topic page: counts, a month series, recent articles (livedoor has no bylines, so no reporters).
			const overview = await getTopicOverview(db, topicOf.get('sports-watch')!);
			expect(overview?.counts.total).toBeGreaterThanOrEqual(30);
			expect(overview?.months.reduce((n, m) => n + m.count, 0)).toBe(overview?.counts.total);
			expect(overview?.months.every((m) => /^\d{4}-\d{2}$/.test(m.month))).toBe(true);
			expect(overview?.topOutlets[0]).toMatchObject({ name: 'livedoor ニュース' });
			expect(overview?.recent.length).toBe(20);
			for (const t of topicOf.values()) await deleteTopic(db, t);
		});
	});

	describe.skipIf(!haveData)('good moment alerts', () => {
		it('alerts the user who watches both the reporter and the topic, once, and no one else', async () => {
			const db = database.db;
			expect(reuters.length).toBeGreaterThan(10);
			const agentC = await createUser(db, null, { email: 'c@x.test', displayName: 'C', role: 'agent', clientId: null, password: 'a long password' });
			const topic = await createTopic(db, agentA, input('Japan trade', 'japan* AND trade'));
			const otherTopic = await createTopic(db, agentA, input('Oil', 'oil'));
			await runTopicJobs(database);
			// An old article of his is imported first (the archive), then one he has just filed.
			const aboutJapanTrade = (r: CorpusRecord) => /\bjapan/i.test(r.body) && /\btrade\b/i.test(r.body) && !/\boil\b/i.test(r.title + ' ' + r.body);
			const old = reuters.find(aboutJapanTrade)!;
			const fresh = reuters.find((r) => r !== old && r.title !== old.title && aboutJapanTrade(r))!;
			const oldRows = await importRecords([old], 'reuters-archive');
			const reporter = await db
				.selectFrom('article_reporters as ar')
				.innerJoin('reporters as r', 'r.id', 'ar.reporter_id')
				.select(['r.id', 'r.display_name'])
				.where('ar.article_id', '=', oldRows[0].id)
				.executeTakeFirstOrThrow();
			expect(reporter.display_name).toBe('Rich Miller');
			await watchReporter(db, agentA, reporter.id);
			await watchTopic(db, agentA, topic);
			await watchReporter(db, agentB, reporter.id); // B watches him, but another topic
			await watchTopic(db, agentB, otherTopic);
			await watchTopic(db, agentC, topic); // C watches the topic, but not him
			await watchTopic(db, agentA, topic); // twice is harmless

			// What storeBatch does for each batch (the import below already did it once): apply the
			// rules, then create the alerts; running it again adds nothing.
			const hooks = async (rows: { id: number; title: string; body: string | null }[]) =>
				db.transaction().execute(async (trx) => {
					await applyTopicRules(trx, rows);
					return createAlertsFor(trx, rows.map((r) => r.id));
				});
			expect(await hooks(oldRows)).toBe(0); // published in 1987: no moment
			const now = new Date();
			const freshRows = await importRecords([{ ...fresh, id: 'fresh', published_at: new Date(now.getTime() - 3_600_000).toISOString() }], 'reuters-today');
			// The import made the alert itself; the hooks run again add nothing.
			expect(await hooks(freshRows)).toBe(0);
			expect(await ids(topic)).toContain(freshRows[0].id);

			const alertsA = await listAlerts(db, agentA);
			expect(alertsA).toEqual([
				expect.objectContaining({ article_id: freshRows[0].id, reporter_id: reporter.id, reporter_name: 'Rich Miller', topic_id: topic, topic_name: 'Japan trade', seen_at: null })
			]);
			expect(await listAlerts(db, agentB)).toEqual([]);
			expect(await listAlerts(db, agentC)).toEqual([]);
			expect(await markAlertSeen(db, agentB, alertsA[0].id)).toBe(false);
			expect(await markAlertSeen(db, agentA, alertsA[0].id)).toBe(true);
			expect(await listAlerts(db, agentA, { unseenOnly: true })).toEqual([]);

			// The topic page names him among the topic's reporters.
			const overview = await getTopicOverview(db, topic);
			expect(overview?.topReporters[0]).toMatchObject({ id: reporter.id, name: 'Rich Miller' });
			expect(overview?.recent.find((a) => a.id === freshRows[0].id)?.reporters).toEqual([{ id: reporter.id, name: 'Rich Miller' }]);

			expect(await unwatchTopic(db, agentA, topic)).toBe(true);
			await expect(watchTopic(db, agentA, 999_999)).rejects.toMatchObject({ issues: { topicId: 'error_not_found' } });
			await expect(watchReporter(db, agentA, 999_999)).rejects.toMatchObject({ issues: { reporterId: 'error_not_found' } });
			await deleteTopic(db, topic);
			await deleteTopic(db, otherTopic);
			expect(await listAlerts(db, agentA)).toEqual([]);
		});
	});

	function byId(id: number): ArticleText {
		return allArticles.find((a) => a.id === id)!;
	}
});

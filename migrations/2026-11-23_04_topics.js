// Topics: their rules, the links between articles and topics and where each came from, people's
// verdicts (the classifier's examples), learned suggestions and the stored model, background
// re-application jobs, watch lists and "good moment" alerts.
// Frozen in time: never import application code here.
import { sql } from 'kysely';

/** @param {import('kysely').Kysely<any>} db */
function isPostgres(db) {
	return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

/** @param {import('kysely').Kysely<any>} db */
function autoId(db) {
	return isPostgres(db)
		? (/** @type {any} */ col) => col.primaryKey().generatedByDefaultAsIdentity()
		: (/** @type {any} */ col) => col.primaryKey().autoIncrement();
}

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
	await db.schema
		.createTable('topics')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('name', 'text', (c) => c.notNull())
		// NFKC, lower-case, spaces collapsed: "Economy" and "economy " are one topic.
		.addColumn('name_key', 'text', (c) => c.notNull())
		.addColumn('name_reading', 'text')
		.addColumn('description', 'text')
		// A query in the search language; null for a topic tagged only by hand or by suggestion.
		.addColumn('rule', 'text')
		// Set when a stored rule no longer parses (a newer query language); the rule is then not applied.
		.addColumn('rule_error', 'text')
		// Bumped on every rule change; applied_version catches up when the background job finishes.
		.addColumn('rule_version', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('applied_version', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('topics_name_key').unique().on('topics').column('name_key').execute();

	await db.schema
		.createTable('article_topics')
		.addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
		.addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
		// 'rule' is re-made whenever the rule is applied; 'manual' and 'suggestion' were a person's call and stay.
		.addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('rule', 'manual', 'suggestion')`))
		.addColumn('confidence', 'double precision')
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('article_topics_pk', ['article_id', 'topic_id'])
		.execute();
	await db.schema.createIndex('article_topics_topic_idx').on('article_topics').columns(['topic_id', 'article_id']).execute();

	await db.schema
		.createTable('topic_feedback')
		.addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
		.addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
		.addColumn('verdict', 'text', (c) => c.notNull().check(sql`verdict in ('confirmed', 'rejected')`))
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('topic_feedback_pk', ['article_id', 'topic_id'])
		.execute();
	await db.schema.createIndex('topic_feedback_topic_idx').on('topic_feedback').columns(['topic_id', 'verdict']).execute();

	await db.schema
		.createTable('topic_suggestions')
		.addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
		.addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
		.addColumn('confidence', 'double precision', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('topic_suggestions_pk', ['article_id', 'topic_id'])
		.execute();
	await db.schema
		.createIndex('topic_suggestions_topic_idx')
		.on('topic_suggestions')
		.columns(['topic_id', 'confidence'])
		.execute();

	// The latest trained suggestion model (one row; kept as a table so training can replace it atomically).
	await db.schema
		.createTable('topic_models')
		.addColumn('id', 'integer', autoId(db))
		// TopicModel.toJSON() as text.
		.addColumn('model', 'text', (c) => c.notNull())
		.addColumn('topics', 'integer', (c) => c.notNull())
		.addColumn('examples', 'integer', (c) => c.notNull())
		// The newest verdict the model learned from, to tell whether retraining would change anything.
		.addColumn('feedback_at', 'text')
		.addColumn('trained_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('topic_jobs')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('apply_rule')`))
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed', 'cancelled')`)
		)
		// The topic's rule_version this job applies; a newer one cancels it.
		.addColumn('rule_version', 'integer', (c) => c.notNull())
		// Articles are walked in id order; a resumed job continues after this id.
		.addColumn('last_article_id', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('total', 'integer')
		.addColumn('matched', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('error', 'text')
		// A runner holds a job until lease_until, renewed every chunk; a crashed runner's lease runs out.
		.addColumn('lease_owner', 'text')
		.addColumn('lease_until', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('started_at', 'text')
		.addColumn('finished_at', 'text')
		.execute();
	await db.schema.createIndex('topic_jobs_status_idx').on('topic_jobs').columns(['status', 'id']).execute();
	await db.schema.createIndex('topic_jobs_topic_idx').on('topic_jobs').columns(['topic_id', 'id']).execute();

	await db.schema
		.createTable('watch_reporters')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('reporters.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('watch_reporters_pk', ['user_id', 'reporter_id'])
		.execute();
	await db.schema.createIndex('watch_reporters_reporter_idx').on('watch_reporters').column('reporter_id').execute();

	await db.schema
		.createTable('watch_topics')
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('watch_topics_pk', ['user_id', 'topic_id'])
		.execute();
	await db.schema.createIndex('watch_topics_topic_idx').on('watch_topics').column('topic_id').execute();

	await db.schema
		.createTable('alerts')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('reporters.id').onDelete('cascade'))
		.addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('seen_at', 'text')
		.execute();
	await db.schema
		.createIndex('alerts_key')
		.unique()
		.on('alerts')
		.columns(['user_id', 'article_id', 'reporter_id', 'topic_id'])
		.execute();
	await db.schema.createIndex('alerts_user_idx').on('alerts').columns(['user_id', 'created_at']).execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
	for (const t of [
		'alerts',
		'watch_topics',
		'watch_reporters',
		'topic_jobs',
		'topic_models',
		'topic_suggestions',
		'topic_feedback',
		'article_topics',
		'topics'
	]) {
		await db.schema.dropTable(t).execute();
	}
}

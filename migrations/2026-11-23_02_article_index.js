// The article index: outlets, reporters and their name variants, articles and their bylines,
// feeds, import runs, remembered column mappings, the reporter review queue and the record of
// how unsigned articles were identified. Frozen in time: never import application code here.
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
		.createTable('outlets')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('name', 'text', (c) => c.notNull())
		// NFKC, lower-case, spaces removed: "The Guardian" and "the  guardian" are one outlet.
		.addColumn('name_key', 'text', (c) => c.notNull())
		.addColumn('kind', 'text', (c) =>
			c.check(sql`kind is null or kind in ('newspaper', 'magazine', 'tv', 'radio', 'web', 'wire')`)
		)
		.addColumn('website', 'text')
		.addColumn('desk_phone', 'text')
		.addColumn('address', 'text')
		.addColumn('lang', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('outlets_name_key').unique().on('outlets').column('name_key').execute();

	await db.schema
		.createTable('reporters')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('name_key', 'text', (c) => c.notNull())
		.addColumn('reading', 'text')
		.addColumn('romanized', 'text')
		.addColumn('outlet_id', 'integer', (c) => c.references('outlets.id').onDelete('set null'))
		// Provenance of the record itself: how it came to exist.
		.addColumn('created_via', 'text', (c) => c.notNull())
		.addColumn('created_from_article_id', 'integer')
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('reporters_name_key_idx').on('reporters').column('name_key').execute();
	await db.schema.createIndex('reporters_outlet_idx').on('reporters').column('outlet_id').execute();

	// Every name under which a reporter has appeared, at which outlet: the matching table.
	await db.schema
		.createTable('reporter_names')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('reporters.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('name_key', 'text', (c) => c.notNull())
		.addColumn('outlet_id', 'integer', (c) => c.references('outlets.id').onDelete('cascade'))
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('article_id', 'integer')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('reporter_names_key_outlet')
		.on('reporter_names')
		.columns(['name_key', 'outlet_id'])
		.execute();
	await db.schema.createIndex('reporter_names_reporter_idx').on('reporter_names').column('reporter_id').execute();

	await db.schema
		.createTable('import_runs')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('label', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'done', 'failed')`))
		.addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('added', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('reporters_created', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('problems', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('error', 'text')
		.addColumn('feed_id', 'integer')
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('started_at', 'text', (c) => c.notNull())
		.addColumn('finished_at', 'text')
		.execute();
	await db.schema.createIndex('import_runs_started_idx').on('import_runs').column('started_at').execute();

	await db.schema
		.createTable('articles')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('url', 'text')
		.addColumn('canonical_url', 'text')
		// Canonical URL when there is one, else normalised title + outlet + day: never twice.
		.addColumn('dedupe_key', 'text', (c) => c.notNull())
		.addColumn('guid', 'text')
		.addColumn('title', 'text', (c) => c.notNull())
		.addColumn('outlet_id', 'integer', (c) => c.references('outlets.id').onDelete('set null'))
		.addColumn('section', 'text')
		.addColumn('published_at', 'text')
		.addColumn('lang', 'text')
		.addColumn('body', 'text')
		.addColumn('excerpt', 'text')
		.addColumn('byline_raw', 'text')
		// JSON array of wire/agency credits ("Reuters", "共同通信").
		.addColumn('agencies', 'text', (c) => c.notNull().defaultTo('[]'))
		.addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
		// 1 when the source named at least one person; unsigned articles become "identify" tasks.
		.addColumn('signed', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('identify_status', 'text', (c) =>
			c.check(sql`identify_status is null or identify_status in ('open', 'identified', 'dismissed')`)
		)
		.addColumn('source_kind', 'text', (c) => c.notNull())
		.addColumn('source_label', 'text')
		.addColumn('content_hash', 'text', (c) => c.notNull())
		.addColumn('import_run_id', 'integer', (c) => c.references('import_runs.id').onDelete('set null'))
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('articles_dedupe_key').unique().on('articles').column('dedupe_key').execute();
	await db.schema.createIndex('articles_published_idx').on('articles').column('published_at').execute();
	await db.schema.createIndex('articles_outlet_idx').on('articles').columns(['outlet_id', 'published_at']).execute();
	await db.schema.createIndex('articles_identify_idx').on('articles').columns(['identify_status', 'outlet_id']).execute();

	await db.schema
		.createTable('article_reporters')
		.addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('reporters.id').onDelete('cascade'))
		.addColumn('role', 'text', (c) => c.notNull().defaultTo('author'))
		.addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
		// 'byline' (from the source), 'identified' (learned, e.g. by calling the desk), 'manual'.
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('article_reporters_pk', ['article_id', 'reporter_id'])
		.execute();
	await db.schema.createIndex('article_reporters_reporter_idx').on('article_reporters').column('reporter_id').execute();

	// How an unsigned article's writer was learned: who found out, how, and when.
	await db.schema
		.createTable('article_identifications')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
		.addColumn('reporter_id', 'integer', (c) => c.references('reporters.id').onDelete('set null'))
		.addColumn('method', 'text', (c) =>
			c.notNull().check(sql`method in ('desk_call', 'email', 'reporter', 'other')`)
		)
		.addColumn('learned_on', 'text', (c) => c.notNull())
		.addColumn('note', 'text')
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('article_identifications_article_idx').on('article_identifications').column('article_id').execute();

	// Uncertain matches between a name in a byline and an existing reporter, for a person to decide.
	await db.schema
		.createTable('reporter_reviews')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('reporters.id').onDelete('cascade'))
		.addColumn('candidate_id', 'integer', (c) => c.notNull().references('reporters.id').onDelete('cascade'))
		.addColumn('score', 'real', (c) => c.notNull())
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('status', 'text', (c) =>
			c.notNull().check(sql`status in ('open', 'merged', 'kept_apart')`)
		)
		.addColumn('resolved_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('resolved_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema
		.createIndex('reporter_reviews_pair')
		.unique()
		.on('reporter_reviews')
		.columns(['reporter_id', 'candidate_id'])
		.execute();
	await db.schema.createIndex('reporter_reviews_status_idx').on('reporter_reviews').column('status').execute();

	// Merges kept as history: which record was folded into which, by whom.
	await db.schema
		.createTable('reporter_merges')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('kept_id', 'integer', (c) => c.notNull())
		.addColumn('merged_id', 'integer', (c) => c.notNull())
		.addColumn('merged_name', 'text', (c) => c.notNull())
		.addColumn('moved', 'text', (c) => c.notNull())
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('feeds')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('url', 'text', (c) => c.notNull())
		.addColumn('title', 'text')
		.addColumn('site_url', 'text')
		.addColumn('category', 'text')
		.addColumn('outlet_id', 'integer', (c) => c.references('outlets.id').onDelete('set null'))
		.addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
		.addColumn('interval_minutes', 'integer', (c) => c.notNull().defaultTo(60))
		.addColumn('etag', 'text')
		.addColumn('last_modified', 'text')
		.addColumn('last_polled_at', 'text')
		.addColumn('last_success_at', 'text')
		.addColumn('next_poll_at', 'text', (c) => c.notNull())
		.addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('last_error', 'text')
		// A poller claims a feed until lease_until, so two processes never fetch it at once.
		.addColumn('lease_owner', 'text')
		.addColumn('lease_until', 'text')
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('feeds_url_key').unique().on('feeds').column('url').execute();
	await db.schema.createIndex('feeds_due_idx').on('feeds').columns(['active', 'next_poll_at']).execute();

	// The column mapping chosen for a file layout, remembered by the layout's header signature.
	await db.schema
		.createTable('import_mappings')
		.addColumn('signature', 'text', (c) => c.primaryKey())
		.addColumn('format', 'text', (c) => c.notNull())
		.addColumn('mapping', 'text', (c) => c.notNull())
		.addColumn('outlet_name', 'text')
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	// A file uploaded for import, held between the upload and the column-mapping step.
	await db.schema
		.createTable('import_uploads')
		.addColumn('token', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('format', 'text', (c) => c.notNull())
		.addColumn('data', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
	for (const t of [
		'import_uploads',
		'import_mappings',
		'feeds',
		'reporter_merges',
		'reporter_reviews',
		'article_identifications',
		'article_reporters',
		'articles',
		'import_runs',
		'reporter_names',
		'reporters',
		'outlets'
	]) {
		await db.schema.dropTable(t).execute();
	}
}

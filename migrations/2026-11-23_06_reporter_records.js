// Reporter records: facts about a reporter (contact details, desk, beat, tier, …) each with where it
// came from, outlet history, a dated log of what the reporter told us, notes; outlet details (desks,
// reach); media lists; the do-not-contact list, kept as hashes so that it outlives an erasure; and a
// record of each erasure without the erased data.
// Frozen in time: never import application code here.

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
	// One row per fact: a field's value with its provenance. A changed value retires the old row
	// (retired_at) instead of overwriting it, so the record shows what was known, from where, when.
	await db.schema
		.createTable('reporter_facts')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('reporters.id').onDelete('cascade'))
		.addColumn('field', 'text', (c) => c.notNull())
		.addColumn('value', 'text', (c) => c.notNull())
		// The value as compared: a lower-case email, a phone's digits. Finds duplicates and suppressed people.
		.addColumn('value_key', 'text')
		// 'work', 'mobile', … for contact details; the reason for a tier.
		.addColumn('label', 'text')
		.addColumn('note', 'text')
		// Where it came from, in words ("business card", "CSV import: press-list.csv") and as a reference.
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('source_ref', 'text')
		// When it was learned or stated (a date), which may be earlier than when it was entered.
		.addColumn('learned_on', 'text')
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('retired_at', 'text')
		.addColumn('retired_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('reporter_facts_reporter_idx').on('reporter_facts').columns(['reporter_id', 'field']).execute();
	await db.schema.createIndex('reporter_facts_key_idx').on('reporter_facts').columns(['field', 'value_key']).execute();

	await db.schema
		.createTable('reporter_outlet_history')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('reporters.id').onDelete('cascade'))
		.addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id').onDelete('cascade'))
		.addColumn('role', 'text')
		.addColumn('started_on', 'text')
		.addColumn('ended_on', 'text')
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('reporter_outlet_history_idx').on('reporter_outlet_history').columns(['reporter_id', 'started_on']).execute();

	// What the reporter told us: interests, requests ("no embargoed releases"), dated.
	await db.schema
		.createTable('reporter_log')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('reporters.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('stated_on', 'text', (c) => c.notNull())
		.addColumn('client_id', 'integer', (c) => c.references('clients.id').onDelete('set null'))
		.addColumn('source', 'text', (c) => c.notNull())
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('reporter_log_idx').on('reporter_log').columns(['reporter_id', 'stated_on']).execute();

	await db.schema
		.createTable('reporter_notes')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('reporters.id').onDelete('cascade'))
		.addColumn('body', 'text', (c) => c.notNull())
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('reporter_notes_idx').on('reporter_notes').column('reporter_id').execute();

	await db.schema.alterTable('outlets').addColumn('reach', 'bigint').execute();
	await db.schema.alterTable('outlets').addColumn('reach_source', 'text').execute();
	await db.schema.alterTable('outlets').addColumn('reach_as_of', 'text').execute();
	await db.schema
		.createTable('outlet_desks')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('outlet_id', 'integer', (c) => c.notNull().references('outlets.id').onDelete('cascade'))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('phone', 'text')
		.addColumn('email', 'text')
		.addColumn('note', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('outlet_desks_idx').on('outlet_desks').column('outlet_id').execute();

	await db.schema
		.createTable('media_lists')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('name_key', 'text', (c) => c.notNull())
		.addColumn('description', 'text')
		// The client the list is for (never shown to that client: lists are internal).
		.addColumn('client_id', 'integer', (c) => c.references('clients.id').onDelete('set null'))
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('media_lists_name_key').unique().on('media_lists').column('name_key').execute();
	await db.schema
		.createTable('media_list_members')
		.addColumn('list_id', 'integer', (c) => c.notNull().references('media_lists.id').onDelete('cascade'))
		.addColumn('reporter_id', 'integer', (c) => c.notNull().references('reporters.id').onDelete('cascade'))
		.addColumn('tier', 'text')
		.addColumn('note', 'text')
		.addColumn('added_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('added_at', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('media_list_members_pk', ['list_id', 'reporter_id'])
		.execute();
	await db.schema.createIndex('media_list_members_reporter_idx').on('media_list_members').column('reporter_id').execute();

	// Do not contact. reporter_id is cleared when the person is erased; the keys (SHA-256 of the
	// normalised name and of each email) stay, so that a re-import that brings them back is flagged.
	await db.schema
		.createTable('suppressions')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('reporter_id', 'integer', (c) => c.references('reporters.id').onDelete('set null'))
		.addColumn('reason', 'text', (c) => c.notNull())
		.addColumn('requested_on', 'text')
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('lifted_at', 'text')
		.addColumn('lifted_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.execute();
	await db.schema.createIndex('suppressions_reporter_idx').on('suppressions').column('reporter_id').execute();
	await db.schema
		.createTable('suppression_keys')
		.addColumn('suppression_id', 'integer', (c) => c.notNull().references('suppressions.id').onDelete('cascade'))
		.addColumn('kind', 'text', (c) => c.notNull())
		.addColumn('key_hash', 'text', (c) => c.notNull())
		.addPrimaryKeyConstraint('suppression_keys_pk', ['suppression_id', 'kind', 'key_hash'])
		.execute();
	await db.schema.createIndex('suppression_keys_hash_idx').on('suppression_keys').columns(['kind', 'key_hash']).execute();
	// A re-import or list import met a suppressed person: shown to agents until someone looks.
	await db.schema
		.createTable('suppression_flags')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('suppression_id', 'integer', (c) => c.notNull().references('suppressions.id').onDelete('cascade'))
		.addColumn('reporter_id', 'integer', (c) => c.references('reporters.id').onDelete('cascade'))
		.addColumn('context', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('resolved_at', 'text')
		.addColumn('resolved_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.execute();

	await db.schema
		.createTable('erasures')
		.addColumn('id', 'integer', autoId(db))
		// The id the person had; the row itself is gone.
		.addColumn('reporter_id', 'integer', (c) => c.notNull())
		.addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('reason', 'text', (c) => c.notNull())
		// Counts of what was removed or redacted, per table: no personal data.
		.addColumn('detail', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
	for (const t of [
		'erasures',
		'suppression_flags',
		'suppression_keys',
		'suppressions',
		'media_list_members',
		'media_lists',
		'outlet_desks',
		'reporter_notes',
		'reporter_log',
		'reporter_outlet_history',
		'reporter_facts'
	]) {
		await db.schema.dropTable(t).execute();
	}
	for (const c of ['reach_as_of', 'reach_source', 'reach']) await db.schema.alterTable('outlets').dropColumn(c).execute();
}

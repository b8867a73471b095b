// Accounts, clients, sessions, throttling, audit log and settings.
// Frozen in time: never import application code from a migration.
import { sql } from 'kysely';

/** @param {import('kysely').Kysely<any>} db */
function isPostgres(db) {
	return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

/**
 * An auto-numbered integer primary key on both databases.
 * @param {import('kysely').Kysely<any>} db
 */
function autoId(db) {
	return isPostgres(db)
		? (/** @type {any} */ col) => col.primaryKey().generatedByDefaultAsIdentity()
		: (/** @type {any} */ col) => col.primaryKey().autoIncrement();
}

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
	await db.schema
		.createTable('clients')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('name', 'text', (c) => c.notNull())
		.addColumn('name_reading', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();
	await db.schema.createIndex('clients_name_key').unique().on('clients').column('name').execute();

	await db.schema
		.createTable('users')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('display_name', 'text', (c) => c.notNull())
		.addColumn('password_hash', 'text')
		.addColumn('role', 'text', (c) =>
			c.notNull().check(sql`role in ('admin', 'agent', 'writer', 'client')`)
		)
		.addColumn('client_id', 'integer', (c) => c.references('clients.id').onDelete('restrict'))
		.addColumn('locale', 'text', (c) => c.notNull().defaultTo('en'))
		.addColumn('disabled_at', 'text')
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('updated_at', 'text', (c) => c.notNull())
		// A client user belongs to exactly one client; staff belong to none.
		.addCheckConstraint(
			'users_client_role_check',
			sql`(role = 'client' and client_id is not null) or (role <> 'client' and client_id is null)`
		)
		.execute();
	await db.schema.createIndex('users_email_key').unique().on('users').column('email').execute();
	await db.schema.createIndex('users_client_id_idx').on('users').column('client_id').execute();

	await db.schema
		.createTable('sessions')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
		.addColumn('secret_hash', 'text', (c) => c.notNull())
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('last_active_at', 'text', (c) => c.notNull())
		.addColumn('ip', 'text')
		.addColumn('user_agent', 'text')
		.execute();
	await db.schema.createIndex('sessions_user_id_idx').on('sessions').column('user_id').execute();

	await db.schema
		.createTable('invitations')
		.addColumn('id', 'text', (c) => c.primaryKey())
		.addColumn('secret_hash', 'text', (c) => c.notNull())
		.addColumn('email', 'text', (c) => c.notNull())
		.addColumn('role', 'text', (c) =>
			c.notNull().check(sql`role in ('admin', 'agent', 'writer', 'client')`)
		)
		.addColumn('client_id', 'integer', (c) => c.references('clients.id').onDelete('cascade'))
		.addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('created_at', 'text', (c) => c.notNull())
		.addColumn('expires_at', 'text', (c) => c.notNull())
		.addColumn('accepted_at', 'text')
		.execute();

	await db.schema
		.createTable('auth_throttle')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
		.addColumn('locked_until', 'text')
		.addColumn('updated_at', 'text', (c) => c.notNull())
		.execute();

	await db.schema
		.createTable('audit_log')
		.addColumn('id', 'integer', autoId(db))
		.addColumn('at', 'text', (c) => c.notNull())
		.addColumn('actor_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
		.addColumn('action', 'text', (c) => c.notNull())
		.addColumn('subject_type', 'text')
		.addColumn('subject_id', 'text')
		.addColumn('ip', 'text')
		.addColumn('detail', 'text')
		.execute();
	await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
	await db.schema
		.createIndex('audit_log_subject_idx')
		.on('audit_log')
		.columns(['subject_type', 'subject_id'])
		.execute();

	await db.schema
		.createTable('settings')
		.addColumn('key', 'text', (c) => c.primaryKey())
		.addColumn('value', 'text', (c) => c.notNull())
		.execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
	for (const t of ['settings', 'audit_log', 'auth_throttle', 'invitations', 'sessions', 'users', 'clients']) {
		await db.schema.dropTable(t).execute();
	}
}

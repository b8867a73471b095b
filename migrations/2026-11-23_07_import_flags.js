// Import runs count the new reporters flagged as possibly someone on the do-not-contact list, so that
// a run's page can say so. Frozen in time: never import application code here.

/** @param {import('kysely').Kysely<any>} db */
export async function up(db) {
	await db.schema
		.alterTable('import_runs')
		.addColumn('flagged', 'integer', (c) => c.notNull().defaultTo(0))
		.execute();
}

/** @param {import('kysely').Kysely<any>} db */
export async function down(db) {
	await db.schema.alterTable('import_runs').dropColumn('flagged').execute();
}

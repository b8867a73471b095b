// Every migration, in order. Add a line when adding a file; never edit or remove an applied one.
import * as foundation from './2026-11-23_01_foundation.js';
import * as articleIndex from './2026-11-23_02_article_index.js';
import * as search from './2026-11-23_03_search.js';
import * as topics from './2026-11-23_04_topics.js';
import * as searchPg from './2026-11-23_05_search_pg.js';
import * as reporterRecords from './2026-11-23_06_reporter_records.js';
import * as importFlags from './2026-11-23_07_import_flags.js';
import * as readingKey from './2026-11-23_08_reporter_reading_key.js';

/** @type {Record<string, import('kysely').Migration>} */
export const migrations = {
	'2026-11-23_01_foundation': foundation,
	'2026-11-23_02_article_index': articleIndex,
	'2026-11-23_03_search': search,
	'2026-11-23_04_topics': topics,
	'2026-11-23_05_search_pg': searchPg,
	'2026-11-23_06_reporter_records': reporterRecords,
	'2026-11-23_07_import_flags': importFlags,
	'2026-11-23_08_reporter_reading_key': readingKey
};

import { exportListCsv } from '$lib/server/lists/lists.service';
import { CSV_CONTENT_TYPE } from '$lib/server/lists/csv-export';
import { exportResponse } from '../export.server';
import type { RequestHandler } from './$types';

/** The list as CSV for spreadsheet programs (UTF-8 with BOM, formulas neutralised), without suppressed members. */
export const GET: RequestHandler = (event) =>
	exportResponse(event, 'csv', (id) => exportListCsv(event.locals.database.db, id), CSV_CONTENT_TYPE, 'csv');

import { exportListVcard } from '$lib/server/lists/lists.service';
import { VCARD_CONTENT_TYPE } from '$lib/server/lists/vcard';
import { exportResponse } from '../export.server';
import type { RequestHandler } from './$types';

/** The list as vCard 4.0 for address books, without suppressed members. */
export const GET: RequestHandler = (event) =>
	exportResponse(event, 'vcard', (id) => exportListVcard(event.locals.database.db, id), VCARD_CONTENT_TYPE, 'vcf');

import { error } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { recordAudit } from '$lib/server/audit/audit';
import { exportReporterData } from '$lib/server/privacy/export';
import { parseId } from '$lib/schemas/validation';
import type { RequestHandler } from './$types';

/** Everything held about a reporter, as a JSON file for a subject access request (admins only; audited). */
export const GET: RequestHandler = async (event) => {
	const admin = requireRole(event, 'admin');
	const id = parseId(event.params.id);
	if (!id) error(404, 'Not found');
	const db = event.locals.database.db;
	const data = await exportReporterData(db, id);
	if (!data) error(404, 'Not found');
	await recordAudit(db, {
		actorUserId: admin.id,
		action: 'reporter.exported',
		subjectType: 'reporter',
		subjectId: id,
		ip: event.getClientAddress(),
		detail: { format: 'json' }
	});
	return new Response(`${JSON.stringify(data, null, 2)}\n`, {
		headers: {
			'content-type': 'application/json; charset=utf-8',
			// The file name holds the id, not the person's name.
			'content-disposition': `attachment; filename="tegami-reporter-${id}.json"`,
			'cache-control': 'private, no-store',
			'x-content-type-options': 'nosniff'
		}
	});
};

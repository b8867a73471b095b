import { error, type RequestEvent } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { recordAudit } from '$lib/server/audit/audit';
import { InputError, parseId } from '$lib/schemas/validation';
import { attachmentDisposition } from './attachment';

type Export = { name: string; body: string; count: number; leftOut: number };

/**
 * A list export as a download: staff only, audited with ids and counts (never the names), never
 * cached. Suppressed members are left out by the service; the count of them goes in a header too.
 */
export async function exportResponse(
	event: RequestEvent<{ id: string }>,
	format: 'csv' | 'vcard',
	make: (listId: number) => Promise<Export>,
	contentType: string,
	ext: string
): Promise<Response> {
	const user = requireStaff(event);
	const id = parseId(event.params.id);
	if (!id) error(404, 'Not found');
	let out: Export;
	try {
		out = await make(id);
	} catch (e) {
		if (e instanceof InputError) error(404, 'Not found');
		throw e;
	}
	await recordAudit(event.locals.database.db, {
		actorUserId: user.id,
		action: 'list.exported',
		subjectType: 'media_list',
		subjectId: id,
		detail: { format, count: out.count, leftOut: out.leftOut }
	});
	return new Response(out.body, {
		headers: {
			'content-type': contentType,
			'content-disposition': attachmentDisposition(out.name, `media-list-${id}`, ext),
			'cache-control': 'private, no-store',
			'x-tegami-left-out': String(out.leftOut)
		}
	});
}

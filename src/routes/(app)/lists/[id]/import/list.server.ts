import { error, type RequestEvent } from '@sveltejs/kit';
import { parseId } from '$lib/schemas/validation';

/** The list an import page is about (id and name), or 404. */
export async function importTarget(event: Pick<RequestEvent<{ id: string }>, 'params' | 'locals'>): Promise<{ id: number; name: string }> {
	const id = parseId(event.params.id);
	if (!id) error(404, 'Not found');
	const list = await event.locals.database.db.selectFrom('media_lists').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
	if (!list) error(404, 'Not found');
	return list;
}

import { error } from '@sveltejs/kit';
import { requireClientAccess } from '$lib/server/auth/guards';
import { getClientById } from '$lib/server/clients/clients.repository';
import { parseId } from '$lib/schemas/validation';
import type { PageServerLoad } from './$types';

// A client's portal. Staff may open any client's (to preview what the client sees); a client
// user only their own: any other id is a 404, as if it did not exist.
export const load: PageServerLoad = async (event) => {
	const id = parseId(event.params.clientId);
	const user = requireClientAccess(event, id);
	const client = await getClientById(event.locals.database.db, id!);
	if (!client) error(404, 'Not found');
	return {
		client: { id: client.id, name: client.name },
		preview: user.role !== 'client'
	};
};

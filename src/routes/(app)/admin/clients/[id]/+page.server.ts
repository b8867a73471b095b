import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { getClientById, listClientUsers } from '$lib/server/clients/clients.repository';
import { parseClientForm, renameClient } from '$lib/server/clients/clients.service';
import { InputError, field, parseId } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const id = parseId(event.params.id);
	const db = event.locals.database.db;
	const client = id ? await getClientById(db, id) : undefined;
	if (!client) error(404, 'Not found');
	return { client, users: await listClientUsers(db, client.id) };
};

export const actions: Actions = {
	update: async (event) => {
		const admin = requireRole(event, 'admin');
		const id = parseId(event.params.id);
		if (!id) error(404, 'Not found');
		const data = await event.request.formData();
		const values = { name: field(data, 'name'), nameReading: field(data, 'nameReading') };
		try {
			await renameClient(event.locals.database.db, admin.id, id, parseClientForm(data));
		} catch (e) {
			if (e instanceof InputError) return fail(400, { values, issues: e.issues });
			throw e;
		}
		return { saved: true };
	}
};

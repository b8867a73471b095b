import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { listClients } from '$lib/server/clients/clients.repository';
import { createClient, parseClientForm } from '$lib/server/clients/clients.service';
import { InputError, field } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	return { clients: await listClients(event.locals.database.db) };
};

export const actions: Actions = {
	create: async (event) => {
		const admin = requireRole(event, 'admin');
		const data = await event.request.formData();
		const values = { name: field(data, 'name'), nameReading: field(data, 'nameReading') };
		try {
			const id = await createClient(event.locals.database.db, admin.id, parseClientForm(data));
			return { created: { id, name: values.name } };
		} catch (e) {
			if (e instanceof InputError) return fail(400, { values, issues: e.issues });
			throw e;
		}
	}
};

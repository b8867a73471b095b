import { fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { listClients } from '$lib/server/clients/clients.repository';
import { createList, listLists } from '$lib/server/lists/lists.service';
import { InputError } from '$lib/schemas/validation';
import { echoListForm, parseListForm } from './list-form.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const db = event.locals.database.db;
	const [lists, clients] = await Promise.all([listLists(db), listClients(db)]);
	return {
		lists: lists.map((l) => ({
			id: l.id,
			name: l.name,
			description: l.description,
			clientName: l.client_name,
			// PostgreSQL returns count(*) as a string.
			members: Number(l.members ?? 0),
			updatedAt: l.updated_at
		})),
		clients: clients.map((c) => ({ id: c.id, name: c.name })),
		notice: event.url.searchParams.get('notice') === 'deleted' ? ('deleted' as const) : null
	};
};

export const actions: Actions = {
	/** Creates a list and opens it. */
	create: async (event) => {
		const user = requireStaff(event);
		const data = await event.request.formData();
		const values = echoListForm(data);
		const parsed = parseListForm(data);
		if (!parsed.ok) return fail(400, { issues: parsed.issues, values });
		let id: number;
		try {
			id = await createList(event.locals.database.db, user.id, parsed.input);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { issues: e.issues, values });
			throw e;
		}
		redirect(303, `/lists/${id}?notice=created`);
	}
};

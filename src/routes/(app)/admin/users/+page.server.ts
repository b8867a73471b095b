import { fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { listUsers } from '$lib/server/users/users.repository';
import { listClients } from '$lib/server/clients/clients.repository';
import { createUser, inviteUser } from '$lib/server/users/users.service';
import { parseUserForm } from '$lib/schemas/user';
import { InputError } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const db = event.locals.database.db;
	const [users, clients] = await Promise.all([listUsers(db), listClients(db)]);
	return { users, clients: clients.map((c) => ({ id: c.id, name: c.name })) };
};

/** The form's values to show again after an error: never the password. */
function echo(data: FormData) {
	return {
		email: String(data.get('email') ?? ''),
		displayName: String(data.get('displayName') ?? ''),
		role: String(data.get('role') ?? ''),
		clientId: String(data.get('clientId') ?? '')
	};
}

export const actions: Actions = {
	/** Create a user with a password the admin hands over. */
	create: async (event) => {
		const admin = requireRole(event, 'admin');
		const data = await event.request.formData();
		const parsed = parseUserForm(data, 'create');
		if (!parsed.ok) return fail(400, { action: 'create', values: echo(data), issues: parsed.issues });
		try {
			const id = await createUser(event.locals.database.db, admin.id, parsed.value);
			return { action: 'create', created: { id, email: parsed.value.email } };
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'create', values: echo(data), issues: e.issues });
			throw e;
		}
	},
	/** Invite by email address: the new user chooses their own password through the link. */
	invite: async (event) => {
		const admin = requireRole(event, 'admin');
		const data = await event.request.formData();
		const parsed = parseUserForm(data, 'invite');
		if (!parsed.ok) return fail(400, { action: 'invite', values: echo(data), issues: parsed.issues });
		try {
			const { token, expiresAt } = await inviteUser(event.locals.database.db, admin.id, parsed.value);
			return {
				action: 'invite',
				invited: { email: parsed.value.email, link: `${event.url.origin}/invite/${token}`, expiresAt: expiresAt.toISOString() }
			};
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'invite', values: echo(data), issues: e.issues });
			throw e;
		}
	}
};

import { error, fail } from '@sveltejs/kit';
import { requireRole } from '$lib/server/auth/guards';
import { getUserById } from '$lib/server/users/users.repository';
import { listClients } from '$lib/server/clients/clients.repository';
import { changeUserRole, setUserDisabled } from '$lib/server/users/users.service';
import { isRole } from '$lib/schemas/user';
import { InputError, field, parseId } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireRole(event, 'admin');
	const id = parseId(event.params.id);
	const db = event.locals.database.db;
	const [user, clients] = await Promise.all([id ? getUserById(db, id) : undefined, listClients(db)]);
	if (!user) error(404, 'Not found');
	const sessions = await db
		.selectFrom('sessions')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('user_id', '=', user.id)
		.executeTakeFirstOrThrow();
	return {
		user,
		activeSessions: Number(sessions.n),
		isSelf: user.id === event.locals.user?.id,
		clients: clients.map((c) => ({ id: c.id, name: c.name }))
	};
};

function targetId(params: { id: string }): number {
	const id = parseId(params.id);
	if (!id) error(404, 'Not found');
	return id;
}

export const actions: Actions = {
	role: async (event) => {
		const admin = requireRole(event, 'admin');
		const id = targetId(event.params);
		const data = await event.request.formData();
		const role = field(data, 'role');
		const clientRaw = field(data, 'clientId');
		const clientId = role === 'client' && clientRaw ? parseId(clientRaw) : null;
		if (!isRole(role)) return fail(400, { action: 'role', issues: { role: 'error_role_invalid' } as Record<string, string> });
		try {
			await changeUserRole(event.locals.database.db, admin.id, id, role, clientId);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'role', issues: e.issues });
			throw e;
		}
		return { action: 'role', saved: true };
	},
	disable: async (event) => {
		const admin = requireRole(event, 'admin');
		try {
			await setUserDisabled(event.locals.database.db, admin.id, targetId(event.params), true);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'disable', issues: e.issues });
			throw e;
		}
		return { action: 'disable', saved: true };
	},
	enable: async (event) => {
		const admin = requireRole(event, 'admin');
		try {
			await setUserDisabled(event.locals.database.db, admin.id, targetId(event.params), false);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'enable', issues: e.issues });
			throw e;
		}
		return { action: 'enable', saved: true };
	}
};

import { redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { listAlerts, markAlertSeen } from '$lib/server/topics/alerts.service';
import { field, parseId } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const alerts = await listAlerts(event.locals.database.db, user.id, { unseenOnly: true, limit: 50 });
	return { alerts };
};

export const actions: Actions = {
	/** A good moment dealt with: it leaves the list. */
	done: async (event) => {
		const user = requireStaff(event);
		const alertId = parseId(field(await event.request.formData(), 'alertId'));
		if (alertId) await markAlertSeen(event.locals.database.db, user.id, alertId);
		redirect(303, '/today');
	}
};

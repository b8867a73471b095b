import { redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { listAlerts, markAlertSeen } from '$lib/server/topics/alerts.service';
import { countOpenIdentifyTasks } from '$lib/server/articles/articles.repository';
import { countOpenReviews } from '$lib/server/reporters/reporters.service';
import { listOpenFlags } from '$lib/server/privacy/suppression';
import { field, parseId } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

/** Counts above this are shown as "1,000+": Today says how much is waiting, the queue itself lists it. */
const COUNT_CAP = 1000;
const FLAGS_SHOWN = 20;

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const db = event.locals.database.db;
	const [alerts, flags, unsigned, reviews] = await Promise.all([
		listAlerts(db, user.id, { unseenOnly: true, limit: 50 }),
		// A possible match with the do-not-contact list must be looked at before anyone writes to them.
		listOpenFlags(db, { limit: FLAGS_SHOWN + 1 }),
		countOpenIdentifyTasks(db, COUNT_CAP + 1),
		countOpenReviews(db)
	]);
	return {
		alerts,
		flags: flags.slice(0, FLAGS_SHOWN).flatMap((f) => (f.reporter_id === null ? [] : [{ id: f.id, reporterId: f.reporter_id, reporterName: f.reporter_name, context: f.context, createdAt: f.created_at }])),
		moreFlags: flags.length > FLAGS_SHOWN,
		unsigned: { count: Math.min(unsigned, COUNT_CAP), more: unsigned > COUNT_CAP },
		reviews
	};
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

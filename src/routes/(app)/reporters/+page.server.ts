import { fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { countOpenReviews, listReporters } from '$lib/server/reporters/reporters.service';
import { createReporter } from '$lib/server/reporters/records';
import { listOutlets } from '$lib/server/outlets/outlets.repository';
import { InputError, field, parseId } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const db = event.locals.database.db;
	const [reporters, openReviews, outlets] = await Promise.all([listReporters(db, { limit: 1000 }), countOpenReviews(db), listOutlets(db)]);
	return { reporters, openReviews, outlets: outlets.map((o) => ({ id: o.id, name: o.name })) };
};

export const actions: Actions = {
	/** A reporter met in person or found on a staff page, before any byline of theirs is imported. */
	create: async (event) => {
		const user = requireStaff(event);
		const data = await event.request.formData();
		const values = { displayName: field(data, 'displayName'), reading: field(data, 'reading'), romanized: field(data, 'romanized'), outletId: field(data, 'outletId'), source: field(data, 'source') };
		let id: number;
		try {
			id = await createReporter(event.locals.database.db, user.id, {
				displayName: values.displayName,
				reading: values.reading,
				romanized: values.romanized,
				outletId: values.outletId ? (parseId(values.outletId) ?? -1) : null,
				source: values.source
			});
		} catch (e) {
			if (e instanceof InputError) return fail(400, { issues: e.issues, values });
			throw e;
		}
		redirect(303, `/reporters/${id}`);
	}
};

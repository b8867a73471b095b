import { error, fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { addOutletDesk, getOutletRecord, removeOutletDesk, updateOutletDetails } from '$lib/server/outlets/outlets.service';
import { listArticles } from '$lib/server/articles/articles.repository';
import { InputError, field, parseId } from '$lib/schemas/validation';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function outletId(event: { params: { id: string } }): number {
	const id = parseId(event.params.id);
	if (!id) error(404, 'Not found');
	return id;
}

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const id = outletId(event);
	const db = event.locals.database.db;
	const [record, articles] = await Promise.all([getOutletRecord(db, id), listArticles(db, { outletId: id, limit: 20 })]);
	if (!record) error(404, 'Not found');
	const notice = event.url.searchParams.get('notice');
	return { ...record, articles, notice: notice === 'saved' || notice === 'desk_added' || notice === 'desk_removed' ? notice : null };
};

async function run(event: RequestEvent, action: string, work: (data: FormData, userId: number, id: number) => Promise<unknown>) {
	const user = requireStaff(event);
	const id = outletId(event);
	const data = await event.request.formData();
	try {
		await work(data, user.id, id);
	} catch (e) {
		if (e instanceof InputError) return fail(400, { action, issues: e.issues, values: Object.fromEntries([...data.entries()].filter(([, v]) => typeof v === 'string')) as Record<string, string> });
		throw e;
	}
	redirect(303, `/outlets/${id}?notice=${action}`);
}

export const actions: Actions = {
	save: (event) =>
		run(event, 'saved', (data, userId, id) =>
			updateOutletDetails(event.locals.database.db, userId, id, {
				kind: field(data, 'kind'),
				website: field(data, 'website'),
				deskPhone: field(data, 'deskPhone'),
				address: field(data, 'address'),
				lang: field(data, 'lang'),
				reach: field(data, 'reach'),
				reachSource: field(data, 'reachSource'),
				reachAsOf: field(data, 'reachAsOf')
			})
		),
	addDesk: (event) =>
		run(event, 'desk_added', (data, _userId, id) =>
			addOutletDesk(event.locals.database.db, id, { name: field(data, 'name'), phone: field(data, 'phone'), email: field(data, 'email'), note: field(data, 'note') })
		),
	removeDesk: (event) =>
		run(event, 'desk_removed', async (data, _userId, id) => {
			const deskId = parseId(field(data, 'deskId'));
			if (!deskId) throw new InputError({ desk: 'error_not_found' });
			await removeOutletDesk(event.locals.database.db, id, deskId);
		})
};

import { error, fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { listClients } from '$lib/server/clients/clients.repository';
import { deleteList, getList, removeMember, updateList, updateMember } from '$lib/server/lists/lists.service';
import { InputError, field, parseId } from '$lib/schemas/validation';
import { echoListForm, parseListForm } from '../list-form.server';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

const NOTICES = ['created', 'saved', 'member_saved', 'member_removed'] as const;
type Notice = (typeof NOTICES)[number];

function listId(event: { params: { id: string } }): number {
	const id = parseId(event.params.id);
	if (!id) error(404, 'Not found');
	return id;
}

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const id = listId(event);
	const db = event.locals.database.db;
	const [found, clients] = await Promise.all([getList(db, id), listClients(db)]);
	if (!found) error(404, 'Not found');
	const { list, members } = found;
	const notice = event.url.searchParams.get('notice');
	return {
		list: {
			id: list.id,
			name: list.name,
			description: list.description,
			clientId: list.client_id,
			clientName: list.client_name,
			updatedAt: list.updated_at
		},
		members: members.map((mem) => ({
			id: mem.id,
			name: mem.display_name,
			reading: mem.reading,
			outlet: mem.outlet_name,
			tier: mem.tier,
			note: mem.note,
			suppressed: mem.suppressed
		})),
		suppressedCount: members.filter((mem) => mem.suppressed).length,
		clients: clients.map((c) => ({ id: c.id, name: c.name })),
		notice: NOTICES.includes(notice as Notice) ? (notice as Notice) : null
	};
};

/** The member a row's form is about. */
function memberOf(data: FormData): number {
	const id = parseId(field(data, 'reporterId'));
	if (!id) throw new InputError({ reporter: 'error_not_found' });
	return id;
}

async function memberAction(event: RequestEvent, action: 'member_saved' | 'member_removed', work: (data: FormData, userId: number, id: number) => Promise<void>) {
	const user = requireStaff(event);
	const id = listId(event);
	const data = await event.request.formData();
	try {
		await work(data, user.id, id);
	} catch (e) {
		if (e instanceof InputError) return fail(400, { action, reporterId: field(data, 'reporterId'), memberIssues: e.issues });
		throw e;
	}
	redirect(303, `/lists/${id}?notice=${action}#members-heading`);
}

export const actions: Actions = {
	/** Renames or re-describes the list, or changes its client. */
	update: async (event) => {
		const user = requireStaff(event);
		const id = listId(event);
		const data = await event.request.formData();
		const values = echoListForm(data);
		const parsed = parseListForm(data);
		if (!parsed.ok) return fail(400, { action: 'update', issues: parsed.issues, values });
		try {
			await updateList(event.locals.database.db, user.id, id, parsed.input);
		} catch (e) {
			if (e instanceof InputError) {
				if (e.issues.list) error(404, 'Not found');
				return fail(400, { action: 'update', issues: e.issues, values });
			}
			throw e;
		}
		redirect(303, `/lists/${id}?notice=saved`);
	},

	/** Deletes the list once the confirmation box is ticked (a confirm step that needs no JavaScript); the reporters stay. */
	delete: async (event) => {
		const user = requireStaff(event);
		const id = listId(event);
		const data = await event.request.formData();
		if (field(data, 'confirm') !== 'yes') return fail(400, { action: 'delete', deleteIssue: 'lists_delete_confirm_required' });
		try {
			await deleteList(event.locals.database.db, user.id, id);
		} catch (e) {
			if (e instanceof InputError) error(404, 'Not found');
			throw e;
		}
		redirect(303, '/lists?notice=deleted');
	},

	/** Changes a member's tier and note on this list. */
	member: (event) =>
		memberAction(event, 'member_saved', async (data, userId, id) => {
			await updateMember(event.locals.database.db, userId, id, memberOf(data), { tier: field(data, 'tier'), note: field(data, 'note') });
		}),

	/** Takes a reporter off the list. */
	remove: (event) =>
		memberAction(event, 'member_removed', async (data, userId, id) => {
			await removeMember(event.locals.database.db, userId, id, memberOf(data));
		})
};

import { fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { SourceError } from '$lib/server/articles/candidate';
import { stageUpload } from '$lib/server/articles/uploads';
import { ListMappingError, parseListCsv } from '$lib/server/lists/list-csv';
import { formatBytes } from '../../../articles/import/uploads.server';
import { importTarget } from './list.server';
import { listUploadLimit, readLimitedForm } from './upload.server';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const list = await importTarget(event);
	return { list, uploadLimit: formatBytes(listUploadLimit()) };
};

type Refusal = { issue: string; size: string | null; reason: string | null };

export const actions: Actions = {
	/** Checks the file is a media-list CSV, holds it, and goes to the column-mapping step. */
	upload: async (event) => {
		const user = requireStaff(event);
		const list = await importTarget(event);
		const limit = listUploadLimit();
		const form = await readLimitedForm(event.request, limit);
		if (!form.ok) {
			return fail(413, { issue: 'lists_import_error_too_large', size: form.size === null ? null : formatBytes(form.size), reason: null } satisfies Refusal);
		}
		const file = form.data.get('file');
		if (!(file instanceof File) || (file.size === 0 && !file.name)) {
			return fail(400, { issue: 'lists_import_error_file_required', size: null, reason: null } satisfies Refusal);
		}
		if (file.size === 0) return fail(400, { issue: 'lists_import_error_file_empty', size: null, reason: null } satisfies Refusal);
		if (file.size > limit) {
			return fail(413, { issue: 'lists_import_error_too_large', size: formatBytes(file.size), reason: null } satisfies Refusal);
		}
		const bytes = new Uint8Array(await file.arrayBuffer());
		try {
			parseListCsv(bytes);
		} catch (e) {
			// Readable columns without a name column: the mapping step is where that is put right.
			if (!(e instanceof ListMappingError)) {
				if (e instanceof SourceError) return fail(400, { issue: 'lists_import_error_unreadable', size: null, reason: e.message } satisfies Refusal);
				throw e;
			}
		}
		const token = await stageUpload(event.locals.database.db, user.id, { bytes, name: file.name || 'upload.csv', format: 'list-csv' });
		redirect(303, `/lists/${list.id}/import/map/${token}`);
	}
};

import { fail, redirect } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { createManualArticle } from '$lib/server/articles/import.service';
import { listOutlets } from '$lib/server/outlets/outlets.repository';
import { InputError, field, rawField } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const outlets = await listOutlets(event.locals.database.db);
	return { outlets: outlets.map((o) => o.name), today: new Date().toISOString().slice(0, 10) };
};

const LANGS = ['en', 'ja'];

/** The form as typed, to show again beside its errors. */
function echo(data: FormData) {
	return {
		outletName: field(data, 'outletName'),
		section: field(data, 'section'),
		publishedOn: field(data, 'publishedOn'),
		title: field(data, 'title'),
		bylineRaw: field(data, 'bylineRaw'),
		lang: field(data, 'lang'),
		body: rawField(data, 'body'),
		url: field(data, 'url')
	};
}

export const actions: Actions = {
	/** Enter a print article by hand; it goes through the same import path as any other source. */
	default: async (event) => {
		const user = requireStaff(event);
		const data = await event.request.formData();
		const values = echo(data);
		const issues: Record<string, string> = {};
		if (!values.title) issues.title = 'error_required';
		if (!values.outletName) issues.outletName = 'error_required';
		if (!values.publishedOn) issues.publishedOn = 'error_required';
		if (values.lang && !LANGS.includes(values.lang)) issues.lang = 'error_lang_invalid';
		if (values.title.length > 1000) issues.title = 'error_too_long';
		if (values.outletName.length > 200) issues.outletName = 'error_too_long';
		if (values.section.length > 200) issues.section = 'error_too_long';
		if (values.bylineRaw.length > 2000) issues.bylineRaw = 'error_too_long';
		if (values.url.length > 2000) issues.url = 'error_too_long';
		if (values.body.length > 1_000_000) issues.body = 'error_too_long';
		if (Object.keys(issues).length) return fail(400, { values, issues });
		let result: { articleId: number; duplicate: boolean };
		try {
			result = await createManualArticle(event.locals.database.db, user.id, {
				title: values.title,
				outletName: values.outletName,
				section: values.section || null,
				publishedOn: values.publishedOn,
				lang: values.lang || null,
				bylineRaw: values.bylineRaw || null,
				body: values.body.trim() || null,
				url: values.url || null
			});
		} catch (e) {
			if (e instanceof InputError) return fail(400, { values, issues: e.issues });
			throw e;
		}
		redirect(303, `/articles/${result.articleId}?notice=${result.duplicate ? 'duplicate' : 'created'}`);
	}
};

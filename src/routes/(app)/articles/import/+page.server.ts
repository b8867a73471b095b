import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { SourceError } from '$lib/server/articles/candidate';
import { startImport } from '$lib/server/articles/import.service';
import { detectFormat, fetchSource, parseSource, SOURCE_FORMATS, type LoadedSource, type SourceFormat } from '$lib/server/articles/sources';
import { stageUpload } from '$lib/server/articles/uploads';
import { parseFeedUrl } from '$lib/server/feeds/feeds.service';
import { FetchError } from '$lib/server/http/safe-fetch';
import { readArticleFile } from '$lib/server/imports/mapping';
import { listOutlets } from '$lib/server/outlets/outlets.repository';
import { InputError, field, rawField, type Issues } from '$lib/schemas/validation';
import { formatBytes, readForm, readUploadedFile, uploadLimitBytes } from './uploads.server';
import type { Actions, PageServerLoad } from './$types';

/** Formats a person may choose; OPML is a feed list and belongs to the feeds page. */
const CHOOSABLE = SOURCE_FORMATS.filter((f) => f !== 'opml');

export const load: PageServerLoad = async (event) => {
	requireStaff(event);
	const outlets = await listOutlets(event.locals.database.db);
	return { outlets: outlets.map((o) => o.name), formats: CHOOSABLE, uploadLimit: formatBytes(uploadLimitBytes()) };
};

type Action = 'upload' | 'fetch' | 'paste';

function echo(data: FormData) {
	return {
		outletName: field(data, 'outletName'),
		format: field(data, 'format'),
		url: field(data, 'url'),
		html: rawField(data, 'html')
	};
}

function chosenFormat(value: string): SourceFormat | null {
	return (CHOOSABLE as readonly string[]).includes(value) ? (value as SourceFormat) : null;
}

/** A source that could not be read: the form again, with the reason in the parser's own words. */
function unreadable(action: Action, data: FormData, e: unknown) {
	if (e instanceof SourceError || e instanceof FetchError) {
		return fail(400, { action, values: echo(data), issues: {} as Issues, reason: e.message });
	}
	throw e;
}

/** Import a parsed source in the background and show its run. */
async function importNow(event: RequestEvent, userId: number, loaded: LoadedSource, outletName: string): Promise<never> {
	const runId = await startImport(event.locals.database.db, loaded.parsed, {
		kind: loaded.kind,
		label: loaded.label,
		userId,
		outletName: outletName || null
	});
	redirect(303, `/articles/runs/${runId}`);
}

/** Hold a CSV/JSONL file for the column-mapping step and go there. */
async function toMapping(event: RequestEvent, userId: number, bytes: Uint8Array, name: string, format: 'csv' | 'jsonl', outletName: string): Promise<never> {
	const token = await stageUpload(event.locals.database.db, userId, { bytes, name, format });
	redirect(303, `/articles/import/map/${token}${outletName ? `?outlet=${encodeURIComponent(outletName)}` : ''}`);
}

export const actions: Actions = {
	/** A file: CSV and JSONL go to the mapping step, feeds and pages import at once. */
	upload: async (event) => {
		const user = requireStaff(event);
		const data = await readForm(event.request);
		if (!data) return fail(413, { action: 'upload' as Action, values: echo(new FormData()), issues: { file: 'import_error_file_too_large' } as Issues, reason: null });
		const values = echo(data);
		const upload = await readUploadedFile(data, 'file');
		if (!upload.ok) return fail(400, { action: 'upload' as Action, values, issues: { file: upload.issue } as Issues, reason: null });
		const { file, bytes } = upload;
		const format = chosenFormat(values.format) ?? detectFormat(bytes, file.name, file.type || null);
		if (format === 'opml') return fail(400, { action: 'upload' as Action, values, issues: { file: 'import_error_opml' } as Issues, reason: null });
		if (format === 'csv' || format === 'jsonl') {
			try {
				const read = readArticleFile(bytes, format);
				if (!read.header.length) throw new SourceError('the file has no header row naming its columns');
				if (!read.records.length) throw new SourceError('the file has a header but no rows of articles');
			} catch (e) {
				return unreadable('upload', data, e);
			}
			return toMapping(event, user.id, bytes, file.name, format, values.outletName);
		}
		let loaded: LoadedSource;
		try {
			loaded = parseSource(bytes, { format, name: file.name, contentType: file.type || null });
		} catch (e) {
			return unreadable('upload', data, e);
		}
		return importNow(event, user.id, loaded, values.outletName);
	},

	/** A web address: a feed (its current items) or one article page. */
	fetch: async (event) => {
		const user = requireStaff(event);
		const data = await event.request.formData();
		const values = echo(data);
		let url: string;
		try {
			url = parseFeedUrl(values.url);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { action: 'fetch' as Action, values, issues: e.issues, reason: null });
			throw e;
		}
		let fetched: Awaited<ReturnType<typeof fetchSource>>;
		try {
			fetched = await fetchSource(url);
		} catch (e) {
			return unreadable('fetch', data, e);
		}
		const { source } = fetched;
		if (source.format === 'csv' || source.format === 'jsonl') {
			return toMapping(event, user.id, fetched.bytes, url, source.format, values.outletName);
		}
		return importNow(event, user.id, source, values.outletName);
	},

	/** HTML pasted from a browser's "view source", optionally with the address it came from. */
	paste: async (event) => {
		const user = requireStaff(event);
		const data = await event.request.formData();
		const values = echo(data);
		const issues: Issues = {};
		if (!values.html.trim()) issues.html = 'error_required';
		let url: string | null = null;
		if (values.url) {
			try {
				url = parseFeedUrl(values.url);
			} catch (e) {
				if (!(e instanceof InputError)) throw e;
				Object.assign(issues, e.issues);
			}
		}
		if (Object.keys(issues).length) return fail(400, { action: 'paste' as Action, values, issues, reason: null });
		let loaded: LoadedSource;
		try {
			loaded = parseSource(new TextEncoder().encode(values.html), {
				format: 'html',
				url,
				contentType: 'text/html; charset=utf-8'
			});
		} catch (e) {
			return unreadable('paste', data, e);
		}
		return importNow(event, user.id, loaded, values.outletName);
	}
};

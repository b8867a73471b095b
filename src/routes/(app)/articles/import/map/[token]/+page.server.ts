import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { SourceError } from '$lib/server/articles/candidate';
import { startImport } from '$lib/server/articles/import.service';
import { parseSource } from '$lib/server/articles/sources';
import { deleteUpload, getUpload, headerSignature, rememberedMapping, rememberMapping } from '$lib/server/articles/uploads';
import {
	ARTICLE_FIELDS,
	createRowConverter,
	InvalidMappingError,
	readArticleFile,
	validateMapping,
	type ArticleFileRecords,
	type Mapping
} from '$lib/server/imports/mapping';
import { listOutlets } from '$lib/server/outlets/outlets.repository';
import { field, type Issues } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

const PREVIEW_ROWS = 5;
const CELL_CHARS = 120;

type FileFormat = 'csv' | 'jsonl';

/** The staged file of this user, or 404 (another user's token is as good as none). */
async function stagedFile(event: RequestEvent<{ token: string }>, userId: number) {
	const upload = await getUpload(event.locals.database.db, userId, event.params.token);
	if (!upload || (upload.format !== 'csv' && upload.format !== 'jsonl')) error(404, 'Not found');
	return { ...upload, format: upload.format as FileFormat };
}

function clip(value: string): string {
	return value.length > CELL_CHARS ? `${value.slice(0, CELL_CHARS - 1)}…` : value;
}

function cell(value: unknown): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'string') return clip(value.replace(/\s+/g, ' ').trim());
	return clip(JSON.stringify(value));
}

/** A date as read: the day alone when it has no time of day, else to the minute, in UTC as stored. */
function shownDate(iso: string | null | undefined): string {
	if (!iso) return '';
	return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Only fields of the article and columns of this file: a remembered or posted mapping may hold others. */
function fitMapping(mapping: Mapping, header: string[]): Mapping {
	const out: Mapping = {};
	for (const f of ARTICLE_FIELDS) {
		const column = mapping[f];
		if (column && header.includes(column)) out[f] = column;
	}
	return out;
}

/** The first rows as the file has them, and as the mapping would turn them into articles. */
function preview(read: ArticleFileRecords, mapping: Mapping) {
	const first = read.records.slice(0, PREVIEW_ROWS);
	const convert = createRowConverter(fitMapping(mapping, read.header), read.header);
	const mapped = ARTICLE_FIELDS.filter((f) => mapping[f]);
	return {
		raw: first.map(({ location, record }) => ({
			location,
			cells: Array.isArray(record) ? read.header.map((_, i) => cell(record[i])) : read.header.map((k) => cell(record[k]))
		})),
		fields: mapped,
		articles: first.map(({ location, record }) => {
			const { candidate, problem } = convert(record, location);
			return {
				location,
				skipped: !candidate,
				cells: mapped.map((f) => (f === 'publishedAt' ? shownDate(candidate?.publishedAt) : cell(candidate ? candidate[f] : null))),
				note: problem?.reason ?? null
			};
		})
	};
}

function postedMapping(data: FormData): Mapping {
	const mapping: Mapping = {};
	for (const f of ARTICLE_FIELDS) {
		const column = field(data, `map_${f}`);
		if (column) mapping[f] = column;
	}
	return mapping;
}

/** Mapping errors as message keys, one per field. */
function mappingIssues(mapping: Mapping, header: string[]): Issues {
	const issues: Issues = {};
	for (const e of validateMapping(mapping, header)) {
		if (issues[e.field]) continue;
		issues[e.field] = e.field === 'title' && !mapping.title ? 'import_map_error_title' : 'import_map_error_column';
	}
	return issues;
}

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const db = event.locals.database.db;
	const upload = await stagedFile(event, user.id);
	const outlets = (await listOutlets(db)).map((o) => o.name);
	let read: ArticleFileRecords;
	try {
		read = readArticleFile(upload.bytes, upload.format);
	} catch (e) {
		if (!(e instanceof SourceError)) throw e;
		return { name: upload.name, format: upload.format, outlets, reason: e.message, file: null };
	}
	const remembered = await rememberedMapping(db, headerSignature(upload.format, read.header));
	const mapping = remembered ? fitMapping(remembered.mapping, read.header) : read.suggestion;
	return {
		name: upload.name,
		format: upload.format,
		outlets,
		reason: null,
		file: {
			encoding: read.encoding,
			header: read.header,
			rows: read.records.length,
			problems: read.problems.length,
			fields: [...ARTICLE_FIELDS],
			remembered: !!remembered,
			mapping,
			outletName: event.url.searchParams.get('outlet')?.trim().slice(0, 200) || remembered?.outletName || '',
			preview: preview(read, mapping)
		}
	};
};

export const actions: Actions = {
	/** Show the preview again with the columns as now chosen (works without JavaScript). */
	preview: async (event) => {
		const user = requireStaff(event);
		const upload = await stagedFile(event, user.id);
		const data = await event.request.formData();
		const mapping = postedMapping(data);
		let read: ArticleFileRecords;
		try {
			read = readArticleFile(upload.bytes, upload.format);
		} catch (e) {
			if (e instanceof SourceError) return fail(400, { action: 'preview', reason: e.message });
			throw e;
		}
		return {
			action: 'preview',
			mapping,
			outletName: field(data, 'outletName'),
			issues: mappingIssues(mapping, read.header),
			preview: preview(read, mapping)
		};
	},

	/** Check the mapping, remember it for files laid out like this one, and import in the background. */
	import: async (event) => {
		const user = requireStaff(event);
		const db = event.locals.database.db;
		const upload = await stagedFile(event, user.id);
		const data = await event.request.formData();
		const mapping = postedMapping(data);
		const outletName = field(data, 'outletName').slice(0, 200);
		// One read of the file: parsing checks the mapping against the header it finds.
		let loaded;
		try {
			loaded = parseSource(upload.bytes, { format: upload.format, name: upload.name, mapping });
		} catch (e) {
			if (e instanceof InvalidMappingError) {
				const read = readArticleFile(upload.bytes, upload.format);
				return fail(400, { action: 'import', mapping, outletName, issues: mappingIssues(mapping, e.header), preview: preview(read, mapping) });
			}
			if (e instanceof SourceError) return fail(400, { action: 'import', reason: e.message });
			throw e;
		}
		const parsed = loaded.parsed;
		const header = loaded.header ?? [];
		await rememberMapping(db, headerSignature(upload.format, header), upload.format, mapping, outletName || null);
		const runId = await startImport(db, parsed, { kind: upload.format, label: upload.name, userId: user.id, outletName: outletName || null });
		await deleteUpload(db, event.params.token);
		redirect(303, `/articles/runs/${runId}`);
	},

	/** Drop the staged file and start again. */
	cancel: async (event) => {
		const user = requireStaff(event);
		await stagedFile(event, user.id);
		await deleteUpload(event.locals.database.db, event.params.token);
		redirect(303, '/articles/import');
	}
};

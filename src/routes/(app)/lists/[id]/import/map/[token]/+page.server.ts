import { error, fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { requireStaff } from '$lib/server/auth/guards';
import { SourceError } from '$lib/server/articles/candidate';
import { deleteUpload, getUpload, headerSignature, rememberedMapping, rememberMapping } from '$lib/server/articles/uploads';
import type { Mapping } from '$lib/server/imports/mapping';
import { parseCsv } from '$lib/server/imports/csv';
import { decodeFile } from '$lib/server/imports/text';
import { CONTACT_FIELDS, ListMappingError, parseListCsv, type ContactField, type ContactRecord, type ListCsvResult, type ListMapping } from '$lib/server/lists/list-csv';
import { importListCsv } from '$lib/server/lists/lists.service';
import { field, InputError } from '$lib/schemas/validation';
import { importTarget } from '../../list.server';
import type { Actions, PageServerLoad } from './$types';

const FORMAT = 'list-csv';
const SAMPLE_ROWS = 3;
const PREVIEW_ROWS = 5;
const PROBLEMS_SHOWN = 100;
const CELL_CHARS = 80;
// The raw samples come from the head of the file only: a 10 MB list is not decoded a second time.
const SAMPLE_BYTES = 64 * 1024;

type Event = RequestEvent<{ id: string; token: string }>;

/** The staged list file of this user, or undefined (imported, expired, or someone else's). */
async function stagedFile(event: Event, userId: number) {
	const upload = await getUpload(event.locals.database.db, userId, event.params.token);
	return upload && upload.format === FORMAT ? upload : undefined;
}

function clip(value: string | undefined): string {
	const v = (value ?? '').replace(/\s+/g, ' ').trim();
	return v.length > CELL_CHARS ? `${v.slice(0, CELL_CHARS - 1)}…` : v;
}

/**
 * The head of a big file, cut after a line feed byte, which is never part of a multi-byte
 * character in UTF-8 or Shift_JIS; UTF-16 files and small ones are taken whole.
 */
function headOf(bytes: Uint8Array): Uint8Array {
	const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
	if (utf16 || bytes.length <= SAMPLE_BYTES) return bytes;
	const cut = bytes.subarray(0, SAMPLE_BYTES).lastIndexOf(0x0a);
	return cut > 0 ? bytes.subarray(0, cut + 1) : bytes;
}

/** The file's column names, from its head when it is big (the whole file is read once, by the import). */
function headersOf(bytes: Uint8Array): string[] {
	const head = headOf(bytes);
	if (head !== bytes) {
		try {
			return parseCsv(decodeFile(head).text).header;
		} catch {
			// The whole file says what is wrong with it.
		}
	}
	return readWith(bytes, undefined).headers;
}

/** The first rows of each column as the file has them. */
function rawSamples(bytes: Uint8Array, headers: string[]): string[][] {
	try {
		const csv = parseCsv(decodeFile(headOf(bytes)).text);
		const rows = csv.rows.slice(0, SAMPLE_ROWS);
		return headers.map((_, i) => rows.map((r) => clip(r.fields[i])).filter((v) => v !== ''));
	} catch {
		return headers.map(() => []);
	}
}

/** Only columns of this file and fields that exist: a remembered or posted mapping may hold others. */
function fitMapping(mapping: Record<string, unknown>, headers: string[]): ListMapping {
	return Object.fromEntries(
		headers.map((h) => {
			const f = mapping[h];
			return [h, typeof f === 'string' && (CONTACT_FIELDS as readonly string[]).includes(f) ? (f as ContactField) : null];
		})
	);
}

/** The mapping as the form posted it: one select per column, by position. */
function postedMapping(data: FormData, headers: string[]): ListMapping {
	return fitMapping(Object.fromEntries(headers.map((h, i) => [h, field(data, `col_${i}`)])), headers);
}

function contactPreview(records: ContactRecord[]) {
	return records.slice(0, PREVIEW_ROWS).map((r) => ({
		location: r.location,
		name: clip(r.displayName),
		reading: clip(r.reading),
		outlet: clip(r.outlet),
		desk: clip([r.desk, r.title].filter(Boolean).join(' / ')),
		emails: clip(r.emails.join(', ')),
		phones: clip(r.phones.join(', ')),
		address: clip([r.address, r.city, r.country].filter(Boolean).join(', ')),
		tier: r.tier ?? '',
		note: clip(r.note)
	}));
}

/** What the mapping form shows for a file read with `mapping`. */
function view(bytes: Uint8Array, read: ListCsvResult | null, headers: string[], mapping: ListMapping) {
	return {
		headers,
		mapping,
		samples: rawSamples(bytes, headers),
		encoding: read?.encoding ?? null,
		rows: read?.records.length ?? null,
		preview: read ? contactPreview(read.records) : [],
		problems: read ? read.problems.slice(0, PROBLEMS_SHOWN) : [],
		problemCount: read?.problems.length ?? 0
	};
}

/** Reads the file with a mapping; a mapping that cannot work comes back as its reasons. */
function readWith(bytes: Uint8Array, mapping: ListMapping | undefined): { read: ListCsvResult | null; headers: string[]; mapping: ListMapping; reason: string | null } {
	try {
		const read = parseListCsv(bytes, { mapping });
		return { read, headers: read.headers, mapping: read.mapping, reason: null };
	} catch (e) {
		if (e instanceof ListMappingError) return { read: null, headers: e.headers, mapping: mapping ? fitMapping(mapping, e.headers) : e.suggested, reason: e.errors.join('; ') };
		throw e;
	}
}

export const load: PageServerLoad = async (event) => {
	const user = requireStaff(event);
	const list = await importTarget(event);
	const db = event.locals.database.db;
	const upload = await stagedFile(event, user.id);
	const base = { list, fields: [...CONTACT_FIELDS] };
	if (!upload) return { ...base, name: null, file: null, reason: null, remembered: false };
	let chosen;
	let remembered;
	try {
		const headers = headersOf(upload.bytes);
		remembered = await rememberedMapping(db, headerSignature(FORMAT, headers));
		chosen = readWith(upload.bytes, remembered ? fitMapping(remembered.mapping as Record<string, unknown>, headers) : undefined);
	} catch (e) {
		if (e instanceof SourceError) return { ...base, name: upload.name, file: null, reason: e.message, remembered: false };
		throw e;
	}
	return {
		...base,
		name: upload.name,
		remembered: !!remembered,
		reason: chosen.reason,
		file: view(upload.bytes, chosen.read, chosen.headers, chosen.mapping)
	};
};

export const actions: Actions = {
	/** The preview again with the columns as now chosen (works without JavaScript). */
	preview: async (event) => {
		const user = requireStaff(event);
		await importTarget(event);
		const upload = await stagedFile(event, user.id);
		if (!upload) return fail(410, { action: 'preview', gone: true });
		const data = await event.request.formData();
		try {
			const result = readWith(upload.bytes, postedMapping(data, headersOf(upload.bytes)));
			return { action: 'preview', reason: result.reason, file: view(upload.bytes, result.read, result.headers, result.mapping) };
		} catch (e) {
			if (e instanceof SourceError) return fail(400, { action: 'preview', reason: e.message });
			throw e;
		}
	},

	/** Imports with the chosen columns, remembers them for files laid out like this one, and reports. */
	import: async (event) => {
		const user = requireStaff(event);
		const list = await importTarget(event);
		const db = event.locals.database.db;
		const upload = await stagedFile(event, user.id);
		if (!upload) return fail(410, { action: 'import', gone: true });
		const data = await event.request.formData();
		let headers: string[];
		try {
			headers = headersOf(upload.bytes);
		} catch (e) {
			if (e instanceof SourceError) return fail(400, { action: 'import', reason: e.message });
			throw e;
		}
		const mapping = postedMapping(data, headers);
		let report;
		try {
			report = await importListCsv(db, user.id, list.id, upload.bytes, { fileName: upload.name, mapping });
		} catch (e) {
			if (e instanceof ListMappingError) {
				const result = readWith(upload.bytes, mapping);
				return fail(400, { action: 'import', reason: e.errors.join('; '), file: view(upload.bytes, result.read, e.headers, mapping) });
			}
			if (e instanceof SourceError) return fail(400, { action: 'import', reason: e.message });
			if (e instanceof InputError) error(404, 'Not found');
			throw e;
		}
		// The column plan, not the data: kept for the next file laid out like this one.
		await rememberMapping(db, headerSignature(FORMAT, headers), FORMAT, mapping as unknown as Mapping, null);
		await deleteUpload(db, event.params.token);
		return { action: 'import', report: { ...report, fileName: upload.name } };
	},

	/** Drop the staged file and start again. */
	cancel: async (event) => {
		const user = requireStaff(event);
		const list = await importTarget(event);
		if (await stagedFile(event, user.id)) await deleteUpload(event.locals.database.db, event.params.token);
		redirect(303, `/lists/${list.id}/import`);
	}
};

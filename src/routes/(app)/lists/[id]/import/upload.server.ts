import { LIST_CSV_MAX_BYTES } from '$lib/server/lists/list-csv';
import { uploadLimitBytes } from '../../../articles/import/uploads.server';

// Room for the multipart boundaries and headers around the file; the form has no other fields.
const FORM_OVERHEAD = 64 * 1024;

/**
 * The largest media-list file this page takes: the list limit, or the server's body limit
 * (BODY_SIZE_LIMIT) when that is lower, since a larger request never reaches the action.
 */
export function listUploadLimit(): number {
	return Math.min(LIST_CSV_MAX_BYTES, uploadLimitBytes());
}

export type LimitedForm = { ok: true; data: FormData } | { ok: false; size: number | null };

function isTooLarge(e: unknown): boolean {
	return !!e && typeof e === 'object' && 'status' in e && e.status === 413;
}

/**
 * The posted form when its file can be within `limit` bytes. A larger request is refused on its
 * Content-Length before a byte of the body is read, or (sent without one) as soon as what has
 * arrived passes the limit; the rest is left unread, and the server discards it once the answer is
 * sent. `size` is the request's declared size, when it declared one.
 */
export async function readLimitedForm(request: Request, limit: number): Promise<LimitedForm> {
	const max = limit + FORM_OVERHEAD;
	const header = request.headers.get('content-length');
	const declared = header !== null && /^\d+$/.test(header) ? Number(header) : null;
	if (declared !== null && declared > max) return { ok: false, size: declared };
	if (!request.body) return { ok: true, data: new FormData() };
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			total += value.byteLength;
			// Not cancelled: cancelling destroys the connection (adapter-node), and the answer with it.
			if (total > max) {
				reader.releaseLock();
				return { ok: false, size: declared };
			}
			chunks.push(value);
		}
	} catch (e) {
		// adapter-node's own BODY_SIZE_LIMIT, met while reading.
		if (isTooLarge(e)) return { ok: false, size: declared };
		throw e;
	}
	const body = new Uint8Array(total);
	let at = 0;
	for (const chunk of chunks) {
		body.set(chunk, at);
		at += chunk.byteLength;
	}
	try {
		const type = request.headers.get('content-type') ?? '';
		return { ok: true, data: await new Response(body, { headers: { 'content-type': type } }).formData() };
	} catch (e) {
		// Not a form at all (a hand-made request): treated as a form without a file.
		if (e instanceof TypeError) return { ok: true, data: new FormData() };
		throw e;
	}
}

import { env } from '$env/dynamic/private';

/** The largest file an import takes: bigger files are better split than held in one request. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/**
 * The largest upload that reaches this code: our own cap, or the server's body limit
 * (adapter-node's BODY_SIZE_LIMIT, default 512K) when that is lower, since a larger request is
 * refused with 413 before any action runs.
 */
export function uploadLimitBytes(): number {
	const raw = (env.BODY_SIZE_LIMIT ?? '512K').trim();
	if (raw === 'Infinity') return MAX_UPLOAD_BYTES;
	const multiplier = ({ K: 1024, M: 1024 ** 2, G: 1024 ** 3 } as Record<string, number>)[raw.slice(-1).toUpperCase()] ?? 1;
	const bytes = Number(multiplier === 1 ? raw : raw.slice(0, -1)) * multiplier;
	return Number.isFinite(bytes) && bytes > 0 ? Math.min(bytes, MAX_UPLOAD_BYTES) : MAX_UPLOAD_BYTES;
}

/** A size for people: "50 MB", "512 KB". */
export function formatBytes(bytes: number): string {
	if (bytes >= 1024 ** 2) return `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;
	return `${Math.round(bytes / 1024)} KB`;
}

export type FileCheck = { ok: true; file: File; bytes: Uint8Array } | { ok: false; issue: string };

/** The uploaded file of a form field, or the message key of why it cannot be used. */
export async function readUploadedFile(data: FormData, name: string): Promise<FileCheck> {
	const file = data.get(name);
	if (!(file instanceof File) || (file.size === 0 && !file.name)) return { ok: false, issue: 'import_error_file_required' };
	if (file.size === 0) return { ok: false, issue: 'import_error_file_empty' };
	if (file.size > MAX_UPLOAD_BYTES) return { ok: false, issue: 'import_error_file_too_large' };
	return { ok: true, file, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/**
 * The posted form, or null when the body is over the server's limit: adapter-node refuses it with
 * a 413 error when it is read, which the page turns into a message stating the limit.
 */
export async function readForm(request: Request): Promise<FormData | null> {
	try {
		return await request.formData();
	} catch (e) {
		if (e && typeof e === 'object' && 'status' in e && e.status === 413) return null;
		throw e;
	}
}

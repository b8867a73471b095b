/**
 * Content-Disposition for a download named after a list. The plain `filename` is ASCII only (older
 * clients and some proxies mangle anything else); `filename*` (RFC 6266 / RFC 5987) carries the
 * real name, Japanese included, percent-encoded as UTF-8.
 */

// Characters no file name may hold on common systems, control characters, and what would end the header value.
const UNSAFE = /[\u0000-\u001f\u007f"*/:<>?\\|]/g;
const MAX_NAME = 100;

/** The list name as a file name: unsafe characters replaced, trimmed of dots and spaces, shortened. */
function cleanName(name: string): string {
	const cleaned = name
		.normalize('NFC')
		.replace(UNSAFE, '-')
		.replace(/\s+/g, ' ')
		.trim()
		// A leading dot hides a file; trailing dots and spaces are dropped by Windows.
		.replace(/^[.\s]+|[.\s]+$/g, '');
	return [...cleaned].slice(0, MAX_NAME).join('');
}

/** RFC 5987 ext-value: UTF-8, percent-encoded except attr-char. */
function encodeExtValue(text: string): string {
	return encodeURIComponent(text).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `attachment; filename="…"; filename*=UTF-8''…` for `name.ext`, falling back to `fallback.ext` when the name has no ASCII words. */
export function attachmentDisposition(name: string, fallback: string, ext: string): string {
	const clean = cleanName(name) || fallback;
	const ascii = clean
		.replace(/[^A-Za-z0-9._ -]+/g, '-')
		.replace(/-{2,}/g, '-')
		.replace(/^[-. ]+|[-. ]+$/g, '');
	// A name of another script would leave only dashes: the fallback says more.
	const plain = /[A-Za-z0-9]/.test(ascii) ? ascii : fallback;
	return `attachment; filename="${plain}.${ext}"; filename*=UTF-8''${encodeExtValue(`${clean}.${ext}`)}`;
}

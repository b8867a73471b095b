/**
 * Bytes → text for anything an importer reads (feeds, OPML, CSV): byte-order marks, the XML
 * declaration, an HTTP charset, and detection when nothing is declared. Decoding never throws on
 * bad bytes; what had to be guessed or replaced is said in `warnings`.
 */
import { gunzipSync } from 'node:zlib';
import { analyse } from 'chardet';
import { SourceError } from '../articles/candidate';

export interface DecodeHints {
	/** The charset parameter of an HTTP Content-Type header, if any (see `charsetFromContentType`). */
	contentTypeCharset?: string | null;
	/** An encoding the file itself declares; when absent, an XML declaration is looked for. */
	declared?: string | null;
}

export interface DecodedText {
	text: string;
	/** WHATWG name of the encoding used ("utf-8", "shift_jis", "windows-1252", "utf-32be", …). */
	encoding: string;
	/** What had to be guessed or repaired, in plain English; empty when the bytes were as declared. */
	warnings: string[];
}

/** Decompressed size beyond which gzip input is refused. */
export const MAX_GUNZIPPED_BYTES = 50 * 1024 * 1024;

// Labels that name a single-byte Latin encoding. Servers and CMSs put these on UTF-8 content so
// often that valid multi-byte UTF-8 is trusted over them (the reverse mistake cannot produce it).
const LATIN_SINGLE_BYTE = new Set(['windows-1252', 'iso-8859-15', 'iso-8859-2']);

/** Decodes bytes to text: BOM, then HTTP charset, then declaration, then UTF-8, then detection. */
export function decodeText(bytes: Uint8Array, hints: DecodeHints = {}): DecodedText {
	const warnings: string[] = [];

	const bom = sniffBom(bytes);
	if (bom) {
		const body = bytes.subarray(bom.length);
		return finish(decodeWith(bom.encoding, body, warnings, 'its byte-order mark'), bom.encoding, warnings);
	}

	// Without a BOM, UTF-16/32 still shows itself through the zero bytes around ASCII characters;
	// such a file's own declaration was read through the wrong glasses, so the pattern wins.
	const wide = sniffWide(bytes);
	if (wide) return finish(decodeWith(wide, bytes, warnings, 'its byte pattern'), wide, warnings);

	const declaredLabel = hints.declared !== undefined ? hints.declared : sniffXmlDeclaration(bytes);
	const candidates: { label: string; source: string }[] = [];
	if (hints.contentTypeCharset) candidates.push({ label: hints.contentTypeCharset, source: 'the HTTP charset' });
	if (declaredLabel) candidates.push({ label: declaredLabel, source: 'its declaration' });

	for (const { label, source } of candidates) {
		const encoding = canonicalEncoding(label);
		if (!encoding) {
			warnings.push(`${source} names the encoding "${label}", which is unknown; it was ignored`);
			continue;
		}
		if (encoding === 'utf-16le' || encoding === 'utf-16be' || encoding.startsWith('utf-32')) {
			// The bytes were ASCII-compatible (sniffWide saw no zero pattern), so this label is wrong.
			warnings.push(`${source} says ${label}, but the bytes are not ${label}; it was ignored`);
			continue;
		}
		if (LATIN_SINGLE_BYTE.has(encoding) && hasMultibyteUtf8(bytes) && isValidUtf8(bytes)) {
			warnings.push(`${source} says ${label}, but the text is valid UTF-8; it was read as UTF-8`);
			return finish(new TextDecoder('utf-8').decode(bytes), 'utf-8', warnings);
		}
		const strict = tryDecode(encoding, bytes);
		if (strict !== null) return finish(strict, encoding, warnings);
		const repaired = decodeMislabelled(bytes, encoding, label, source, warnings);
		return finish(repaired.text, repaired.encoding, warnings);
	}

	const utf8 = tryDecode('utf-8', bytes);
	if (utf8 !== null) return finish(utf8, 'utf-8', warnings);

	const guessed = detectEncoding(bytes);
	if (guessed) {
		warnings.push(`no encoding was declared and the text is not UTF-8; it was read as ${guessed} (detected)`);
		return finish(tryDecode(guessed, bytes) ?? '', guessed, warnings);
	}
	return finish(decodeWith('utf-8', bytes, warnings, 'the default'), 'utf-8', warnings);
}

function decodeMislabelled(
	bytes: Uint8Array,
	encoding: string,
	label: string,
	source: string,
	warnings: string[]
): { text: string; encoding: string } {
	if (encoding !== 'utf-8') {
		const utf8 = tryDecode('utf-8', bytes);
		if (utf8 !== null) {
			warnings.push(`${source} says ${label}, but the bytes are not valid ${label}; they are valid UTF-8 and were read so`);
			return { text: utf8, encoding: 'utf-8' };
		}
	} else if (mostlyUtf8(bytes)) {
		// A few stray bytes in otherwise UTF-8 text (a pasted Latin-1 character): keep the UTF-8.
		return { text: decodeWith('utf-8', bytes, warnings, source), encoding: 'utf-8' };
	}
	const guessed = detectEncoding(bytes);
	if (guessed && guessed !== encoding) {
		warnings.push(`${source} says ${label}, but the bytes are not valid ${label}; they were read as ${guessed} (detected)`);
		return { text: tryDecode(guessed, bytes) ?? '', encoding: guessed };
	}
	return { text: decodeWith(encoding, bytes, warnings, source), encoding };
}

function finish(text: string, encoding: string, warnings: string[]): DecodedText {
	return { text, encoding, warnings };
}

/** The charset parameter of a Content-Type header value, unquoted, or null. */
export function charsetFromContentType(contentType: string | null | undefined): string | null {
	if (!contentType) return null;
	const match = /;\s*charset\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;"']+))/i.exec(contentType);
	const value = (match?.[1] ?? match?.[2] ?? match?.[3] ?? '').trim();
	return value || null;
}

/** The WHATWG name for an encoding label ("Shift-JIS" → "shift_jis"), or null when unsupported. */
export function canonicalEncoding(label: string): string | null {
	const cleaned = label.trim().toLowerCase();
	if (!cleaned) return null;
	const alias = EXTRA_ALIASES[cleaned];
	if (alias) return alias;
	try {
		return new TextDecoder(cleaned).encoding;
	} catch {
		return null;
	}
}

// Labels seen in feeds that WHATWG does not list, or lists differently from common intent.
const EXTRA_ALIASES: Record<string, string> = {
	'utf-32': 'utf-32be',
	utf32: 'utf-32be',
	'ucs-4': 'utf-32be',
	'utf-32le': 'utf-32le',
	'utf-32be': 'utf-32be',
	'utf-16': 'utf-16be',
	utf16: 'utf-16be',
	u16: 'utf-16be',
	utf_16: 'utf-16be',
	'ucs-2': 'utf-16be',
	utf8: 'utf-8',
	utf_8: 'utf-8',
	sjis: 'shift_jis',
	'shift-jis': 'shift_jis',
	'cp932': 'shift_jis',
	'x-euc-jp': 'euc-jp',
	'tis-620': 'windows-874',
	'x-mac-roman': 'macintosh',
	'mac-roman': 'macintosh'
};

/**
 * Decompresses gzip input (detected by its magic bytes) with a size cap; other input is returned
 * as is. A decompression bomb or corrupt stream is a SourceError.
 */
export function gunzipIfCompressed(bytes: Uint8Array, maxBytes = MAX_GUNZIPPED_BYTES): Uint8Array {
	if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
	try {
		return gunzipSync(bytes, { maxOutputLength: maxBytes });
	} catch (e) {
		const err = e as NodeJS.ErrnoException;
		if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
			throw new SourceError(
				`the gzip-compressed content expands to more than ${Math.round(maxBytes / 1024 / 1024)} MB; refused (a decompression bomb?)`
			);
		}
		throw new SourceError(`the content is gzip-compressed but cannot be decompressed: ${err.message}`);
	}
}

function sniffBom(bytes: Uint8Array): { encoding: string; length: number } | null {
	const [a, b, c, d] = bytes;
	if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3 };
	if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', length: 4 };
	if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return { encoding: 'utf-32le', length: 4 };
	if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2 };
	if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', length: 2 };
	return null;
}

function sniffWide(bytes: Uint8Array): string | null {
	if (bytes.length < 4) return null;
	const [a, b, c, d] = bytes;
	if (a === 0 && b === 0 && c === 0 && d !== 0) return 'utf-32be';
	if (a !== 0 && b === 0 && c === 0 && d === 0) return 'utf-32le';
	if (a === 0 && b !== 0 && c === 0 && d !== 0) return 'utf-16be';
	if (a !== 0 && b === 0 && c !== 0 && d === 0) return 'utf-16le';
	return null;
}

/** The encoding named by an XML declaration at the very start of ASCII-compatible bytes. */
export function sniffXmlDeclaration(bytes: Uint8Array): string | null {
	// The declaration must come first, but stray whitespace before it is common enough to allow.
	const head = String.fromCharCode(...bytes.subarray(0, 512)).replace(/^\s+/, '');
	if (!head.startsWith('<?xml')) return null;
	const end = head.indexOf('?>');
	const decl = end >= 0 ? head.slice(0, end) : head;
	const match = /encoding\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(decl);
	return (match?.[1] ?? match?.[2] ?? '').trim() || null;
}

function tryDecode(encoding: string, bytes: Uint8Array): string | null {
	if (encoding.startsWith('utf-32')) return decodeUtf32(bytes, encoding === 'utf-32le', true);
	try {
		const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
		return encoding === 'windows-1252' ? mapC1ToWindows1252(text) : text;
	} catch {
		return null;
	}
}

// Node 20's "windows-1252" decoder is really ISO-8859-1: bytes 0x80–0x9F come out as C1 control
// characters instead of € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ.
const WINDOWS_1252_C1 =
	'\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
	'\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Replaces C1 control characters (U+0080–U+009F) with the windows-1252 characters they almost
 * always stand for: text that was Windows "smart quotes" labelled as Latin-1 or UTF-8.
 */
export function mapC1ToWindows1252(text: string): string {
	return /[\u0080-\u009f]/.test(text)
		? text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80])
		: text;
}

/**
 * Undoes UTF-8 that was decoded as Latin-1 somewhere upstream ("donâ€™t" → "don’t"), when the
 * whole string is Latin-1 and reads as valid UTF-8; anything else is returned unchanged.
 */
export function repairMojibake(text: string): string {
	if (!/[\u00c2-\u00f4][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]/.test(text)) {
		return text;
	}
	const bytes = new Uint8Array(text.length);
	for (let i = 0; i < text.length; i++) {
		let code = text.charCodeAt(i);
		if (code > 0xff) {
			// A windows-1252 character stands for the byte it was decoded from.
			const byte = WINDOWS_1252_C1.indexOf(text[i]);
			if (byte < 0) return text;
			code = 0x80 + byte;
		}
		bytes[i] = code;
	}
	return tryDecode('utf-8', bytes) ?? text;
}

function decodeWith(encoding: string, bytes: Uint8Array, warnings: string[], source: string): string {
	const strict = tryDecode(encoding, bytes);
	if (strict !== null) return strict;
	const text = encoding.startsWith('utf-32')
		? (decodeUtf32(bytes, encoding === 'utf-32le', false) as string)
		: new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
	warnings.push(`some bytes are not valid ${encoding} (as given by ${source}) and were replaced with "\uFFFD"`);
	return text;
}

// TextDecoder has no UTF-32; it is rare enough that a plain loop is fine.
function decodeUtf32(bytes: Uint8Array, littleEndian: boolean, fatal: boolean): string | null {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const parts: string[] = [];
	let chunk: number[] = [];
	const usable = bytes.length - (bytes.length % 4);
	if (usable !== bytes.length && fatal) return null;
	for (let i = 0; i < usable; i += 4) {
		let code = view.getUint32(i, littleEndian);
		if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
			if (fatal) return null;
			code = 0xfffd;
		}
		chunk.push(code);
		if (chunk.length >= 8192) {
			parts.push(String.fromCodePoint(...chunk));
			chunk = [];
		}
	}
	parts.push(String.fromCodePoint(...chunk));
	if (usable !== bytes.length) parts.push('\uFFFD');
	return parts.join('');
}

function isValidUtf8(bytes: Uint8Array): boolean {
	return tryDecode('utf-8', bytes) !== null;
}

function hasMultibyteUtf8(bytes: Uint8Array): boolean {
	for (let i = 0; i < bytes.length - 1; i++) {
		const b = bytes[i];
		if (b >= 0xc2 && b <= 0xf4 && (bytes[i + 1] & 0xc0) === 0x80) return true;
	}
	return false;
}

// True when the bytes carry real UTF-8 sequences and only a handful of invalid ones.
function mostlyUtf8(bytes: Uint8Array): boolean {
	if (!hasMultibyteUtf8(bytes)) return false;
	const text = new TextDecoder('utf-8').decode(bytes);
	let bad = 0;
	for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) bad++;
	return bad <= Math.max(3, text.length / 1000);
}

/** The most likely encoding of undeclared non-UTF-8 bytes, as a WHATWG name, or null. */
export function detectEncoding(bytes: Uint8Array): string | null {
	for (const match of analyse(bytes)) {
		if (match.confidence < 10) break;
		const encoding = canonicalEncoding(match.name);
		if (!encoding || encoding === 'utf-8' || encoding.startsWith('utf-16') || encoding.startsWith('utf-32')) continue;
		if (tryDecode(encoding, bytes) !== null) return encoding;
	}
	return null;
}

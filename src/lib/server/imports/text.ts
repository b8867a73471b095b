import { isUtf8 } from 'node:buffer';
import { SourceError } from '../articles/candidate';

export type FileEncoding = 'utf-8' | 'utf-8-bom' | 'shift_jis' | 'utf-16le' | 'utf-16be';

export interface DecodedFile {
	text: string;
	encoding: FileEncoding;
}

// Magic numbers of the files people most often upload by mistake in place of a CSV export.
const BINARY_SIGNATURES: { bytes: number[]; what: string }[] = [
	{ bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an Excel .xlsx workbook?); save it as CSV first' },
	{ bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an old Excel (.xls) or Word file; save it as CSV first' },
	{ bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document, not a text file' },
	{ bytes: [0x1f, 0x8b], what: 'a gzip-compressed file; decompress it first' }
];

/** Turns the bytes of an uploaded CSV/JSONL file into text, detecting UTF-8 (±BOM), UTF-16 (BOM) or Shift_JIS/CP932. */
export function decodeFile(bytes: Uint8Array): DecodedFile {
	if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
		return { text: decodeStrict('utf-8', bytes.subarray(3), 'starts with a UTF-8 byte-order mark'), encoding: 'utf-8-bom' };
	}
	// A UTF-32 BOM also starts with FF FE; refuse it rather than decode it as UTF-16 garbage.
	if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00])) {
		throw new SourceError('the file is UTF-32 text, which is not supported; save it as UTF-8');
	}
	if (startsWith(bytes, [0xff, 0xfe])) {
		return { text: decodeStrict('utf-16le', bytes.subarray(2), 'starts with a UTF-16 (little-endian) byte-order mark'), encoding: 'utf-16le' };
	}
	if (startsWith(bytes, [0xfe, 0xff])) {
		return { text: decodeStrict('utf-16be', bytes.subarray(2), 'starts with a UTF-16 (big-endian) byte-order mark'), encoding: 'utf-16be' };
	}
	for (const signature of BINARY_SIGNATURES) {
		if (startsWith(bytes, signature.bytes)) throw new SourceError(`the file is ${signature.what}`);
	}
	// Text has no NUL bytes, while UTF-16 without a BOM and binary files have them from the start;
	// looking only at the head keeps one stray NUL deep in a big export from rejecting all of it.
	const nul = bytes.subarray(0, 8192).indexOf(0);
	if (nul >= 0) {
		throw new SourceError(
			`the file is not plain text (it has a zero byte at offset ${nul}); if it is UTF-16, save it as UTF-8 or with a byte-order mark`
		);
	}
	// isUtf8 validates without building a string, so a Shift_JIS file is not half-decoded twice.
	if (isUtf8(bytes)) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
	// Japanese Excel saves CSV as CP932, which Node's ICU "shift_jis" decoder covers
	// (NEC/IBM extensions such as ①, ～ as U+FF5E, 髙).
	try {
		return { text: new TextDecoder('shift_jis', { fatal: true }).decode(bytes), encoding: 'shift_jis' };
	} catch {
		const offset = firstInvalidUtf8(bytes);
		throw new SourceError(
			`the file is neither UTF-8 nor Shift_JIS text (the first byte that is not UTF-8 is at offset ${offset}); save it as UTF-8`
		);
	}
}

function decodeStrict(encoding: string, bytes: Uint8Array, what: string): string {
	try {
		// ignoreBOM keeps a second BOM as text rather than hiding it; the first one is already cut off.
		return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		throw new SourceError(`the file ${what} but is not valid ${encoding.toUpperCase()} after it`);
	}
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
	if (bytes.length < prefix.length) return false;
	for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
	return true;
}

/** Byte offset of the first byte that breaks UTF-8, so an error can point at it. */
function firstInvalidUtf8(bytes: Uint8Array): number {
	let i = 0;
	while (i < bytes.length) {
		const b = bytes[i];
		let need: number;
		let min: number;
		if (b < 0x80) {
			i++;
			continue;
		} else if (b >= 0xc2 && b <= 0xdf) {
			need = 1;
			min = 0x80;
		} else if (b >= 0xe0 && b <= 0xef) {
			need = 2;
			min = 0x800;
		} else if (b >= 0xf0 && b <= 0xf4) {
			need = 3;
			min = 0x10000;
		} else {
			return i;
		}
		let cp = b & (0x3f >> need);
		for (let k = 1; k <= need; k++) {
			const c = bytes[i + k];
			if (c === undefined || (c & 0xc0) !== 0x80) return i;
			cp = (cp << 6) | (c & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
		i += need + 1;
	}
	return bytes.length;
}

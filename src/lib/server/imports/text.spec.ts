import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../articles/candidate';
import { decodeFile } from './text';

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: (number[] | Uint8Array)[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('decodeFile', () => {
	const sample = 'title,byline\n見出し①,髙橋 ～ 記者\n';

	it('reads UTF-8 without a BOM', () => {
		expect(decodeFile(utf8(sample))).toEqual({ text: sample, encoding: 'utf-8' });
	});

	it('reads UTF-8 with a BOM and drops the BOM', () => {
		const decoded = decodeFile(concat([0xef, 0xbb, 0xbf], utf8(sample)));
		expect(decoded).toEqual({ text: sample, encoding: 'utf-8-bom' });
		expect(decoded.text.charCodeAt(0)).not.toBe(0xfeff);
	});

	it('reads UTF-16 little- and big-endian when a BOM says so', () => {
		const le = Buffer.from(sample, 'utf16le');
		const be = Buffer.from(le).swap16();
		expect(decodeFile(concat([0xff, 0xfe], le))).toEqual({ text: sample, encoding: 'utf-16le' });
		expect(decodeFile(concat([0xfe, 0xff], be))).toEqual({ text: sample, encoding: 'utf-16be' });
	});

	it('reads CP932 (Japanese Excel) including NEC/IBM extensions and the CP932 tilde', () => {
		const bytes = iconv.encode(sample, 'cp932');
		// ① is 0x8740 (NEC row 13), 髙 0xFBFC (IBM extension), ～ 0x8160 which CP932 maps to U+FF5E.
		expect(Buffer.from(bytes).includes(Buffer.from([0x87, 0x40]))).toBe(true);
		expect(Buffer.from(bytes).includes(Buffer.from([0xfb, 0xfc]))).toBe(true);
		expect(Buffer.from(bytes).includes(Buffer.from([0x81, 0x60]))).toBe(true);
		const decoded = decodeFile(bytes);
		expect(decoded.encoding).toBe('shift_jis');
		expect(decoded.text).toBe(sample);
		expect(decoded.text).toContain('\uff5e');
	});

	it('keeps plain ASCII as UTF-8 (the two agree there)', () => {
		expect(decodeFile(iconv.encode('title\nhello\n', 'cp932')).encoding).toBe('utf-8');
	});

	it('returns empty text for no bytes, leaving "empty" to the parsers', () => {
		expect(decodeFile(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8' });
	});

	it('refuses bytes that are neither UTF-8 nor Shift_JIS, naming the first bad offset', () => {
		// 0x85 0x20: a Shift_JIS lead byte with an impossible trail byte; also invalid UTF-8.
		const bytes = concat(utf8('title\nabc'), [0x85, 0x20]);
		expect(() => decodeFile(bytes)).toThrow(SourceError);
		expect(() => decodeFile(bytes)).toThrow('neither UTF-8 nor Shift_JIS text (the first byte that is not UTF-8 is at offset 9)');
	});

	it('refuses a broken file that claims to be UTF-8 by its BOM', () => {
		expect(() => decodeFile(concat([0xef, 0xbb, 0xbf], utf8('ok'), [0xff]))).toThrow(
			'starts with a UTF-8 byte-order mark but is not valid UTF-8 after it'
		);
	});

	it('names an Excel workbook and binary data instead of decoding garbage', () => {
		expect(() => decodeFile(concat([0x50, 0x4b, 0x03, 0x04], utf8('xl/workbook.xml')))).toThrow(
			'a ZIP archive (an Excel .xlsx workbook?)'
		);
		expect(() => decodeFile(concat([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]))).toThrow('old Excel (.xls)');
		expect(() => decodeFile(Buffer.from('title\nabc', 'utf16le'))).toThrow('not plain text (it has a zero byte at offset 1)');
	});

	it('does not reject a long text file for one stray zero byte far from its start', () => {
		const text = `title\n${'row\n'.repeat(3000)}bad\0row\n`;
		expect(decodeFile(utf8(text))).toEqual({ text, encoding: 'utf-8' });
	});
});

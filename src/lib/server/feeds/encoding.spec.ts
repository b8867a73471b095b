import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../articles/candidate';
import {
	canonicalEncoding,
	charsetFromContentType,
	decodeText,
	detectEncoding,
	gunzipIfCompressed,
	mapC1ToWindows1252,
	repairMojibake,
	sniffXmlDeclaration
} from './encoding';

const FIXTURES = resolve(process.cwd(), '../shared/data/fixtures');
const haveFixtures = existsSync(resolve(FIXTURES, 'feedparser-cases')) && existsSync(resolve(FIXTURES, 'node-feedparser-feeds'));

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const utf16 = (s: string, littleEndian: boolean) => {
	const out = new Uint8Array(s.length * 2);
	const view = new DataView(out.buffer);
	for (let i = 0; i < s.length; i++) view.setUint16(i * 2, s.charCodeAt(i), littleEndian);
	return out;
};
const utf32 = (s: string, littleEndian: boolean) => {
	const points = [...s].map((c) => c.codePointAt(0)!);
	const out = new Uint8Array(points.length * 4);
	const view = new DataView(out.buffer);
	points.forEach((p, i) => view.setUint32(i * 4, p, littleEndian));
	return out;
};

// 日本語 in the two Japanese legacy encodings.
const NIHONGO_SJIS = [0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea];
const NIHONGO_EUCJP = [0xc6, 0xfc, 0xcb, 0xdc, 0xb8, 0xec];

describe('decodeText', () => {
	it('reads plain UTF-8 without warnings', () => {
		const r = decodeText(new TextEncoder().encode('<rss><title>記者 café</title></rss>'));
		expect(r).toEqual({ text: '<rss><title>記者 café</title></rss>', encoding: 'utf-8', warnings: [] });
	});

	it('honours byte-order marks (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) and drops them', () => {
		const text = '<?xml version="1.0"?><rss>日本</rss>';
		expect(decodeText(concat(Uint8Array.of(0xef, 0xbb, 0xbf), new TextEncoder().encode(text)))).toMatchObject({ text, encoding: 'utf-8' });
		expect(decodeText(concat(Uint8Array.of(0xff, 0xfe), utf16(text, true)))).toMatchObject({ text, encoding: 'utf-16le' });
		expect(decodeText(concat(Uint8Array.of(0xfe, 0xff), utf16(text, false)))).toMatchObject({ text, encoding: 'utf-16be' });
		expect(decodeText(concat(Uint8Array.of(0xff, 0xfe, 0, 0), utf32(text, true)))).toMatchObject({ text, encoding: 'utf-32le' });
		expect(decodeText(concat(Uint8Array.of(0, 0, 0xfe, 0xff), utf32(text, false)))).toMatchObject({ text, encoding: 'utf-32be' });
	});

	it('recognises UTF-16 and UTF-32 without a BOM from the zero bytes, whatever the declaration says', () => {
		const text = '<?xml version="1.0" encoding="u16"?><rss>ニュース</rss>';
		expect(decodeText(utf16(text, true))).toMatchObject({ text, encoding: 'utf-16le' });
		expect(decodeText(utf16(text, false))).toMatchObject({ text, encoding: 'utf-16be' });
		expect(decodeText(utf32(text, false))).toMatchObject({ text, encoding: 'utf-32be' });
	});

	it('uses the XML declaration: Shift_JIS, EUC-JP', () => {
		const sjis = concat(ascii('<?xml version="1.0" encoding="Shift_JIS"?><t>'), Uint8Array.from(NIHONGO_SJIS), ascii('</t>'));
		expect(decodeText(sjis)).toEqual({ text: '<?xml version="1.0" encoding="Shift_JIS"?><t>日本語</t>', encoding: 'shift_jis', warnings: [] });
		const euc = concat(ascii("<?xml version='1.0' encoding='EUC-JP' ?><t>"), Uint8Array.from(NIHONGO_EUCJP), ascii('</t>'));
		expect(decodeText(euc)).toMatchObject({ text: "<?xml version='1.0' encoding='EUC-JP' ?><t>日本語</t>", encoding: 'euc-jp' });
	});

	it('lets the HTTP charset override the declaration (RFC 3023), but not a BOM', () => {
		// "Ж" is 0xC6 in windows-1251 and "Æ" in ISO-8859-1.
		const bytes = concat(ascii('<?xml version="1.0" encoding="iso-8859-1"?><t>'), Uint8Array.of(0xc6), ascii('</t>'));
		expect(decodeText(bytes).text).toContain('<t>Æ</t>');
		expect(decodeText(bytes, { contentTypeCharset: 'windows-1251' })).toMatchObject({ encoding: 'windows-1251' });
		expect(decodeText(bytes, { contentTypeCharset: 'windows-1251' }).text).toContain('<t>Ж</t>');
		const bom = concat(Uint8Array.of(0xef, 0xbb, 0xbf), new TextEncoder().encode('<t>Ж</t>'));
		expect(decodeText(bom, { contentTypeCharset: 'iso-8859-1' }).text).toBe('<t>Ж</t>');
	});

	it('an explicit declared hint replaces sniffing (for callers that know better)', () => {
		const bytes = concat(ascii('<t>'), Uint8Array.from(NIHONGO_SJIS), ascii('</t>'));
		expect(decodeText(bytes, { declared: 'cp932' })).toMatchObject({ text: '<t>日本語</t>', encoding: 'shift_jis' });
	});

	it('ignores an unknown declared encoding and says so', () => {
		const r = decodeText(ascii('<?xml version="1.0" encoding="bogus"?><rss/>'));
		expect(r.encoding).toBe('utf-8');
		expect(r.warnings).toEqual(['its declaration names the encoding "bogus", which is unknown; it was ignored']);
	});

	it('reads valid multi-byte UTF-8 as UTF-8 even when labelled Latin-1, and says so', () => {
		const bytes = concat(ascii('<?xml version="1.0" encoding="ISO-8859-1"?><t>'), new TextEncoder().encode('Zürich'), ascii('</t>'));
		const r = decodeText(bytes);
		expect(r.text).toContain('<t>Zürich</t>');
		expect(r.encoding).toBe('utf-8');
		expect(r.warnings[0]).toMatch(/says ISO-8859-1, but the text is valid UTF-8/);
	});

	it('falls back to UTF-8 when a declared legacy encoding does not fit but UTF-8 does', () => {
		const bytes = concat(ascii('<?xml version="1.0" encoding="Shift_JIS"?><t>'), new TextEncoder().encode('日本語の記事'), ascii('</t>'));
		const r = decodeText(bytes);
		expect(r.text).toContain('日本語の記事');
		expect(r.encoding).toBe('utf-8');
		expect(r.warnings[0]).toMatch(/not valid Shift_JIS; they are valid UTF-8/);
	});

	it('keeps UTF-8 with a stray invalid byte, replacing only that byte', () => {
		const bytes = concat(new TextEncoder().encode('<t>日本語 '), Uint8Array.of(0xff), ascii(' ok</t>'));
		const r = decodeText(bytes);
		expect(r.text).toBe('<t>日本語 \uFFFD ok</t>');
		expect(r.warnings[0]).toMatch(/not valid utf-8 .* replaced/);
	});

	it('decodes windows-1252 0x80–0x9F as the Windows characters (Node 20 decodes them as C1 controls)', () => {
		const r = decodeText(concat(ascii('<t>'), Uint8Array.of(0x93, 0x41, 0x94, 0x80, 0x85), ascii('</t>')), { declared: 'windows-1252' });
		expect(r.text).toBe('<t>\u201cA\u201d\u20ac\u2026</t>');
	});
});

describe('charsetFromContentType', () => {
	it.each([
		['text/xml; charset=utf-8', 'utf-8'],
		["application/atom+xml;charset='us-ascii'", 'us-ascii'],
		['application/rss+xml;charset= "us-ascii"', 'us-ascii'],
		['text/xml;charset = us-ascii', 'us-ascii'],
		['text/xml; qs=0.9', null],
		['text/xml; charset:iso-8859-1', null],
		['text/xml;', null],
		[null, null]
	])('%s → %s', (header, charset) => {
		expect(charsetFromContentType(header)).toBe(charset);
	});
});

describe('small helpers', () => {
	it('canonicalEncoding knows WHATWG labels and the odd ones feeds use', () => {
		expect(canonicalEncoding('Shift-JIS')).toBe('shift_jis');
		expect(canonicalEncoding('x-sjis')).toBe('shift_jis');
		expect(canonicalEncoding('GB2312')).toBe('gbk');
		expect(canonicalEncoding('utf-32')).toBe('utf-32be');
		expect(canonicalEncoding('bogus')).toBeNull();
	});

	it('sniffXmlDeclaration reads the declared encoding only from a leading declaration', () => {
		expect(sniffXmlDeclaration(ascii(' <?xml version="1.0" encoding="EUC-JP"?><r/>'))).toBe('EUC-JP');
		expect(sniffXmlDeclaration(ascii('<r encoding="x"/>'))).toBeNull();
	});

	it('mapC1ToWindows1252 and repairMojibake fix text that went through the wrong decoder', () => {
		expect(mapC1ToWindows1252('don\u0092t')).toBe('don\u2019t');
		expect(repairMojibake('donâ€™t')).toBe('don\u2019t');
		expect(repairMojibake('\u00e2\u0080\u00a6')).toBe('\u2026');
		expect(repairMojibake('Ã  la carte, 1 × 2')).toBe('Ã  la carte, 1 × 2');
		expect(repairMojibake('café')).toBe('café');
	});
});

describe('gunzipIfCompressed', () => {
	it('returns other bytes untouched and decompresses gzip', () => {
		const plain = new TextEncoder().encode('<rss/>');
		expect(gunzipIfCompressed(plain)).toBe(plain);
		expect(new TextDecoder().decode(gunzipIfCompressed(gzipSync(plain)))).toBe('<rss/>');
	});

	it('refuses a decompression bomb with a clear SourceError', () => {
		const bomb = gzipSync(new Uint8Array(60 * 1024 * 1024));
		expect(bomb.length).toBeLessThan(100_000);
		expect(() => gunzipIfCompressed(bomb)).toThrow(SourceError);
		expect(() => gunzipIfCompressed(bomb)).toThrow(/expands to more than 50 MB; refused/);
	});

	it('reports corrupt gzip as a SourceError', () => {
		const cut = gzipSync(new TextEncoder().encode('<rss>'.repeat(1000))).subarray(0, 40);
		expect(() => gunzipIfCompressed(cut)).toThrow(/gzip-compressed but cannot be decompressed/);
	});
});

describe.skipIf(!haveFixtures)(`decodeText on real files${haveFixtures ? '' : ' (skipped: ../shared/data/fixtures is missing)'}`, () => {
	it('reads the windows-1251 feed by its declaration, and the same feed gzip-compressed', () => {
		const plain = readFileSync(resolve(FIXTURES, 'node-feedparser-feeds/iconv.xml'));
		const r = decodeText(plain);
		expect(r.encoding).toBe('windows-1251');
		expect(r.text).toContain('Новости Оренбурга и области');
		const unzipped = gunzipIfCompressed(readFileSync(resolve(FIXTURES, 'node-feedparser-feeds/compressed.xml')));
		expect(decodeText(unzipped).text).toBe(r.text);
	});

	// feedparser's chardet cases have no declaration at all; the expected encodings are its own.
	it.each([
		['big5.xml', 'big5'],
		['eucjp.xml', 'euc-jp'],
		['euckr.xml', 'euc-kr'],
		['gb2312.xml', 'gb18030'],
		['koi8r.xml', 'koi8-r'],
		['shiftjis.xml', 'shift_jis'],
		// Hebrew letters sit at the same bytes in both; chardet names the ISO one.
		['windows1255.xml', 'iso-8859-8']
	])('detects undeclared %s as %s', (file, encoding) => {
		const bytes = readFileSync(resolve(FIXTURES, 'feedparser-cases/tests/illformed/chardet', file));
		expect(detectEncoding(bytes)).toBe(encoding);
		const r = decodeText(bytes);
		expect(r.encoding).toBe(encoding);
		expect(r.warnings[0]).toMatch(/no encoding was declared/);
	});

	it('shift_jis detection gives the Japanese text', () => {
		const r = decodeText(readFileSync(resolve(FIXTURES, 'feedparser-cases/tests/illformed/chardet/shiftjis.xml')));
		expect(r.text).toContain('<title>DrecomRSSに記事投稿が反映されない…</title>');
	});
});

import { describe, expect, it } from 'vitest';
import { parseListCsv } from './list-csv';
import { toVcard, type VcardContact } from './vcard';

// ---- an independent reader, written from RFC 6350 §3.2–3.4, to check the writer against -------

interface Property {
	name: string;
	params: Record<string, string>;
	value: string;
}

/** RFC 6350 §3.2: a CRLF followed by one space or tab is removed. */
function unfold(text: string): string {
	return text.replace(/\r\n[ \t]/g, '');
}

function readCards(text: string): Property[][] {
	expect(text.endsWith('\r\n')).toBe(true);
	// Only CRLF line ends: no bare CR or LF anywhere.
	expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
	const cards: Property[][] = [];
	let current: Property[] | null = null;
	for (const line of unfold(text).slice(0, -2).split('\r\n')) {
		const property = readLine(line);
		if (property.name === 'BEGIN') current = [];
		else if (property.name === 'END') {
			cards.push(current!);
			current = null;
		} else current!.push(property);
	}
	expect(current).toBeNull();
	return cards;
}

function readLine(line: string): Property {
	let quoted = false;
	let colon = -1;
	for (let i = 0; i < line.length; i++) {
		if (line[i] === '"') quoted = !quoted;
		else if (line[i] === ':' && !quoted) {
			colon = i;
			break;
		}
	}
	const head = line.slice(0, colon);
	const parts = head.match(/(?:[^;"]|"[^"]*")+/g)!;
	const params: Record<string, string> = {};
	for (const p of parts.slice(1)) {
		const eq = p.indexOf('=');
		params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1);
	}
	return { name: parts[0].toUpperCase(), params, value: line.slice(colon + 1) };
}

/** RFC 6350 §3.4 unescaping of one text value. */
function unescape(value: string): string {
	return value.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** A compound value (N, ADR, ORG) split at its unescaped semicolons, each component unescaped. */
function components(value: string): string[] {
	const out: string[] = [];
	let current = '';
	for (let i = 0; i < value.length; i++) {
		if (value[i] === '\\') {
			current += value.slice(i, i + 2);
			i++;
		} else if (value[i] === ';') {
			out.push(current);
			current = '';
		} else current += value[i];
	}
	out.push(current);
	return out.map(unescape);
}

function get(card: Property[], name: string): Property[] {
	return card.filter((p) => p.name === name);
}

function one(card: Property[], name: string): Property {
	const found = get(card, name);
	expect(found, name).toHaveLength(1);
	return found[0];
}

const octets = (s: string) => new TextEncoder().encode(s).length;

// ---- tests --------------------------------------------------------------------------------------

describe('toVcard', () => {
	it('writes a minimal vCard 4.0 exactly: BEGIN, VERSION right after it, KIND, FN, END, CRLF', () => {
		expect(toVcard([{ displayName: 'Jane Doe' }])).toBe('BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:individual\r\nFN:Jane Doe\r\nEND:VCARD\r\n');
		expect(toVcard([])).toBe('');
	});

	it('writes every field a reporter record has', () => {
		const contact: VcardContact = {
			uid: 'urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1',
			displayName: 'Jane Doe',
			familyName: 'Doe',
			givenName: 'Jane',
			organization: 'The Daily Planet',
			department: 'Science',
			title: 'Science Editor',
			emails: [{ value: 'jane@planet.example', label: 'work', preferred: true }, 'jd@home.example'],
			phones: [
				{ value: '+1 (555) 123-4567 ext. 89', label: 'work' },
				{ value: '+81 90-1234-5678', label: 'mobile' },
				{ value: '03-1234-5678', label: 'fax' },
				{ value: '090-0000-1111', label: 'something else' }
			],
			addresses: [{ street: '1 Planet Plaza', city: 'Metropolis', region: 'NY', postalCode: '10001', country: 'USA', label: 'work' }],
			xHandle: '@janedoe',
			categories: ['Space', 'Climate, weather'],
			note: 'Met at CES'
		};
		expect(toVcard([contact]).split('\r\n')).toEqual([
			'BEGIN:VCARD',
			'VERSION:4.0',
			'KIND:individual',
			'UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1',
			'FN:Jane Doe',
			'N:Doe;Jane;;;',
			'ORG:The Daily Planet;Science',
			'TITLE:Science Editor',
			'EMAIL;TYPE=work;PREF=1:jane@planet.example',
			'EMAIL:jd@home.example',
			'TEL;VALUE=uri;TYPE=work:tel:+1-555-123-4567;ext=89',
			'TEL;VALUE=uri;TYPE=cell:tel:+81-90-1234-5678',
			'TEL;VALUE=text;TYPE=fax:03-1234-5678',
			'TEL;VALUE=text:090-0000-1111',
			'ADR;TYPE=work:;;1 Planet Plaza;Metropolis;NY;10001;USA',
			'SOCIALPROFILE;SERVICE-TYPE=X:https://x.com/janedoe',
			'CATEGORIES:Space,Climate\\, weather',
			'NOTE:Met at CES',
			'END:VCARD',
			''
		]);
	});

	it('escapes commas, semicolons, backslashes and line breaks in names and compound components, and keeps emoji', () => {
		const nasty = 'Doe, Jane; "JD" \\ 🎉\nsecond line\r\nthird\rfourth';
		const out = toVcard([
			{
				displayName: nasty,
				familyName: 'de la Cruz; Jr.',
				givenName: 'Ana, María 👩‍💻',
				organization: 'A;B, C',
				department: 'Desk\\One',
				addresses: [{ street: '1-2-3 Ōtemachi\nChiyoda-ku, Tokyo', country: 'Japan; JP' }]
			}
		]);
		const [card] = readCards(out);
		expect(unescape(one(card, 'FN').value)).toBe('Doe, Jane; "JD" \\ 🎉\nsecond line\nthird\nfourth');
		expect(components(one(card, 'N').value)).toEqual(['de la Cruz; Jr.', 'Ana, María 👩‍💻', '', '', '']);
		expect(components(one(card, 'ORG').value)).toEqual(['A;B, C', 'Desk\\One']);
		expect(components(one(card, 'ADR').value)).toEqual(['', '', '1-2-3 Ōtemachi\nChiyoda-ku, Tokyo', '', '', '', 'Japan; JP']);
		expect(out).toContain('FN:Doe\\, Jane\\; "JD" \\\\ 🎉\\nsecond line\\nthird\\nfourth');
	});

	it('folds a long Japanese note at 75 octets without splitting a character, and unfolding gives it back exactly', () => {
		const note =
			'森川様の「地方の中小企業がDXで生き残る道」という記事を拝読し、特に第三段落の、現場の声を丁寧に拾い上げた部分に深く感銘を受けました。' +
			'弊社の新製品は、まさにその現場の課題を解決するためのものです。\n次回の取材の際にはぜひ資料をお送りいたします；よろしくお願いいたします、敬具。🙇‍♀️';
		const out = toVcard([{ displayName: '森川 由紀', note }]);
		const physical = out.split('\r\n').slice(0, -1);
		const noteLines = physical.slice(physical.findIndex((l) => l.startsWith('NOTE:')), physical.indexOf('END:VCARD'));
		expect(noteLines.length).toBeGreaterThan(5);
		// Checked on the bytes as written: each physical line is at most 75 octets and whole UTF-8 on its own.
		const bytes = Buffer.from(out, 'utf8');
		let start = 0;
		let count = 0;
		for (let i = bytes.indexOf('\r\n'); i !== -1; i = bytes.indexOf('\r\n', start)) {
			const line = bytes.subarray(start, i);
			expect(line.length).toBeLessThanOrEqual(75);
			expect(() => new TextDecoder('utf-8', { fatal: true }).decode(line)).not.toThrow();
			start = i + 2;
			count++;
		}
		expect(start).toBe(bytes.length);
		expect(count).toBe(physical.length);
		for (const line of noteLines.slice(1)) expect(line).toMatch(/^ [^ ]/);
		// Lines are filled: a fold happens only when the next character would not fit.
		for (const line of noteLines.slice(0, -1)) expect(octets(line)).toBeGreaterThan(75 - 4);
		const [card] = readCards(out);
		expect(unescape(one(card, 'NOTE').value)).toBe(note);
	});

	it('folds four-byte characters and keeps a backslash escape on one line', () => {
		const emoji = '🎉'.repeat(40);
		// The leading x puts the escapes at odd offsets, so a fold at 75 octets would fall inside one.
		const escapes = `x${',;\\\n'.repeat(30)}end`;
		const out = toVcard([{ displayName: emoji, note: escapes }]);
		for (const line of out.split('\r\n')) {
			expect(octets(line)).toBeLessThanOrEqual(75);
			// A line that ends in an odd run of backslashes has cut an escape in two.
			expect((/\\+$/.exec(line)?.[0].length ?? 0) % 2).toBe(0);
		}
		const [card] = readCards(out);
		expect(unescape(one(card, 'FN').value)).toBe(emoji);
		expect(unescape(one(card, 'NOTE').value)).toBe(escapes);
	});

	it('puts a split reading in SORT-AS per N component and in X-PHONETIC fields', () => {
		const [card] = readCards(toVcard([{ displayName: '森川 由紀', familyName: '森川', givenName: '由紀', reading: 'もりかわ　ゆき' }]));
		const n = one(card, 'N');
		expect(n.params['SORT-AS']).toBe('"もりかわ,ゆき"');
		expect(components(n.value)).toEqual(['森川', '由紀', '', '', '']);
		expect(unescape(one(card, 'X-PHONETIC-LAST-NAME').value)).toBe('もりかわ');
		expect(unescape(one(card, 'X-PHONETIC-FIRST-NAME').value)).toBe('ゆき');
	});

	it('does not guess: an unsplit reading or name gives SORT-AS with the whole reading and no X-PHONETIC fields', () => {
		const [unsplitReading] = readCards(toVcard([{ displayName: '森川 由紀', familyName: '森川', givenName: '由紀', reading: 'もりかわゆき' }]));
		expect(one(unsplitReading, 'N').params['SORT-AS']).toBe('"もりかわゆき"');
		expect(get(unsplitReading, 'X-PHONETIC-LAST-NAME')).toEqual([]);

		const [unsplitName] = readCards(toVcard([{ displayName: '森川由紀', reading: 'もりかわ ゆき' }]));
		const n = one(unsplitName, 'N');
		expect(n.params['SORT-AS']).toBe('"もりかわ ゆき"');
		expect(components(n.value)).toEqual(['森川由紀', '', '', '', '']);
		expect(get(unsplitName, 'X-PHONETIC-FIRST-NAME')).toEqual([]);

		const [noName] = readCards(toVcard([{ displayName: 'Jane Doe' }]));
		expect(get(noName, 'N')).toEqual([]);
	});

	it('encodes a quote, caret or comma in a reading so the SORT-AS parameter stays well-formed (RFC 6868)', () => {
		const out = toVcard([{ displayName: 'X', familyName: 'X', reading: 'a"b^c,d' }]);
		expect(out).toContain(`N;SORT-AS="a^'b^^c d":X;;;;`);
	});

	it('writes a UID that is not a URI as text, and drops control characters from text', () => {
		const [card] = readCards(toVcard([{ displayName: 'A\u0000B\u0007C\tD', uid: 'reporter 12, list;3' }]));
		expect(one(card, 'UID')).toEqual({ name: 'UID', params: { VALUE: 'text' }, value: 'reporter 12\\, list\\;3' });
		expect(unescape(one(card, 'FN').value)).toBe('ABC\tD');
	});

	it('writes several contacts, skipping empty values, and refuses a contact without a name', () => {
		const cards = readCards(
			toVcard([
				{ displayName: 'One', emails: ['', '  '], phones: [], note: '  ', organization: null },
				{ displayName: 'Two', xHandle: 'not a handle!' }
			])
		);
		expect(cards.map((c) => c.map((p) => p.name))).toEqual([
			['VERSION', 'KIND', 'FN'],
			['VERSION', 'KIND', 'FN', 'SOCIALPROFILE']
		]);
		expect(one(cards[1], 'SOCIALPROFILE').params).toEqual({ 'SERVICE-TYPE': 'X', VALUE: 'text' });
		expect(() => toVcard([{ displayName: '  ' }])).toThrow(RangeError);
	});

	it('exports what a Shift_JIS media list imported, Japanese readings and labels included', () => {
		const csv = '姓,名,セイ,メイ,媒体名,部署,メール,携帯,住所,備考\r\n森川,由紀,もりかわ,ゆき,日経新聞,経済部,yuki@nikkei.example,090-1234-5678,東京都千代田区大手町1-3-7,"資料送付済み, 次回は電話で"\r\n';
		const [r] = parseListCsv(new TextEncoder().encode(csv)).records;
		const out = toVcard([
			{
				displayName: r.displayName,
				familyName: r.lastName,
				givenName: r.firstName,
				reading: r.reading,
				organization: r.outlet,
				department: r.desk,
				emails: r.emails.map((value) => ({ value, label: r.labels?.[value] })),
				phones: r.phones.map((value) => ({ value, label: r.labels?.[value] })),
				addresses: [{ street: r.address }],
				note: r.note
			}
		]);
		const [card] = readCards(out);
		expect(unescape(one(card, 'FN').value)).toBe('森川 由紀');
		expect(one(card, 'N').params['SORT-AS']).toBe('"もりかわ,ゆき"');
		expect(components(one(card, 'ORG').value)).toEqual(['日経新聞', '経済部']);
		expect(one(card, 'TEL')).toEqual({ name: 'TEL', params: { VALUE: 'text', TYPE: 'cell' }, value: '090-1234-5678' });
		expect(components(one(card, 'ADR').value)[2]).toBe('東京都千代田区大手町1-3-7');
		expect(unescape(one(card, 'NOTE').value)).toBe('資料送付済み, 次回は電話で');
	});
});

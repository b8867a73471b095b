/**
 * vCard 4.0 (RFC 6350) for handing reporters to an address book. Readings of Japanese names go
 * into RFC 6350's SORT-AS parameter of N, so address books sort 森川 under も; the de-facto
 * X-PHONETIC-LAST-NAME / X-PHONETIC-FIRST-NAME (Apple, Android) are added only when both the name
 * and its reading are known in two parts, so no part of a reading is ever guessed.
 */

export const VCARD_CONTENT_TYPE = 'text/vcard; charset=utf-8';

/** An email or phone with the kind its record gave it ("work", "home", "mobile", "fax"…). */
export interface VcardValue {
	value: string;
	label?: string | null;
	preferred?: boolean;
}

export interface VcardAddress {
	/** Street lines, or the whole address as one block when it is kept that way (Japanese addresses). */
	street?: string | null;
	city?: string | null;
	region?: string | null;
	postalCode?: string | null;
	country?: string | null;
	label?: string | null;
}

export interface VcardContact {
	/** A stable id for the contact; a URI (urn:uuid:…) is written as one, anything else as text. */
	uid?: string | null;
	displayName: string;
	familyName?: string | null;
	givenName?: string | null;
	/** Kana reading, "family given" when split by a space as Japanese readings are written. */
	reading?: string | null;
	organization?: string | null;
	/** The desk or section, written as ORG's unit. */
	department?: string | null;
	title?: string | null;
	emails?: (string | VcardValue)[];
	phones?: (string | VcardValue)[];
	addresses?: VcardAddress[];
	/** With or without "@". */
	xHandle?: string | null;
	/** Tags such as the reporter's beats. */
	categories?: string[];
	note?: string | null;
}

const CRLF = '\r\n';

/** Writes contacts as one vCard 4.0 stream (RFC 6350): escaped values, CRLF lines folded at 75 octets. */
export function toVcard(contacts: VcardContact[]): string {
	return contacts.map(card).join('');
}

function card(c: VcardContact): string {
	const displayName = present(c.displayName);
	if (displayName === null) throw new RangeError('a vCard needs a display name (FN)');
	const lines: string[] = ['BEGIN:VCARD', 'VERSION:4.0', 'KIND:individual'];

	const uid = present(c.uid);
	if (uid !== null) lines.push(URI_SCHEME.test(uid) && !/[\s"<>\\]/.test(uid) ? `UID:${uid}` : `UID;VALUE=text:${text(uid)}`);
	lines.push(`FN:${text(displayName)}`);

	const family = present(c.familyName);
	const given = present(c.givenName);
	const reading = present(c.reading);
	const readingParts = reading === null ? [] : reading.split(/\s+/);
	const splitReading = family !== null && given !== null && readingParts.length === 2;
	if (family !== null || given !== null || reading !== null) {
		// With a reading but no name parts, the whole name stands as the family name so SORT-AS has a component to sort.
		const n = [family ?? (given === null ? displayName : ''), given ?? '', '', '', ''].map(component).join(';');
		const sortAs = reading === null ? '' : `;SORT-AS=${paramValue(splitReading ? readingParts : [reading])}`;
		lines.push(`N${sortAs}:${n}`);
	}
	if (splitReading) {
		lines.push(`X-PHONETIC-LAST-NAME:${text(readingParts[0])}`, `X-PHONETIC-FIRST-NAME:${text(readingParts[1])}`);
	}

	const org = present(c.organization);
	const department = present(c.department);
	if (org !== null || department !== null) {
		lines.push(`ORG:${[org ?? '', ...(department !== null ? [department] : [])].map(component).join(';')}`);
	}
	const title = present(c.title);
	if (title !== null) lines.push(`TITLE:${text(title)}`);

	for (const e of values(c.emails)) {
		const type = WORK_HOME.get(e.label?.trim().toLowerCase() ?? '');
		lines.push(`EMAIL${params(type, e.preferred)}:${text(e.value)}`);
	}
	for (const p of values(c.phones)) {
		const type = TEL_TYPES.get(p.label?.trim().toLowerCase() ?? '');
		const uri = telUri(p.value);
		lines.push(
			uri !== null
				? `TEL;VALUE=uri${params(type, p.preferred)}:${uri}`
				: `TEL;VALUE=text${params(type, p.preferred)}:${text(p.value)}`
		);
	}
	for (const a of c.addresses ?? []) {
		const parts = ['', '', a.street, a.city, a.region, a.postalCode, a.country].map((v) => present(v) ?? '');
		if (parts.every((p) => p === '')) continue;
		const type = WORK_HOME.get(a.label?.trim().toLowerCase() ?? '');
		lines.push(`ADR${params(type, false)}:${parts.map(component).join(';')}`);
	}

	const handle = present(c.xHandle)?.replace(/^@/, '') ?? '';
	if (handle !== '') {
		// RFC 9554's SOCIALPROFILE: a profile URI, or the bare user name as text when it is not a valid handle.
		lines.push(
			/^[A-Za-z0-9_]{1,15}$/.test(handle)
				? `SOCIALPROFILE;SERVICE-TYPE=X:https://x.com/${handle}`
				: `SOCIALPROFILE;SERVICE-TYPE=X;VALUE=text:${text(handle)}`
		);
	}
	const categories = (c.categories ?? []).map(present).filter((v): v is string => v !== null);
	if (categories.length > 0) lines.push(`CATEGORIES:${categories.map(text).join(',')}`);
	const note = present(c.note);
	if (note !== null) lines.push(`NOTE:${text(note)}`);
	lines.push('END:VCARD');

	return lines.map(fold).join(CRLF) + CRLF;
}

const URI_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\S/;

// RFC 6350 §5.6: EMAIL and ADR know work and home; TEL adds the kind of device (§6.4.1).
const WORK_HOME = new Map<string, string>([
	['work', 'work'],
	['business', 'work'],
	['office', 'work'],
	['home', 'home'],
	['personal', 'home'],
	['private', 'home']
]);
const TEL_TYPES = new Map<string, string>([
	...WORK_HOME,
	['mobile', 'cell'],
	['cell', 'cell'],
	['fax', 'fax'],
	['voice', 'voice'],
	['text', 'text'],
	['video', 'video'],
	['pager', 'pager'],
	['textphone', 'textphone']
]);

function params(type: string | undefined, preferred: boolean | undefined): string {
	return `${type ? `;TYPE=${type}` : ''}${preferred ? ';PREF=1' : ''}`;
}

function values(list: (string | VcardValue)[] | undefined): VcardValue[] {
	const out: VcardValue[] = [];
	for (const item of list ?? []) {
		const v = typeof item === 'string' ? { value: item } : item;
		const value = present(v.value);
		if (value !== null) out.push({ ...v, value });
	}
	return out;
}

function present(value: string | null | undefined): string | null {
	if (value === null || value === undefined) return null;
	const trimmed = value.trim();
	return trimmed === '' ? null : trimmed;
}

/** A global number (+81 3-1234-5678 ext. 12) as an RFC 3966 tel: URI; null for a local number, whose country is unknown. */
function telUri(phone: string): string | null {
	const s = phone.normalize('NFKC').trim();
	const m = /^(\+[\d\s().-]*\d)\s*(?:(?:ext\.?|x|内線|#)\s*(\d+))?$/i.exec(s);
	if (!m) return null;
	const number = `+${m[1].slice(1).replace(/[\s().-]+/g, '-').replace(/^-|-$/g, '')}`;
	if (number.replace(/\D/g, '').length < 4) return null;
	return `tel:${number}${m[2] ? `;ext=${m[2]}` : ''}`;
}

// Control characters have no place in a vCard text value (RFC 6350 §3.3 TEXT-CHAR); line breaks are escaped instead.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

const NEEDS_ESCAPE = /[\x00-\x1f\x7f\\,;]/;

/** A text value, escaped per RFC 6350 §3.4: backslash, comma, semicolon and line breaks. */
function text(value: string): string {
	if (!NEEDS_ESCAPE.test(value)) return value;
	return value
		.replace(CONTROL, '')
		.replace(/\\/g, '\\\\')
		.replace(/,/g, '\\,')
		.replace(/;/g, '\\;')
		.replace(/\r\n|\r|\n/g, '\\n');
}

/** One component of a compound value (N, ORG, ADR); escaped like text, so ; and , inside stay data. */
function component(value: string): string {
	return text(value);
}

/**
 * A parameter value list, quoted; RFC 6868 caret escapes stand for ^, " and line breaks, and a
 * comma inside one item (which would split the list) becomes a space.
 */
function paramValue(items: string[]): string {
	const encoded = items.map((item) =>
		item
			.replace(CONTROL, '')
			.replace(/,/g, ' ')
			.replace(/\^/g, '^^')
			.replace(/"/g, "^'")
			.replace(/\r\n|\r|\n/g, '^n')
	);
	return `"${encoded.join(',')}"`;
}

const MAX_OCTETS = 75;

/**
 * Folds a content line at 75 octets of UTF-8 (RFC 6350 §3.2), continuation lines starting with one
 * space; a character is never split across lines, nor a backslash escape (some readers unescape before unfolding).
 */
function fold(line: string): string {
	// A UTF-16 unit is at most 3 octets of UTF-8, so most lines are short enough without counting.
	if (line.length <= MAX_OCTETS / 3 || Buffer.byteLength(line) <= MAX_OCTETS) return line;
	let out = '';
	let start = 0;
	let used = 0;
	let i = 0;
	while (i < line.length) {
		const c = line.charCodeAt(i);
		let units = charUnits(line, i);
		let octets = charOctets(line, i);
		// A backslash escape ("\\n", "\\,") is kept whole.
		if (c === 0x5c && i + 1 < line.length) {
			octets += charOctets(line, i + 1);
			units += charUnits(line, i + 1);
		}
		if (used + octets > MAX_OCTETS) {
			out += `${line.slice(start, i)}${CRLF} `;
			start = i;
			// The leading space counts toward the continuation line's 75 octets.
			used = 1;
		}
		used += octets;
		i += units;
	}
	return out + line.slice(start);
}

/** 2 for a surrogate pair, else 1. */
function charUnits(s: string, i: number): number {
	const c = s.charCodeAt(i);
	return c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
}

/** UTF-8 length of the character at i; a lone surrogate is written as U+FFFD, three octets. */
function charOctets(s: string, i: number): number {
	const c = s.charCodeAt(i);
	if (c < 0x80) return 1;
	if (c < 0x800) return 2;
	return charUnits(s, i) === 2 ? 4 : 3;
}

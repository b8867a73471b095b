import { SourceError, type ImportProblem } from '../articles/candidate';
import { parseCsv } from '../imports/csv';
import { decodeFile, type FileEncoding } from '../imports/text';

/**
 * Media-list CSV files (a spreadsheet of reporters from another tool or an agency's own sheet) read
 * into contact records. Nothing here touches the database: the list service decides what to create,
 * merge or skip, using the problems and `duplicateOf` flags this module reports.
 */

export const LIST_CSV_MAX_BYTES = 10 * 1024 * 1024;

export const CONTACT_FIELDS = [
	'fullName',
	'lastName',
	'firstName',
	'reading',
	'lastReading',
	'firstReading',
	'outlet',
	'desk',
	'title',
	'beat',
	'email',
	'phone',
	'xHandle',
	'address',
	'postalCode',
	'region',
	'city',
	'country',
	'note',
	'tier'
] as const;

/**
 * What a column can feed. `lastReading`/`firstReading` become `reading`; `postalCode` and `region`
 * become part of `address`; several columns may feed email, phone, address, note and beat.
 */
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Which field each column feeds, keyed by column name as in `headers`; null or absent: not imported. */
export type ListMapping = Record<string, ContactField | null>;

export type ContactLabel = 'work' | 'home' | 'mobile' | 'fax';

export type Tier = 'A' | 'B' | 'C';

export interface ContactRecord {
	/** Where the row starts in the file: "line 12". */
	location: string;
	displayName: string;
	firstName?: string;
	lastName?: string;
	/** Kana reading as written; "姓 名" with a space when it came from two columns. */
	reading?: string;
	outlet?: string;
	title?: string;
	beat?: string;
	desk?: string;
	/** Valid addresses only, as written (full-width characters made ASCII), no duplicates. */
	emails: string[];
	/** As written (full-width digits and dashes made ASCII), each with at least 6 digits. */
	phones: string[];
	/** The kind of an email or phone, keyed by its value, when its column name said (Mobile, FAX, 自宅…). */
	labels?: Record<string, ContactLabel>;
	/** Without the "@". */
	xHandle?: string;
	city?: string;
	country?: string;
	/** Postal address, lines kept; a postal code and region column are folded in. */
	address?: string;
	note?: string;
	tier?: Tier;
	/** An earlier row of this file has one of this row's emails: that row's location. */
	duplicateOf?: string;
}

export interface ListCsvResult {
	headers: string[];
	/** The mapping guessed from the column names. */
	suggested: ListMapping;
	/** The mapping the records were read with (the one given, or the suggestion), one entry per column. */
	mapping: ListMapping;
	records: ContactRecord[];
	/** In file order; rows with problems that are still in `records` say "imported, but …". */
	problems: ImportProblem[];
	encoding: FileEncoding;
}

/** The mapping cannot be used with this file; carries what a mapping form needs to ask again. */
export class ListMappingError extends SourceError {
	override name = 'ListMappingError';
	constructor(
		readonly errors: string[],
		readonly headers: string[],
		readonly suggested: ListMapping
	) {
		super(errors.join('; '));
	}
}

/** Refuses a media-list upload over the size limit before it is read. */
export function checkListCsvSize(byteLength: number): void {
	if (byteLength <= LIST_CSV_MAX_BYTES) return;
	// Rounded up, so a file just over the limit never reads as "10.0 MB".
	const mb = Math.ceil((byteLength / (1024 * 1024)) * 10) / 10;
	throw new SourceError(`The file is ${mb.toFixed(1)} MB; media lists are limited to ${LIST_CSV_MAX_BYTES / (1024 * 1024)} MB.`);
}

// ---- column names -------------------------------------------------------------------------------

// Ordered by preference for single-valued fields: the first alias present wins, so `outlet` beats
// `company`. Compared after normalise(); a second pass also ignores digits ("E-mail 2 Address").
// Includes the headers of Outlook and Google Contacts exports, which media lists are often made from.
const ALIASES: Record<ContactField, string[]> = {
	fullName: [
		'fullname', 'name', 'displayname', 'contactname', 'reportername', 'journalistname', 'reporter', 'journalist', 'contact',
		'氏名', '名前', 'お名前', 'フルネーム', '記者名', '記者', '担当者名', '担当者', '記者氏名', '氏名漢字'
	],
	lastName: ['lastname', 'surname', 'familyname', 'last', 'family', 'namelast', '姓', '苗字', '名字', '姓漢字'],
	firstName: ['firstname', 'givenname', 'forename', 'first', 'given', 'namefirst', '名', '名漢字', '下の名前'],
	reading: [
		'reading', 'yomi', 'furigana', 'phoneticname', 'phonetic', 'kana', 'namereading', 'nameyomi',
		'よみ', '読み', 'よみがな', '読み仮名', 'ふりがな', 'フリガナ', 'かな', 'カナ', 'ヨミ',
		'氏名よみ', '氏名読み', '氏名ふりがな', '氏名フリガナ', '氏名カナ', '名前よみ', '名前ふりがな', '名前フリガナ', 'カナ氏名'
	],
	lastReading: [
		'phoneticlastname', 'familynameyomi', 'lastnameyomi', 'yomilastname', 'lastnamereading', 'surnamereading',
		'familynamereading', 'lastnamephonetic', 'lastnamekana',
		'姓よみ', '姓読み', '姓ふりがな', '姓フリガナ', '姓カナ', 'せい', 'セイ'
	],
	firstReading: [
		'phoneticfirstname', 'givennameyomi', 'firstnameyomi', 'yomifirstname', 'firstnamereading', 'givennamereading',
		'firstnamephonetic', 'firstnamekana',
		'名よみ', '名読み', '名ふりがな', '名フリガナ', '名カナ', 'めい', 'メイ'
	],
	outlet: [
		'outlet', 'outletname', 'mediaoutlet', 'mediaoutletname', 'publication', 'publicationname', 'media', 'medianame',
		'newspaper', 'magazine', 'station', 'company', 'companyname', 'organization', 'organisation', 'organizationname',
		'organisationname', 'organizationname', 'employer', 'publisher',
		'媒体', '媒体名', 'メディア', 'メディア名', '新聞社', '新聞社名', '会社', '会社名', '社名', '所属', '所属先', '所属媒体',
		'勤務先', '企業名', '組織', '出版社', '放送局'
	],
	desk: [
		'desk', 'deskname', 'section', 'sectionname', 'department', 'departmentname', 'dept', 'organizationdepartment', 'team',
		'部署', '部署名', '所属部署', '部', '部門', '部局', '局', 'デスク', 'セクション', '課'
	],
	title: ['title', 'jobtitle', 'position', 'role', 'job', 'organizationtitle', '役職', '役職名', '肩書', '肩書き', '職位', '職名'],
	beat: [
		'beat', 'beats', 'topics', 'topic', 'coverage', 'coverageareas', 'coveragearea', 'subjects', 'interests', 'focus',
		'担当', '担当分野', '担当領域', '取材分野', '取材領域', '専門分野', '専門', '分野', '関心分野', 'ジャンル'
	],
	email: [
		'email', 'emailaddress', 'emails', 'mail', 'mailaddress', 'workemail', 'businessemail', 'personalemail', 'homeemail',
		'emailvalue', 'primaryemail',
		'メール', 'メールアドレス', 'eメール', 'eメールアドレス', '電子メール', '電子メールアドレス', 'メアド', '会社メール', '個人メール'
	],
	phone: [
		'phone', 'telephone', 'tel', 'phonenumber', 'telephonenumber', 'telno', 'phoneno', 'businessphone', 'workphone',
		'officephone', 'homephone', 'directline', 'direct', 'phonevalue', 'mobile', 'mobilephone', 'mobilenumber', 'cell',
		'cellphone', 'fax', 'faxnumber', 'businessfax',
		'電話', '電話番号', 'tel番号', '代表電話', '直通', '直通電話', '会社電話', '自宅電話', '携帯', '携帯電話', '携帯番号',
		'携帯電話番号', 'ケータイ', 'fax番号', 'ファックス', 'ファクス', 'ファクシミリ'
	],
	xHandle: [
		'twitterhandle', 'xhandle', 'twitter', 'twitterid', 'twitteraccount', 'xaccount', 'twitterusername', 'xusername',
		'twitterurl', 'xtwitter', 'twitterx', 'xformerlytwitter', 'ツイッター', 'twitterアカウント', 'xアカウント', 'ツイッターアカウント',
		// Last: a column called just "X" is a handle only when nothing better named is.
		'x'
	],
	address: [
		'address', 'postaladdress', 'mailingaddress', 'streetaddress', 'street', 'businessstreet', 'businessaddress',
		'workaddress', 'officeaddress', 'addressstreet', 'addressline', 'addressformatted', 'addressvalue',
		'住所', '所在地', '送付先', '送付先住所', '郵送先', '郵送先住所', '会社住所', '勤務先住所', '宛先', '番地'
	],
	postalCode: ['postalcode', 'postcode', 'zip', 'zipcode', 'businesspostalcode', 'addresspostalcode', '郵便番号', '〒'],
	region: ['state', 'province', 'region', 'prefecture', 'businessstate', 'addressregion', '都道府県', '県'],
	city: ['city', 'town', 'locality', 'businesscity', 'addresscity', '都市', '都市名', '市区町村', '市', '市町村'],
	country: ['country', 'countryregion', 'nation', 'businesscountryregion', 'addresscountry', '国', '国名', '国地域'],
	note: ['notes', 'note', 'comments', 'comment', 'remarks', 'memo', 'メモ', '備考', 'コメント', '注記', '特記事項'],
	tier: ['tier', 'rank', 'priority', 'level', 'ランク', 'ティア', '優先度', '重要度']
};

/** Fields that several columns may feed at once; the others take the first non-empty column. */
const MANY: ReadonlySet<ContactField> = new Set(['email', 'phone', 'address', 'note', 'beat']);

// The same comparison as the article column mapping (../imports/mapping.ts), so a person sees one behaviour.
function normalise(name: string): string {
	return name.normalize('NFKC').toLowerCase().replace(/[\s_\-.:・/()]/g, '');
}

const NORMALISED_ALIASES = Object.fromEntries(
	CONTACT_FIELDS.map((f) => [f, ALIASES[f].map(normalise)])
) as Record<ContactField, string[]>;

const JAPANESE_ALIAS = /[\u3040-\u30ff\u3400-\u9fff]/;

/** Guesses which field each column feeds from its name (English and Japanese, any case or width). */
export function suggestListMapping(headers: string[]): ListMapping {
	const chosen: (ContactField | null)[] = headers.map(() => null);
	const taken = new Set<ContactField>();
	const assign = (i: number, field: ContactField) => {
		chosen[i] = field;
		if (!MANY.has(field)) taken.add(field);
	};
	const exact = headers.map(normalise);
	const noDigits = exact.map((n) => n.replace(/[0-9]/g, ''));
	for (const names of [exact, noDigits]) {
		for (const field of CONTACT_FIELDS) {
			if (taken.has(field)) continue;
			for (const alias of NORMALISED_ALIASES[field]) {
				if (MANY.has(field)) {
					names.forEach((n, i) => {
						if (n === alias && chosen[i] === null) assign(i, field);
					});
				} else {
					const i = names.findIndex((n, k) => n === alias && chosen[k] === null);
					if (i !== -1) {
						assign(i, field);
						break;
					}
				}
			}
		}
	}
	// Longer names by their head word, which comes last in both languages ("Reporter email", "記者メールアドレス").
	for (let i = 0; i < headers.length; i++) {
		if (chosen[i] !== null) continue;
		const field = CONTACT_FIELDS.find((f) => !taken.has(f) && headMatches(headers[i], NORMALISED_ALIASES[f]));
		if (field) assign(i, field);
	}
	return Object.fromEntries(headers.map((h, i) => [h, chosen[i]]));
}

function headMatches(name: string, aliases: string[]): boolean {
	const words = name
		.normalize('NFKC')
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)
		.filter((w) => w !== '' && !/^\d+$/.test(w));
	const last = words.at(-1);
	if (last === undefined) return false;
	if (words.length > 1 && aliases.includes(last)) return true;
	const whole = normalise(name).replace(/[0-9]/g, '');
	// Two characters at least: "媒体名" must not end in the given-name alias "名".
	return aliases.some((a) => JAPANESE_ALIAS.test(a) && a.length >= 2 && whole.length > a.length && whole.endsWith(a));
}

/** Which label a phone or email column's name implies ("Mobile", "携帯", "Work email"…). */
function labelOf(header: string): ContactLabel | undefined {
	const n = normalise(header);
	if (/fax|ファックス|ファクス|ファクシミリ/.test(n)) return 'fax';
	if (/mobile|cell|携帯|ケータイ/.test(n)) return 'mobile';
	if (/home|personal|private|自宅|個人/.test(n)) return 'home';
	if (/work|business|office|direct|会社|勤務先|直通|代表/.test(n)) return 'work';
	return undefined;
}

// ---- reading a file -----------------------------------------------------------------------------

/**
 * Reads an uploaded media-list CSV (UTF-8 ±BOM, UTF-16 with BOM, Shift_JIS/CP932) into contact
 * records; bad rows become problems naming their line, and a whole-file error throws SourceError
 * (ListMappingError when the columns are readable but no usable mapping fits them).
 */
export function parseListCsv(bytes: Uint8Array, options: { mapping?: ListMapping } = {}): ListCsvResult {
	checkListCsvSize(bytes.byteLength);
	const { text, encoding } = decodeFile(bytes);
	refuseOtherFormats(text);
	const csv = parseCsv(text);
	const headers = csv.header;
	const suggested = suggestListMapping(headers);
	const mapping = options.mapping ? checkMapping(options.mapping, headers, suggested) : suggested;

	if (!hasNameField(mapping)) {
		if (!options.mapping) {
			const data = headers.find((h) => EMAIL_IN_TEXT.test(h) || h.length > 80);
			if (data !== undefined) {
				throw new SourceError(
					`the file has no header row: its first line holds data ("${clip(data)}"), not column names such as Name, Outlet, Email`
				);
			}
		}
		throw new ListMappingError(
			[`no column holds the contact's name (the columns are ${headers.map((h) => `"${clip(h)}"`).join(', ')}); choose which column holds the name, or the family and given names`],
			headers,
			suggested
		);
	}
	const headerAt = `line ${headerLine(text)}`;
	if (csv.rows.length === 0 && csv.problems.every((p) => p.location === headerAt)) {
		throw new SourceError('the file has a header row but no contacts under it');
	}

	const read = createContactReader(mapping, headers);
	const records: ContactRecord[] = [];
	const problems: ImportProblem[] = [...csv.problems];
	const firstWithEmail = new Map<string, string>();
	for (const row of csv.rows) {
		const location = `line ${row.line}`;
		const { record, notes, skip } = read(row.fields, location);
		if (skip) {
			problems.push({ location, reason: skip });
			continue;
		}
		for (const email of record.emails) {
			const key = email.toLowerCase();
			const first = firstWithEmail.get(key);
			if (first === undefined) firstWithEmail.set(key, location);
			else if (record.duplicateOf === undefined) {
				record.duplicateOf = first;
				notes.push(`same email as ${first} (${email})`);
			}
		}
		records.push(record);
		if (notes.length > 0) problems.push({ location, reason: `imported, but ${notes.join('; ')}` });
	}
	return { headers, suggested, mapping, records, problems: inLineOrder(problems), encoding };
}

// Files people upload by mistake that decode as text but are no CSV at all.
function refuseOtherFormats(text: string): void {
	const head = text.slice(0, 1000).replace(/^\uFEFF/, '').trimStart();
	if (/^BEGIN:VCARD/i.test(head)) throw new SourceError('the file is a vCard (.vcf) address book, not a CSV file');
	if (/^(?:\{\s*"|\[\s*[{["\d\]])/.test(head)) throw new SourceError('the file is JSON, not a CSV file');
	if (/^<(?:!doctype|html|\?xml|[a-z][\w:-]*[\s>])/i.test(head)) throw new SourceError('the file is HTML or XML, not a CSV file');
}

/** The line the header row is on: the CSV reader skips blank lines before it. */
function headerLine(text: string): number {
	const blank = /^\uFEFF?(?:[ \t]*(?:\r\n|\r|\n))*/.exec(text)?.[0] ?? '';
	return (blank.match(/\r\n|\r|\n/g)?.length ?? 0) + 1;
}

function hasNameField(mapping: ListMapping): boolean {
	return Object.values(mapping).some((f) => f === 'fullName' || f === 'lastName' || f === 'firstName');
}

function checkMapping(given: ListMapping, headers: string[], suggested: ListMapping): ListMapping {
	const errors: string[] = [];
	const columns = new Set(headers);
	for (const [column, field] of Object.entries(given)) {
		if (!columns.has(column)) errors.push(`there is no column "${clip(column)}" in this file`);
		else if (field !== null && (field as string) !== '' && !(CONTACT_FIELDS as readonly string[]).includes(field)) {
			errors.push(`"${clip(String(field))}" (for the column "${clip(column)}") is not a contact field`);
		}
	}
	if (errors.length > 0) throw new ListMappingError(errors, headers, suggested);
	// A form's "not imported" choice arrives as an empty string.
	return Object.fromEntries(headers.map((h) => [h, Object.hasOwn(given, h) && given[h] ? given[h] : null]));
}

function inLineOrder(problems: ImportProblem[]): ImportProblem[] {
	const at = (p: ImportProblem) => Number(/\d+/.exec(p.location)?.[0] ?? 0);
	// Array#sort is stable: problems of one line keep the order they were found in.
	return problems.sort((a, b) => at(a) - at(b));
}

// ---- rows ---------------------------------------------------------------------------------------

interface RowRead {
	record: ContactRecord;
	notes: string[];
	/** Why the row could not become a contact. */
	skip?: string;
}

/** Prepares the column plan once; returns a reader for rows in header order. */
function createContactReader(mapping: ListMapping, headers: string[]): (fields: string[], location: string) => RowRead {
	const columns = Object.fromEntries(CONTACT_FIELDS.map((f) => [f, [] as number[]])) as Record<ContactField, number[]>;
	headers.forEach((h, i) => {
		const field = mapping[h];
		if (field) columns[field].push(i);
	});
	const columnLabels = headers.map(labelOf);
	const notesPrefixed = columns.note.length > 1;

	// Runs once per row (a 10 MB list has ~100,000): the column plan above is not worked out again.
	return (fields, location) => {
		const notes: string[] = [];

		const fullName = firstLine(fields, columns.fullName);
		const lastName = firstLine(fields, columns.lastName);
		const firstName = firstLine(fields, columns.firstName);
		const displayName = fullName ?? joinName(lastName, firstName);
		const record: ContactRecord = { location, displayName: displayName ?? '', emails: [], phones: [] };
		if (displayName === undefined) {
			const what = columns.fullName.length > 0 ? 'the name is empty' : 'the family and given names are empty';
			return { record, notes, skip: `skipped: ${what}` };
		}
		if (firstName !== undefined) record.firstName = firstName;
		if (lastName !== undefined) record.lastName = lastName;

		const reading =
			firstLine(fields, columns.reading) ??
			joinWords(firstLine(fields, columns.lastReading), firstLine(fields, columns.firstReading));
		if (reading !== undefined) record.reading = reading;
		setIf(record, 'outlet', firstLine(fields, columns.outlet));
		setIf(record, 'desk', firstLine(fields, columns.desk));
		setIf(record, 'title', firstLine(fields, columns.title));
		setIf(record, 'beat', joined(fields, columns.beat, ', ', null));
		setIf(record, 'city', firstLine(fields, columns.city));
		setIf(record, 'country', firstLine(fields, columns.country));
		setIf(record, 'note', joined(fields, columns.note, notesPrefixed ? '\n\n' : '\n', notesPrefixed ? headers : null));
		const address = joined(fields, columns.address, '\n', null);
		setIf(record, 'address', composeAddress(address, firstLine(fields, columns.region), firstLine(fields, columns.postalCode)));

		const labels: Record<string, ContactLabel> = {};
		const seenEmails = new Set<string>();
		for (const i of columns.email) {
			const raw = cell(fields, i);
			if (raw === '') continue;
			const label = columnLabels[i];
			for (const part of splitEmails(raw)) {
				const email = cleanEmail(part);
				if (!EMAIL.test(email)) {
					notes.push(`${headers[i]} "${clip(part)}" is not an email address, so it was left out`);
					continue;
				}
				const key = email.toLowerCase();
				if (seenEmails.has(key)) continue;
				seenEmails.add(key);
				record.emails.push(email);
				if (label && label !== 'mobile' && label !== 'fax') labels[email] = label;
			}
		}
		const seenPhones = new Set<string>();
		for (const i of columns.phone) {
			const raw = cell(fields, i);
			if (raw === '') continue;
			const label = columnLabels[i];
			for (const part of raw.split(PHONE_SEPARATOR)) {
				const phone = cleanPhone(part);
				if (phone === '') continue;
				const digits = phone.replace(/\D/g, '');
				if (digits.length < 6) {
					notes.push(`${headers[i]} "${clip(part.trim())}" is not a phone number, so it was left out`);
					continue;
				}
				if (seenPhones.has(digits)) continue;
				seenPhones.add(digits);
				record.phones.push(phone);
				if (label) labels[phone] = label;
			}
		}
		if (Object.keys(labels).length > 0) record.labels = labels;

		for (const i of columns.xHandle) {
			const raw = oneLine(cell(fields, i));
			if (raw === '') continue;
			const handle = toXHandle(raw);
			if (handle) {
				record.xHandle = handle;
				break;
			}
			notes.push(`${headers[i]} "${clip(raw)}" is not an X (Twitter) handle, so it was left out`);
		}
		for (const i of columns.tier) {
			const raw = oneLine(cell(fields, i));
			if (raw === '') continue;
			const tier = toTier(raw);
			if (tier) {
				record.tier = tier;
				break;
			}
			notes.push(`${headers[i]} "${clip(raw)}" is not a tier (A, B or C, or 1, 2 or 3), so it was left out`);
		}
		return { record, notes };
	};
}

function cell(fields: string[], i: number): string {
	return undoExportQuote(fields[i]).trim();
}

/** The first non-empty column of a single-valued field, on one line. */
function firstLine(fields: string[], columns: number[]): string | undefined {
	for (const i of columns) {
		const value = oneLine(cell(fields, i));
		if (value !== '') return value;
	}
	return undefined;
}

/** All non-empty columns of a field that several may feed; with `headers`, each part says which column it came from. */
function joined(fields: string[], columns: number[], joiner: string, headers: string[] | null): string | undefined {
	let out: string | undefined;
	for (const i of columns) {
		let value = cell(fields, i);
		if (value === '') continue;
		if (value.indexOf('\r') !== -1) value = value.replace(/\r\n?/g, '\n');
		if (headers) value = `${headers[i]}: ${value}`;
		out = out === undefined ? value : out + joiner + value;
	}
	return out;
}

function setIf<K extends 'outlet' | 'desk' | 'title' | 'beat' | 'city' | 'country' | 'note' | 'address'>(
	record: ContactRecord,
	key: K,
	value: string | undefined
): void {
	if (value !== undefined) record[key] = value;
}

// Our own export (./csv-export.ts) puts a quote before text a spreadsheet would run as a formula;
// taking it off again makes export → import give back what was exported.
const EXPORT_QUOTE = /^'(?=[\t\r]|[\s\u3000]*[=+\-@＝＋－＠])/;

function undoExportQuote(value: string): string {
	return value.charCodeAt(0) === 39 && EXPORT_QUOTE.test(value) ? value.slice(1) : value;
}

/** Words as written, on one line; \s includes the ideographic space U+3000. */
function oneLine(value: string): string {
	return ODD_SPACE.test(value) ? value.replace(/\s+/g, ' ').trim() : value.trim();
}

// Any white space but a single ordinary space.
const ODD_SPACE = /[^\S ]| {2}/;

const EAST_ASIAN_SPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HANGUL = /\p{Script=Hangul}/u;

/** Family and given name in the order people of that script write them. */
function joinName(last: string | undefined, first: string | undefined): string | undefined {
	if (last === undefined || first === undefined) return last ?? first;
	const text = last + first;
	// Japanese: 森川 由紀 (family first, a space between); Korean: 김민준 (family first, no space).
	if (EAST_ASIAN_SPACED.test(text)) return `${last} ${first}`;
	if (HANGUL.test(text)) return `${last}${first}`;
	return `${first} ${last}`;
}

function joinWords(a: string | undefined, b: string | undefined): string | undefined {
	if (a === undefined || b === undefined) return a ?? b;
	return `${a} ${b}`;
}

const JAPANESE_POSTCODE = /^〒?\s*(\d{3})-?(\d{4})$/;

/** Folds postal code and region columns into the address, in the order a letter's address is written. */
function composeAddress(address: string | undefined, region: string | undefined, postalCode: string | undefined): string | undefined {
	let text = address;
	const japanese = text !== undefined ? EAST_ASIAN_SPACED.test(text) : region !== undefined && EAST_ASIAN_SPACED.test(region);
	if (region !== undefined && !(text ?? '').includes(region)) {
		text = text === undefined ? region : japanese ? `${region}${text}` : `${text}\n${region}`;
	}
	if (postalCode !== undefined) {
		const code = postalCode.normalize('NFKC').replace(/[ー‐―−–—]/g, '-');
		const jp = JAPANESE_POSTCODE.exec(code);
		if (jp && (japanese || text === undefined)) {
			const mark = `〒${jp[1]}-${jp[2]}`;
			text = text === undefined ? mark : text.includes(`${jp[1]}-${jp[2]}`) ? text : `${mark} ${text}`;
		} else if (!(text ?? '').includes(code)) {
			text = text === undefined ? code : `${text} ${code}`;
		}
	}
	return text;
}

// ---- values -------------------------------------------------------------------------------------

// A usable address for sending mail: the WHATWG form of an email address, but with a dotted
// domain (a media list has no "localhost" reporters); domains may be internationalised.
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}][\p{L}\p{N}-]*[\p{L}\p{N}]$/u;
const EMAIL_IN_TEXT = /[^\s@]+@[^\s@]+\.[^\s@]+/;

function splitEmails(raw: string): string[] {
	const out: string[] = [];
	for (const piece of raw.split(/[;,\n\r、，；|]+/)) {
		const part = piece.normalize('NFKC').trim();
		if (part === '') continue;
		// "Yuki Morikawa <yuki@example.jp>", as copied from a mail program.
		const angled = /<([^<>]+)>\s*$/.exec(part);
		if (angled) out.push(angled[1]);
		else if (/\s/.test(part) && part.includes('@')) out.push(...part.split(/\s+/).filter((p) => p !== ''));
		else out.push(part);
	}
	return out;
}

function cleanEmail(part: string): string {
	// Full-width ＠ and letters are common in Japanese sheets; NFKC makes them ASCII.
	return part
		.normalize('NFKC')
		.trim()
		.replace(/^mailto:/i, '');
}

const PHONE_SEPARATOR = /[;,\n\r、，；|]| \/ /;

function cleanPhone(part: string): string {
	// Dashes typed in Japanese input modes (ー, ‐, －) are meant as hyphens.
	return oneLine(part.normalize('NFKC').replace(/[ー‐‑―−–—]/g, '-'));
}

function toXHandle(raw: string): string | null {
	const text = raw.normalize('NFKC').trim();
	const url = /^(?:https?:\/\/)?(?:www\.|mobile\.)?(?:twitter|x)\.com\/(?:#!\/)?@?([A-Za-z0-9_]{1,15})\/?(?:[?#].*)?$/i.exec(text);
	if (url) return url[1];
	const bare = /^@?([A-Za-z0-9_]{1,15})$/.exec(text);
	return bare ? bare[1] : null;
}

function toTier(raw: string): Tier | null {
	const t = raw.normalize('NFKC').toUpperCase().replace(/[\s\-_:]/g, '');
	const m = /^(?:TIER|RANK|ランク|ティア)?([ABC123])(?:TIER|RANK|ランク|ティア)?$/.exec(t);
	if (!m) return null;
	return ({ A: 'A', B: 'B', C: 'C', '1': 'A', '2': 'B', '3': 'C' } as const)[m[1] as 'A' | 'B' | 'C' | '1' | '2' | '3'];
}

function clip(text: string): string {
	return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}

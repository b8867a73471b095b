import {
	SourceError,
	type ArticleCandidate,
	type ImportProblem,
	type ParsedSource
} from '../articles/candidate';
import { parseCsv } from './csv';
import { parseJsonl } from './jsonl';
import { decodeFile, type FileEncoding } from './text';

export const ARTICLE_FIELDS = [
	'title',
	'url',
	'body',
	'excerpt',
	'publishedAt',
	'lang',
	'outletName',
	'section',
	'bylineRaw',
	'categories',
	'guid'
] as const;

export type ArticleField = (typeof ARTICLE_FIELDS)[number];

/** Which source column (CSV) or key (JSONL) feeds each article field; unmapped fields stay empty. */
export type Mapping = Partial<Record<ArticleField, string>>;

export interface MappingError {
	field: string;
	message: string;
}

/** The mapping cannot be used with this file; carries what a form needs to ask again. */
export class InvalidMappingError extends SourceError {
	override name = 'InvalidMappingError';
	constructor(
		readonly errors: MappingError[],
		readonly header: string[],
		readonly suggestion: Mapping
	) {
		super(`the column mapping does not fit this file: ${errors.map((e) => e.message).join('; ')}`);
	}
}

// Ordered by preference: the first alias present in the header wins, so `outlet` beats `source`.
// Compared after normalise() (NFKC, lower case, no spaces/underscores/dashes/dots).
const ALIASES: Record<ArticleField, string[]> = {
	title: ['title', 'headline', 'heading', 'articletitle', 'head', 'subject', '見出し', 'タイトル', '記事タイトル', '表題', '題名', '件名'],
	url: ['url', 'link', 'href', 'permalink', 'articleurl', 'canonicalurl', 'uri', 'リンク', '記事url'],
	body: ['body', 'text', 'content', 'contents', 'fulltext', 'articlebody', 'articletext', 'story', 'article', '本文', '記事本文', '内容', '記事'],
	excerpt: ['excerpt', 'summary', 'description', 'abstract', 'lead', 'lede', 'dek', 'standfirst', 'snippet', '要約', '概要', 'リード', '抜粋'],
	publishedAt: [
		'publishedat', 'published', 'publishdate', 'publisheddate', 'publicationdate', 'pubdate', 'date', 'datetime',
		'publishedtime', 'timestamp', 'createdat', 'created', 'time',
		'公開日', '公開日時', '掲載日', '掲載日時', '配信日', '配信日時', '発行日', '日付', '日時'
	],
	lang: ['lang', 'language', 'languagecode', 'locale', '言語'],
	outletName: [
		'outlet', 'outletname', 'publication', 'publicationname', 'publisher', 'media', 'medium', 'newspaper', 'magazine',
		'sitename', 'site', 'source', 'sourcename',
		'媒体', '媒体名', '掲載媒体', 'メディア', 'メディア名', '新聞', '新聞名', '出典'
	],
	section: ['section', 'desk', 'department', 'page', 'セクション', '面', '掲載面', '部署', '部', '欄'],
	bylineRaw: [
		'byline', 'author', 'authors', 'writer', 'writers', 'creator', 'dccreator', 'reporter', 'reporters', 'journalist', 'by',
		'記者', '記者名', '著者', '筆者', '執筆者', '署名'
	],
	categories: [
		'categories', 'category', 'topics', 'topic', 'tags', 'tag', 'labels', 'label', 'keywords', 'subjects',
		'カテゴリ', 'カテゴリー', 'タグ', 'ジャンル', '分類', 'トピック', 'キーワード'
	],
	guid: ['guid', 'id', 'uid', 'uuid', 'articleid', 'itemid', 'externalid', '記事id', '記事番号']
};

function normalise(name: string): string {
	return name.normalize('NFKC').toLowerCase().replace(/[\s_\-.:・/()]/g, '');
}

const NORMALISED_ALIASES = Object.fromEntries(
	ARTICLE_FIELDS.map((f) => [f, ALIASES[f].map(normalise)])
) as Record<ArticleField, string[]>;

const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

/** Guesses which column feeds which article field from the header names (English and Japanese aliases). */
export function suggestMapping(header: string[]): Mapping {
	const mapping: Mapping = {};
	const used = new Set<number>();
	const names = header.map(normalise);
	// First exact names ("published_at", "見出し"); then longer names by their head word, which comes
	// last in both languages ("Article title", "Publication date", "記事タイトル").
	for (const field of ARTICLE_FIELDS) {
		for (const alias of NORMALISED_ALIASES[field]) {
			const i = names.findIndex((n, k) => n === alias && !used.has(k));
			if (i !== -1) {
				mapping[field] = header[i];
				used.add(i);
				break;
			}
		}
	}
	for (const field of ARTICLE_FIELDS) {
		if (mapping[field] !== undefined) continue;
		const i = header.findIndex((h, k) => !used.has(k) && headMatches(h, NORMALISED_ALIASES[field]));
		if (i !== -1) {
			mapping[field] = header[i];
			used.add(i);
		}
	}
	return mapping;
}

function headMatches(name: string, aliases: string[]): boolean {
	const words = name
		.normalize('NFKC')
		.replace(/([a-z])([A-Z])/g, '$1 $2')
		.toLowerCase()
		.split(/[^\p{L}\p{N}]+/u)
		.filter(Boolean);
	const last = words.at(-1);
	if (last === undefined) return false;
	if (words.length > 1 && aliases.includes(last)) return true;
	const whole = normalise(name);
	return aliases.some((a) => JAPANESE.test(a) && a.length >= 2 && whole.length > a.length && whole.endsWith(a));
}

/** Checks a mapping against a file's columns; each error names the field it is about. */
export function validateMapping(mapping: Mapping, header: string[]): MappingError[] {
	const errors: MappingError[] = [];
	const columns = new Set(header);
	for (const [field, column] of Object.entries(mapping)) {
		if (!(ARTICLE_FIELDS as readonly string[]).includes(field)) {
			errors.push({ field, message: `${field}: not an article field` });
			continue;
		}
		if (column === undefined || column === '') continue;
		if (!columns.has(column)) {
			errors.push({ field, message: `${field}: there is no column "${column}" in this file` });
		}
	}
	if (!mapping.title) {
		errors.unshift({ field: 'title', message: 'title: choose the column that holds the title' });
	}
	return errors;
}

export interface RowResult {
	/** Absent when the row cannot become an article. */
	candidate?: ArticleCandidate;
	/** Why the row was skipped, or (with a candidate) what was left out of it. */
	problem?: ImportProblem;
}

export type RowConverter = (record: Record<string, unknown> | string[], location: string) => RowResult;

/** Prepares a mapping once for many rows: CSV rows are read by column position, JSONL rows by key. */
export function createRowConverter(mapping: Mapping, header: string[]): RowConverter {
	// One slot per field in ARTICLE_FIELDS order: the key (or "" when unmapped) and its CSV position.
	const keys = ARTICLE_FIELDS.map((f) => mapping[f] ?? '');
	const positions = keys.map((k) => (k === '' ? -1 : header.indexOf(k)));
	const slot = (field: ArticleField) => ARTICLE_FIELDS.indexOf(field);
	const [TITLE, URL, BODY, EXCERPT, DATE, LANG] = [slot('title'), slot('url'), slot('body'), slot('excerpt'), slot('publishedAt'), slot('lang')];
	const [OUTLET, SECTION, BYLINE, CATEGORIES, GUID] = [slot('outletName'), slot('section'), slot('bylineRaw'), slot('categories'), slot('guid')];
	// A file repeats a handful of language values thousands of times.
	const languages = new Map<string, { lang: string | null; note: string | null }>();
	const readLang = (value: unknown, notes: string[]): string | null => {
		let known = typeof value === 'string' ? languages.get(value) : undefined;
		if (known === undefined) {
			const found: string[] = [];
			known = { lang: toLang(value, keys[LANG], found), note: found[0] ?? null };
			if (typeof value === 'string' && languages.size < 1000) languages.set(value, known);
		}
		if (known.note !== null) notes.push(known.note);
		return known.lang;
	};

	return (record, location) => {
		const isArray = Array.isArray(record);
		const get = (slot: number): unknown => {
			if (keys[slot] === '') return undefined;
			return isArray ? (positions[slot] === -1 ? undefined : record[positions[slot]]) : record[keys[slot]];
		};
		const notes: string[] = [];
		const title = toLine(get(TITLE), keys[TITLE], notes);
		if (title === null) {
			return { problem: { location, reason: notes.length > 0 ? `no title (${notes.join('; ')})` : 'no title' } };
		}
		const candidate: ArticleCandidate = {
			location,
			url: toUrl(get(URL), keys[URL], notes),
			guid: toLine(get(GUID), keys[GUID], notes),
			title,
			body: toBlock(get(BODY), keys[BODY], notes),
			excerpt: toBlock(get(EXCERPT), keys[EXCERPT], notes),
			publishedAt: toDate(get(DATE), keys[DATE], notes),
			lang: readLang(get(LANG), notes),
			outletName: toLine(get(OUTLET), keys[OUTLET], notes),
			section: toLine(get(SECTION), keys[SECTION], notes),
			bylineRaw: toLine(get(BYLINE), keys[BYLINE], notes),
			categories: toCategories(get(CATEGORIES), keys[CATEGORIES], notes)
		};
		if (notes.length === 0) return { candidate };
		return { candidate, problem: { location, reason: `imported, but ${notes.join('; ')}` } };
	};
}

/** Turns one CSV row (fields in header order) or JSONL object into an article candidate, or a problem naming the row. */
export function rowToCandidate(
	record: Record<string, unknown> | string[],
	mapping: Mapping,
	header: string[],
	location: string
): RowResult {
	return createRowConverter(mapping, header)(record, location);
}

// ---- values -------------------------------------------------------------------------------------

const HAS_LINE_BREAK_OR_RUN = /[\t\n\r\f\v]| {2}/;

/** Text as found, but on one line: titles, bylines, outlets keep their words, not their layout. */
function toLine(value: unknown, column: string, notes: string[]): string | null {
	const text = toText(value, column, notes);
	if (text === null) return null;
	const line = HAS_LINE_BREAK_OR_RUN.test(text) ? text.replace(/[ \t\n\r\f\v]+/g, ' ') : text;
	const trimmed = line.trim();
	return trimmed === '' ? null : trimmed;
}

/** Text whose paragraphs matter (body, excerpt): line ends unified to \n, outer blank space removed. */
function toBlock(value: unknown, column: string, notes: string[]): string | null {
	let text = toText(value, column, notes, '\n\n');
	if (text === null) return null;
	if (text.indexOf('\r') !== -1) text = text.replace(/\r\n?/g, '\n');
	const trimmed = text.trim();
	return trimmed === '' ? null : trimmed;
}

function toText(value: unknown, column: string, notes: string[], joiner = ', '): string | null {
	if (value === null || value === undefined) return null;
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	if (Array.isArray(value)) {
		const parts: string[] = [];
		for (const item of value) {
			const part = toText(item, column, notes, joiner);
			if (part !== null && part.trim() !== '') parts.push(part.trim());
		}
		return parts.length > 0 ? parts.join(joiner) : null;
	}
	if (typeof value === 'object') {
		// Feeds converted to JSON often give people as { name, email }.
		const named = (value as Record<string, unknown>).name;
		if (typeof named === 'string') return named;
		notes.push(`${column} is an object, not text, so it was left empty`);
	}
	return null;
}

function toUrl(value: unknown, column: string, notes: string[]): string | null {
	const text = toLine(value, column, notes);
	if (text === null) return null;
	if (/^https?:\/\/[^\s/?#]+[^\s]*$/i.test(text)) return text;
	notes.push(`${column} "${clip(text)}" is not a web address, so it was left empty`);
	return null;
}

// A Map, not an object literal: a value such as "constructor" must not find Object.prototype.
const LANGUAGE_NAMES = new Map<string, string>([
	['english', 'en'],
	['japanese', 'ja'],
	['英語', 'en'],
	['日本語', 'ja'],
	// "JP" is a country code, but Japanese spreadsheets use it for the language; no language has it.
	['jp', 'ja'],
	['chinese', 'zh'],
	['中国語', 'zh'],
	['korean', 'ko'],
	['韓国語', 'ko'],
	['french', 'fr'],
	['german', 'de'],
	['spanish', 'es']
]);

function toLang(value: unknown, column: string, notes: string[]): string | null {
	const text = toLine(value, column, notes);
	if (text === null) return null;
	const lower = text.toLowerCase();
	const named = LANGUAGE_NAMES.get(lower);
	if (named) return named;
	const tag = /^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$/.exec(lower);
	if (tag) return tag[1];
	notes.push(`${column} "${clip(text)}" is not a language code, so it was left empty`);
	return null;
}

function toCategories(value: unknown, column: string, notes: string[]): string[] {
	if (value === null || value === undefined) return [];
	let parts: string[];
	if (Array.isArray(value)) {
		parts = [];
		for (const item of value) {
			const text = toLine(item, column, notes);
			if (text !== null) parts.push(text);
		}
	} else {
		const text = toLine(value, column, notes);
		if (text === null) return [];
		// A list separated by ; or | may have commas inside its labels ("Mergers, acquisitions").
		const separator = /[;|]/.test(text) ? /[;|]/ : /[,、，]/;
		parts = text.split(separator);
	}
	const seen = new Set<string>();
	for (const p of parts) {
		const label = p.trim();
		if (label !== '') seen.add(label);
	}
	return [...seen];
}

function toDate(value: unknown, column: string, notes: string[]): string | null {
	const result = parseDate(value);
	if (result.ok) return result.iso;
	notes.push(`${column} ${result.reason}, so the article has no date`);
	return null;
}

function clip(text: string): string {
	return text.length <= 60 ? text : `${text.slice(0, 59)}…`;
}

// ---- dates --------------------------------------------------------------------------------------

export type DateResult = { ok: true; iso: string | null } | { ok: false; reason: string };

const MONTHS: Record<string, number> = {
	jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
	january: 1, february: 2, march: 3, april: 4, june: 6, july: 7, august: 8, september: 9, october: 10,
	november: 11, december: 12
};

// RFC 822 names plus the ones Japanese and European feeds use; V8's Date.parse knows only the US ones.
const ZONES: Record<string, number> = {
	z: 0, ut: 0, utc: 0, gmt: 0,
	est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
	jst: 540, kst: 540, cet: 60, cest: 120, bst: 60
};

const ZONE = String.raw`(z|ut|utc|gmt|[ecmp][sd]t|jst|kst|cest|cet|bst|[+-]\d{2}(?::?\d{2})?)`;
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?`;
const DAY_NAME = String.raw`(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?`;

const ISO_LIKE = new RegExp(String.raw`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:t|\s+)${TIME})?\s*${ZONE}?$`, 'i');
const JAPANESE_DATE = new RegExp(
	String.raw`^(\d{4})年\s*(\d{1,2})月\s*(\d{1,2})日\s*(?:[(（][^)）]*[)）])?\s*(?:(\d{1,2})(?:時|:)\s*(\d{1,2})分?(?:(?::|\s*)(\d{1,2})秒?(?:[.,](\d+))?)?)?\s*${ZONE}?$`,
	'i'
);
const DAY_MONTH_YEAR = new RegExp(
	String.raw`^${DAY_NAME}(\d{1,2})[\s-]+([a-z]{3,9})\.?[\s-]+(\d{2}|\d{4})(?:,?\s+${TIME})?\s*${ZONE}?$`,
	'i'
);
const MONTH_DAY_YEAR = new RegExp(
	String.raw`^${DAY_NAME}([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(?:at\s+)?${TIME}\s*(am|pm)?)?\s*${ZONE}?$`,
	'i'
);
const ASCII = /^[\x00-\x7f]*$/;
const CANONICAL_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;
const NUMERIC_DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Reads a date as article files give it — ISO 8601, YYYY/MM/DD, YYYY年M月D日, RFC 822, epoch seconds
 * (or milliseconds) — into ISO-8601 UTC; a time without a zone is taken as UTC.
 */
export function parseDate(value: unknown): DateResult {
	if (value === null || value === undefined) return { ok: true, iso: null };
	if (typeof value === 'number') return fromEpoch(value, String(value));
	if (typeof value === 'string') {
		// Most files carry machine-written ISO dates; this path skips the general matching below.
		const m = CANONICAL_ISO.exec(value);
		if (m) {
			const iso = build(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], fraction(m[7]), zone(m[8]));
			if (iso) return { ok: true, iso };
		}
	}
	if (typeof value !== 'string') return { ok: false, reason: 'is not a date' };
	const text = value.trim();
	if (text === '') return { ok: true, iso: null };
	// Full-width digits (２０２４年５月１日) are common in Japanese files; NFKC is skipped for ASCII, the usual case.
	const s = ASCII.test(text) ? text : text.normalize('NFKC');
	const shown = `"${clip(text)}"`;

	if (/^\d+(?:\.\d+)?$/.test(s)) {
		if (/^\d{8}$/.test(s)) {
			const d = build(+s.slice(0, 4), +s.slice(4, 6), +s.slice(6, 8), 0, 0, 0, 0, 0);
			if (d) return { ok: true, iso: d };
		}
		return fromEpoch(Number(s), shown);
	}
	let m = ISO_LIKE.exec(s) ?? JAPANESE_DATE.exec(s);
	if (m) {
		const iso = build(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), fraction(m[7]), zone(m[8]));
		return iso ? { ok: true, iso } : { ok: false, reason: `${shown} is not a real date or time` };
	}
	m = DAY_MONTH_YEAR.exec(s);
	if (m) {
		const month = MONTHS[m[2].toLowerCase()];
		const iso = month
			? build(fullYear(m[3]), month, +m[1], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), fraction(m[7]), zone(m[8]))
			: null;
		return iso ? { ok: true, iso } : { ok: false, reason: `${shown} is not a date this importer reads` };
	}
	m = MONTH_DAY_YEAR.exec(s);
	if (m) {
		const month = MONTHS[m[1].toLowerCase()];
		let hour = +(m[4] ?? 0);
		const meridiem = m[8]?.toLowerCase();
		if (meridiem && (hour < 1 || hour > 12)) return { ok: false, reason: `${shown} is not a real time` };
		if (meridiem === 'pm' && hour < 12) hour += 12;
		if (meridiem === 'am' && hour === 12) hour = 0;
		const iso = month
			? build(+m[3], month, +m[2], hour, +(m[5] ?? 0), +(m[6] ?? 0), fraction(m[7]), zone(m[9]))
			: null;
		return iso ? { ok: true, iso } : { ok: false, reason: `${shown} is not a date this importer reads` };
	}
	m = NUMERIC_DMY.exec(s);
	if (m) {
		const a = +m[1];
		const b = +m[2];
		// 03/04/2024 is March 4th in the US and 3 April elsewhere; only a part over 12 settles it.
		if (a <= 12 && b <= 12 && a !== b) {
			return { ok: false, reason: `${shown} could be day/month or month/day` };
		}
		const [day, month] = a > 12 ? [a, b] : [b, a];
		const iso = build(+m[3], month, day, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), 0, 0);
		return iso ? { ok: true, iso } : { ok: false, reason: `${shown} is not a real date` };
	}
	return { ok: false, reason: `${shown} is not a date this importer reads` };
}

function fromEpoch(n: number, shown: string): DateResult {
	if (!Number.isFinite(n) || n < 0) return { ok: false, reason: `${shown} is not a date` };
	// Seconds reach 1e11 only in the year 5138, so anything larger is milliseconds.
	const ms = n >= 1e11 ? n : n * 1000;
	// 253402300800000 is 10000-01-01: beyond it ISO needs a six-digit year.
	if (ms >= 253_402_300_800_000) return { ok: false, reason: `${shown} is not a date` };
	return { ok: true, iso: isoString(Math.round(ms)) };
}

function fullYear(y: string): number {
	if (y.length === 4) return +y;
	// RFC 2822's rule for two-digit years.
	return +y < 50 ? 2000 + +y : 1900 + +y;
}

function fraction(digits: string | undefined): number {
	return digits ? +digits.slice(0, 3).padEnd(3, '0') : 0;
}

/** Minutes east of UTC. */
function zone(z: string | undefined): number {
	if (!z) return 0;
	const named = ZONES[z.toLowerCase()];
	if (named !== undefined) return named;
	const sign = z[0] === '-' ? -1 : 1;
	const digits = z.slice(1).replace(':', '');
	return sign * (+digits.slice(0, 2) * 60 + +(digits.slice(2, 4) || 0));
}

function daysIn(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offset: number): string | null {
	if (y < 1000 || y > 9999 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60) return null;
	if (d > daysIn(y, mo)) return null;
	// A leap second is stored as the last ordinary second rather than rolling into the next minute.
	const t = Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms) - offset * 60_000;
	// A zone offset can still push a year-1000 or year-9999 date out of the four-digit range.
	if (!Number.isFinite(t) || t < -30_610_224_000_000 || t >= 253_402_300_800_000) return null;
	return isoString(t);
}

/** Date#toISOString without the Date: it was the slowest step of reading a date, ~1 µs a call. */
function isoString(t: number): string {
	const dayMs = 86_400_000;
	const days = Math.floor(t / dayMs);
	let rest = t - days * dayMs;
	// Howard Hinnant's civil_from_days.
	const z = days + 719_468;
	const era = Math.floor(z / 146_097);
	const doe = z - era * 146_097;
	const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
	const month = mp < 10 ? mp + 3 : mp - 9;
	const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
	const hour = Math.floor(rest / 3_600_000);
	rest -= hour * 3_600_000;
	const minute = Math.floor(rest / 60_000);
	rest -= minute * 60_000;
	const second = Math.floor(rest / 1000);
	const milli = rest - second * 1000;
	return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
}

function pad2(n: number): string {
	return n < 10 ? `0${n}` : `${n}`;
}

// ---- whole files --------------------------------------------------------------------------------

export interface ArticleFileRecords {
	header: string[];
	/** CSV fields in header order, or JSON objects, each with where it starts ("line 12", "item 3"). */
	records: { location: string; record: string[] | Record<string, unknown> }[];
	problems: ImportProblem[];
	encoding: FileEncoding;
	suggestion: Mapping;
}

/** Decodes and parses an article file without mapping it, for the step where a person picks columns. */
export function readArticleFile(bytes: Uint8Array, format: 'csv' | 'jsonl'): ArticleFileRecords {
	const { text, encoding } = decodeFile(bytes);
	if (format === 'csv') {
		const csv = parseCsv(text);
		return {
			header: csv.header,
			records: csv.rows.map((r) => ({ location: `line ${r.line}`, record: r.fields })),
			problems: csv.problems,
			encoding,
			suggestion: suggestMapping(csv.header)
		};
	}
	const objects = readJsonObjects(text);
	const keys = new Set<string>();
	for (const o of objects.records) for (const key in o.record) keys.add(key);
	const header = [...keys];
	return { header, records: objects.records, problems: objects.problems, encoding, suggestion: suggestMapping(header) };
}

/**
 * JSON Lines, or — since exports saved as .json are one array of objects — a JSON array, whose
 * items are then reported as "item N".
 */
function readJsonObjects(text: string): {
	records: { location: string; record: Record<string, unknown> }[];
	problems: ImportProblem[];
} {
	let arrayError: string | null = null;
	if (/^\uFEFF?\s*\[/.test(text)) {
		let whole: unknown;
		try {
			whole = JSON.parse(text.replace(/^\uFEFF/, ''));
		} catch (e) {
			// Could still be JSON Lines whose first line is an array; JSONL parsing decides below.
			arrayError = e instanceof Error ? e.message : String(e);
		}
		if (Array.isArray(whole)) {
			const records: { location: string; record: Record<string, unknown> }[] = [];
			const problems: ImportProblem[] = [];
			whole.forEach((item: unknown, i) => {
				const location = `item ${i + 1}`;
				if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
					records.push({ location, record: item as Record<string, unknown> });
				} else {
					problems.push({ location, reason: `not a JSON object (it is ${Array.isArray(item) ? 'an array' : item === null ? 'null' : `a ${typeof item}`})` });
				}
			});
			if (records.length === 0 && problems.length === 0) throw new SourceError('the file is an empty JSON array');
			return { records, problems };
		}
	}
	const jsonl = parseJsonl(text);
	if (jsonl.rows.length === 0) {
		// Every line failed: this is not JSON Lines at all, and a problem per line would bury that.
		if (arrayError) throw new SourceError(`the file starts like a JSON array but is not valid JSON (${arrayError})`);
		const first = jsonl.problems[0];
		throw new SourceError(`no line of this file is a JSON object, so it is not JSON Lines (${first.location}: ${first.reason})`);
	}
	return { records: jsonl.rows.map((r) => ({ location: `line ${r.line}`, record: r.value })), problems: jsonl.problems };
}

/** Reads a CSV or JSONL article file into candidates; the mapping defaults to the suggestion from its header. */
export function parseArticleFile(
	bytes: Uint8Array,
	format: 'csv' | 'jsonl',
	mapping?: Mapping
): ParsedSource & { header: string[]; mapping: Mapping; encoding: string } {
	const file = readArticleFile(bytes, format);
	const used = mapping ?? file.suggestion;
	const errors = validateMapping(used, file.header);
	if (errors.length > 0) throw new InvalidMappingError(errors, file.header, file.suggestion);

	const convert = createRowConverter(used, file.header);
	const candidates: ArticleCandidate[] = [];
	const rowProblems: ImportProblem[] = [];
	for (const { location, record } of file.records) {
		const result = convert(record, location);
		if (result.candidate) candidates.push(result.candidate);
		if (result.problem) rowProblems.push(result.problem);
	}
	return {
		candidates,
		problems: mergeByPosition(file.problems, rowProblems),
		header: file.header,
		mapping: used,
		encoding: file.encoding
	};
}

/** Parse problems and row problems are each in source order; a report reads best in one order. */
function mergeByPosition(parse: ImportProblem[], rows: ImportProblem[]): ImportProblem[] {
	if (rows.length === 0) return parse;
	if (parse.length === 0) return rows;
	const at = (p: ImportProblem) => Number(/\d+/.exec(p.location)?.[0] ?? 0);
	const out: ImportProblem[] = [];
	let i = 0;
	let j = 0;
	while (i < parse.length || j < rows.length) {
		if (j >= rows.length || (i < parse.length && at(parse[i]) <= at(rows[j]))) out.push(parse[i++]);
		else out.push(rows[j++]);
	}
	return out;
}

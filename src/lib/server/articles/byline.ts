/**
 * Byline normalisation: turns a raw byline as found in a feed, file or page ("By JANE DOE, Reuters",
 * "文● オカモト／ASCII編集部", "[田中宏昌，ITmedia]") into the people who wrote the article, the wire
 * agencies credited, and the pieces that were recognised as not being a person.
 *
 * Decisions (see also the report that came with this file):
 * - Editors named in a credit ("Editing by John Roe") are kept with role 'editor', photographers
 *   ("Photo: …", "写真：…") with role 'photographer', so that callers can decide; a caller linking
 *   "who wrote this" should take roles 'author' and 'reporter' only.
 * - Illustrators and translators ("イラスト", "翻訳者", "Illustration by") are not article writers and
 *   the role type has no place for them: they are dropped and their credit is listed in `rejected`.
 * - Emails are removed silently (contact details do not belong in a rejection log); handles
 *   ("@janedoe", "u/name") are removed and only reported when nothing else was found.
 * - A piece equal to, or contained in, the outlet's or site's name is not a person, even on a
 *   personal blog whose site name is its author's name.
 * - The input is capped (MAX_INPUT_CHARS after markup is stripped) and every pattern is linear, so
 *   a 5,000-character byline returns at once.
 */
import {
	AGENCIES,
	DEGREES,
	EN_COLON_LABELS,
	EN_LABELS,
	EN_START_LABELS,
	FUNCTION_WORDS,
	HONORIFICS,
	JA_BU_SURNAMES,
	JA_LABELS,
	JA_NAME_SUFFIXES,
	JA_ORG_SUFFIXES,
	JUNK_PHRASES,
	MAC_NAMES,
	NAME_PARTICLES,
	NAME_SUFFIXES,
	NON_NAMES,
	ORG_TAIL_WORDS,
	ORG_WORDS,
	PLACES,
	ROLE_WORDS,
	TITLE_QUALIFIERS,
	UI_EDGE_WORDS,
	type CreditRole,
	type LabelRole
} from './byline-data';

export interface BylinePerson {
	/** Display form, normalised ("Jane Doe", "山田 太郎"). */
	name: string;
	/** Comparison key from personKey(). */
	key: string;
	script: 'ja' | 'latin' | 'other';
	role?: CreditRole;
}

export interface BylineResult {
	people: BylinePerson[];
	/** Canonical agency names ("Reuters", "Associated Press", "Kyodo News"). */
	agencies: string[];
	/** Pieces that were read and judged not to be a person or agency ("Staff Writer", "編集部", a date). */
	rejected: string[];
}

export interface BylineContext {
	/** BCP-47 language of the article; tells Chinese from Japanese for names written only in kanji. */
	lang?: string | null;
	outletName?: string | null;
	siteName?: string | null;
}

/** Longest raw input read at all (markup included); anything beyond is ignored. */
const MAX_RAW_CHARS = 20_000;
/** Longest text parsed after markup is stripped; real bylines, even 18-author papers, are far shorter. */
const MAX_INPUT_CHARS = 2_000;
/** Longest single name accepted. */
const MAX_NAME_CHARS = 120;
/** More words than this in one piece is prose, not a name. */
const MAX_NAME_TOKENS = 7;
/** How deep parenthesised credits may nest ("Jane Doe (with John Roe (Reuters))"). */
const MAX_DEPTH = 2;

const PRONOUNS = new Set(['your', 'my', 'our', 'their', 'its', 'this', 'that', 'these', 'those', 'we', 'you']);
/**
 * Simplified-Chinese forms that Japanese does not use; a kanji-only name containing one is Chinese
 * ("谢若含"), which matters for `script` only.
 */
const SIMPLIFIED_ONLY = /[谢刘张陈杨赵孙马罗郑韩冯邓许苏吕蒋贾钟谭邹陆顾龙钱汤乔贺赖龚网园宁华东书长门们说为这时红丽艳晓辉伟刚军鹏飞涛颖凤兰娇钰贝财闻记报讯]/u;
const JA_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const KANA_CHAR = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;
const HAN_CHAR = /\p{Script=Han}/u;
const LATIN_ONLY = /^[\p{Script=Latin}\s.'’\-‐]+$/u;
const HAS_LETTER = /\p{L}/u;

// ---------------------------------------------------------------------------------------------
// Public API

/** Splits a raw byline into normalised people, wire agencies and rejected non-names; never throws. */
export function normaliseByline(
	raw: string | null | undefined,
	context: BylineContext = {}
): BylineResult {
	const out = new Collector(context ?? {});
	if (typeof raw !== 'string') return out.result();
	let text = cleanText(raw, out);
	if (!text) {
		out.rejectIfNothing(raw);
		return out.result();
	}
	text = separateTrailingAgency(text);
	out.jaByline = JA_CHAR.test(text);
	if (isOutletName(text, out.context, true)) {
		out.reject(text);
		return out.result();
	}
	let inherited: Carried | null = null;
	for (const clause of text.split(/[;\n]/)) {
		inherited = parseClause(clause, inherited, out, 0);
	}
	out.rejectIfNothing(text);
	return out.result();
}

/**
 * "Brad Schade Reuters": an agency credit written after the name with no separator becomes
 * "Brad Schade, Reuters", so the person is not lost with the credit.
 */
function separateTrailingAgency(text: string): string {
	if (JA_CHAR.test(text) || /[,;|(]/.test(text)) return text;
	const words = text.split(/\s+/);
	for (const k of [2, 1]) {
		if (words.length < k + 2) continue;
		const tail = words.slice(-k).join(' ');
		if (isAgencyName(tail)) return `${words.slice(0, -k).join(' ')}, ${tail}`;
	}
	return text;
}

/**
 * The credit label a text ends with ("… 6:08 PM ET by" → "by", "イラスト" → "イラスト", "By:" → "By:"),
 * or null: what a page prints just before a name, for telling author credits from illustrators'.
 * The label is returned as written, separator included ("文●").
 */
export function creditLabelAtEnd(text: string): string | null {
	const words = text.normalize('NFKC').trim().split(/[\s,;|]+/).filter(Boolean).slice(-4);
	for (let k = words.length; k >= 1; k--) {
		const tail = words.slice(-k).join(' ');
		if (bareLabelRole(tail)) return tail;
	}
	return null;
}

/** The comparison key for a name's reading (kana): two spellings of one Japanese name read alike. Null when too short to compare. */
export function readingKey(reading: string | null | undefined): string | null {
	const k = String(reading ?? '').normalize('NFKC').replace(/\s+/g, '');
	return k.length >= 2 ? k : null;
}

/** The comparison key for a person's name, used to match the same reporter across articles. */
export function personKey(name: string): string {
	let s = String(name ?? '')
		.normalize('NFKC')
		.toLowerCase()
		.trim();
	if (JA_CHAR.test(s)) {
		// Japanese (and Chinese) names are written with or without a space or middle dot between
		// family and given name; neither carries meaning.
		return s.replace(/[\s・·･=]+/g, '');
	}
	if (/\p{Script=Latin}/u.test(s)) {
		s = foldLatin(s)
			.replace(/['’‘`´]/g, '')
			.replace(/[.\-‐–—_,]/g, ' ')
			.replace(/\s+/g, ' ')
			.trim();
		// "T.C. Sottek", "T. C. Sottek" and "TC Sottek" are one person: join runs of initials.
		const joined: string[] = [];
		let inRun = false;
		for (const t of s.split(' ')) {
			if (t.length === 1 && inRun) {
				joined[joined.length - 1] += t;
			} else {
				joined.push(t);
				inRun = t.length === 1;
			}
		}
		return joined.join(' ');
	}
	return s.replace(/\s+/g, ' ');
}

/** The canonical name of a wire agency ("The Associated Press" → "Associated Press"), or null. */
export function isAgencyName(s: string | null | undefined): string | null {
	if (typeof s !== 'string') return null;
	let k = s
		.normalize('NFKC')
		.toLowerCase()
		.replace(/\s+/g, ' ')
		.trim()
		.replace(/^[\s"'“”‘’(\[【《〔<|,:;.\-–—・]+|[\s"'“”‘’)\]】》〕>|,:;\-–—・]+$/g, '')
		.replace(/\.$/, '')
		.replace(/^the /, '')
		.trim();
	if (!k || k.length > 60) return null;
	// dpa credits its regional desks as "dpa/lnw", "dpa/tmn".
	k = k.replace(/^dpa\/[a-z]{2,5}$/, 'dpa');
	return AGENCY_INDEX.get(k) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Collecting the result

class Collector {
	readonly people: BylinePerson[] = [];
	readonly agencies: string[] = [];
	readonly rejected: string[] = [];
	private readonly keys = new Set<string>();
	/** True when the byline has Japanese text: a lone Latin word beside it is then an outlet ("ITmedia"). */
	jaByline = false;

	constructor(readonly context: BylineContext) {}

	addPerson(p: BylinePerson): void {
		if (!p.key || this.keys.has(p.key)) return;
		this.keys.add(p.key);
		this.people.push(p);
	}

	addAgency(name: string): void {
		if (!this.agencies.includes(name)) this.agencies.push(name);
	}

	reject(piece: string): void {
		let s = piece.replace(/\s+/g, ' ').trim();
		if (!s) return;
		if (s.length > MAX_NAME_CHARS) s = s.slice(0, MAX_NAME_CHARS) + '…';
		if (!this.rejected.includes(s)) this.rejected.push(s);
	}

	/** Whatever the input was, an unusable byline leaves a trace rather than an empty result. */
	rejectIfNothing(text: string): void {
		if (this.people.length || this.agencies.length || this.rejected.length) return;
		if (text.trim()) this.reject(text.normalize('NFKC'));
	}

	result(): BylineResult {
		return { people: this.people, agencies: this.agencies, rejected: this.rejected };
	}
}

// ---------------------------------------------------------------------------------------------
// Whole-text cleaning

const NAMED_ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
	ndash: '–',
	mdash: '—',
	lsquo: '‘',
	rsquo: '’',
	ldquo: '“',
	rdquo: '”',
	hellip: '…',
	middot: '·',
	bull: '•',
	laquo: '«',
	raquo: '»'
};
// Latin-1 letters by entity name, so "Andr&eacute;" decodes without a dependency.
for (const [base, letters] of [
	['grave', 'AÀEÈIÌOÒUÙaàeèiìoòuù'],
	['acute', 'AÁEÉIÍOÓUÚYÝaáeéiíoóuúyý'],
	['circ', 'AÂEÊIÎOÔUÛaâeêiîoôuû'],
	['tilde', 'AÃNÑOÕaãnñoõ'],
	['uml', 'AÄEËIÏOÖUÜaäeëiïoöuüyÿ'],
	['ring', 'AÅaå'],
	['cedil', 'CÇcç'],
	['slash', 'OØoø']
] as const) {
	for (let i = 0; i < letters.length; i += 2) NAMED_ENTITIES[letters[i] + base] = letters[i + 1];
}
Object.assign(NAMED_ENTITIES, { szlig: 'ß', aelig: 'æ', AElig: 'Æ', oelig: 'œ', OElig: 'Œ', eth: 'ð', thorn: 'þ' });

function decodeEntities(s: string): string {
	return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (m, body: string) => {
		if (body[0] === '#') {
			const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
			return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : ' ';
		}
		return NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()] ?? m;
	});
}

const JUNK_RE = new RegExp(`\\b(?:${JUNK_PHRASES.map(escapeRe).join('|')})`, 'gi');
const EMAIL_RE = /[^\s@<>()\[\],;:"]{1,64}@[^\s@<>()\[\],;:"]{1,255}\.[a-z]{2,24}/gi;
const URL_RE = /(?:https?:\/\/|www\.)[^\s<>()\[\]"]{1,500}/gi;
const URL_OR_EMAIL_RE = new RegExp(`(?:\\s?[:：])?\\s*(?:${URL_RE.source}|${EMAIL_RE.source})`, 'gi');
const HANDLE_RE = /(?<![\p{L}\p{N}_@.])(?:@[A-Za-z0-9_]{1,30}|\/?u\/[A-Za-z0-9_-]{2,30})(?![\p{L}\p{N}_])/gu;

/** Strips markup, decodes entities, NFKC-normalises, removes URLs/emails/UI junk; keeps line breaks. */
function cleanText(raw: string, out: Collector): string {
	let s = raw.length > MAX_RAW_CHARS ? raw.slice(0, MAX_RAW_CHARS) : raw;
	s = s
		.replace(/<(?:br|\/p|\/div|\/li|\/h[1-6]|\/tr)\b[^<>]{0,500}>/gi, '\n')
		.replace(/<\/?[a-z!][^<>]{0,1000}>/gi, ' ');
	s = decodeEntities(s).normalize('NFKC');
	s = s.replace(/\r\n?/g, '\n').replace(/[\u200b-\u200f\u2060\ufeff]/g, '');
	s = s.replace(/[^\S\n]+/g, ' ').replace(/ ?\n[\s]*/g, '\n').trim();
	if (s.length > MAX_INPUT_CHARS) {
		s = s.slice(0, MAX_INPUT_CHARS);
		// Cut at the last separator so a name is not cut in half.
		const cut = Math.max(s.lastIndexOf(','), s.lastIndexOf('\n'), s.lastIndexOf('、'), s.lastIndexOf(';'));
		const space = s.lastIndexOf(' ');
		if (cut > MAX_INPUT_CHARS - 300) s = s.slice(0, cut);
		else if (space > MAX_INPUT_CHARS - 100) s = s.slice(0, space);
	}
	// A colon before a removed address goes with it ("Jane Doe: jane@example.com"): a colon left
	// at the end of a piece marks a field's caption, not a name.
	s = s.replace(URL_OR_EMAIL_RE, ' ');
	const handles: string[] = [];
	s = s.replace(HANDLE_RE, (h) => {
		handles.push(h);
		return ' ';
	});
	// "Nolan22 Dec 2016" (a name glued to a date by a scraper) → "Nolan 22 Dec 2016"; the same
	// for names in Chinese or Japanese script ("谢若含2017-03-01").
	s = s.replace(/(\p{Ll}|\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana})(\d)/gu, '$1 $2');
	s = splitGluedParts(s);
	s = s.replace(JUNK_RE, (m) => {
		out.reject(titleCaseWords(m));
		return ', ';
	});
	// Empty brackets left by removed emails or URLs.
	s = s.replace(/[(\[<{（][\s,]*[)\]>}）]/g, ' ');
	// "By\n\tScott Cunningham": a label alone on its line belongs to the next line.
	s = s.replace(/^(by|par|por)\s*\n/i, '$1 ');
	// "By by Jane Doe": a template's label (often drawn by CSS) before a byline that has its own.
	s = s.replace(/^(by|par|por)\s?:?\s(?:by|par|por)\b\s?:?\s?/i, '$1 ');
	s = s.replace(/[^\S\n]+/g, ' ').replace(/ ?\n ?/g, '\n').trim();
	if (!s.replace(/[\s,]+/g, '')) for (const h of handles) out.reject(h);
	return s.replace(/^[\s,]+|[\s,]+$/g, '');
}

const UI_GLUE_RE = new RegExp(
	`(\\p{Ll})(${[...UI_EDGE_WORDS]
		.filter((w) => /^[a-z]+$/.test(w))
		.map((w) => w[0].toUpperCase() + w.slice(1))
		.join('|')})(?!\\p{L})`,
	'gu'
);

/** Surname prefixes written before capitals inside one name ("MacDONALD", "VanDYKE"). */
const CAPITALS_PREFIXES = new Set(['mac', 'van', 'von', 'del', 'des', 'dos', 'das', 'den', 'der', 'ter', 'ten', 'fitz', 'della', 'saint']);

/**
 * Puts back the separators a scraper lost between the parts of a byline that a page shows in
 * separate boxes: "Jane DoeDAILY PLANET NEWSMar 3" → "Jane Doe, DAILY PLANET NEWS, Mar 3",
 * "Tim O'ReillyFollow" → "Tim O'Reilly, Follow". A capitalised word running straight into three
 * capitals, or a run of capitals into a capitalised word, does not happen inside a name, apart
 * from a few surname prefixes; "McDONALD" and "DiMAGGIO" have too short a word before the capitals,
 * and brands such as "WebMD" too short a run of them.
 */
function splitGluedParts(s: string): string {
	return s
		.replace(/(\p{Lu}\p{Ll}{2,})(?=\p{Lu}{3})/gu, (word: string) =>
			CAPITALS_PREFIXES.has(word.toLowerCase()) ? word : `${word}, `
		)
		.replace(/(?<![\p{L}'’])(\p{Lu}{2,})(?=\p{Lu}\p{Ll}{2,})/gu, '$1, ')
		.replace(UI_GLUE_RE, '$1, $2');
}

// ---------------------------------------------------------------------------------------------
// Clauses and credit labels

const MONTHS =
	'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const DATE_PATTERNS: RegExp[] = [
	// Everything after "Updated", "Published", "Last modified" is a timestamp.
	/\b(?:last\s)?(?:updated|modified|published|posted on|posted at)\b(?!\sby\b)[^\n;]{0,200}/gi,
	/(?:更新|公開|配信|掲載|投稿)(?:日時|日)?\s?[:：][^\n;]{0,100}/g,
	new RegExp(`\\b(?:${MONTHS})\\.?\\s\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s\\d{4})?`, 'gi'),
	new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s(?:${MONTHS})\\.?(?:,?\\s\\d{4})?`, 'gi'),
	new RegExp(`\\b(?:${MONTHS})\\.?\\s\\d{4}\\b`, 'gi'),
	/\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T\s]\d{1,2}:\d{2}(?::\d{2})?(?:\.\d{1,6})?(?:Z|[+-]\d{2}:?\d{2})?)?/gi,
	/\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b/g,
	/\d{4}\s?年\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?日)?/g,
	/\d{1,2}\s?月\s?\d{1,2}\s?日/g,
	/\d{1,2}\s?時(?:\s?\d{1,2}\s?分)?/g,
	// Case-sensitive, so that a zone ("ET", "EDT", "JST") is only ever capitals: "3:46 PM Pat Smith"
	// keeps Pat.
	/(?:\b[Aa]t\s)?\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\b\.?)?(?:\s(?:[A-Z]{1,4}T|UTC|GMT|JST|IST)\b)?/g,
	/(?:\b[Aa]t\s)?\b\d{1,2}\s?[AaPp]\.?[Mm]\b\.?(?:\s(?:[A-Z]{1,4}T|UTC|GMT|JST|IST)\b)?/g,
	/\b\d{1,3}\s(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\sago\b/gi,
	/\b(?:yesterday|today|just now)\b/gi,
	/\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b,?/gi
];

/** Removes dates and timestamps; returns what is left. */
function stripDates(s: string): string {
	let t = s;
	for (const re of DATE_PATTERNS) t = t.replace(re, ' ');
	return t.replace(/\s+/g, ' ').trim();
}

interface Label {
	index: number;
	end: number;
	role: LabelRole;
	text: string;
}

const JA_SEPARATORS = ':/=●○◆◇■□◎▼▽|・';
const EN_LABEL_RE = new RegExp(
	`(?<=^|[\\s,;|(])(${EN_LABELS.map(([l]) => escapeRe(l).replace(/ /g, '\\s'))
		.sort((a, b) => b.length - a.length)
		.join('|')})(?:\\s?:)?(?=\\s|$)`,
	'gi'
);
const EN_COLON_LABEL_RE = new RegExp(
	`(?<=^|[\\s,;|(])(${EN_COLON_LABELS.map(([l]) => escapeRe(l).replace(/ /g, '\\s'))
		.sort((a, b) => b.length - a.length)
		.join('|')})\\s?:`,
	'gi'
);
const EN_START_LABEL_RE = new RegExp(
	`^(${EN_START_LABELS.map(([l]) => escapeRe(l)).join('|')})(?:\\s?:\\s?|\\s)`,
	'i'
);
const JA_LABEL_RE = new RegExp(
	`(?<=^|[\\s,、;()\\[\\]【】${escapeRe(JA_SEPARATORS)}])(${JA_LABELS.map(([l]) => escapeRe(l))
		.sort((a, b) => b.length - a.length)
		.join('|')})(\\s?[${escapeRe(JA_SEPARATORS)}]\\s?|\\s(?=\\S))`,
	'g'
);
const EN_LABEL_ROLES = new Map(EN_LABELS.map(([l, r]) => [l, r] as const));
const EN_COLON_ROLES = new Map(EN_COLON_LABELS.map(([l, r]) => [l, r] as const));
const EN_START_ROLES = new Map(EN_START_LABELS.map(([l, r]) => [l, r] as const));
const JA_LABEL_ROLES = new Map(JA_LABELS.map(([l, r]) => [l, r] as const));

/** Finds credit labels in a clause, in order, without overlaps. */
function findLabels(clause: string): Label[] {
	const found: Label[] = [];
	const start = EN_START_LABEL_RE.exec(clause);
	if (start) {
		found.push({ index: 0, end: start[0].length, role: EN_START_ROLES.get(start[1].toLowerCase())!, text: start[1] });
	}
	for (const m of clause.matchAll(EN_LABEL_RE)) {
		const key = m[1].toLowerCase().replace(/\s/g, ' ');
		found.push({ index: m.index, end: m.index + m[0].length, role: EN_LABEL_ROLES.get(key)!, text: m[1] });
	}
	// A capitalised "By" inside a clause starts a new credit ("… (Reuters) By Jane Doe").
	for (const m of clause.matchAll(/(?<=[\s,;|(])(?:By|BY)(?: ?:)?(?= \p{Lu})/gu)) {
		found.push({ index: m.index, end: m.index + m[0].length, role: 'author', text: 'by' });
	}
	for (const m of clause.matchAll(EN_COLON_LABEL_RE)) {
		const key = m[1].toLowerCase().replace(/\s/g, ' ');
		found.push({ index: m.index, end: m.index + m[0].length, role: EN_COLON_ROLES.get(key)!, text: m[1] });
	}
	if (JA_CHAR.test(clause)) {
		for (const m of clause.matchAll(JA_LABEL_RE)) {
			const label = m[1];
			const sep = m[2];
			// A one-character label ("文", "絵") only counts with a separator after it, or as the
			// first word: "山田 文" is a person whose given name is 文.
			if (label.length === 1 && !/\S/.test(sep) && m.index !== 0) continue;
			found.push({ index: m.index, end: m.index + m[0].length, role: JA_LABEL_ROLES.get(label)!, text: label });
		}
	}
	found.sort((a, b) => a.index - b.index || b.end - a.end);
	const kept: Label[] = [];
	for (const l of found) {
		const last = kept[kept.length - 1];
		if (last && l.index < last.end) continue;
		kept.push(l);
	}
	return kept;
}

const OPEN_BRACKETS = '([【〔《〈「『<{';
const CLOSE_BRACKETS = ')]】〕》〉」』>}';

/** Removes one pair of brackets wrapping the whole text ("（山田太郎）", "[田中宏昌，ITmedia]"). */
function unwrapBrackets(s: string): string {
	let t = s.trim();
	for (let i = 0; i < 3; i++) {
		const open = OPEN_BRACKETS.indexOf(t[0] ?? '');
		if (open < 0 || t[t.length - 1] !== CLOSE_BRACKETS[open]) break;
		const inner = t.slice(1, -1);
		// "(a) and (b)" is not wrapped as a whole.
		if (inner.includes(CLOSE_BRACKETS[open])) break;
		t = inner.trim();
	}
	return t;
}

/** A role handed from a clause that ends in a label to the next ('drop' drops that clause's names). */
interface Carried {
	role: LabelRole;
	explicit: boolean;
}

/** The role of a clause that is nothing but a credit label ("著者", "Illustration:", "Written by"), or null. */
function bareLabelRole(clause: string): LabelRole | null {
	const t = clause.replace(/[\s:：●○◆◇■□◎▼▽|=＝/]+$/u, '').trim();
	if (!t || t.length > 30) return null;
	const lower = t.toLowerCase().replace(/\s+/g, ' ');
	return (
		JA_LABEL_ROLES.get(t) ?? EN_LABEL_ROLES.get(lower) ?? EN_COLON_ROLES.get(lower) ?? EN_START_ROLES.get(lower) ?? null
	);
}

/**
 * Parses one clause (text between semicolons or line breaks). Returns the role a bare label at the
 * end of the clause hands on to the next clause ("Written by\nRob Ewaschuk"), including a label
 * alone on its line, as pages lay out credit lists ("著者\nお米ゴハン\nイラスト\n汐街コナ").
 */
function parseClause(clauseRaw: string, inherited: Carried | null, out: Collector, depth: number): Carried | null {
	const original = clauseRaw.trim();
	if (!original) return inherited;
	const undated = stripDates(original);
	let clause = unwrapBrackets(trimEdges(undated));
	const bare = bareLabelRole(clause);
	if (bare) return { role: bare, explicit: true };
	// "Publish date:", "Original:": the caption of a field whose value (a date) was taken away or
	// sits on the next line. A piece that ends in a colon introduces something; it is not a name.
	if (/[:：]$/.test(undated) && findLabels(clause).length === 0) {
		if (clause) out.reject(clause);
		return null;
	}
	if (!hasNameContent(clause)) {
		if (HAS_LETTER.test(original) || /\d/.test(original)) out.reject(original);
		return null;
	}
	// "【文】山田太郎" → "文:山田太郎".
	clause = clause.replace(/[【\[(]\s?([^【】\[\]()]{1,8}?)\s?[】\])]\s?(?=\S)/g, (m, inner: string) =>
		JA_LABEL_ROLES.has(inner.trim()) ? `${inner.trim()}:` : m
	);

	const labels = findLabels(clause);
	let role = inherited?.role ?? 'author';
	let explicit = inherited?.explicit ?? false;
	let pos = 0;
	let carry: Carried | null = null;
	const pieces: Array<{ text: string; role: LabelRole; explicit: boolean; label?: string }> = [];
	for (const l of labels) {
		if (l.index > pos) pieces.push({ text: clause.slice(pos, l.index), role, explicit });
		role = l.role === 'drop' ? role : l.role;
		pieces.push({ text: '', role: l.role, explicit: true, label: l.text });
		explicit = true;
		pos = l.end;
	}
	if (pos < clause.length) pieces.push({ text: clause.slice(pos), role, explicit });

	// Attach each label's text: the text after a label is that label's, up to the next label.
	for (let i = 0; i < pieces.length; i++) {
		const p = pieces[i];
		if (p.label === undefined) {
			// Only an inherited 'drop' reaches here: the names under "Illustration by\n…".
			if (p.role === 'drop') out.reject(trimEdges(p.text));
			else parseNames(p.text, p.role, p.explicit, out, depth);
			continue;
		}
		const next = pieces[i + 1];
		const body = next && next.label === undefined ? next.text : '';
		if (next && next.label === undefined) i++;
		if (!body.trim()) {
			// A label with nothing after it hands its role to the next clause.
			carry = { role: p.role, explicit: true };
			continue;
		}
		if (p.role === 'drop') {
			out.reject(`${p.label} ${trimEdges(body)}`);
			continue;
		}
		parseNames(body, p.role, true, out, depth);
	}
	return carry;
}

// ---------------------------------------------------------------------------------------------
// Lists of names

interface Segment {
	text: string;
	/** The separator before this segment (',' for commas; 'and', '/', '|' …). */
	sep: string;
}

const LIST_SPLIT_RE = / ?(,? (?:and|und|et|avec|with) |, ?&|,|;|、|\||\/|•| [·&+\-–—] |&) ?/i;

/** Splits a run of names into people, agencies and rejected pieces. */
function parseNames(text: string, role: CreditRole, explicit: boolean, out: Collector, depth: number): void {
	let t = trimEdges(text);
	if (!t) return;
	const whole = isAgencyName(t);
	if (whole) {
		out.addAgency(whole);
		return;
	}
	if (isOutletName(t, out.context, true)) {
		out.reject(t);
		return;
	}
	const asides: string[] = [];
	t = extractParentheticals(t, asides);
	// Brackets left unmatched are noise.
	t = t.replace(/[()\[\]【】〔〕《》〈〉「」『』<>{}]/g, ' ').replace(/\s+/g, ' ').trim();
	if (!t) return;

	const parts = t.split(new RegExp(LIST_SPLIT_RE.source, 'gi'));
	let segments: Segment[] = [];
	for (let i = 0; i < parts.length; i += 2) {
		const sep = i === 0 ? '' : parts[i - 1].trim().toLowerCase() || parts[i - 1];
		segments.push({ text: parts[i].trim(), sep: sep === '' && i > 0 ? ',' : sep });
	}
	segments = splitJapaneseDots(segments);
	segments = splitGluedNames(segments);
	segments = mergeSegments(segments, out);
	for (const seg of segments) classifySegment(seg.text, role, explicit, out);
	// Asides come after the names they follow, so the first-named author stays first.
	if (depth < MAX_DEPTH) for (const aside of asides) parseClause(aside, { role, explicit }, out, depth + 1);
}

/**
 * Takes "(…)" groups out of a run of names. A group inside a name ("Bruno (Henrique Zecchin)
 * Rodrigues") is kept as part of it; any other group is a credit of its own ("(Reuters)",
 * "(avec Damien Leloup)") or a remark ("(now)") and is parsed apart.
 */
function extractParentheticals(t: string, asides: string[]): string {
	return t.replace(/[(\[【〔《〈]([^()\[\]【】〔〕《》〈〉]{0,200})[)\]】〕》〉]/g, (m, inner: string, offset: number) => {
		const before = t.slice(Math.max(0, offset - 2), offset);
		const after = t.slice(offset + m.length, offset + m.length + 2);
		const inName =
			/\p{L} ?$/u.test(before) &&
			/^ ?\p{Lu}/u.test(after) &&
			LATIN_ONLY.test(inner) &&
			!isAgencyName(inner) &&
			inner.trim().split(/\s+/).length <= 3;
		if (inName) return ` ${inner} `;
		asides.push(inner);
		return ' , ';
	});
}

/** "山田太郎・鈴木花子" names two people; "ジョン・スミス" is one. */
function splitJapaneseDots(segments: Segment[]): Segment[] {
	const result: Segment[] = [];
	for (const seg of segments) {
		if (!seg.text.includes('・')) {
			result.push(seg);
			continue;
		}
		const parts = seg.text.split('・').map((p) => p.trim());
		const allNames = parts.every((p) => p.length >= 2 && p.length <= 8 && HAN_CHAR.test(p) && isJapaneseNameChars(p));
		if (!allNames) {
			result.push(seg);
			continue;
		}
		parts.forEach((p, i) => result.push({ text: p, sep: i === 0 ? seg.sep : '・' }));
	}
	return result;
}

/**
 * "Paul WisemanFatima Hussein": two names whose separator was lost when a page was scraped. Only a
 * token inside a run of words is split, and only CapWord+CapWord with long parts, so "McDonald",
 * "MacKenzie" and "FitzGerald" stay whole.
 */
function splitGluedNames(segments: Segment[]): Segment[] {
	const result: Segment[] = [];
	for (const seg of segments) {
		const tokens = seg.text.split(' ');
		let startSep = seg.sep;
		let current: string[] = [];
		for (let i = 0; i < tokens.length; i++) {
			const m = i > 0 && i < tokens.length - 1 ? /^(\p{Lu}\p{Ll}{3,})(\p{Lu}\p{Ll}{2,})$/u.exec(tokens[i]) : null;
			if (m) {
				current.push(m[1]);
				result.push({ text: current.join(' '), sep: startSep });
				current = [m[2]];
				startSep = ',';
			} else {
				current.push(tokens[i]);
			}
		}
		result.push({ text: current.join(' '), sep: startSep });
	}
	return result;
}

/**
 * Rejoins pieces a comma split wrongly: "Yeston, J." and "Jong, Michiel de" (family name first),
 * "John Smith, Jr.", "in Palm Beach, Florida"; drops degrees ("Brenda Goodman, MA").
 */
function mergeSegments(segments: Segment[], out: Collector): Segment[] {
	const result: Segment[] = [];
	for (let i = 0; i < segments.length; i++) {
		const seg = { ...segments[i] };
		const next = segments[i + 1];
		if (next && next.sep === ',' && seg.text && next.text) {
			const nextLower = next.text.toLowerCase();
			if (NAME_SUFFIXES.has(nextLower)) {
				seg.text = `${seg.text} ${next.text}`;
				i++;
			} else if (DEGREES.has(nextLower) && /\p{L} \p{L}/u.test(seg.text)) {
				out.reject(next.text);
				i++;
			} else if (/^(?:inc\.?|llc|ltd\.?|plc|gmbh|co\.)$/i.test(next.text)) {
				seg.text = `${seg.text} ${next.text}`;
				i++;
			} else if (
				/^\p{Lu}[\p{L}'’\-]+$/u.test(seg.text) &&
				!isAgencyName(seg.text) &&
				(isInitials(next.text) || endsWithParticle(next.text))
			) {
				seg.text = `${next.text} ${seg.text}`;
				i++;
			} else if (/ in \p{Lu}/u.test(seg.text) && !/ in /.test(next.text) && isPlaceContinuation(next.text)) {
				seg.text = `${seg.text}, ${next.text}`;
				i++;
			}
		}
		result.push(seg);
	}
	return result;
}

function isInitials(s: string): boolean {
	return /^(?:\p{Lu}\.? ?){1,3}$/u.test(s.trim()) && s.trim().length <= 8;
}

function endsWithParticle(s: string): boolean {
	const tokens = s.split(' ');
	return tokens.length >= 2 && NAME_PARTICLES.has(tokens[tokens.length - 1]) && /^\p{Lu}/u.test(tokens[0]);
}

function isPlaceContinuation(s: string): boolean {
	const lower = s.toLowerCase();
	if (PLACES.has(lower)) return true;
	return /^\p{Lu}[\p{Ll}.]+$/u.test(s) && !isAgencyName(s);
}

// ---------------------------------------------------------------------------------------------
// One piece: a person, an agency, or rejected

/** Decides what one piece of a byline is and records it. */
function classifySegment(raw: string, role: CreditRole, explicit: boolean, out: Collector): void {
	let s = trimEdges(raw);
	if (!s) return;
	if (!HAS_LETTER.test(s)) {
		out.reject(s);
		return;
	}

	// "ワシントン=山田太郎" (place=name), "AFP=時事" (agency via agency).
	if (s.includes('=')) {
		const parts = s.split('=').map((p) => trimEdges(p));
		const name = parts.pop() ?? '';
		for (const p of parts) {
			const a = isAgencyName(p);
			if (a) out.addAgency(a);
			else if (p) out.reject(p);
		}
		s = name;
		if (!s) return;
	}

	s = s.replace(/^(?:courtesy of|via|source:?|credit:?) /i, '');
	const agency = isAgencyName(s) ?? agencyWithTitle(s);
	if (agency) {
		out.addAgency(agency);
		return;
	}

	// "Jane Doe in Washington", "Reuters in New York".
	const located = / in \p{Lu}/u.exec(s) ?? / reporting from /i.exec(s);
	if (located && located.index > 0) {
		s = s.slice(0, located.index).trim();
		const a = isAgencyName(s);
		if (a) {
			out.addAgency(a);
			return;
		}
	}

	if (JA_CHAR.test(s)) {
		classifyJapanese(s, role, explicit, out);
		return;
	}

	if (isNonName(s) || isOutletName(s, out.context) || isOrganisation(s, out)) {
		out.reject(s);
		return;
	}

	let tokens = s.split(' ').filter(Boolean);

	// Digits end a name: "Lucas Nolan22 Dec" arrives as "Lucas Nolan 22 …" after dates are cut.
	const digitAt = tokens.findIndex((tok) => /\d/.test(tok));
	if (digitAt === 0) {
		out.reject(s);
		return;
	}
	if (digitAt > 0) tokens = tokens.slice(0, digitAt);
	// "Andrea Wong Andrea Wong": a page that writes the byline twice, once for each screen size.
	const half = tokens.length / 2;
	if (half >= 2 && Number.isInteger(half) && tokens.slice(0, half).join(' ').toLowerCase() === tokens.slice(half).join(' ').toLowerCase()) {
		tokens = tokens.slice(0, half);
	}
	// "Tim O'Reilly Follow": a button's label beside the name, not part of it.
	while (tokens.length > 2 && UI_EDGE_WORDS.has(tokens[tokens.length - 1].toLowerCase())) tokens.pop();
	while (tokens.length > 2 && UI_EDGE_WORDS.has(tokens[0].toLowerCase())) tokens.shift();

	const titled = stripTitles(tokens);
	if (titled.onlyTitle) {
		out.reject(s);
		return;
	}
	tokens = titled.tokens;
	const rest = tokens.join(' ');
	const restAgency = isAgencyName(rest);
	if (restAgency) {
		out.addAgency(restAgency);
		return;
	}

	// "Brad Schade Reuters", "Paul Wiseman Associated Press".
	for (let n = Math.min(3, tokens.length - 2); n >= 1; n--) {
		const tail = tokens.slice(tokens.length - n).join(' ');
		const a = isAgencyName(tail);
		if (a && (n > 1 || TRAILING_AGENCIES.has(a))) {
			out.addAgency(a);
			tokens = tokens.slice(0, tokens.length - n);
			break;
		}
	}

	while (tokens.length > 1 && HONORIFICS.has(tokens[0].toLowerCase())) tokens.shift();
	while (tokens.length > 2 && DEGREES.has(tokens[tokens.length - 1].toLowerCase()) && /^[A-Z.]+$/.test(tokens[tokens.length - 1])) {
		tokens.pop();
	}

	const name = tokens.join(' ');
	if (!isPlausibleName(name, tokens, out)) {
		out.reject(s);
		return;
	}
	const finalRole = !explicit && titled.role ? titled.role : role;
	const display = fixCase(name);
	out.addPerson({ name: display, key: personKey(display), script: scriptOf(display, out.context), role: finalRole });
}

/** A Japanese (or other CJK) piece: strips titles like 記者, rejects desks like 編集部. */
function classifyJapanese(s0: string, role: CreditRole, explicit: boolean, out: Collector): void {
	let s = s0.trim();
	// Digits end a name here too: "谢若含 74" is a name and a view count.
	const words = s.split(' ');
	const digitAt = words.findIndex((word) => /\d/.test(word));
	if (digitAt > 0) s = words.slice(0, digitAt).join(' ');
	if (isNonName(s) || isOutletName(s, out.context)) {
		out.reject(s);
		return;
	}
	// "【ニューヨーク共同】", "ワシントン時事": a place followed by the agency that filed from it.
	for (const entry of AGENCIES) {
		for (const n of entry.names) {
			if (JA_CHAR.test(n) && s.endsWith(n) && s.length > n.length && s.length - n.length <= 10) {
				const place = s.slice(0, -n.length).trim();
				if (/^[\p{Script=Katakana}\p{Script=Han}ー]+$/u.test(place) && !place.endsWith('・')) {
					out.addAgency(entry.canonical);
					return;
				}
			}
		}
	}
	let suffixRole: CreditRole | null = null;
	for (const [suffix, r] of JA_NAME_SUFFIXES) {
		if (s.endsWith(suffix) && s.length - suffix.length >= 2) {
			s = s.slice(0, -suffix.length).trim();
			suffixRole = r;
			break;
		}
	}
	const compact = s.replace(/\s+/g, '');
	if (isJapaneseOrg(compact) || isNonName(compact)) {
		out.reject(s0);
		return;
	}
	if (/\d/.test(compact) || compact.length < 2 || compact.length > 16 || !isJapaneseNameChars(compact) || s.split(' ').length > 3) {
		out.reject(s0);
		return;
	}
	const finalRole = !explicit && suffixRole ? suffixRole : role;
	out.addPerson({ name: s.replace(/\s+/g, ' '), key: personKey(s), script: scriptOf(s, out.context), role: finalRole });
}

function isJapaneseNameChars(s: string): boolean {
	return /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}ー々〆ヶ・\s]+$/u.test(s);
}

function isJapaneseOrg(compact: string): boolean {
	if (JA_BU_SURNAMES.has(compact)) return false;
	// Desks end in 部 ("経済部", "ASCII編集部"); two-character names ending in it are surnames.
	if (/部$/.test(compact) && compact.length >= 3) return true;
	if (/株式会社|有限会社|合同会社|\(株\)|公式/.test(compact)) return true;
	return JA_ORG_SUFFIXES.some((suffix) => compact.endsWith(suffix) && (suffix.length > 1 || compact.length > 1));
}

/**
 * Drops job titles around a name: "Jane Doe Staff Writer", "Patrick Wintour Diplomatic editor",
 * "Associated Press Writer". A piece made only of title words is not a name.
 */
function stripTitles(tokens0: string[]): { tokens: string[]; role: CreditRole | null; onlyTitle: boolean } {
	const tokens = [...tokens0];
	const lower = tokens.map((t) => t.toLowerCase().replace(/[.,:]$/, ''));
	const isTitleWord = (w: string) => ROLE_WORDS.has(w) || TITLE_QUALIFIERS.has(w);
	if (lower.some((w) => ROLE_WORDS.has(w)) && lower.every(isTitleWord)) return { tokens, role: null, onlyTitle: true };

	let role: CreditRole | null = null;
	let end = tokens.length;
	let stripped = false;
	while (end > 1 && ROLE_WORDS.has(lower[end - 1])) {
		role = role ?? ROLE_WORDS.get(lower[end - 1]) ?? null;
		end--;
		stripped = true;
	}
	if (stripped) {
		let bare = end;
		while (bare > 0 && TITLE_QUALIFIERS.has(lower[bare - 1])) bare--;
		if (bare > 0 && isAgencyName(tokens.slice(0, bare).join(' '))) {
			// "AP Business Writer".
			end = bare;
		} else {
			// Qualifiers go only while a full name is left ("Mary Washington Staff Writer").
			while (end > 2 && TITLE_QUALIFIERS.has(lower[end - 1])) end--;
			// Keep "Example editor": stripping must leave a full name, or it was not a title.
			if (end < 2) {
				end = tokens.length;
				role = null;
			}
		}
	}
	let start = 0;
	let lead = 0;
	while (lead < end && isTitleWord(lower[lead])) lead++;
	if (lead > 0 && lower.slice(0, lead).some((w) => ROLE_WORDS.has(w)) && end - lead >= 2) {
		role = role ?? lower.slice(0, lead).map((w) => ROLE_WORDS.get(w) ?? null).find((r) => r) ?? null;
		start = lead;
	}
	return { tokens: tokens.slice(start, end), role, onlyTitle: false };
}

/** "Reuters staff", "AP Business Writer": an agency followed by job-title words. */
function agencyWithTitle(s: string): string | null {
	const tokens = s.split(' ');
	let end = tokens.length;
	while (end > 1 && (ROLE_WORDS.has(tokens[end - 1].toLowerCase()) || TITLE_QUALIFIERS.has(tokens[end - 1].toLowerCase()))) end--;
	return end < tokens.length ? isAgencyName(tokens.slice(0, end).join(' ')) : null;
}

function isNonName(s: string): boolean {
	const k = s
		.toLowerCase()
		.replace(/^[\s.,:;|\-–—*•·]+|[\s.,:;|\-–—*•·]+$/g, '')
		.replace(/\s+/g, ' ');
	if (NON_NAMES.has(k) || UI_EDGE_WORDS.has(k)) return true;
	if (/^(?:the )?(?:staff|editors?|editorial|newsroom)\b/.test(k) && !/\p{L}{2,} \p{L}{2,} \p{L}/u.test(k)) return true;
	if (/^(?:for|special to|courtesy of|via|from|contributors? to|posted in|filed under|source)\b/.test(k)) return true;
	return false;
}

/** A desk, company, institution or outlet rather than a person. */
function isOrganisation(s: string, out: Collector): boolean {
	const tokens = s.split(' ').filter(Boolean);
	const lower = tokens.map((t) => t.toLowerCase());
	if (lower.some((w) => ORG_WORDS.has(w))) return true;
	if (tokens.length >= 2 && ORG_TAIL_WORDS.has(lower[lower.length - 1])) return true;
	if (tokens.length === 1) {
		const t = tokens[0];
		// "TIME", "SWR", "DASDING", "ITmedia": capitals in a row make a brand, not a one-word name.
		if (/^\p{Lu}{2,}/u.test(t) && /^\p{Script=Latin}/u.test(t)) return true;
		// Beside Japanese text a lone Latin word is the outlet ("[田中宏昌，ITmedia]").
		if (out.jaByline && /^\p{Script=Latin}/u.test(t)) return true;
	}
	return false;
}

/**
 * Whether a piece names the outlet or site. `exact` is for whole bylines, where containment would
 * throw away "Jane Doe, Washington Post" along with the outlet.
 */
function isOutletName(s: string, ctx: BylineContext, exact = false): boolean {
	const k = outletKey(s);
	if (!k) return false;
	for (const name of [ctx.outletName, ctx.siteName]) {
		if (typeof name !== 'string') continue;
		const o = outletKey(name);
		if (!o) continue;
		if (k === o) return true;
		if (exact) continue;
		const cjk = JA_CHAR.test(o) || JA_CHAR.test(k);
		if (cjk) {
			if (o.length >= 3 && k.includes(o)) return true;
			if (k.length >= 3 && o.includes(k)) return true;
		} else {
			if (o.length >= 4 && ` ${k} `.includes(` ${o} `)) return true;
			if (k.length >= 4 && ` ${o} `.includes(` ${k} `)) return true;
		}
	}
	return false;
}

function outletKey(s: string): string {
	return s
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim()
		.replace(/^the /, '')
		.replace(/\s+/g, ' ');
}

function isPlausibleName(name: string, tokens: string[], out: Collector): boolean {
	if (!name || name.length > MAX_NAME_CHARS) return false;
	if (!HAS_LETTER.test(name)) return false;
	if (tokens.length > MAX_NAME_TOKENS) return false;
	// Letters, spaces, and the punctuation names use; anything else is prose, a handle or a site.
	if (!/^[\p{L}\p{M}\s.'’\-‐]+$/u.test(name)) return false;
	if (isNonName(name) || isOrganisation(name, out)) return false;
	const lower = tokens.map((t) => t.toLowerCase());
	if (FUNCTION_WORDS.has(lower[0])) return false;
	if (lower.some((w, i) => i > 0 && FUNCTION_WORDS.has(w) && tokens[i] === w && !NAME_PARTICLES.has(w))) return false;
	// "Pull Up Your Plants": pronouns and determiners are never part of a name, whatever their case.
	if (lower.some((w) => PRONOUNS.has(w))) return false;
	if (tokens.length === 1) {
		const t = tokens[0];
		// A lone lower-case word is a user name ("tobi", "stevenhgm"); lone initials are not a name.
		if (!/\p{Lu}/u.test(t)) return false;
		if (/^(?:\p{Lu}\.?){1,3}$/u.test(t)) return false;
	}
	if (tokens.every((t) => /^(?:\p{Lu}\.?)+$/u.test(t) && t.replace(/\./g, '').length <= 1)) return false;
	return true;
}

// ---------------------------------------------------------------------------------------------
// Display form and keys

/** Re-cases SHOUTED or all-lower-case names; leaves names written in mixed case alone. */
function fixCase(name: string): string {
	if (!/\p{Script=Latin}/u.test(name)) return name;
	const upper = (name.match(/\p{Lu}/gu) ?? []).length;
	const lowerCount = (name.match(/\p{Ll}/gu) ?? []).length;
	const tokens = name.split(' ');
	const shouting = upper >= 2 && lowerCount <= upper * 0.15;
	const whisper = upper === 0 && tokens.length >= 2;
	if (shouting || whisper) {
		return tokens.map((t, i) => titleCaseToken(t, i, tokens.length)).join(' ');
	}
	// "Jean DUPONT": one shouted word in an otherwise cased name.
	return tokens
		.map((t, i) => (/^\p{Lu}{3,}$/u.test(t) && !/^[IVX]+$/.test(t) ? titleCaseToken(t, i, tokens.length) : t))
		.join(' ');
}

function titleCaseToken(token: string, index: number, count: number): string {
	const lower = token.toLowerCase();
	if (index > 0 && index < count - 1 && NAME_PARTICLES.has(lower)) return lower;
	if (index > 0 && /^(?:ii|iii|iv|vi|vii|viii|ix)$/.test(lower)) return lower.toUpperCase();
	return lower
		.split('-')
		.map((part) => {
			if (/^[\p{L}]'\p{L}/u.test(part) || /^[\p{L}]’\p{L}/u.test(part)) {
				// O'Brien, D'Afflisio.
				return part[0].toUpperCase() + part[1] + part[2].toUpperCase() + part.slice(3);
			}
			if (/^mc\p{L}{2,}/u.test(part)) return 'Mc' + part[2].toUpperCase() + part.slice(3);
			if (MAC_NAMES.has(part)) return 'Mac' + part[3].toUpperCase() + part.slice(4);
			return part.charAt(0).toUpperCase() + part.slice(1);
		})
		.join('-');
}

function scriptOf(name: string, ctx: BylineContext): BylinePerson['script'] {
	if (KANA_CHAR.test(name)) return 'ja';
	if (HAN_CHAR.test(name)) {
		const lang = (ctx.lang ?? '').toLowerCase();
		if (!lang && SIMPLIFIED_ONLY.test(name)) return 'other';
		// Kanji alone cannot tell Japanese from Chinese; the product reads Japanese news, so an
		// unknown language counts as Japanese.
		return lang && !lang.startsWith('ja') ? 'other' : 'ja';
	}
	if (LATIN_ONLY.test(name)) return 'latin';
	return 'other';
}

function foldLatin(s: string): string {
	return s
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.replace(/ß/g, 'ss')
		.replace(/æ/g, 'ae')
		.replace(/œ/g, 'oe')
		.replace(/ø/g, 'o')
		.replace(/ł/g, 'l')
		.replace(/đ/g, 'd')
		.replace(/ð/g, 'd')
		.replace(/þ/g, 'th')
		.replace(/ı/g, 'i');
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const AGENCY_INDEX = new Map<string, string>();
for (const entry of AGENCIES) for (const n of entry.names) AGENCY_INDEX.set(n.normalize('NFKC').toLowerCase(), entry.canonical);
const TRAILING_AGENCIES = new Set(AGENCIES.filter((a) => a.trailing).map((a) => a.canonical));

/** Trims separators, quotes and stray punctuation from both ends. */
function trimEdges(s: string): string {
	return s
		.replace(/^[\s,;:|/\\\-–—*•·・、.!?"'“”‘’=●○◆◇■□◎▼▽]+/u, '')
		.replace(/[\s,;:|/\\\-–—*•·・、"'“”‘’=●○◆◇■□◎▼▽]+$/u, '')
		.trim();
}

/** Whether any letters survive once dates, labels and stop words are set aside. */
function hasNameContent(s: string): boolean {
	const words = s
		.toLowerCase()
		.split(/[^\p{L}]+/u)
		.filter(Boolean);
	return words.some((w) => !FUNCTION_WORDS.has(w) && w !== 'am' && w !== 'pm');
}

function escapeRe(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function titleCaseWords(s: string): string {
	return s.replace(/\S+/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
}

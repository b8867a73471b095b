/**
 * Quick find: a typo-tolerant finder for reporters, outlets and (once their tables exist) topics and
 * campaigns, used by the /find page and the keyboard finder in the shell.
 *
 * The index is built from the database by providers, one per kind, and is the same for every staff
 * user, so it is cached per database for a short time and shared. Each provider names exactly the
 * columns it reads: a finder result reaches the browser, so it must never carry contact details, notes
 * or anything else — only the fields of QuickFindItem, copied one by one in `toItem`.
 *
 * Matching is fuse.js (Bitap, so a misspelt or transposed letter still matches) in extended-search
 * mode: every word of the query must match, each fuzzily, so "whitfield dana" and "ledger harbor" work.
 * A combined field lets the words match across fields ("森川 東京ポスト": name and outlet). Fuse's
 * matches are then ordered by typos counted as people make them (a swapped pair is one typo, where
 * Bitap counts two), name before outlet, start of a word before middle. Text is NFKC-normalised, lower-cased, stripped of Latin accents and katakana is folded to hiragana, so a
 * reading stored as モリカワ is found by もりかわ. (Full-text search keeps kana apart because folding
 * merges different words; for names people type from memory, folding is what they expect.)
 */
import Fuse from 'fuse.js';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

export type QuickFindKind = 'reporter' | 'outlet' | 'topic' | 'campaign';

/** The kinds in the order their groups are shown. */
export const QUICK_FIND_KINDS: readonly QuickFindKind[] = ['reporter', 'outlet', 'topic', 'campaign'];

/** One finder result: exactly what the browser receives, nothing more. */
export interface QuickFindItem {
	kind: QuickFindKind;
	id: number;
	/** The name as shown. */
	label: string;
	/** Context shown under the name (a reporter's outlet). */
	sublabel?: string;
	/** How the name is read (Japanese names), shown and matched. */
	reading?: string;
	/** The page the result opens. */
	href: string;
}

/**
 * What a provider hands the index: an item plus, optionally, more text that should find it but is
 * never sent to the browser (a reporter's romanized name).
 */
export interface QuickFindRecord extends QuickFindItem {
	alsoMatches?: readonly string[];
}

/** A source of findable things of one kind. Add one per new table (topics, campaigns). */
export interface QuickFindProvider {
	kind: QuickFindKind;
	load(db: Kysely<DB>): Promise<QuickFindRecord[]>;
}

export interface QuickFindOptions {
	/** Most results to return (default 20, at most 100). */
	limit?: number;
	/** Providers to search instead of QUICK_FIND_PROVIDERS (tests, or a subset of kinds). */
	providers?: readonly QuickFindProvider[];
	/** The current time in ms, for tests of the cache; default Date.now(). */
	now?: number;
}

/** How long a built index is reused before the database is read again. */
export const QUICK_FIND_MAX_AGE_MS = 30_000;

/** Longest query considered: names are short, and Bitap's cost grows with the pattern. */
const MAX_QUERY_LENGTH = 100;
const MAX_QUERY_WORDS = 8;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** Reporters: display name, reading and outlet; the romanized name is matched but not sent. */
export const reporterProvider: QuickFindProvider = {
	kind: 'reporter',
	async load(db) {
		const rows = await db
			.selectFrom('reporters')
			.leftJoin('outlets', 'outlets.id', 'reporters.outlet_id')
			.select(['reporters.id', 'reporters.display_name', 'reporters.reading', 'reporters.romanized', 'outlets.name as outlet_name'])
			.orderBy('reporters.id')
			.execute();
		return rows.map((r) => ({
			kind: 'reporter',
			id: r.id,
			label: r.display_name,
			sublabel: r.outlet_name ?? undefined,
			reading: r.reading ?? undefined,
			href: `/reporters/${r.id}`,
			alsoMatches: r.romanized ? [r.romanized] : undefined
		}));
	}
};

/** Outlets by name; the result opens the outlet's record. */
export const outletProvider: QuickFindProvider = {
	kind: 'outlet',
	async load(db) {
		const rows = await db.selectFrom('outlets').select(['id', 'name']).orderBy('id').execute();
		return rows.map((o) => ({ kind: 'outlet', id: o.id, label: o.name, href: `/outlets/${o.id}` }));
	}
};

/** Topics by name and reading. */
export const topicProvider: QuickFindProvider = {
	kind: 'topic',
	async load(db) {
		const rows = await db.selectFrom('topics').select(['id', 'name', 'name_reading']).orderBy('id').execute();
		return rows.map((t) => ({ kind: 'topic', id: t.id, label: t.name, reading: t.name_reading ?? undefined, href: `/topics/${t.id}` }));
	}
};

/** Every provider the finder searches. Campaigns add theirs here when their table exists. */
export const QUICK_FIND_PROVIDERS: readonly QuickFindProvider[] = [reporterProvider, outletProvider, topicProvider];

/** A record as indexed: the item to return and its normalised texts to match. */
interface IndexEntry {
	item: QuickFindItem;
	/** Every normalised text in one, so the words of a query may match in different fields. */
	all: string;
	/** The name texts (label, reading, alsoMatches) and the context (sublabel) as code points, for ranking. */
	names: string[][];
	context: string[][];
}

/** A built index, ready to search. */
export interface QuickFindIndex {
	fuse: Fuse<IndexEntry>;
	size: number;
}

interface CacheEntry {
	builtAt: number;
	index: Promise<QuickFindIndex>;
}

// Keyed by the database instance, then by the provider list: the same for every user, and dropped
// with the database. Nothing per user or per request is kept.
const cache = new WeakMap<Kysely<DB>, Map<readonly QuickFindProvider[], CacheEntry>>();

/** Text as the finder compares it: NFKC, lower case, no Latin accents, katakana as hiragana, single spaces. */
export function normaliseForFind(text: string): string {
	return (
		text
			.normalize('NFKC')
			.toLowerCase()
			// Strip only the combining accents of Latin and similar scripts; the kana voicing marks
			// (U+3099, U+309A) recompose below, so が stays が.
			.normalize('NFD')
			.replace(/[\u0300-\u036f]/g, '')
			.normalize('NFC')
			// Katakana ァ–ヶ to hiragana ぁ–ゖ; ー and ・ are shared by both and are left alone.
			.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
			// A middle dot separates the parts of a foreign name: treat it as a space.
			.replace(/[・·]/g, ' ')
			.replace(/\s+/g, ' ')
			.trim()
	);
}

/**
 * The query as fuse.js extended search reads it: normalised, its words plain fuzzy terms. Extended
 * search gives `=`, `'`, `!`, `^`, `$`, `|` and quotes a meaning; a name typed into the finder means
 * none of that, so they are removed where they would act as operators.
 */
export function queryForFind(query: string): string {
	const words = normaliseForFind(query.slice(0, MAX_QUERY_LENGTH).replace(/[|"]/g, ' '))
		.split(' ')
		.map((w) => w.replace(/^[=!'^]+/, '').replace(/\$+$/, ''))
		.filter(Boolean);
	return words.slice(0, MAX_QUERY_WORDS).join(' ');
}

/** Exactly the fields of QuickFindItem, with absent optional ones left out, whatever a provider returned. */
function toItem(record: QuickFindRecord): QuickFindItem {
	const item: QuickFindItem = { kind: record.kind, id: record.id, label: record.label, href: record.href };
	if (record.sublabel) item.sublabel = record.sublabel;
	if (record.reading) item.reading = record.reading;
	return item;
}

function toEntry(record: QuickFindRecord): IndexEntry {
	const label = normaliseForFind(record.label);
	const reading = record.reading ? normaliseForFind(record.reading) : '';
	const sublabel = record.sublabel ? normaliseForFind(record.sublabel) : '';
	const also = (record.alsoMatches ?? []).map(normaliseForFind).filter(Boolean);
	return {
		item: toItem(record),
		all: [label, reading, ...also, sublabel].filter(Boolean).join(' '),
		names: [label, reading, ...also].filter(Boolean).map((t) => Array.from(t)),
		context: sublabel ? [Array.from(sublabel)] : []
	};
}

/** Build a searchable index from records (no database): what quickFind uses after loading. */
export function buildQuickFindIndex(records: readonly QuickFindRecord[]): QuickFindIndex {
	const entries = records.map(toEntry);
	const fuse = new Fuse(entries, {
		// One field holding them all: the words of a query may then match in different fields, and
		// one key instead of five makes a search five times cheaper. Which field matched, and how
		// well, is judged afterwards by rankEntry.
		keys: ['all'],
		useExtendedSearch: true,
		// Where in a name the match falls does not matter ("whitfield" in "Dana Whitfield").
		ignoreLocation: true,
		// About one wrong letter in three: "whitfeild" (a transposition, two errors in nine) finds
		// Whitfield; unrelated names do not come back.
		threshold: 0.4,
		includeScore: true,
		isCaseSensitive: true // already lower-cased by normaliseForFind
	});
	return { fuse, size: entries.length };
}

/** Search a built index; at most `limit` items, best first. */
export function searchQuickFindIndex(index: QuickFindIndex, query: string, limit = DEFAULT_LIMIT): QuickFindItem[] {
	const pattern = queryForFind(query);
	if (!pattern) return [];
	const n = Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit)));
	const words = pattern.split(' ').map((w) => Array.from(w));
	// Fuse finds the candidates; they are then ordered by typos counted the way people make them.
	// Bitap counts a swapped pair ("feild") as two errors, so in a five-letter surname it ties with
	// every name two letters away; counted as one, the intended name comes first.
	const ranked = index.fuse.search(pattern).map((r, order) => ({ entry: r.item, order, rank: rankEntry(r.item, words) }));
	ranked.sort((a, b) => compareRanks(a.rank, b.rank) || a.order - b.order);
	return ranked.slice(0, n).map((r) => r.entry.item);
}

/** How well an entry matches, smaller is better, compared in this order. */
interface Rank {
	/** Sum over the query words of typos / word length in the best field. */
	typos: number;
	/** Query words that matched only the context (a reporter's outlet), not the name or reading. */
	inContext: number;
	/** Query words that do not start a word where they match best. */
	midWord: number;
}

function compareRanks(a: Rank, b: Rank): number {
	return a.typos - b.typos || a.inContext - b.inContext || a.midWord - b.midWord;
}

function rankEntry(entry: IndexEntry, words: readonly string[][]): Rank {
	const rank: Rank = { typos: 0, inContext: 0, midWord: 0 };
	for (const word of words) {
		let best = { typos: Infinity, inContext: 1, midWord: 1 };
		for (const [fields, inContext] of [
			[entry.names, 0],
			[entry.context, 1]
		] as const) {
			for (const text of fields) {
				const m = closestSubstring(word, text);
				const typos = m.edits / word.length;
				const candidate = { typos, inContext, midWord: m.atWordStart ? 0 : 1 };
				if (compareRanks(candidate, best) < 0) best = candidate;
			}
		}
		rank.typos += best.typos;
		rank.inContext += best.inContext;
		rank.midWord += best.midWord;
	}
	return rank;
}

/**
 * The fewest edits (insert, delete, substitute, or swap two neighbours) that turn `word` into some
 * part of `text`, and whether the best such part can start a word of `text`. Optimal-string-alignment
 * distance with a free start and end in `text` (Sellers' method); both are a few dozen characters.
 */
export function closestSubstring(word: readonly string[], text: readonly string[]): { edits: number; atWordStart: boolean } {
	const m = word.length;
	const n = text.length;
	// prev2/prev/cur: rows i-2, i-1 and i of the distance table; start*: where each alignment begins in text.
	let prev2 = new Int32Array(n + 1);
	let prev = new Int32Array(n + 1);
	let startPrev2 = Int32Array.from({ length: n + 1 }, (_, j) => j);
	let startPrev = Int32Array.from({ length: n + 1 }, (_, j) => j);
	let cur = new Int32Array(n + 1);
	let startCur = new Int32Array(n + 1);
	for (let i = 1; i <= m; i++) {
		cur[0] = i;
		startCur[0] = 0;
		for (let j = 1; j <= n; j++) {
			let best = prev[j - 1]! + (word[i - 1] === text[j - 1] ? 0 : 1);
			let start = startPrev[j - 1]!;
			if (prev[j]! + 1 < best) {
				best = prev[j]! + 1;
				start = startPrev[j]!;
			}
			if (cur[j - 1]! + 1 < best) {
				best = cur[j - 1]! + 1;
				start = startCur[j - 1]!;
			}
			if (i > 1 && j > 1 && word[i - 1] === text[j - 2] && word[i - 2] === text[j - 1] && prev2[j - 2]! + 1 < best) {
				best = prev2[j - 2]! + 1;
				start = startPrev2[j - 2]!;
			}
			cur[j] = best;
			startCur[j] = start;
		}
		// Rotate the rows: the oldest becomes the next row to fill.
		[prev2, prev, cur] = [prev, cur, prev2];
		[startPrev2, startPrev, startCur] = [startPrev, startCur, startPrev2];
	}
	let edits = m;
	let atWordStart = true;
	for (let j = 0; j <= n; j++) {
		const wordStart = startPrev[j] === 0 || text[startPrev[j]! - 1] === ' ';
		if (prev[j]! < edits || (prev[j] === edits && wordStart && !atWordStart)) {
			edits = prev[j]!;
			atWordStart = wordStart;
		}
	}
	return { edits, atWordStart };
}

async function loadIndex(db: Kysely<DB>, providers: readonly QuickFindProvider[]): Promise<QuickFindIndex> {
	const lists = await Promise.all(providers.map((p) => p.load(db)));
	return buildQuickFindIndex(lists.flat());
}

/** The cached index for a database, built again when older than QUICK_FIND_MAX_AGE_MS. */
function indexFor(db: Kysely<DB>, providers: readonly QuickFindProvider[], now: number): Promise<QuickFindIndex> {
	let byProviders = cache.get(db);
	if (!byProviders) {
		byProviders = new Map();
		cache.set(db, byProviders);
	}
	const cached = byProviders.get(providers);
	if (cached && now - cached.builtAt < QUICK_FIND_MAX_AGE_MS) return cached.index;
	const entry: CacheEntry = { builtAt: now, index: loadIndex(db, providers) };
	byProviders.set(providers, entry);
	// A failed build is not cached: the error reaches this caller, and the next one tries again.
	entry.index.catch(() => {
		if (byProviders.get(providers) === entry) byProviders.delete(providers);
	});
	return entry.index;
}

/** Find reporters, outlets, topics and campaigns whose name, reading or context resembles `query`. */
export async function quickFind(db: Kysely<DB>, query: string, options: QuickFindOptions = {}): Promise<QuickFindItem[]> {
	if (!queryForFind(query)) return [];
	const index = await indexFor(db, options.providers ?? QUICK_FIND_PROVIDERS, options.now ?? Date.now());
	return searchQuickFindIndex(index, query, options.limit ?? DEFAULT_LIMIT);
}

/** Forget the cached index of a database (after a rename or merge), so the next find reads it afresh. */
export function invalidateQuickFind(db: Kysely<DB>): void {
	cache.delete(db);
}

/**
 * Document keys: the search index's own ids, ordered by publication time.
 *
 * key = hour × 4096 + seq, where hour counts whole hours since 1900-01-01 UTC and seq numbers the
 * articles of that hour in the order they were indexed. Reading an index in key order is reading it
 * newest-first (or oldest-first) by date, whatever order the articles were imported in; a date range
 * is a key range. Keys stay below 2^33, so they are exact as JavaScript numbers and fit SQLite's rowid
 * and PostgreSQL's bigint. Keys are dense (consecutive articles of an hour differ by 1), which keeps
 * FTS5's delta-encoded doclists small: keys that embedded the article id took 70% more index space.
 */

export const SEQ_BITS = 12;
/** Keys per hour; an hour with more articles than this borrows the next hour's slots. */
export const SEQ_PER_HOUR = 2 ** SEQ_BITS;
const HOUR_MS = 3_600_000;
const EPOCH_MS = Date.UTC(1900, 0, 1);
/** Hours up to here (year 2139) keep keys below 2^33; later dates are clamped to it. */
const MAX_HOUR = 2 ** 21 - 1;

/** The hour (since 1900) of an ISO timestamp, clamped to the range keys can hold; null when unparseable. */
export function hourOf(iso: string | null | undefined): number | null {
	if (!iso) return null;
	const ms = Date.parse(iso);
	if (Number.isNaN(ms)) return null;
	return Math.min(MAX_HOUR, Math.max(0, Math.floor((ms - EPOCH_MS) / HOUR_MS)));
}

/** The first key of an hour. */
export function firstKeyOfHour(hour: number): number {
	return hour * SEQ_PER_HOUR;
}

/** The hour a key belongs to. */
export function hourOfKey(key: number): number {
	return Math.floor(key / SEQ_PER_HOUR);
}

/** The time (ms since 1970) a key stands for: the start of its hour. */
export function timeOfKey(key: number): number {
	return EPOCH_MS + hourOfKey(key) * HOUR_MS;
}

/** Parses a date filter bound: 'YYYY-MM-DD' (a whole day) or a full ISO timestamp. */
function boundMs(value: string, end: boolean): number | null {
	const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
	const ms = Date.parse(day ? `${value}T00:00:00Z` : value);
	if (Number.isNaN(ms)) return null;
	return end && day ? ms + 24 * HOUR_MS - 1 : ms;
}

/**
 * The key range of a date filter (both ends inclusive; a bare date includes its whole day, a
 * timestamp counts to the hour). Null when a bound does not parse.
 */
export function keyRange(from: string | null | undefined, to: string | null | undefined): { lo: number; hi: number } | null {
	let lo = 0;
	let hi = firstKeyOfHour(MAX_HOUR + 1) - 1;
	if (from) {
		const ms = boundMs(from, false);
		if (ms === null) return null;
		lo = firstKeyOfHour(Math.min(MAX_HOUR + 1, Math.max(0, Math.floor((ms - EPOCH_MS) / HOUR_MS))));
	}
	if (to) {
		const ms = boundMs(to, true);
		if (ms === null) return null;
		const hour = Math.floor((ms - EPOCH_MS) / HOUR_MS);
		hi = hour < 0 ? -1 : firstKeyOfHour(Math.min(MAX_HOUR, hour) + 1) - 1;
	}
	return { lo, hi };
}

/**
 * Allocates keys for articles of the given hours, in input order: each gets the next free sequence
 * number of its hour after the largest key already used in that hour's slots (`usedMax`: hour → that
 * key, or null for an empty hour). An hour whose 4,096 slots are used continues in the next hour's.
 * Returns the hour whose maximum is needed but not in `usedMax` when there is one (ask, then call again).
 */
export function allocateKeys(hours: readonly number[], usedMax: ReadonlyMap<number, number | null>): { keys: number[] } | { missingHour: number } {
	const next = new Map<number, number>();
	const keys: number[] = [];
	for (const hour of hours) {
		let h = hour;
		let k = -1;
		for (;;) {
			let free = next.get(h);
			if (free === undefined) {
				if (!usedMax.has(h)) return { missingHour: h };
				const max = usedMax.get(h) ?? null;
				free = max === null ? firstKeyOfHour(h) : max + 1;
			}
			k = Math.max(k, free);
			if (k < firstKeyOfHour(h + 1)) break;
			// A full hour (or one filled by the previous hour's overflow) hands on to the next one.
			next.set(h, k);
			h++;
		}
		next.set(h, k + 1);
		keys.push(k);
	}
	return { keys };
}

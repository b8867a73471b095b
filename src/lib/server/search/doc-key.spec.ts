import { describe, expect, it } from 'vitest';
import { allocateKeys, firstKeyOfHour, hourOf, hourOfKey, keyRange, SEQ_PER_HOUR, timeOfKey } from './doc-key';

describe('document keys', () => {
	it('order by publication hour and stay exact as numbers', () => {
		const a = hourOf('2026-11-01T09:30:00Z')!;
		const b = hourOf('2026-11-01T10:05:00Z')!;
		expect(b).toBe(a + 1);
		expect(new Date(timeOfKey(firstKeyOfHour(a) + 17)).toISOString()).toBe('2026-11-01T09:00:00.000Z');
		expect(hourOfKey(firstKeyOfHour(a) + SEQ_PER_HOUR - 1)).toBe(a);
		expect(firstKeyOfHour(hourOf('2139-01-01T00:00:00Z')!)).toBeLessThan(2 ** 33);
	});

	it('clamp dates outside 1900–2139 and reject what is not a date', () => {
		expect(hourOf('1850-05-01T00:00:00Z')).toBe(0);
		expect(hourOf('9999-12-31T00:00:00Z')).toBe(2 ** 21 - 1);
		expect(hourOf('yesterday')).toBeNull();
		expect(hourOf(null)).toBeNull();
		expect(hourOf('')).toBeNull();
	});

	it('turn a date filter into an inclusive key range (a bare date is its whole day)', () => {
		const r = keyRange('2026-03-01', '2026-03-01')!;
		expect(r.lo).toBe(firstKeyOfHour(hourOf('2026-03-01T00:00:00Z')!));
		expect(r.hi).toBe(firstKeyOfHour(hourOf('2026-03-01T23:00:00Z')! + 1) - 1);
		const open = keyRange(null, null)!;
		expect(open.lo).toBe(0);
		expect(open.hi).toBeGreaterThan(firstKeyOfHour(hourOf('2100-01-01T00:00:00Z')!));
		expect(keyRange('2026-02-30x', null)).toBeNull();
		expect(keyRange(null, 'soon')).toBeNull();
		// A range that ends before it starts is empty, not an error.
		const empty = keyRange('2026-03-02', '2026-03-01')!;
		expect(empty.lo).toBeGreaterThan(empty.hi);
	});

	it('allocate the next free sequence numbers of each hour, in input order', () => {
		const used = new Map<number, number | null>([
			[10, null],
			[11, firstKeyOfHour(11) + 4]
		]);
		const r = allocateKeys([10, 11, 10, 11], used);
		expect(r).toEqual({ keys: [firstKeyOfHour(10), firstKeyOfHour(11) + 5, firstKeyOfHour(10) + 1, firstKeyOfHour(11) + 6] });
	});

	it('continue a full hour in the next hour, asking for that hour when it is not known', () => {
		const full = new Map<number, number | null>([[20, firstKeyOfHour(21) - 1]]);
		expect(allocateKeys([20], full)).toEqual({ missingHour: 21 });
		full.set(21, null);
		expect(allocateKeys([20, 21], full)).toEqual({ keys: [firstKeyOfHour(21), firstKeyOfHour(21) + 1] });
		full.set(21, firstKeyOfHour(21) + 9);
		expect(allocateKeys([20], full)).toEqual({ keys: [firstKeyOfHour(21) + 10] });
	});

	it('never hands out a key twice in a burst larger than an hour holds', () => {
		const used = new Map<number, number | null>([
			[5, null],
			[6, null],
			[7, null]
		]);
		const r = allocateKeys(Array(SEQ_PER_HOUR + 10).fill(5), used);
		if (!('keys' in r)) throw new Error('expected keys');
		expect(new Set(r.keys).size).toBe(SEQ_PER_HOUR + 10);
		expect(r.keys[SEQ_PER_HOUR]).toBe(firstKeyOfHour(6));
		expect([...r.keys].sort((a, b) => a - b)).toEqual(r.keys);
	});
});

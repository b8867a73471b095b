/**
 * Form validation shared by server actions, the CLI and (where useful) the browser. Issues are
 * message keys from messages/<locale>.json, keyed by field name, so a form can show each beside
 * its field in the reader's language.
 */
export type Issues = Record<string, string>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: Issues };

/** Thrown by services when input breaks a rule; carries per-field message keys. */
export class InputError extends Error {
	override name = 'InputError';
	constructor(public readonly issues: Issues) {
		super(Object.entries(issues).map(([f, k]) => `${f}: ${k}`).join('; '));
	}
}

/** A form field as a trimmed string ('' when absent or not text). */
export function field(data: FormData | Record<string, unknown>, name: string): string {
	const v = data instanceof FormData ? data.get(name) : data[name];
	return typeof v === 'string' ? v.trim() : '';
}

/** A form field exactly as typed (passwords: spaces are part of them). */
export function rawField(data: FormData | Record<string, unknown>, name: string): string {
	const v = data instanceof FormData ? data.get(name) : data[name];
	return typeof v === 'string' ? v : '';
}

const EMAIL = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

/** Normalise an email address for storage and comparison, or null when it is not one. */
export function normaliseEmail(value: string): string | null {
	const v = value.trim().toLowerCase();
	if (v.length > 254 || !EMAIL.test(v)) return null;
	return v;
}

/** A positive integer id from a form or route parameter, or null. */
export function parseId(value: string | null | undefined): number | null {
	if (!value || !/^[1-9][0-9]{0,9}$/.test(value)) return null;
	const n = Number(value);
	return n <= 2_147_483_647 ? n : null;
}

/** A real calendar day written YYYY-MM-DD (2026-02-30 is not one). */
export function isIsoDate(value: string): boolean {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
	if (!m) return false;
	const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
	return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/**
 * Highlighted snippets, made from an article's original text (the index holds only tokens).
 *
 * A query's words are matched the way the index matches them: Latin words by their stem (so "rises"
 * lights up for "rising"), Japanese by substring within a run of kanji/kana, and a phrase as its words
 * in a row. The result is a list of parts, each marked as a match or not, so that a page renders it
 * as text (never as HTML) and nothing in an article can inject markup.
 */
import { indexTokenSequence, termToIndexTokens, type PhraseNode, type TermNode } from './query';

export interface SnippetPart {
	text: string;
	match: boolean;
}

type Leaf = TermNode | PhraseNode;

const CJK = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\u30FC`;
const WORD = String.raw`[[\p{L}\p{N}\p{M}]--[${CJK}]]`;
// The same split as query.ts's tokeniser: CJK runs, and Latin-style words with inner apostrophes.
const UNIT_RE = new RegExp(`([${CJK}]+)|(${WORD}+(?:['’]${WORD}+)*)`, 'gv');

interface Unit {
	cjk: boolean;
	/** Latin: the index token (stem); CJK: the normalised run itself. */
	key: string;
	start: number;
	end: number;
}

interface Pattern {
	units: { cjk: boolean; key: string; prefix: boolean }[];
}

const JOINER_RE = /^[\p{M}\uFF9E\uFF9F]$/u;
const CHUNK = 256;
/** Text past this is not searched for a passage (a pathological body must not slow a results page). */
const MAX_SCAN = 100_000;

/**
 * NFKC + lower case, with each normalised UTF-16 index mapped to the original index. Most text keeps
 * its length under normalisation, so it is done a chunk at a time and mapped one to one; a chunk
 * that changes length (ｶﾞ → ガ, ﬁ → fi) is redone a character at a time, each character normalised
 * together with the marks that follow it, as whole-string NFKC would.
 */
function normaliseWithMap(text: string): { norm: string; origAt: (i: number) => number } {
	let norm = '';
	let map: number[] | null = null;
	let at = 0;
	while (at < text.length) {
		let end = Math.min(text.length, at + CHUNK);
		// Never split a surrogate pair or a character from its marks.
		while (end < text.length && (isLowSurrogate(text.charCodeAt(end)) || JOINER_RE.test(text[end]))) end++;
		const chunk = text.slice(at, end);
		const n = chunk.normalize('NFKC').toLowerCase();
		if (n.length === chunk.length && !map) norm += n;
		else {
			if (!map) map = Array.from({ length: norm.length }, (_, i) => i);
			appendMapped(chunk, at, (piece, origin) => {
				norm += piece;
				for (let k = 0; k < piece.length; k++) map!.push(origin);
			});
		}
		at = end;
	}
	const m = map;
	return { norm, origAt: m ? (i) => (i < m.length ? m[i] : text.length) : (i) => Math.min(i, text.length) };
}

function appendMapped(chunk: string, base: number, push: (piece: string, origin: number) => void): void {
	const n = chunk.normalize('NFKC').toLowerCase();
	if (n.length === chunk.length) {
		for (let k = 0; k < n.length; k++) push(n[k], base + k);
		return;
	}
	const cps = Array.from(chunk);
	let i = base;
	for (let c = 0; c < cps.length; ) {
		let cluster = cps[c++];
		while (c < cps.length && JOINER_RE.test(cps[c])) cluster += cps[c++];
		push(cluster.normalize('NFKC').toLowerCase(), i);
		i += cluster.length;
	}
}

/** Stands for every word that cannot match: it only has to keep phrases from spanning it. */
const OTHER: Unit = { cjk: false, key: '', start: -1, end: -1 };

/**
 * Splits normalised text into units. Latin words are stemmed only when `wanted` says they might
 * match, and CJK runs are kept only when `cjk`; the rest become OTHER (allocating a unit per word of
 * a long body was the slow part of a results page).
 */
function units(norm: string, wanted: (word: string) => boolean = () => true, cjk = true): Unit[] {
	const out: Unit[] = [];
	UNIT_RE.lastIndex = 0;
	for (let m = UNIT_RE.exec(norm); m !== null; m = UNIT_RE.exec(norm)) {
		if (m[1] !== undefined) out.push(cjk ? { cjk: true, key: m[1], start: m.index, end: m.index + m[1].length } : OTHER);
		else out.push(wanted(m[2]) ? { cjk: false, key: latinKey(m[2]), start: m.index, end: m.index + m[2].length } : OTHER);
	}
	return out;
}

const PLAIN_HEAD_RE = /^[a-z0-9]{2}/;
const FOLD_RE = /[\p{M}'’]/gu;

/** A word's first two letters as its index token would start (no diacritics or apostrophes). */
function headOf(word: string): string {
	if (PLAIN_HEAD_RE.test(word)) return word.slice(0, 2);
	return word.slice(0, 6).normalize('NFD').replace(FOLD_RE, '').slice(0, 2);
}

function latinKey(word: string): string {
	return indexTokenSequence(word)[0] ?? word;
}

function patternOf(leaf: Leaf): Pattern | null {
	const norm = leaf.text.normalize('NFKC').toLowerCase();
	const us = units(norm).map((u) => ({ cjk: u.cjk, key: u.key, prefix: false }));
	if (!us.length) return null;
	if (leaf.type === 'term' && leaf.prefix) {
		const { tokens } = termToIndexTokens(leaf);
		const last = us[us.length - 1];
		if (!last.cjk) {
			last.key = tokens[tokens.length - 1];
			last.prefix = true;
		}
	}
	return { units: us };
}

/** Where a pattern occurs among a text's units: [start, end) ranges in the normalised text. */
function findPattern(p: Pattern, doc: Unit[]): [number, number][] {
	const out: [number, number][] = [];
	const n = p.units.length;
	for (let i = 0; i + n <= doc.length; i++) {
		if (n === 1) {
			const q = p.units[0];
			const d = doc[i];
			if (q.cjk !== d.cjk) continue;
			if (q.cjk) {
				// A Japanese word is a substring of a run: light up every occurrence.
				for (let at = d.key.indexOf(q.key); at >= 0; at = d.key.indexOf(q.key, at + q.key.length)) {
					out.push([d.start + at, d.start + at + q.key.length]);
				}
			} else if (d.key !== '' && (q.prefix ? d.key.startsWith(q.key) : d.key === q.key)) out.push([d.start, d.end]);
			continue;
		}
		let ok = true;
		let start = doc[i].start;
		let end = doc[i + n - 1].end;
		for (let k = 0; k < n && ok; k++) {
			const q = p.units[k];
			const d = doc[i + k];
			if (q.cjk !== d.cjk) ok = false;
			else if (!q.cjk) ok = d.key !== '' && (q.prefix ? d.key.startsWith(q.key) : d.key === q.key);
			else if (k === 0) {
				// A run followed by more words must end the document's run; one that follows must start it.
				ok = d.key.endsWith(q.key);
				if (ok) start = d.end - q.key.length;
			} else if (k === n - 1) {
				ok = d.key.startsWith(q.key);
				if (ok) end = d.start + q.key.length;
			} else ok = d.key === q.key;
		}
		if (ok) out.push([start, end]);
	}
	return out;
}

interface Found {
	start: number;
	end: number;
	leaf: number;
}

/** Matches a query's terms in texts, for highlighting. */
export class Highlighter {
	private readonly patterns: (Pattern | null)[];
	/** First two letters of every Latin key: a word can only share a stem with a key it starts like. */
	private readonly latinStarts = new Set<string>();
	private readonly hasCjk: boolean;

	constructor(leaves: readonly Leaf[]) {
		this.patterns = leaves.map(patternOf);
		let cjk = false;
		for (const p of this.patterns) {
			for (const u of p?.units ?? []) {
				if (u.cjk) cjk = true;
				else this.latinStarts.add(u.key.slice(0, 2));
			}
		}
		this.hasCjk = cjk;
	}

	/** Match ranges in the original text (UTF-16 offsets), sorted and not overlapping. */
	private find(text: string): Found[] {
		if (!text) return [];
		const { norm, origAt } = normaliseWithMap(text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text);
		// Stemming every word of a long body is the slow part; Porter2 keeps a word's first two letters.
		const doc = units(norm, (w) => this.latinStarts.has(headOf(w)), this.hasCjk);
		const found: Found[] = [];
		this.patterns.forEach((p, leaf) => {
			if (!p) return;
			for (const [s, e] of findPattern(p, doc)) found.push({ start: origAt(s), end: origAt(e), leaf });
		});
		found.sort((a, b) => a.start - b.start || b.end - a.end);
		const merged: Found[] = [];
		for (const f of found) {
			const last = merged[merged.length - 1];
			if (last && f.start <= last.end) last.end = Math.max(last.end, f.end);
			else merged.push({ ...f });
		}
		return merged;
	}

	/** The whole text as parts (for a title). */
	highlight(text: string): SnippetPart[] {
		return toParts(text, 0, text.length, this.find(text));
	}

	/**
	 * About `width` characters of the text around its best passage — the one with the most different
	 * query words — as parts, with "…" where text was cut. The start of the text when nothing matches.
	 */
	snippet(text: string, width = 160): SnippetPart[] {
		if (!text) return [];
		const found = this.find(text);
		let from = 0;
		if (found.length) {
			let best = -1;
			let bestIndex = 0;
			for (let i = 0; i < found.length; i++) {
				const leaves = new Set<number>();
				for (let j = i; j < found.length && found[j].end - found[i].start <= width; j++) leaves.add(found[j].leaf);
				if (leaves.size > best) {
					best = leaves.size;
					bestIndex = i;
				}
			}
			// Some context before the first match, started at a word or sentence boundary.
			from = Math.max(0, found[bestIndex].start - Math.floor(width / 4));
			from = adjustStart(text, from, found[bestIndex].start);
		}
		let to = Math.min(text.length, from + width);
		to = adjustEnd(text, to);
		const inside = found.filter((f) => f.start < to && f.end > from).map((f) => ({ ...f, start: Math.max(f.start, from), end: Math.min(f.end, to) }));
		const parts = toParts(text, from, to, inside);
		if (from > 0) prepend(parts, '…');
		if (to < text.length) append(parts, '…');
		return parts;
	}
}

const SPACE_RE = /\s+/g;

function toParts(text: string, from: number, to: number, found: { start: number; end: number }[]): SnippetPart[] {
	const parts: SnippetPart[] = [];
	let at = from;
	const push = (s: string, match: boolean) => {
		const t = s.replace(SPACE_RE, ' ');
		if (!t) return;
		const last = parts[parts.length - 1];
		if (last && last.match === match) last.text += t;
		else parts.push({ text: t, match });
	};
	for (const f of found) {
		if (f.start > at) push(text.slice(at, f.start), false);
		push(text.slice(Math.max(at, f.start), f.end), true);
		at = Math.max(at, f.end);
	}
	if (at < to) push(text.slice(at, to), false);
	if (parts.length) {
		parts[0].text = parts[0].text.trimStart();
		parts[parts.length - 1].text = parts[parts.length - 1].text.trimEnd();
	}
	return parts.filter((p) => p.text);
}

function prepend(parts: SnippetPart[], s: string) {
	if (parts[0] && !parts[0].match) parts[0].text = s + parts[0].text;
	else parts.unshift({ text: s, match: false });
}

function append(parts: SnippetPart[], s: string) {
	const last = parts[parts.length - 1];
	if (last && !last.match) last.text += s;
	else parts.push({ text: s, match: false });
}

const BREAK_RE = /[\s。、！？.!?,;:]/u;

/** Moves a snippet start forward to just after a space or punctuation, never past `limit`. */
function adjustStart(text: string, from: number, limit: number): number {
	if (from === 0) return 0;
	for (let i = from; i < limit; i++) if (BREAK_RE.test(text[i - 1])) return i;
	// No break (Japanese without punctuation nearby): keep the position, but not inside a surrogate pair.
	return isLowSurrogate(text.charCodeAt(from)) ? from - 1 : from;
}

/** Moves a snippet end back to a space when one is near, never splitting a surrogate pair. */
function adjustEnd(text: string, to: number): number {
	if (to >= text.length) return text.length;
	for (let i = to; i > to - 20 && i > 0; i--) if (/\s/.test(text[i])) return i;
	return isLowSurrogate(text.charCodeAt(to)) ? to + 1 : to;
}

function isLowSurrogate(c: number): boolean {
	return c >= 0xdc00 && c <= 0xdfff;
}

/** Snippet parts as plain text (for the CLI and logs). */
export function partsToText(parts: readonly SnippetPart[]): string {
	return parts.map((p) => p.text).join('');
}

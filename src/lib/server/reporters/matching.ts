import Fuse from 'fuse.js';

/**
 * Which existing reporters a newly seen name might be. Names are compared within a block — the
 * surname for Latin names, the first two characters for Japanese ones — so a new name is never
 * compared with every reporter in the index.
 */

export interface NamedReporter {
	id: number;
	nameKey: string;
	displayName: string;
	outletId: number | null;
}

export interface MatchCandidate {
	candidateId: number;
	/** 0..1, 1 = same name. */
	score: number;
	reason: 'same_name_other_outlet' | 'similar_name';
}

/**
 * Similarity (1 − edit distance ÷ longer length) at or above which two different names are put to
 * a person to decide: one wrong character in a four-character Japanese name (山田太郎/山田太朗) is
 * 0.75, one in a nine-letter Latin name 0.89.
 */
export const SIMILAR_NAME_THRESHOLD = 0.75;

/** Levenshtein similarity of two strings, by code point. */
export function similarity(a: string, b: string): number {
	const x = [...a];
	const y = [...b];
	if (!x.length && !y.length) return 1;
	let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
	for (let i = 1; i <= x.length; i++) {
		const cur = [i];
		for (let j = 1; j <= y.length; j++) {
			cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1));
		}
		prev = cur;
	}
	return 1 - prev[y.length] / Math.max(x.length, y.length);
}

/** The block a name key belongs to. */
export function blockKey(nameKey: string): string {
	if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(nameKey)) return `ja:${nameKey.slice(0, 2)}`;
	const tokens = nameKey.split(/\s+/).filter(Boolean);
	return `la:${tokens.at(-1) ?? nameKey}`;
}

/** Reporters grouped by block, with a fuzzy index built per block on first use. */
export class ReporterIndex {
	private blocks = new Map<string, NamedReporter[]>();
	private fuses = new Map<string, Fuse<NamedReporter>>();

	constructor(reporters: Iterable<NamedReporter>) {
		for (const r of reporters) this.add(r);
	}

	add(r: NamedReporter): void {
		const key = blockKey(r.nameKey);
		const list = this.blocks.get(key);
		if (list) list.push(r);
		else this.blocks.set(key, [r]);
		this.fuses.delete(key);
	}

	/** Existing reporters that may be the same person as `r` (never `r` itself). */
	candidatesFor(r: NamedReporter): MatchCandidate[] {
		const key = blockKey(r.nameKey);
		const block = this.blocks.get(key) ?? [];
		const out = new Map<number, MatchCandidate>();
		for (const other of block) {
			if (other.id === r.id) continue;
			if (other.nameKey === r.nameKey && other.outletId !== r.outletId) {
				out.set(other.id, { candidateId: other.id, score: 1, reason: 'same_name_other_outlet' });
			}
		}
		if (block.length > 1) {
			let fuse = this.fuses.get(key);
			if (!fuse) {
				// Fuse finds the plausible ones in the block; the edit-distance similarity scores them.
				fuse = new Fuse(block, { keys: ['nameKey'], threshold: 0.5, ignoreLocation: true });
				this.fuses.set(key, fuse);
			}
			for (const hit of fuse.search(r.nameKey, { limit: 10 })) {
				const other = hit.item;
				if (other.id === r.id || out.has(other.id) || other.nameKey === r.nameKey) continue;
				const score = similarity(r.nameKey, other.nameKey);
				if (score >= SIMILAR_NAME_THRESHOLD) out.set(other.id, { candidateId: other.id, score: Math.round(score * 100) / 100, reason: 'similar_name' });
			}
		}
		return [...out.values()].sort((a, b) => b.score - a.score).slice(0, 5);
	}
}

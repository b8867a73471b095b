/**
 * A parsed query (query.ts) as the databases' own query languages: an FTS5 MATCH expression and a
 * PostgreSQL tsquery. Both are built only from termToIndexTokens output (letters, digits and marks),
 * each token quoted, so nothing a user typed can act as FTS5, tsquery or SQL syntax; the strings are
 * then passed as bound parameters.
 */
import { termToIndexTokens, type PhraseNode, type QueryNode, type TermNode } from './query';

/** Distributing AND over OR (below) may multiply phrases; past this many the query is refused as too complex. */
export const MAX_EXPANDED_PHRASES = 400;

export class QueryTooComplexError extends Error {
	override name = 'QueryTooComplexError';
}

type Leaf = TermNode | PhraseNode;
/** Negation normal form: NOT only directly above a term or phrase. */
type Nnf = { type: 'leaf'; leaf: Leaf; negated: boolean } | { type: 'and' | 'or'; children: Nnf[] };

function toNnf(node: QueryNode, negated = false): Nnf {
	switch (node.type) {
		case 'term':
		case 'phrase':
			return { type: 'leaf', leaf: node, negated };
		case 'not':
			return toNnf(node.child, !negated);
		case 'and':
		case 'or': {
			// De Morgan: NOT (a AND b) = NOT a OR NOT b, and the other way round.
			const type = (node.type === 'and') !== negated ? 'and' : 'or';
			const children: Nnf[] = [];
			for (const c of node.children.map((c) => toNnf(c, negated))) {
				if (c.type === type) children.push(...c.children);
				else children.push(c);
			}
			return { type, children };
		}
	}
}

function isPositive(n: Nnf): boolean {
	if (n.type === 'leaf') return !n.negated;
	return n.type === 'and' ? n.children.some(isPositive) : n.children.every(isPositive);
}

function ftsString(token: string): string {
	return `"${token.replaceAll('"', '""')}"`;
}

/** One term or phrase as an FTS5 phrase: its tokens joined with +, the last one a prefix when asked. */
export function ftsPhrase(leaf: Leaf): string {
	const { tokens, prefixLast } = termToIndexTokens(leaf);
	const phrase = tokens.map((t, i) => ftsString(t) + (prefixLast && i === tokens.length - 1 ? ' *' : '')).join(' + ');
	return tokens.length > 1 ? `(${phrase})` : phrase;
}

/** Phrases written so far: distributing nested alternatives can grow a query exponentially. */
interface Budget {
	phrases: number;
}

function spend(budget: Budget): void {
	if (++budget.phrases > MAX_EXPANDED_PHRASES) throw new QueryTooComplexError('the query expands to too many alternatives');
}

function ftsNode(n: Nnf, budget: Budget): string {
	if (n.type === 'leaf') {
		// Only reached for positive leaves: negated ones are written by their AND parent.
		spend(budget);
		return ftsPhrase(n.leaf);
	}
	if (n.type === 'or') return `(${n.children.map((c) => ftsNode(c, budget)).join(' OR ')})`;
	// An OR child with a negative alternative ("a (b OR NOT c)") has no FTS5 form; distribute:
	// a AND (b OR NOT c) = (a AND b) OR (a NOT c). Every resulting AND keeps the positive siblings.
	const mixedOr = n.children.findIndex((c) => c.type === 'or' && !isPositive(c));
	if (mixedOr >= 0) {
		const or = n.children[mixedOr] as { type: 'or'; children: Nnf[] };
		const rest = n.children.filter((_, i) => i !== mixedOr);
		const alternatives: Nnf[] = or.children.map((alt) => ({ type: 'and', children: alt.type === 'and' ? [...rest, ...alt.children] : [...rest, alt] }));
		return ftsNode({ type: 'or', children: alternatives }, budget);
	}
	const positives = n.children.filter(isPositive);
	const negatives = n.children.filter((c) => !isPositive(c));
	let out = positives.length === 1 ? ftsNode(positives[0], budget) : `(${positives.map((c) => ftsNode(c, budget)).join(' AND ')})`;
	for (const neg of negatives) {
		// In NNF a non-positive child of an AND that is not a mixed OR is a negated leaf.
		const leaf = neg as { type: 'leaf'; leaf: Leaf };
		spend(budget);
		out = `(${out} NOT ${ftsPhrase(leaf.leaf)})`;
	}
	return out;
}

/**
 * The FTS5 MATCH expression for a query, limited to the given columns (the user's words must never
 * match the meta column). Throws QueryTooComplexError when rewriting it for FTS5 would blow up.
 */
export function toFtsMatch(ast: QueryNode, columns: readonly string[] = ['title', 'body']): string {
	const nnf = toNnf(ast);
	if (!isPositive(nnf)) throw new QueryTooComplexError('the query has nothing to find');
	return `{${columns.join(' ')}} : (${ftsNode(nnf, { phrases: 0 })})`;
}

function tsLexeme(token: string): string {
	return `'${token.replaceAll("'", "''").replaceAll('\\', '\\\\')}'`;
}

/** One term or phrase as tsquery: tokens joined with <-> (adjacent), the last one :* when a prefix. */
export function tsPhrase(leaf: Leaf): string {
	const { tokens, prefixLast } = termToIndexTokens(leaf);
	const parts = tokens.map((t, i) => tsLexeme(t) + (prefixLast && i === tokens.length - 1 ? ':*' : ''));
	return parts.length === 1 ? parts[0] : `(${parts.join(' <-> ')})`;
}

/** The tsquery text (for a `::tsquery` cast, not to_tsquery) of a query. */
export function toTsQuery(ast: QueryNode): string {
	switch (ast.type) {
		case 'term':
		case 'phrase':
			return tsPhrase(ast);
		case 'not':
			return `!${toTsQuery(ast.child)}`;
		case 'and':
			return `(${ast.children.map(toTsQuery).join(' & ')})`;
		case 'or':
			return `(${ast.children.map(toTsQuery).join(' | ')})`;
	}
}

/**
 * A looser tsquery that every match of the query also matches: phrases become their words ANDed
 * (a GIN index answers that exactly, without reading each candidate's tsvector back) and excluded
 * phrases are dropped. Null when it would equal toTsQuery (the query has no phrase).
 */
export function toTsQueryRelaxed(ast: QueryNode): string | null {
	let changed = false;
	const relax = (n: QueryNode): string | null => {
		switch (n.type) {
			case 'term':
			case 'phrase': {
				const { tokens, prefixLast } = termToIndexTokens(n);
				if (tokens.length === 1) return tsPhrase(n);
				changed = true;
				return `(${tokens.map((t, i) => tsLexeme(t) + (prefixLast && i === tokens.length - 1 ? ':*' : '')).join(' & ')})`;
			}
			case 'not':
				// GIN excludes single words exactly; an excluded phrase can only be dropped (looser).
				if (!hasPhrase(n.child)) return `!${toTsQuery(n.child)}`;
				changed = true;
				return null;
			case 'and': {
				const kept = n.children.map(relax).filter((c): c is string => c !== null);
				return kept.length ? `(${kept.join(' & ')})` : null;
			}
			case 'or': {
				const kept = n.children.map(relax);
				// An alternative that can match anything makes the whole OR match anything.
				if (kept.some((c) => c === null)) return null;
				return `(${kept.join(' | ')})`;
			}
		}
	};
	const out = relax(ast);
	return changed && out !== null ? out : null;
}

/**
 * A stricter tsquery without phrases: every document it matches matches the query, so such a
 * document needs no check against its stored tsvector. An excluded phrase becomes its words
 * excluded together ("-アニメ" excludes articles with both アニ and ニメ, only some of which have
 * アニメ); a required phrase has no such form, nor has anything that needs one. Null when nothing is
 * that sure.
 */
export function toTsQuerySure(ast: QueryNode): string | null {
	const sure = (n: QueryNode): string | null => {
		switch (n.type) {
			case 'term':
			case 'phrase':
				return termToIndexTokens(n).tokens.length === 1 ? tsPhrase(n) : null;
			case 'not': {
				const loose = looseNode(n.child);
				return loose === null ? null : `!${loose}`;
			}
			case 'and': {
				const all = n.children.map(sure);
				return all.every((c) => c !== null) ? `(${all.join(' & ')})` : null;
			}
			case 'or': {
				const some = n.children.map(sure).filter((c): c is string => c !== null);
				return some.length ? `(${some.join(' | ')})` : null;
			}
		}
	};
	return hasPhrase(ast) ? sure(ast) : null;
}

/** A looser tsquery without phrases (every match of `n` matches it); null when it would match anything. */
function looseNode(n: QueryNode): string | null {
	switch (n.type) {
		case 'term':
		case 'phrase': {
			const { tokens, prefixLast } = termToIndexTokens(n);
			if (tokens.length === 1) return tsPhrase(n);
			return `(${tokens.map((t, i) => tsLexeme(t) + (prefixLast && i === tokens.length - 1 ? ':*' : '')).join(' & ')})`;
		}
		case 'not': {
			const sure = toTsQuerySure(n.child) ?? (hasPhrase(n.child) ? null : toTsQuery(n.child));
			return sure === null ? null : `!${sure}`;
		}
		case 'and': {
			const kept = n.children.map(looseNode).filter((c): c is string => c !== null);
			return kept.length ? `(${kept.join(' & ')})` : null;
		}
		case 'or': {
			const all = n.children.map(looseNode);
			return all.some((c) => c === null) ? null : `(${all.join(' | ')})`;
		}
	}
}

/**
 * How PostgreSQL finds a query's matches. `index`: a tsquery its GIN index answers exactly (no
 * phrase in it). `check`: the query each row the index finds must still match, when `index` is
 * looser (null when it is the query itself). `sure`: when not null, rows matching it need no check
 * (toTsQuerySure), and only the others are checked. `lede`: the check may try the row's rank_doc
 * (title and lede, a part of doc) before doc: a query without NOT that matches a part matches the
 * whole, and rank_doc stays in the row where a long doc must be fetched from TOAST.
 */
export interface PgMatchPlan {
	index: string;
	check: string | null;
	sure: string | null;
	lede: boolean;
}

/** The PostgreSQL match plan of a query (filter lexemes are the caller's to add to `index` and `sure`). */
export function toPgMatch(ast: QueryNode): PgMatchPlan {
	const relaxed = toTsQueryRelaxed(ast);
	if (relaxed === null) return { index: toTsQuery(ast), check: null, sure: null, lede: false };
	return { index: relaxed, check: toTsQuery(ast), sure: toTsQuerySure(ast), lede: !hasNegation(ast) };
}

function hasNegation(n: QueryNode): boolean {
	if (n.type === 'not') return true;
	if (n.type === 'term' || n.type === 'phrase') return false;
	return n.children.some(hasNegation);
}

function hasPhrase(n: QueryNode): boolean {
	if (n.type === 'term' || n.type === 'phrase') return termToIndexTokens(n).tokens.length > 1;
	if (n.type === 'not') return hasPhrase(n.child);
	return n.children.some(hasPhrase);
}

/** The terms and phrases a result must contain on some path: what snippets highlight. */
export function positiveLeaves(ast: QueryNode): Leaf[] {
	const out: Leaf[] = [];
	const walk = (n: Nnf) => {
		if (n.type === 'leaf') {
			if (!n.negated) out.push(n.leaf);
		} else n.children.forEach(walk);
	};
	walk(toNnf(ast));
	return out;
}

/** The script of a query's positive words: 'ja' when all are Japanese, 'latin' when none are, else 'mixed'. */
export function queryScript(ast: QueryNode): 'ja' | 'latin' | 'mixed' {
	const cjk = /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u;
	const leaves = positiveLeaves(ast);
	const ja = leaves.filter((l) => cjk.test(l.text)).length;
	if (ja === leaves.length) return 'ja';
	return ja === 0 ? 'latin' : 'mixed';
}

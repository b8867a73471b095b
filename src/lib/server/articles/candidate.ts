/**
 * What every importer (feeds, CSV/JSONL files, a web page, manual entry) produces before anything
 * is written: one article as found at its source, with where it was found, so that a problem can
 * be reported against that place. The import service turns candidates into stored articles.
 */
export interface ArticleCandidate {
	/** Where in the source this came from, for reports: "item 3", "line 17", "page". */
	location: string;
	url: string | null;
	/** The feed item's id/guid when there is one (helps dedupe when URLs change). */
	guid: string | null;
	title: string;
	/** Plain text of the article (or as much as the source gives). */
	body: string | null;
	/** A short summary when the source gives one separately from the body. */
	excerpt: string | null;
	/** ISO-8601 UTC, or null when unknown or unparseable. */
	publishedAt: string | null;
	/** BCP-47 primary tag as found ("ja", "en"), or null. */
	lang: string | null;
	/** The outlet/site as the source names it ("The Guardian", "ITmedia"). */
	outletName: string | null;
	/** Section, desk or page ("経済部", "Business", "p. 7"). */
	section: string | null;
	/** The byline exactly as found (may name several people or an agency), or null when unsigned. */
	bylineRaw: string | null;
	/** Topic labels or categories given by the source. */
	categories: string[];
}

/** A problem with one item of a source; the others still import. */
export interface ImportProblem {
	location: string;
	reason: string;
}

/** What parsing one source gave: its articles and the items it had to skip. */
export interface ParsedSource {
	candidates: ArticleCandidate[];
	problems: ImportProblem[];
}

/** Parsing gave up on the whole source (not a feed, unreadable file); names the problem. */
export class SourceError extends Error {
	override name = 'SourceError';
}

import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { ReporterIndex, type NamedReporter } from './matching';
import { checkSuppressedPeople } from '../privacy/suppression';

type Db = Kysely<DB> | Transaction<DB>;

/** A person named in an article's byline, normalised. */
export interface BylinePersonRef {
	name: string;
	key: string;
	role?: string;
}

export interface ArticlePeople {
	articleId: number;
	outletId: number | null;
	people: BylinePersonRef[];
}

/** State kept across the batches of one import. */
export interface LinkingContext {
	now: string;
	userId: number | null;
	/** `${nameKey}|${outletId}` → reporter id. */
	known: Map<string, number>;
	/** Loaded the first time a new reporter needs comparing with the others. */
	index: ReporterIndex | null;
	reportersCreated: number;
	reviewsCreated: number;
	/** New reporters flagged as possibly someone on the do-not-contact list. */
	flagged: number;
}

export function newLinkingContext(userId: number | null): LinkingContext {
	return { now: new Date().toISOString(), userId, known: new Map(), index: null, reportersCreated: 0, reviewsCreated: 0, flagged: 0 };
}

const pairKey = (nameKey: string, outletId: number | null) => `${nameKey}|${outletId ?? ''}`;

/**
 * Link each article to the reporters its byline names. The same normalised name at the same
 * outlet is the same reporter; any other name makes a new reporter (with the article as its
 * provenance), and a new reporter that resembles an existing one — the same name at another
 * outlet, or a near-identical spelling — goes to the review queue for a person to merge or keep
 * apart. Links made here have source 'byline'.
 */
export async function linkBylines(db: Db, items: ArticlePeople[], ctx: LinkingContext): Promise<void> {
	const wanted = new Map<string, { key: string; outletId: number | null }>();
	for (const item of items) {
		for (const p of item.people) {
			const k = pairKey(p.key, item.outletId);
			if (!ctx.known.has(k)) wanted.set(k, { key: p.key, outletId: item.outletId });
		}
	}
	if (wanted.size) {
		const keys = [...new Set([...wanted.values()].map((w) => w.key))];
		for (let i = 0; i < keys.length; i += 500) {
			const rows = await db
				.selectFrom('reporter_names')
				.select(['reporter_id', 'name_key', 'outlet_id'])
				.where('name_key', 'in', keys.slice(i, i + 500))
				.execute();
			for (const r of rows) ctx.known.set(pairKey(r.name_key, r.outlet_id), r.reporter_id);
		}
	}

	const links: { article_id: number; reporter_id: number; role: string; position: number; source: 'byline'; created_at: string }[] = [];
	const created: NamedReporter[] = [];
	for (const item of items) {
		const seen = new Set<number>();
		for (const [position, p] of item.people.entries()) {
			const k = pairKey(p.key, item.outletId);
			let reporterId = ctx.known.get(k);
			if (reporterId === undefined) {
				reporterId = await createReporterFromByline(db, p, item.outletId, item.articleId, ctx);
				ctx.known.set(k, reporterId);
				created.push({ id: reporterId, nameKey: p.key, displayName: p.name, outletId: item.outletId });
			}
			if (seen.has(reporterId)) continue;
			seen.add(reporterId);
			links.push({ article_id: item.articleId, reporter_id: reporterId, role: p.role ?? 'author', position, source: 'byline', created_at: ctx.now });
		}
	}
	for (let i = 0; i < links.length; i += 200) {
		await db
			.insertInto('article_reporters')
			.values(links.slice(i, i + 200))
			.onConflict((oc) => oc.columns(['article_id', 'reporter_id']).doNothing())
			.execute();
	}
	if (created.length) {
		await queueReviews(db, created, ctx);
		// A new record may be someone on the do-not-contact list coming back, even after an erasure:
		// flagged for a person to look at (one query for the batch).
		const flags = await checkSuppressedPeople(db, created.map((r) => ({ reporterId: r.id, nameKey: r.nameKey })), 'byline');
		ctx.flagged += new Set(flags.map((f) => f.index)).size;
	}
}

async function createReporterFromByline(
	db: Db,
	p: BylinePersonRef,
	outletId: number | null,
	articleId: number,
	ctx: LinkingContext
): Promise<number> {
	const row = await db
		.insertInto('reporters')
		.values({
			display_name: p.name,
			name_key: p.key,
			reading: null,
			romanized: null,
			outlet_id: outletId,
			created_via: 'byline',
			created_from_article_id: articleId,
			created_by: ctx.userId,
			created_at: ctx.now,
			updated_at: ctx.now
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await db
		.insertInto('reporter_names')
		.values({ reporter_id: row.id, name: p.name, name_key: p.key, outlet_id: outletId, source: 'byline', article_id: articleId, created_at: ctx.now })
		.execute();
	ctx.reportersCreated++;
	return row.id;
}

async function loadIndex(db: Db): Promise<ReporterIndex> {
	const rows = await db.selectFrom('reporters').select(['id', 'name_key', 'display_name', 'outlet_id']).execute();
	return new ReporterIndex(rows.map((r) => ({ id: r.id, nameKey: r.name_key, displayName: r.display_name, outletId: r.outlet_id })));
}

/** Put new reporters that resemble existing ones in front of a person. */
export async function queueReviews(db: Db, created: NamedReporter[], ctx: LinkingContext): Promise<void> {
	if (!ctx.index) {
		// Loaded after this batch's reporters were inserted, so they are in it already.
		ctx.index = await loadIndex(db);
	} else {
		for (const r of created) ctx.index.add(r);
	}
	const reviews: { reporter_id: number; candidate_id: number; score: number; reason: string; status: 'open'; created_at: string }[] = [];
	for (const r of created) {
		for (const c of ctx.index.candidatesFor(r)) {
			// One review per pair, always "newer record vs older record" (the one to merge into).
			if (c.candidateId > r.id) continue;
			reviews.push({ reporter_id: r.id, candidate_id: c.candidateId, score: c.score, reason: c.reason, status: 'open', created_at: ctx.now });
		}
	}
	for (let i = 0; i < reviews.length; i += 200) {
		await db
			.insertInto('reporter_reviews')
			.values(reviews.slice(i, i + 200))
			.onConflict((oc) => oc.columns(['reporter_id', 'candidate_id']).doNothing())
			.execute();
	}
	ctx.reviewsCreated += reviews.length;
}

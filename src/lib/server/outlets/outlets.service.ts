/**
 * Outlet records: type, desks and sections with their phones, address, and reach with where the
 * figure comes from. Desk phones are how an agent finds the writer of an unsigned article.
 */
import type { Kysely } from 'kysely';
import type { DB, OutletKind } from '../db/schema';
import { InputError, isIsoDate } from '../../schemas/validation';
import { recordAudit } from '../audit/audit';
import { getOutlet } from './outlets.repository';

export const OUTLET_KINDS: readonly OutletKind[] = ['newspaper', 'magazine', 'tv', 'radio', 'web', 'wire'];

export interface OutletDetailsInput {
	kind: string;
	website: string;
	deskPhone: string;
	address: string;
	lang: string;
	reach: string;
	reachSource: string;
	reachAsOf: string;
}

const clean = (v: string, max: number) => v.trim().slice(0, max) || null;

/** Saves an outlet's details; a reach figure needs its source, and every value is checked. */
export async function updateOutletDetails(db: Kysely<DB>, userId: number, outletId: number, input: OutletDetailsInput): Promise<void> {
	const kind = input.kind.trim();
	if (kind && !(OUTLET_KINDS as readonly string[]).includes(kind)) throw new InputError({ kind: 'error_invalid' });
	const website = clean(input.website, 500);
	if (website) {
		let ok = false;
		try {
			ok = ['http:', 'https:'].includes(new URL(website).protocol);
		} catch {
			ok = false;
		}
		if (!ok) throw new InputError({ website: 'error_url_invalid' });
	}
	const lang = clean(input.lang, 10);
	if (lang && !/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(lang)) throw new InputError({ lang: 'error_lang_invalid' });
	let reach: number | null = null;
	const reachText = input.reach.replace(/[,\s_]/g, '');
	if (reachText) {
		if (!/^\d{1,12}$/.test(reachText)) throw new InputError({ reach: 'error_invalid' });
		reach = Number(reachText);
	}
	const reachSource = clean(input.reachSource, 300);
	if (reach !== null && !reachSource) throw new InputError({ reachSource: 'error_reach_source_required' });
	const reachAsOf = clean(input.reachAsOf, 10);
	if (reachAsOf && !isIsoDate(reachAsOf)) throw new InputError({ reachAsOf: 'error_date_invalid' });
	const result = await db
		.updateTable('outlets')
		.set({
			kind: (kind || null) as OutletKind | null,
			website,
			desk_phone: clean(input.deskPhone, 100),
			address: clean(input.address, 500),
			lang,
			reach,
			reach_source: reach === null ? null : reachSource,
			reach_as_of: reach === null ? null : reachAsOf,
			updated_at: new Date().toISOString()
		})
		.where('id', '=', outletId)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) throw new InputError({ outlet: 'error_not_found' });
	await recordAudit(db, { actorUserId: userId, action: 'outlet.updated', subjectType: 'outlet', subjectId: outletId });
}

/** Adds a desk or section (経済部, Business desk) with its phone and email. */
export async function addOutletDesk(db: Kysely<DB>, outletId: number, input: { name: string; phone: string; email: string; note: string }): Promise<number> {
	const name = input.name.trim();
	if (!name) throw new InputError({ name: 'error_required' });
	if (name.length > 200) throw new InputError({ name: 'error_too_long' });
	const email = clean(input.email, 254);
	if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new InputError({ email: 'error_email_invalid' });
	if (!(await getOutlet(db, outletId))) throw new InputError({ outlet: 'error_not_found' });
	const row = await db
		.insertInto('outlet_desks')
		.values({ outlet_id: outletId, name, phone: clean(input.phone, 100), email, note: clean(input.note, 1000), created_at: new Date().toISOString() })
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** Removes a desk of this outlet. */
export async function removeOutletDesk(db: Kysely<DB>, outletId: number, deskId: number): Promise<void> {
	const result = await db.deleteFrom('outlet_desks').where('id', '=', deskId).where('outlet_id', '=', outletId).executeTakeFirst();
	if (Number(result.numDeletedRows) !== 1) throw new InputError({ desk: 'error_not_found' });
}

/** An outlet with its desks, reach, reporters and article count. */
export async function getOutletRecord(db: Kysely<DB>, outletId: number) {
	const outlet = await db
		.selectFrom('outlets')
		.select(['id', 'name', 'kind', 'website', 'desk_phone', 'address', 'lang', 'reach', 'reach_source', 'reach_as_of'])
		.where('id', '=', outletId)
		.executeTakeFirst();
	if (!outlet) return undefined;
	const [desks, reporters, count] = await Promise.all([
		db.selectFrom('outlet_desks').select(['id', 'name', 'phone', 'email', 'note']).where('outlet_id', '=', outletId).orderBy('name').execute(),
		db
			.selectFrom('reporters')
			.select((eb) => [
				'reporters.id',
				'reporters.display_name',
				'reporters.reading',
				eb
					.selectFrom('article_reporters')
					.select((e) => e.fn.countAll<number>().as('n'))
					.whereRef('article_reporters.reporter_id', '=', 'reporters.id')
					.as('articles')
			])
			.where('reporters.outlet_id', '=', outletId)
			.orderBy('reporters.display_name')
			.limit(500)
			.execute(),
		db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).where('outlet_id', '=', outletId).executeTakeFirstOrThrow()
	]);
	return { outlet: { ...outlet, reach: outlet.reach === null ? null : Number(outlet.reach) }, desks, reporters: reporters.map((r) => ({ ...r, articles: Number(r.articles ?? 0) })), articleCount: Number(count.n) };
}

/** Every outlet with its reporter and article counts, for the outlets page. */
export function listOutletsWithCounts(db: Kysely<DB>) {
	return db
		.selectFrom('outlets')
		.select((eb) => [
			'outlets.id',
			'outlets.name',
			'outlets.kind',
			'outlets.reach',
			eb.selectFrom('reporters').select((e) => e.fn.countAll<number>().as('n')).whereRef('reporters.outlet_id', '=', 'outlets.id').as('reporters'),
			eb.selectFrom('articles').select((e) => e.fn.countAll<number>().as('n')).whereRef('articles.outlet_id', '=', 'outlets.id').as('articles')
		])
		.orderBy('outlets.name')
		.execute();
}

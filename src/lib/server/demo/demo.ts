/**
 * The demo workspace: a fictional agency, its clients and one user per role, loaded into a migrated
 * database by `tegami demo` (and `npm run demo`).
 *
 * Loading is idempotent: each section looks up what it would create (clients by name, users by email,
 * settings by key) and creates only what is missing, so a second run adds nothing and a run that
 * stopped half-way can simply be repeated. Existing rows are never changed; in particular an existing
 * demo account keeps its password.
 *
 * To extend the demo (outlets, reporters, articles, …): put the data in demo-data.ts, write a
 * `load…` function taking the DemoContext, and append it to SECTIONS; later sections find what earlier
 * ones made in the context (e.g. `clientIds`).
 */
import type { Kysely } from 'kysely';
import type { DB, Locale, Role } from '../db/schema';
import { recordAudit } from '../audit/audit';
import { checkNewPassword } from '../auth/password';
import { getClientByName } from '../clients/clients.repository';
import { createClient } from '../clients/clients.service';
import { createUser } from '../users/users.service';
import { InputError } from '../../schemas/validation';
import { DEMO_AGENCY, DEMO_ARTICLES, DEMO_CLIENTS, DEMO_FEEDS, DEMO_LISTS, DEMO_NAMESAKE, DEMO_OUTLETS, DEMO_RECORDS, DEMO_SUPPRESSED, DEMO_TOPICS, DEMO_USERS } from './demo-data';
import { importArticles } from '../articles/import.service';
import { resolveOutlet, updateOutletContact } from '../outlets/outlets.repository';
import type { ArticleCandidate } from '../articles/candidate';
import { createTopic, runTopicJobs } from '../topics/topics.service';
import { addFact, addLogEntry, addNote, createReporter } from '../reporters/records';
import { addMember, createList } from '../lists/lists.service';
import { activeSuppressionOf, suppress } from '../privacy/suppression';

export { DEMO_DEFAULT_PASSWORD } from './demo-data';

export const AGENCY_NAME_SETTING = 'agency.name';
/** Set when the demo is first loaded; lets the app tell a demo workspace apart. */
export const DEMO_LOADED_SETTING = 'demo.loaded_at';

export interface DemoOptions {
	/** The password of every demo account created now. */
	password: string;
	/**
	 * Load even though the database holds accounts that are not part of the demo. Off by default: the
	 * demo adds an admin whose password is published, which must not slip into a real workspace.
	 */
	force?: boolean;
}

export interface DemoClientResult {
	key: string;
	id: number;
	name: string;
	created: boolean;
}

export interface DemoUserResult {
	id: number;
	email: string;
	displayName: string;
	role: Role;
	locale: Locale;
	clientName: string | null;
	created: boolean;
}

export interface DemoResult {
	agencyName: string;
	clients: DemoClientResult[];
	users: DemoUserResult[];
	/** How many rows of each kind this run added (all zero when the demo was already loaded). */
	created: { clients: number; users: number; settings: number; articles: number; feeds: number; topics: number };
}

/** Why the demo was not loaded; one line, for the CLI. */
export class DemoRefusedError extends Error {
	override name = 'DemoRefusedError';
}

interface DemoContext {
	db: Kysely<DB>;
	password: string;
	now: string;
	/** DemoClient.key → clients.id, filled by loadClients. */
	clientIds: Map<string, number>;
	result: DemoResult;
}

type DemoSection = (context: DemoContext) => Promise<void>;

/** The sections, in dependency order. */
const SECTIONS: DemoSection[] = [loadAgency, loadClients, loadUsers, loadOutletsAndFeeds, loadArticles, loadTopics, loadRecords];

/** Load the demo workspace into a migrated database; returns what it holds and what this run added. */
export async function loadDemo(db: Kysely<DB>, options: DemoOptions): Promise<DemoResult> {
	// Checked before anything is written, so a bad password leaves no half-loaded demo behind.
	const weak = checkNewPassword(options.password);
	if (weak) throw new InputError({ password: `error_${weak}` });
	if (!options.force) await refuseForeignAccounts(db);
	const context: DemoContext = {
		db,
		password: options.password,
		now: new Date().toISOString(),
		clientIds: new Map(),
		result: { agencyName: DEMO_AGENCY.name, clients: [], users: [], created: { clients: 0, users: 0, settings: 0, articles: 0, feeds: 0, topics: 0 } }
	};
	for (const section of SECTIONS) await section(context);

	const { created } = context.result;
	if (created.clients + created.users + created.settings + created.articles + created.feeds + created.topics > 0) {
		if (await insertSettingIfMissing(db, DEMO_LOADED_SETTING, context.now)) created.settings++;
		await recordAudit(db, {
			actorUserId: null,
			action: 'demo.loaded',
			detail: { clients: created.clients, users: created.users, articles: created.articles, feeds: created.feeds, topics: created.topics }
		});
	}
	return context.result;
}

/** The demo emails, so callers (and the refusal check) can tell demo accounts from real ones. */
export const DEMO_EMAILS: readonly string[] = DEMO_USERS.map((u) => u.email);

async function refuseForeignAccounts(db: Kysely<DB>): Promise<void> {
	const row = await db
		.selectFrom('users')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('email', 'not in', DEMO_EMAILS)
		.executeTakeFirstOrThrow();
	const n = Number(row.n);
	if (n > 0) {
		throw new DemoRefusedError(
			`this database already has ${n} account${n === 1 ? '' : 's'} that ${n === 1 ? 'is' : 'are'} not part of the demo, and the demo adds an admin with a published password; load the demo into a database of its own`
		);
	}
}

async function loadAgency(context: DemoContext): Promise<void> {
	// A real agency name set earlier wins; the demo only fills the gap.
	if (await insertSettingIfMissing(context.db, AGENCY_NAME_SETTING, DEMO_AGENCY.name)) {
		context.result.created.settings++;
	}
	const row = await context.db
		.selectFrom('settings')
		.select('value')
		.where('key', '=', AGENCY_NAME_SETTING)
		.executeTakeFirstOrThrow();
	context.result.agencyName = row.value;
}

async function loadClients(context: DemoContext): Promise<void> {
	for (const client of DEMO_CLIENTS) {
		const existing = await getClientByName(context.db, client.name);
		const id = existing?.id ?? (await createClient(context.db, null, { name: client.name, nameReading: client.nameReading }));
		context.clientIds.set(client.key, id);
		context.result.clients.push({ key: client.key, id, name: client.name, created: !existing });
		if (!existing) context.result.created.clients++;
	}
}

async function loadUsers(context: DemoContext): Promise<void> {
	const clientNames = new Map(DEMO_CLIENTS.map((c) => [c.key, c.name]));
	for (const user of DEMO_USERS) {
		const clientId = user.clientKey ? context.clientIds.get(user.clientKey) : null;
		if (clientId === undefined) throw new Error(`demo user ${user.email} names unknown client key ${user.clientKey}`);
		const existing = await context.db.selectFrom('users').select('id').where('email', '=', user.email).executeTakeFirst();
		const id =
			existing?.id ??
			(await createUser(context.db, null, {
				email: user.email,
				displayName: user.displayName,
				role: user.role,
				clientId,
				password: context.password,
				locale: user.locale
			}));
		context.result.users.push({
			id,
			email: user.email,
			displayName: user.displayName,
			role: user.role,
			locale: user.locale,
			clientName: user.clientKey ? (clientNames.get(user.clientKey) ?? null) : null,
			created: !existing
		});
		if (!existing) context.result.created.users++;
	}
}

/** Insert a setting unless the key exists; true when inserted. */
async function insertSettingIfMissing(db: Kysely<DB>, key: string, value: string): Promise<boolean> {
	const inserted = await db
		.insertInto('settings')
		.values({ key, value })
		.onConflict((oc) => oc.column('key').doNothing())
		.returning('key')
		.executeTakeFirst();
	return !!inserted;
}

async function loadOutletsAndFeeds(context: DemoContext): Promise<void> {
	for (const o of DEMO_OUTLETS) {
		const id = await resolveOutlet(context.db, o.name, context.now);
		if (id === null) continue;
		const row = await context.db.selectFrom('outlets').select(['kind']).where('id', '=', id).executeTakeFirstOrThrow();
		// Only fill in an outlet the demo made; never overwrite what someone edited.
		if (row.kind === null) await updateOutletContact(context.db, id, { kind: o.kind, desk_phone: o.deskPhone, website: o.website });
	}
	for (const f of DEMO_FEEDS) {
		const exists = await context.db.selectFrom('feeds').select('id').where('url', '=', f.url).executeTakeFirst();
		if (exists) continue;
		const outletId = await resolveOutlet(context.db, f.outlet, context.now);
		await context.db
			.insertInto('feeds')
			.values({
				url: f.url,
				title: f.title,
				site_url: null,
				category: 'demo',
				outlet_id: outletId,
				// Paused: the addresses are fictional and would only fail.
				active: 0,
				interval_minutes: 60,
				next_poll_at: context.now,
				failures: 0,
				created_by: null,
				created_at: context.now,
				updated_at: context.now
			})
			.execute();
		context.result.created.feeds++;
	}
}

async function loadArticles(context: DemoContext): Promise<void> {
	const day = 24 * 60 * 60 * 1000;
	const candidates: ArticleCandidate[] = DEMO_ARTICLES.map((a, i) => ({
		location: `demo article ${i + 1}`,
		url: a.url,
		guid: null,
		title: a.title,
		body: a.body,
		excerpt: null,
		// Dated relative to loading, at 06:00 UTC, so the demo always looks current.
		publishedAt: `${new Date(Date.now() - a.daysAgo * day).toISOString().slice(0, 10)}T06:00:00.000Z`,
		lang: a.lang,
		outletName: a.outlet,
		section: a.section,
		bylineRaw: a.byline,
		categories: []
	}));
	// Dedupe makes this idempotent; but dates move with the day, so undated duplicates are looked up by title.
	const have = new Set(
		(await context.db.selectFrom('articles').select('title').where('title', 'in', DEMO_ARTICLES.map((a) => a.title)).execute()).map((r) => r.title)
	);
	const fresh = candidates.filter((c) => !have.has(c.title));
	if (!fresh.length) return;
	const report = await importArticles(context.db, { candidates: fresh, problems: [] }, { kind: 'manual', label: 'demo workspace', userId: null });
	context.result.created.articles += report.added;
}

/** Topics with rules over the demo articles, applied before the demo is handed over (no waiting for the background job). */
async function loadTopics(context: DemoContext): Promise<void> {
	const have = new Set((await context.db.selectFrom('topics').select('name').execute()).map((t) => t.name));
	for (const topic of DEMO_TOPICS) {
		if (have.has(topic.name)) continue;
		await createTopic(context.db, null, { name: topic.name, nameReading: topic.reading, description: topic.description, rule: topic.rule });
		context.result.created.topics++;
	}
	if (context.result.created.topics) await runTopicJobs({ db: context.db });
}

/** The reporter a demo byline made at an outlet (undefined when someone merged or removed it). */
async function demoReporter(db: Kysely<DB>, name: string, outlet: string): Promise<number | undefined> {
	const row = await db
		.selectFrom('reporters')
		.innerJoin('outlets', 'outlets.id', 'reporters.outlet_id')
		.select('reporters.id')
		.where('reporters.display_name', '=', name)
		.where('outlets.name', '=', outlet)
		.orderBy('reporters.id')
		.executeTakeFirst();
	return row?.id;
}

/** Reporter records with contact details and what they told the agency, a media list per client, one do-not-contact reporter and a namesake of theirs flagged for a check. */
async function loadRecords(context: DemoContext): Promise<void> {
	const { db } = context;
	const admin = await db.selectFrom('users').select('id').where('email', '=', DEMO_USERS.find((u) => u.role === 'admin')!.email).executeTakeFirst();
	const agent = await db.selectFrom('users').select('id').where('email', '=', DEMO_USERS.find((u) => u.role === 'agent')!.email).executeTakeFirst();
	const userId = agent?.id ?? admin?.id ?? null;
	const day = 24 * 60 * 60 * 1000;
	const dateAgo = (days: number) => new Date(Date.now() - days * day).toISOString().slice(0, 10);
	for (const record of DEMO_RECORDS) {
		const id = await demoReporter(db, record.name, record.outlet);
		if (id === undefined) continue;
		// Once only: a second run must not replace details someone has since edited.
		const has = await db.selectFrom('reporter_facts').select('id').where('reporter_id', '=', id).where('field', '=', 'email').executeTakeFirst();
		if (has) continue;
		for (const f of record.facts) await addFact(db, userId, id, { ...f, learnedOn: dateAgo(45) });
		for (const entry of record.log) {
			const clientId = entry.client ? (context.clientIds.get(entry.client) ?? null) : null;
			await addLogEntry(db, userId, id, { kind: entry.kind, body: entry.body, statedOn: dateAgo(entry.daysAgo), clientId, source: entry.source });
		}
		for (const note of record.notes) await addNote(db, userId, id, note);
	}
	const s = DEMO_SUPPRESSED;
	const suppressedId = await demoReporter(db, s.name, s.outlet);
	if (suppressedId !== undefined && admin && !(await activeSuppressionOf(db, suppressedId))) {
		await suppress(db, admin.id, suppressedId, { reason: s.reason, requestedOn: dateAgo(s.daysAgo) });
	}
	if (!userId) return;
	if (suppressedId !== undefined && (await demoReporter(db, s.name, DEMO_NAMESAKE.outlet)) === undefined) {
		const outlet = await db.selectFrom('outlets').select('id').where('name', '=', DEMO_NAMESAKE.outlet).executeTakeFirst();
		if (outlet) await createReporter(db, userId, { displayName: s.name, outletId: outlet.id, source: DEMO_NAMESAKE.source });
	}
	for (const list of DEMO_LISTS) {
		const exists = await db.selectFrom('media_lists').select('id').where('name', '=', list.name).executeTakeFirst();
		if (exists) continue;
		const listId = await createList(db, userId, { name: list.name, description: list.description, clientId: context.clientIds.get(list.client) ?? null });
		for (const member of list.members) {
			const id = await demoReporter(db, member.name, member.outlet);
			if (id !== undefined) await addMember(db, userId, listId, id, { tier: member.tier, note: member.note });
		}
	}
}

/**
 * Subject access (GDPR / UK GDPR art. 15, APPI art. 33): everything Tegami holds about one reporter,
 * as one JSON document an admin can hand over. Staff are named by role, not by name: the person is
 * entitled to their own data and its sources, not to the agency's staff list.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema';
import { suppressionHistory } from './suppression';

type Db = Kysely<DB> | Transaction<DB>;

export const EXPORT_FORMAT = 'tegami-reporter-export/1';

/** Everything held about a reporter, JSON-serialisable; undefined when there is no such reporter. */
export async function exportReporterData(db: Db, reporterId: number) {
	const reporter = await db
		.selectFrom('reporters')
		.leftJoin('outlets', 'outlets.id', 'reporters.outlet_id')
		.select([
			'reporters.id',
			'reporters.display_name',
			'reporters.reading',
			'reporters.romanized',
			'reporters.created_via',
			'reporters.created_from_article_id',
			'reporters.created_at',
			'reporters.updated_at',
			'outlets.name as outlet'
		])
		.where('reporters.id', '=', reporterId)
		.executeTakeFirst();
	if (!reporter) return undefined;

	const [names, facts, outletHistory, log, notes, lists, articles, identifications, suppressions, flags, merges, audit] = await Promise.all([
		db
			.selectFrom('reporter_names')
			.leftJoin('outlets', 'outlets.id', 'reporter_names.outlet_id')
			.select(['reporter_names.name', 'reporter_names.source', 'reporter_names.article_id', 'reporter_names.created_at', 'outlets.name as outlet'])
			.where('reporter_names.reporter_id', '=', reporterId)
			.orderBy('reporter_names.id')
			.execute(),
		// Retired facts too: they are still held, with when and why they stopped being current.
		db
			.selectFrom('reporter_facts')
			.select(['field', 'value', 'label', 'note', 'source', 'source_ref', 'learned_on', 'created_at', 'retired_at'])
			.where('reporter_id', '=', reporterId)
			.orderBy('field')
			.orderBy('id')
			.execute(),
		db
			.selectFrom('reporter_outlet_history')
			.innerJoin('outlets', 'outlets.id', 'reporter_outlet_history.outlet_id')
			.select(['outlets.name as outlet', 'reporter_outlet_history.role', 'reporter_outlet_history.started_on', 'reporter_outlet_history.ended_on', 'reporter_outlet_history.source', 'reporter_outlet_history.created_at'])
			.where('reporter_outlet_history.reporter_id', '=', reporterId)
			.orderBy('reporter_outlet_history.started_on')
			.execute(),
		// The client a statement was recorded for is a recipient of the person's data (art. 15(1)(c)).
		db
			.selectFrom('reporter_log')
			.leftJoin('clients', 'clients.id', 'reporter_log.client_id')
			.select(['reporter_log.kind', 'reporter_log.body', 'reporter_log.stated_on', 'reporter_log.source', 'reporter_log.created_at', 'clients.name as client'])
			.where('reporter_log.reporter_id', '=', reporterId)
			.orderBy('reporter_log.stated_on')
			.execute(),
		db.selectFrom('reporter_notes').select(['body', 'created_at', 'updated_at']).where('reporter_id', '=', reporterId).orderBy('id').execute(),
		db
			.selectFrom('media_list_members')
			.innerJoin('media_lists', 'media_lists.id', 'media_list_members.list_id')
			.leftJoin('clients', 'clients.id', 'media_lists.client_id')
			.select(['media_lists.name as list', 'clients.name as client', 'media_list_members.tier', 'media_list_members.note', 'media_list_members.added_at'])
			.where('media_list_members.reporter_id', '=', reporterId)
			.orderBy('media_list_members.added_at')
			.execute(),
		db
			.selectFrom('article_reporters')
			.innerJoin('articles', 'articles.id', 'article_reporters.article_id')
			.leftJoin('outlets', 'outlets.id', 'articles.outlet_id')
			.select([
				'articles.id',
				'articles.title',
				'articles.url',
				'articles.published_at',
				'articles.byline_raw',
				'outlets.name as outlet',
				'article_reporters.role',
				'article_reporters.source as link_source'
			])
			.where('article_reporters.reporter_id', '=', reporterId)
			.orderBy('articles.published_at')
			.orderBy('articles.id')
			.execute(),
		db
			.selectFrom('article_identifications')
			.innerJoin('articles', 'articles.id', 'article_identifications.article_id')
			.select(['articles.id as article_id', 'articles.title', 'article_identifications.method', 'article_identifications.learned_on', 'article_identifications.note', 'article_identifications.created_at'])
			.where('article_identifications.reporter_id', '=', reporterId)
			.orderBy('article_identifications.id')
			.execute(),
		suppressionHistory(db, reporterId),
		db.selectFrom('suppression_flags').select(['context', 'created_at', 'resolved_at']).where('reporter_id', '=', reporterId).orderBy('id').execute(),
		db.selectFrom('reporter_merges').select(['merged_name', 'created_at']).where('kept_id', '=', reporterId).orderBy('id').execute(),
		db
			.selectFrom('audit_log')
			.leftJoin('users', 'users.id', 'audit_log.actor_user_id')
			.select(['audit_log.at', 'audit_log.action', 'users.role as actor_role'])
			.where('audit_log.subject_type', '=', 'reporter')
			.where('audit_log.subject_id', '=', String(reporterId))
			.orderBy('audit_log.id')
			.execute()
	]);

	return {
		format: EXPORT_FORMAT,
		generatedAt: new Date().toISOString(),
		about:
			'Everything this Tegami workspace holds about you, for your access request. Why we hold it, for how long and how to ask for correction or erasure: see /privacy on this site.',
		reporter: {
			id: reporter.id,
			displayName: reporter.display_name,
			reading: reporter.reading,
			romanized: reporter.romanized,
			outlet: reporter.outlet,
			createdVia: reporter.created_via,
			createdFromArticleId: reporter.created_from_article_id,
			createdAt: reporter.created_at,
			updatedAt: reporter.updated_at
		},
		namesSeen: names.map((x) => ({ name: x.name, outlet: x.outlet, source: x.source, articleId: x.article_id, firstSeen: x.created_at })),
		facts: facts.map((f) => ({
			field: f.field,
			value: f.value,
			label: f.label,
			note: f.note,
			source: f.source,
			sourceRef: f.source_ref,
			learnedOn: f.learned_on,
			recordedAt: f.created_at,
			retiredAt: f.retired_at
		})),
		outletHistory: outletHistory.map((o) => ({ outlet: o.outlet, role: o.role, startedOn: o.started_on, endedOn: o.ended_on, source: o.source, recordedAt: o.created_at })),
		statements: log.map((l) => ({ kind: l.kind, text: l.body, statedOn: l.stated_on, source: l.source, client: l.client, recordedAt: l.created_at })),
		notes: notes.map((x) => ({ text: x.body, createdAt: x.created_at, updatedAt: x.updated_at })),
		mediaLists: lists.map((l) => ({ list: l.list, client: l.client, tier: l.tier, note: l.note, addedAt: l.added_at })),
		articles: articles.map((a) => ({
			id: a.id,
			title: a.title,
			url: a.url,
			outlet: a.outlet,
			publishedAt: a.published_at,
			byline: a.byline_raw,
			role: a.role,
			linkedBy: a.link_source
		})),
		identifications: identifications.map((i) => ({ articleId: i.article_id, title: i.title, method: i.method, learnedOn: i.learned_on, note: i.note, recordedAt: i.created_at })),
		doNotContact: suppressions.map((s) => ({ reason: s.reason, requestedOn: s.requested_on, since: s.created_at, liftedAt: s.lifted_at })),
		doNotContactFlags: flags.map((f) => ({ context: f.context, createdAt: f.created_at, resolvedAt: f.resolved_at })),
		recordsMergedIntoThis: merges.map((m) => ({ name: m.merged_name, mergedAt: m.created_at })),
		accessLog: audit.map((a) => ({ at: a.at, action: a.action, byRole: a.actor_role }))
	};
}

export type ReporterExport = NonNullable<Awaited<ReturnType<typeof exportReporterData>>>;

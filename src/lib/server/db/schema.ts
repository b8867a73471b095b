import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Locale, Role } from '../../roles';
export type { Locale, Role } from '../../roles';

/**
 * The database as the application sees it. Timestamps are UTC ISO-8601 strings
 * (`2026-01-31T09:00:00.000Z`) in both SQLite and PostgreSQL, so they sort and compare as text;
 * booleans are 0/1 integers for the same reason.
 */
export interface DB {
	clients: ClientTable;
	users: UserTable;
	sessions: SessionTable;
	invitations: InvitationTable;
	auth_throttle: AuthThrottleTable;
	audit_log: AuditLogTable;
	settings: SettingTable;
	outlets: OutletTable;
	reporters: ReporterTable;
	reporter_names: ReporterNameTable;
	import_runs: ImportRunTable;
	articles: ArticleTable;
	article_reporters: ArticleReporterTable;
	article_identifications: ArticleIdentificationTable;
	reporter_reviews: ReporterReviewTable;
	reporter_merges: ReporterMergeTable;
	feeds: FeedTable;
	import_mappings: ImportMappingTable;
	import_uploads: ImportUploadTable;
	topics: TopicTable;
	article_topics: ArticleTopicTable;
	topic_feedback: TopicFeedbackTable;
	topic_suggestions: TopicSuggestionTable;
	topic_models: TopicModelTable;
	topic_jobs: TopicJobTable;
	watch_reporters: WatchReporterTable;
	watch_topics: WatchTopicTable;
	alerts: AlertTable;
	reporter_facts: ReporterFactTable;
	reporter_outlet_history: ReporterOutletHistoryTable;
	reporter_log: ReporterLogTable;
	reporter_notes: ReporterNoteTable;
	outlet_desks: OutletDeskTable;
	media_lists: MediaListTable;
	media_list_members: MediaListMemberTable;
	suppressions: SuppressionTable;
	suppression_keys: SuppressionKeyTable;
	suppression_flags: SuppressionFlagTable;
	erasures: ErasureTable;
}

export interface ClientTable {
	id: Generated<number>;
	name: string;
	name_reading: string | null;
	created_at: string;
	updated_at: string;
}

export interface UserTable {
	id: Generated<number>;
	email: string;
	display_name: string;
	password_hash: string | null;
	role: Role;
	client_id: number | null;
	locale: Locale;
	disabled_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface SessionTable {
	id: string;
	user_id: number;
	secret_hash: string;
	created_at: string;
	last_active_at: string;
	ip: string | null;
	user_agent: string | null;
}

export interface InvitationTable {
	id: string;
	secret_hash: string;
	email: string;
	role: Role;
	client_id: number | null;
	created_by: number | null;
	created_at: string;
	expires_at: string;
	accepted_at: string | null;
}

export interface AuthThrottleTable {
	key: string;
	failures: number;
	locked_until: string | null;
	updated_at: string;
}

export interface AuditLogTable {
	id: Generated<number>;
	at: string;
	actor_user_id: number | null;
	action: string;
	subject_type: string | null;
	subject_id: string | null;
	ip: string | null;
	detail: string | null;
}

export interface SettingTable {
	key: string;
	value: string;
}

export type Client = Selectable<ClientTable>;
export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
export type Session = Selectable<SessionTable>;
export type Invitation = Selectable<InvitationTable>;

export type OutletKind = 'newspaper' | 'magazine' | 'tv' | 'radio' | 'web' | 'wire';

export interface OutletTable {
	id: Generated<number>;
	name: string;
	name_key: string;
	kind: OutletKind | null;
	website: string | null;
	desk_phone: string | null;
	address: string | null;
	lang: string | null;
	/** Readers, viewers or monthly visitors, with where the figure comes from and its date. */
	reach: number | null;
	reach_source: string | null;
	reach_as_of: string | null;
	created_at: string;
	updated_at: string;
}

export interface ReporterTable {
	id: Generated<number>;
	display_name: string;
	name_key: string;
	reading: string | null;
	/** readingKey(reading): the reading compared with others (duplicate suggestions). */
	reading_key: string | null;
	romanized: string | null;
	outlet_id: number | null;
	/** 'byline' (created from an article), 'identified' (unsigned-article task), 'manual', 'import'. */
	created_via: string;
	created_from_article_id: number | null;
	created_by: number | null;
	created_at: string;
	updated_at: string;
}

export interface ReporterNameTable {
	id: Generated<number>;
	reporter_id: number;
	name: string;
	name_key: string;
	outlet_id: number | null;
	source: string;
	article_id: number | null;
	created_at: string;
}

export type ImportRunStatus = 'running' | 'done' | 'failed';

export interface ImportRunTable {
	id: Generated<number>;
	kind: string;
	label: string;
	status: ImportRunStatus;
	dry_run: number;
	added: number;
	updated: number;
	duplicates: number;
	skipped: number;
	reporters_created: number;
	/** New reporters flagged as possibly someone on the do-not-contact list. */
	flagged: Generated<number>;
	/** JSON array of { location, reason }. */
	problems: string;
	error: string | null;
	feed_id: number | null;
	user_id: number | null;
	started_at: string;
	finished_at: string | null;
}

export type ArticleSourceKind = 'feed' | 'csv' | 'jsonl' | 'html' | 'url' | 'manual';
export type IdentifyStatus = 'open' | 'identified' | 'dismissed';

export interface ArticleTable {
	id: Generated<number>;
	url: string | null;
	canonical_url: string | null;
	dedupe_key: string;
	guid: string | null;
	title: string;
	outlet_id: number | null;
	section: string | null;
	published_at: string | null;
	lang: string | null;
	body: string | null;
	excerpt: string | null;
	byline_raw: string | null;
	agencies: string;
	categories: string;
	signed: number;
	identify_status: IdentifyStatus | null;
	source_kind: ArticleSourceKind;
	source_label: string | null;
	content_hash: string;
	import_run_id: number | null;
	created_by: number | null;
	created_at: string;
	updated_at: string;
}

export interface ArticleReporterTable {
	article_id: number;
	reporter_id: number;
	role: string;
	position: number;
	source: 'byline' | 'identified' | 'manual';
	created_at: string;
}

export type IdentificationMethod = 'desk_call' | 'email' | 'reporter' | 'other';

export interface ArticleIdentificationTable {
	id: Generated<number>;
	article_id: number;
	reporter_id: number | null;
	method: IdentificationMethod;
	learned_on: string;
	note: string | null;
	user_id: number | null;
	created_at: string;
}

export interface ReporterReviewTable {
	id: Generated<number>;
	reporter_id: number;
	candidate_id: number;
	score: number;
	reason: string;
	status: 'open' | 'merged' | 'kept_apart';
	resolved_by: number | null;
	resolved_at: string | null;
	created_at: string;
}

export interface ReporterMergeTable {
	id: Generated<number>;
	kept_id: number;
	merged_id: number;
	merged_name: string;
	moved: string;
	user_id: number | null;
	created_at: string;
}

export interface FeedTable {
	id: Generated<number>;
	url: string;
	title: string | null;
	site_url: string | null;
	category: string | null;
	outlet_id: number | null;
	active: number;
	interval_minutes: number;
	etag: string | null;
	last_modified: string | null;
	last_polled_at: string | null;
	last_success_at: string | null;
	next_poll_at: string;
	failures: number;
	last_error: string | null;
	lease_owner: string | null;
	lease_until: string | null;
	created_by: number | null;
	created_at: string;
	updated_at: string;
}

export interface ImportMappingTable {
	signature: string;
	format: string;
	mapping: string;
	outlet_name: string | null;
	updated_at: string;
}

export interface ImportUploadTable {
	token: string;
	user_id: number;
	name: string;
	format: string;
	/** The file, base64: the same text column on both databases. */
	data: string;
	created_at: string;
}

export interface TopicTable {
	id: Generated<number>;
	name: string;
	/** NFKC, lower-case, spaces collapsed: the uniqueness key. */
	name_key: string;
	name_reading: string | null;
	description: string | null;
	/** A query in the search language (search/query.ts); null for a topic tagged only by people. */
	rule: string | null;
	/** Why a stored rule could not be applied (it no longer parses), or null. */
	rule_error: string | null;
	rule_version: number;
	/** The rule_version whose links are in article_topics; less than rule_version while a job runs. */
	applied_version: number;
	created_by: number | null;
	created_at: string;
	updated_at: string;
}

/** 'rule': made by the topic's rule (re-made when it changes); 'manual' / 'suggestion': a person's call. */
export type ArticleTopicSource = 'rule' | 'manual' | 'suggestion';

export interface ArticleTopicTable {
	article_id: number;
	topic_id: number;
	source: ArticleTopicSource;
	confidence: number | null;
	created_by: number | null;
	created_at: string;
}

export type TopicVerdict = 'confirmed' | 'rejected';

export interface TopicFeedbackTable {
	article_id: number;
	topic_id: number;
	verdict: TopicVerdict;
	user_id: number | null;
	created_at: string;
}

export interface TopicSuggestionTable {
	article_id: number;
	topic_id: number;
	confidence: number;
	created_at: string;
}

export interface TopicModelTable {
	id: Generated<number>;
	/** TopicModel.toJSON() as JSON text. */
	model: string;
	topics: number;
	examples: number;
	feedback_at: string | null;
	trained_at: string;
}

export type TopicJobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface TopicJobTable {
	id: Generated<number>;
	topic_id: number;
	kind: 'apply_rule';
	status: TopicJobStatus;
	rule_version: number;
	last_article_id: number;
	processed: number;
	total: number | null;
	matched: number;
	error: string | null;
	lease_owner: string | null;
	lease_until: string | null;
	created_at: string;
	started_at: string | null;
	finished_at: string | null;
}

export interface WatchReporterTable {
	user_id: number;
	reporter_id: number;
	created_at: string;
}

export interface WatchTopicTable {
	user_id: number;
	topic_id: number;
	created_at: string;
}

export interface AlertTable {
	id: Generated<number>;
	user_id: number;
	article_id: number;
	reporter_id: number;
	topic_id: number;
	created_at: string;
	seen_at: string | null;
}

/** The fields a reporter fact can hold (reporter_facts.field). */
export type ReporterFactField =
	| 'email'
	| 'phone'
	| 'address'
	| 'desk'
	| 'beat'
	| 'title'
	| 'preferred_channel'
	| 'tier'
	| 'x_handle'
	| 'website'
	| 'city'
	| 'country'
	| 'display_name'
	| 'reading'
	| 'romanized';

export interface ReporterFactTable {
	id: Generated<number>;
	reporter_id: number;
	field: ReporterFactField;
	value: string;
	value_key: string | null;
	label: string | null;
	note: string | null;
	source: string;
	source_ref: string | null;
	learned_on: string | null;
	user_id: number | null;
	created_at: string;
	retired_at: string | null;
	retired_by: number | null;
}

export interface ReporterOutletHistoryTable {
	id: Generated<number>;
	reporter_id: number;
	outlet_id: number;
	role: string | null;
	started_on: string | null;
	ended_on: string | null;
	source: string;
	user_id: number | null;
	created_at: string;
}

export type ReporterLogKind = 'interest' | 'request' | 'preference' | 'other';

export interface ReporterLogTable {
	id: Generated<number>;
	reporter_id: number;
	kind: ReporterLogKind;
	body: string;
	stated_on: string;
	client_id: number | null;
	source: string;
	user_id: number | null;
	created_at: string;
}

export interface ReporterNoteTable {
	id: Generated<number>;
	reporter_id: number;
	body: string;
	user_id: number | null;
	created_at: string;
	updated_at: string;
}

export interface OutletDeskTable {
	id: Generated<number>;
	outlet_id: number;
	name: string;
	phone: string | null;
	email: string | null;
	note: string | null;
	created_at: string;
}

export interface MediaListTable {
	id: Generated<number>;
	name: string;
	name_key: string;
	description: string | null;
	client_id: number | null;
	created_by: number | null;
	created_at: string;
	updated_at: string;
}

export type Tier = 'A' | 'B' | 'C';

export interface MediaListMemberTable {
	list_id: number;
	reporter_id: number;
	tier: Tier | null;
	note: string | null;
	added_by: number | null;
	added_at: string;
}

export interface SuppressionTable {
	id: Generated<number>;
	reporter_id: number | null;
	reason: string;
	requested_on: string | null;
	user_id: number | null;
	created_at: string;
	lifted_at: string | null;
	lifted_by: number | null;
}

export interface SuppressionKeyTable {
	suppression_id: number;
	kind: 'name' | 'email';
	key_hash: string;
}

export interface SuppressionFlagTable {
	id: Generated<number>;
	suppression_id: number;
	reporter_id: number | null;
	context: string;
	created_at: string;
	resolved_at: string | null;
	resolved_by: number | null;
}

export interface ErasureTable {
	id: Generated<number>;
	reporter_id: number;
	user_id: number | null;
	reason: string;
	detail: string;
	created_at: string;
}

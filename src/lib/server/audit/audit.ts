import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';

/**
 * Audit actions. Entries store ids, never the personal data itself, so erasing a person does not
 * mean rewriting the audit trail.
 */
export type AuditAction =
	| 'auth.sign_in'
	| 'auth.sign_in_failed'
	| 'auth.sign_out'
	| 'auth.sign_out_everywhere'
	| 'auth.password_changed'
	| 'auth.setup'
	| 'user.created'
	| 'user.invited'
	| 'user.invitation_accepted'
	| 'user.role_changed'
	| 'user.disabled'
	| 'user.enabled'
	| 'client.created'
	| 'client.updated'
	| 'backup.created'
	| 'demo.loaded'
	| 'feeds.opml_imported'
	| 'feed.subscribed'
	| 'feed.removed'
	| 'article.created'
	| 'article.identified'
	| 'reporter.merged'
	| 'reporter.split'
	| 'reporter.review_kept_apart'
	| 'reporter.viewed'
	| 'reporter.created'
	| 'reporter.updated'
	| 'reporter.exported'
	| 'reporter.erased'
	| 'reporter.suppressed'
	| 'reporter.unsuppressed'
	| 'suppression.flag_resolved'
	| 'outlet.updated'
	| 'list.created'
	| 'list.updated'
	| 'list.deleted'
	| 'list.member_added'
	| 'list.member_updated'
	| 'list.member_removed'
	| 'list.imported'
	| 'list.exported';

export interface AuditEntry {
	actorUserId: number | null;
	action: AuditAction;
	subjectType?: string | null;
	subjectId?: string | number | null;
	ip?: string | null;
	/** Small structured facts (ids, role names, counts) — never names, emails or free text. */
	detail?: Record<string, string | number | boolean | null>;
}

/** Append one entry to the audit log. */
export async function recordAudit(db: Kysely<DB>, entry: AuditEntry, now: Date = new Date()): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			at: now.toISOString(),
			actor_user_id: entry.actorUserId,
			action: entry.action,
			subject_type: entry.subjectType ?? null,
			subject_id: entry.subjectId == null ? null : String(entry.subjectId),
			ip: entry.ip ?? null,
			detail: entry.detail ? JSON.stringify(entry.detail) : null
		})
		.execute();
}

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

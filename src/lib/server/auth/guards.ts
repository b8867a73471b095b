import { error, redirect, type RequestEvent } from '@sveltejs/kit';
import type { Role } from '../../roles';
import { STAFF_ROLES } from '../../roles';
import type { SessionUser } from './session';

type Event = Pick<RequestEvent, 'locals' | 'url'>;

function isEndpoint(event: Event): boolean {
	// +server.ts endpoints answer with status codes; pages send people to the sign-in form.
	return event.url.pathname.startsWith('/api/');
}

/** The signed-in user, or a redirect to sign-in (pages) / 401 (API endpoints). */
export function requireUser(event: Event): SessionUser {
	const user = event.locals.user;
	if (user) return user;
	if (isEndpoint(event)) error(401, 'Sign in required');
	const next = event.url.pathname.replace(/\/__data\.json$/, '') + event.url.search;
	redirect(303, `/login?next=${encodeURIComponent(next)}`);
}

/** The signed-in user when they hold one of `roles`; 403 otherwise. */
export function requireRole(event: Event, ...roles: Role[]): SessionUser {
	const user = requireUser(event);
	if (!roles.includes(user.role)) error(403, 'You do not have access to this page');
	return user;
}

/** Agency staff (admin, agent, writer): everything internal. */
export function requireStaff(event: Event): SessionUser {
	return requireRole(event, ...STAFF_ROLES);
}

/**
 * Access to one client's things. Staff may see every client; a client user only their own —
 * another client's id answers 404, exactly as if it did not exist.
 */
export function requireClientAccess(event: Event, clientId: number | null): SessionUser {
	const user = requireUser(event);
	if (clientId === null) error(404, 'Not found');
	if (user.role === 'client' && user.clientId !== clientId) error(404, 'Not found');
	return user;
}

/** Where a user lands after signing in. */
export function homeFor(user: Pick<SessionUser, 'role' | 'clientId'>): string {
	return user.role === 'client' ? `/portal/${user.clientId}` : '/today';
}

/** A same-site path to return to after sign-in, or null for anything that could leave the site. */
export function safeNext(next: string | null | undefined): string | null {
	if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return null;
	if (/[\r\n\t]/.test(next) || next.length > 1000) return null;
	return next;
}

/**
 * The main navigation for each role. Shared by server and browser code; it decides only what is
 * shown — every page still checks access on the server.
 */
import { m } from '$lib/paraglide/messages.js';
import type { Role } from './roles';

export interface NavItem {
	href: string;
	/** A message function, called while rendering so it follows the current locale. */
	label: () => string;
}

export interface NavGroup {
	/** Stable identifier (tests, keys). */
	id: 'work' | 'admin' | 'portal' | 'account';
	/** Shown as a group heading; null for the first, unnamed group. */
	label: (() => string) | null;
	items: NavItem[];
}

export type NavUser = { role: Role; clientId: number | null };

const STAFF_ITEMS: NavItem[] = [
	{ href: '/today', label: m.nav_today },
	{ href: '/search', label: m.nav_search },
	{ href: '/articles', label: m.nav_articles },
	{ href: '/reporters', label: m.nav_reporters },
	{ href: '/lists', label: m.nav_lists },
	{ href: '/outlets', label: m.nav_outlets },
	{ href: '/topics', label: m.nav_topics },
	{ href: '/campaigns', label: m.nav_campaigns },
	{ href: '/outreach', label: m.nav_outreach },
	{ href: '/coverage', label: m.nav_coverage },
	{ href: '/reports', label: m.nav_reports }
];

const ADMIN_ITEMS: NavItem[] = [
	{ href: '/admin/users', label: m.nav_admin_users },
	{ href: '/admin/clients', label: m.nav_admin_clients },
	{ href: '/admin/audit', label: m.audit_nav }
];

const ACCOUNT_ITEM: NavItem = { href: '/account', label: m.nav_account };

/** The navigation groups a user sees; none for someone not signed in. */
export function navigationFor(user: NavUser | null): NavGroup[] {
	if (!user) return [];
	const groups: NavGroup[] = [];
	if (user.role === 'client') {
		if (user.clientId !== null) {
			groups.push({
				id: 'portal',
				label: null,
				items: [{ href: `/portal/${user.clientId}`, label: m.nav_portal }]
			});
		}
	} else {
		groups.push({ id: 'work', label: null, items: STAFF_ITEMS });
		if (user.role === 'admin') groups.push({ id: 'admin', label: m.nav_group_admin, items: ADMIN_ITEMS });
	}
	groups.push({ id: 'account', label: null, items: [ACCOUNT_ITEM] });
	return groups;
}

/** Whether `href` is the current page or a page beneath it (for aria-current). */
export function isCurrent(href: string, pathname: string): boolean {
	return pathname === href || pathname.startsWith(`${href}/`);
}

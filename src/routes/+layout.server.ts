import type { LayoutServerLoad } from './$types';

// Only what the shell shows: the user's name, role and client (for the portal link), and the
// locale. It protects nothing: every page's own load checks access.
export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user
		? { displayName: locals.user.displayName, role: locals.user.role, clientId: locals.user.clientId }
		: null,
	locale: locals.locale
});

import { fail, redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/auth/guards';
import { changePassword } from '$lib/server/users/users.service';
import { ThrottledError } from '$lib/server/auth/throttle';
import { InputError, rawField, type Issues } from '$lib/schemas/validation';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	const user = requireUser(event);
	return {
		account: { displayName: user.displayName, email: user.email, role: user.role, locale: user.locale }
	};
};

export const actions: Actions = {
	/** Change one's own password; every other session of the user ends. */
	password: async (event) => {
		const user = requireUser(event);
		const data = await event.request.formData();
		const current = rawField(data, 'currentPassword');
		const next = rawField(data, 'newPassword');
		const issues: Issues = {};
		if (!current) issues.currentPassword = 'error_required';
		if (!next) issues.newPassword = 'error_required';
		else if (next !== rawField(data, 'newPasswordConfirm')) issues.newPasswordConfirm = 'error_passwords_differ';
		// Passwords are never sent back to the page.
		if (Object.keys(issues).length) return fail(400, { issues });
		try {
			await changePassword(event.locals.database.db, user.id, event.locals.session!.id, current, next);
		} catch (e) {
			if (e instanceof InputError) return fail(400, { issues: e.issues });
			if (e instanceof ThrottledError) {
				event.setHeaders({ 'retry-after': String(e.retryAfterSeconds) });
				return fail(429, { issues: { currentPassword: 'error_password_throttled' } as Issues, retryAfterSeconds: e.retryAfterSeconds });
			}
			throw e;
		}
		redirect(303, '/account?saved=password');
	}
};

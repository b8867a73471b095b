import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance` for forms whose success changes who is signed in (sign-in, setup, invitation):
 * errors appear without a reload, but success loads the next page afresh, so that the user's
 * saved language, <html lang> and everything held in the browser start clean.
 */
export const reloadOnRedirect: SubmitFunction = () => {
	return async ({ result, update }) => {
		if (result.type === 'redirect') {
			window.location.assign(result.location);
			return;
		}
		await update();
	};
};

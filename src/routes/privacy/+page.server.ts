import type { PageServerLoad } from './$types';

// The purpose statement is public: no guard, by design (journalists read it without an account).
// TEGAMI_PRIVACY_CONTACT names where requests go (an address or email); without it the page says
// to reply to the agency's letter or email.
export const load: PageServerLoad = () => {
	const contact = process.env.TEGAMI_PRIVACY_CONTACT?.trim().slice(0, 300) || null;
	return { contact };
};

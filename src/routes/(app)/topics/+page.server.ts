import { requireStaff } from '$lib/server/auth/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireStaff(event);
	return {};
};

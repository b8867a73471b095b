import type { Database } from '$lib/server/db';
import type { SessionInfo, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Error {
			message: string;
			/** Quoted to the user so an admin can find the logged error. */
			errorId?: string;
		}
		interface Locals {
			user: SessionUser | null;
			session: SessionInfo | null;
			database: Database;
			locale: 'en' | 'ja';
		}
	}
}

export {};

/** The four kinds of user. Shared by server and browser code. */
export type Role = 'admin' | 'agent' | 'writer' | 'client';
export const ROLES: readonly Role[] = ['admin', 'agent', 'writer', 'client'];
/** Agency staff: everyone but client users. */
export const STAFF_ROLES: readonly Role[] = ['admin', 'agent', 'writer'];

export type Locale = 'en' | 'ja';
export const LOCALES: readonly Locale[] = ['en', 'ja'];

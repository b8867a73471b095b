/** Where the database lives, as chosen by DATABASE_URL. */
export type DatabaseTarget =
	| { kind: 'sqlite'; path: string; url: string }
	| { kind: 'postgres'; connectionString: string; url: string };

export const DEFAULT_DATABASE_URL = 'sqlite:./data/tegami.db';

/** A configuration problem that should stop start-up with one readable line. */
export class DatabaseConfigError extends Error {
	override name = 'DatabaseConfigError';
}

/** Parse DATABASE_URL: `postgres://…`/`postgresql://…`, `sqlite:<path>`, `sqlite::memory:`, or nothing. */
export function parseDatabaseUrl(raw: string | undefined | null): DatabaseTarget {
	const url = (raw ?? '').trim() || DEFAULT_DATABASE_URL;
	if (/^postgres(ql)?:\/\//i.test(url)) {
		try {
			new URL(url);
		} catch {
			throw new DatabaseConfigError(`DATABASE_URL is not a valid PostgreSQL URL: ${redactUrl(url)}`);
		}
		return { kind: 'postgres', connectionString: url, url };
	}
	if (/^sqlite:/i.test(url)) {
		let path = url.slice('sqlite:'.length);
		// Accept sqlite:///abs/path and sqlite://rel as well as sqlite:path.
		if (path.startsWith('//')) path = path.slice(2);
		if (!path) throw new DatabaseConfigError('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/tegami.db');
		return { kind: 'sqlite', path, url };
	}
	throw new DatabaseConfigError(
		`DATABASE_URL must start with postgres:// or sqlite: (got "${redactUrl(url)}")`
	);
}

/** The URL with any password replaced, safe for logs and error messages. */
export function redactUrl(url: string): string {
	return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}

import { describe, expect, it } from 'vitest';
import { DatabaseConfigError, parseDatabaseUrl, redactUrl } from './url';

describe('parseDatabaseUrl', () => {
	it('defaults to the SQLite file under ./data', () => {
		expect(parseDatabaseUrl(undefined)).toEqual({
			kind: 'sqlite',
			path: './data/tegami.db',
			url: 'sqlite:./data/tegami.db'
		});
		expect(parseDatabaseUrl('  ').kind).toBe('sqlite');
	});

	it('reads sqlite: paths in their common spellings', () => {
		expect(parseDatabaseUrl('sqlite:/tmp/a.db')).toMatchObject({ path: '/tmp/a.db' });
		expect(parseDatabaseUrl('sqlite:///tmp/a.db')).toMatchObject({ path: '/tmp/a.db' });
		expect(parseDatabaseUrl('sqlite::memory:')).toMatchObject({ path: ':memory:' });
	});

	it('reads postgres URLs', () => {
		const t = parseDatabaseUrl('postgres://u:p@localhost:5432/tegami');
		expect(t.kind).toBe('postgres');
		expect(parseDatabaseUrl('postgresql://localhost/x').kind).toBe('postgres');
	});

	it('rejects anything else with a message naming the problem, without the password', () => {
		expect(() => parseDatabaseUrl('mysql://root:secret@db/x')).toThrow(DatabaseConfigError);
		expect(() => parseDatabaseUrl('mysql://root:secret@db/x')).toThrow(/postgres:\/\/ or sqlite:/);
		expect(() => parseDatabaseUrl('mysql://root:secret@db/x')).not.toThrow(/secret/);
		expect(() => parseDatabaseUrl('sqlite:')).toThrow(/file path/);
	});

	it('redacts passwords', () => {
		expect(redactUrl('postgres://u:hunter2@h/db')).toBe('postgres://u:***@h/db');
	});
});

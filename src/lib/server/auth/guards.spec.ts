import { describe, expect, it } from 'vitest';
import { homeFor, requireClientAccess, requireRole, requireUser, safeNext } from './guards';
import type { SessionUser } from './session';

const user = (role: SessionUser['role'], clientId: number | null = null): SessionUser => ({
	id: 1,
	email: 'x@example.test',
	displayName: 'X',
	role,
	clientId,
	locale: 'en'
});

function event(u: SessionUser | null, path = '/today') {
	return { locals: { user: u } as App.Locals, url: new URL(`http://localhost${path}`) };
}

function status(fn: () => unknown): number | string {
	try {
		fn();
		return 'passed';
	} catch (e) {
		const x = e as { status?: number; location?: string };
		return x.location ? `${x.status} ${x.location}` : (x.status ?? 'threw');
	}
}

describe('guards', () => {
	it('sends anonymous page requests to sign in, keeping where they were going', () => {
		expect(status(() => requireUser(event(null, '/reporters?q=1')))).toBe('303 /login?next=%2Freporters%3Fq%3D1');
		expect(status(() => requireUser(event(null, '/today/__data.json')))).toBe('303 /login?next=%2Ftoday');
	});

	it('answers 401 to anonymous API requests', () => {
		expect(status(() => requireUser(event(null, '/api/me')))).toBe(401);
	});

	it('answers 403 to the wrong role', () => {
		expect(status(() => requireRole(event(user('writer')), 'admin'))).toBe(403);
		expect(status(() => requireRole(event(user('admin')), 'admin'))).toBe('passed');
	});

	it('hides another client behind 404 and lets staff through', () => {
		expect(status(() => requireClientAccess(event(user('client', 2)), 1))).toBe(404);
		expect(status(() => requireClientAccess(event(user('client', 1)), 1))).toBe('passed');
		expect(status(() => requireClientAccess(event(user('agent')), 1))).toBe('passed');
		expect(status(() => requireClientAccess(event(user('agent')), null))).toBe(404);
	});

	it('sends people home by role', () => {
		expect(homeFor({ role: 'client', clientId: 7 })).toBe('/portal/7');
		expect(homeFor({ role: 'writer', clientId: null })).toBe('/today');
	});

	it('accepts only same-site return paths', () => {
		expect(safeNext('/reporters/3')).toBe('/reporters/3');
		for (const bad of ['//evil.test/', 'https://evil.test', '/\\evil.test', 'javascript:alert(1)', null, '', '/a\nb']) {
			expect(safeNext(bad)).toBeNull();
		}
	});
});

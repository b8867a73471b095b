import { describe, expect, it } from 'vitest';
import { ROLES } from '../../roles';
import { normaliseEmail } from '../../schemas/validation';
import { DEMO_CLIENTS, DEMO_USERS } from './demo-data';

describe('demo data', () => {
	it('has one account per role, a second client account, and valid emails', () => {
		for (const role of ROLES) expect(DEMO_USERS.some((u) => u.role === role)).toBe(true);
		expect(DEMO_USERS.map((u) => u.email)).toEqual([
			'admin@demo.test',
			'agent@demo.test',
			'writer@demo.test',
			'client@demo.test',
			'client2@demo.test'
		]);
		for (const u of DEMO_USERS) expect(normaliseEmail(u.email)).toBe(u.email);
	});

	it('ties each client account to a demo client, and only those', () => {
		const keys = new Set(DEMO_CLIENTS.map((c) => c.key));
		for (const u of DEMO_USERS) {
			if (u.role === 'client') expect(keys.has(u.clientKey!)).toBe(true);
			else expect(u.clientKey).toBeNull();
		}
		expect(new Set(DEMO_USERS.filter((u) => u.role === 'client').map((u) => u.clientKey)).size).toBe(DEMO_CLIENTS.length);
	});

	it('shows both interface languages and fits the form limits', () => {
		expect(DEMO_USERS.find((u) => u.role === 'writer')?.locale).toBe('ja');
		expect(DEMO_USERS.some((u) => u.role === 'client' && u.locale === 'ja')).toBe(true);
		expect(DEMO_USERS.some((u) => u.locale === 'en')).toBe(true);
		for (const u of DEMO_USERS) expect(u.displayName.length).toBeLessThanOrEqual(100);
		for (const c of DEMO_CLIENTS) {
			expect(c.name.length).toBeLessThanOrEqual(200);
			expect(c.name).toBe(c.name.normalize('NFC'));
		}
	});
});

import { describe, expect, it } from 'vitest';
import { generateToken, hashSecret, parseToken, secretMatches } from './token';

describe('tokens', () => {
	it('have a 120-bit id and a 256-bit secret, of which only a hash is kept', () => {
		const t = generateToken();
		expect(t.token).toBe(`${t.id}.${t.secret}`);
		expect(t.id).toMatch(/^[a-z2-7]{24}$/);
		expect(t.secret).toMatch(/^[a-z2-7]{52}$/);
		expect(t.secretHash).toBe(hashSecret(t.secret));
		expect(t.secretHash).not.toContain(t.secret);
	});

	it('are unique', () => {
		const seen = new Set(Array.from({ length: 1000 }, () => generateToken().token));
		expect(seen.size).toBe(1000);
	});

	it('parse only when shaped like ours', () => {
		const t = generateToken();
		expect(parseToken(t.token)).toEqual({ id: t.id, secret: t.secret });
		for (const bad of ['', 'abc', `${t.id}`, `${t.id}.${t.secret}.x`, `${t.id}.${t.secret.toUpperCase()}`, 'x'.repeat(500), null, undefined]) {
			expect(parseToken(bad)).toBeNull();
		}
	});

	it('compare secrets against the stored hash', () => {
		const t = generateToken();
		expect(secretMatches(t.secret, t.secretHash)).toBe(true);
		expect(secretMatches(generateToken().secret, t.secretHash)).toBe(false);
		expect(secretMatches(t.secret, 'zz-not-hex')).toBe(false);
	});
});

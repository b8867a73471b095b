import { describe, expect, it } from 'vitest';
import { checkNewPassword, hashPassword, verifyPassword } from './password';

describe('passwords', () => {
	it('hashes with argon2id at m=19456, t=2, p=1 and verifies', async () => {
		const h = await hashPassword('correct horse battery');
		expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await verifyPassword(h, 'correct horse battery')).toBe(true);
		expect(await verifyPassword(h, 'correct horse batterY')).toBe(false);
	});

	it('accepts Japanese passwords and treats full-width and half-width forms alike', async () => {
		const h = await hashPassword('てがみパスワード１２３');
		expect(await verifyPassword(h, 'てがみパスワード123')).toBe(true);
	});

	it('returns false for a malformed stored hash instead of throwing', async () => {
		expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
	});

	it('requires at least 8 characters, counted as characters not bytes', () => {
		expect(checkNewPassword('1234567')).toBe('password_too_short');
		expect(checkNewPassword('12345678')).toBeNull();
		expect(checkNewPassword('手紙手紙手紙手紙')).toBeNull();
		expect(checkNewPassword('x'.repeat(257))).toBe('password_too_long');
	});
});

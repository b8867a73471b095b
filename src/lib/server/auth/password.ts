import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id floor: 19 MiB, 2 iterations, 1 lane. `algorithm: 2` is Argon2id (a const enum
// that isolated modules cannot import).
const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32, algorithm: 2 } as const;

export const PASSWORD_MIN_LENGTH = 8;
// argon2 hashes anything, but a megabyte "password" is an attack on CPU, not a password.
export const PASSWORD_MAX_LENGTH = 256;

/** Hash a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
	return hash(password.normalize('NFKC'), ARGON2_OPTIONS);
}

/** Check a password against a stored argon2 hash; false for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
	try {
		return await verify(passwordHash, password.normalize('NFKC'));
	} catch {
		return false;
	}
}

let dummyHash: Promise<string> | null = null;

/**
 * Spend the time a real verification costs, so that a login for an unknown or disabled account
 * cannot be told apart by its response time.
 */
export async function verifyDummyPassword(password: string): Promise<void> {
	dummyHash ??= hashPassword('tegami-timing-equaliser');
	await verifyPassword(await dummyHash, password);
}

/** Why a new password is unacceptable, as a message key, or null when it is fine. */
export function checkNewPassword(password: string): 'password_too_short' | 'password_too_long' | null {
	const length = [...password.normalize('NFKC')].length;
	if (length < PASSWORD_MIN_LENGTH) return 'password_too_short';
	if (length > PASSWORD_MAX_LENGTH) return 'password_too_long';
	return null;
}

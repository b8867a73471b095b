import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeHex, encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

/** A random string of `bytes` random bytes, base32 (lower case, no padding). */
export function generateRandomString(bytes: number): string {
	const buf = new Uint8Array(bytes);
	crypto.getRandomValues(buf);
	return encodeBase32LowerCaseNoPadding(buf);
}

/**
 * A token `<id>.<secret>`: the id (120 bits) finds the row, the secret (256 bits) proves possession.
 * Only a SHA-256 of the secret is stored.
 */
export function generateToken(): { id: string; secret: string; token: string; secretHash: string } {
	const id = generateRandomString(15);
	const secret = generateRandomString(32);
	return { id, secret, token: `${id}.${secret}`, secretHash: hashSecret(secret) };
}

/** Split a token into id and secret, or null when it is not shaped like one of ours. */
export function parseToken(token: string | undefined | null): { id: string; secret: string } | null {
	if (!token || token.length > 200) return null;
	const parts = token.split('.');
	if (parts.length !== 2) return null;
	const [id, secret] = parts;
	if (!/^[a-z2-7]{24}$/.test(id) || !/^[a-z2-7]{52}$/.test(secret)) return null;
	return { id, secret };
}

/** The stored form of a secret. */
export function hashSecret(secret: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

/** Compare a presented secret with a stored hash in constant time. */
export function secretMatches(secret: string, storedHash: string): boolean {
	let stored: Uint8Array;
	try {
		stored = decodeHex(storedHash);
	} catch {
		return false;
	}
	return constantTimeEqual(sha256(new TextEncoder().encode(secret)), stored);
}

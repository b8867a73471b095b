import { describe, expect, it } from 'vitest';
import { isCrossSiteWrite, securityHeaders } from './security';

const url = new URL('http://localhost:3000/api/account/locale');
const req = (method: string, origin?: string) =>
	new Request(url, { method, headers: origin ? { origin } : {}, body: method === 'GET' ? undefined : '{}' });

describe('isCrossSiteWrite', () => {
	it('lets reads through whatever their origin', () => {
		expect(isCrossSiteWrite(req('GET', 'https://evil.test'), url)).toBe(false);
	});
	it('accepts writes from our own origin only', () => {
		expect(isCrossSiteWrite(req('POST', 'http://localhost:3000'), url)).toBe(false);
		expect(isCrossSiteWrite(req('POST', 'https://evil.test'), url)).toBe(true);
		expect(isCrossSiteWrite(req('DELETE'), url)).toBe(true);
		expect(isCrossSiteWrite(req('PUT', 'null'), url)).toBe(true);
	});
	it('accepts configured trusted origins', () => {
		expect(isCrossSiteWrite(req('POST', 'https://ok.test'), url, ['https://ok.test'])).toBe(false);
	});
});

describe('securityHeaders', () => {
	it('always sends nosniff and a referrer policy; HSTS only over https', () => {
		expect(securityHeaders(url)['X-Content-Type-Options']).toBe('nosniff');
		expect(securityHeaders(url)['Referrer-Policy']).toBeTruthy();
		expect(securityHeaders(url)['Strict-Transport-Security']).toBeUndefined();
		expect(securityHeaders(new URL('https://tegami.example/'))['Strict-Transport-Security']).toMatch(/max-age=/);
	});
});

/** Methods that change state and so must come from our own pages. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request may change state: a browser names its Origin on every POST, PUT, PATCH and
 * DELETE, so a missing or foreign Origin means another site (or a forged client) sent it.
 * SvelteKit already checks form posts; this covers JSON endpoints too.
 */
export function isCrossSiteWrite(request: Request, url: URL, trustedOrigins: readonly string[] = []): boolean {
	if (SAFE_METHODS.has(request.method)) return false;
	const origin = request.headers.get('origin');
	if (!origin) return true;
	return origin !== url.origin && !trustedOrigins.includes(origin);
}

/** Headers every response carries; the CSP itself comes from kit.csp in svelte.config.js. */
export function securityHeaders(url: URL): Record<string, string> {
	const headers: Record<string, string> = {
		'X-Content-Type-Options': 'nosniff',
		'Referrer-Policy': 'same-origin',
		'X-Frame-Options': 'DENY',
		'Cross-Origin-Opener-Policy': 'same-origin',
		'Cross-Origin-Resource-Policy': 'same-origin',
		'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()'
	};
	if (url.protocol === 'https:') headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
	return headers;
}

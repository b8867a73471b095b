import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { blockedRange } from './ip-ranges';

/**
 * Fetching feeds and article pages whose URLs come from users (and from redirects we do not
 * control) without letting them reach the server's own network: every address is checked after
 * DNS resolution and the socket is pinned to the checked address, redirects are followed by hand
 * and checked again, and the body is capped while it streams, after decompression.
 */

export type FetchErrorCode =
	| 'bad_url'
	| 'scheme'
	| 'private_address'
	| 'dns'
	| 'timeout'
	| 'too_large'
	| 'too_many_redirects'
	| 'http_status'
	| 'decompression'
	| 'network';

/** A fetch that was refused or failed; `message` is one English sentence naming the URL and why. */
export class FetchError extends Error {
	override name = 'FetchError';
	constructor(
		readonly code: FetchErrorCode,
		/** The URL refused or that failed (after redirects; credentials masked). */
		readonly url: string,
		message: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
	}
}

export interface ResolvedAddress {
	address: string;
	family: 4 | 6;
}

export interface SafeFetchOptions {
	/** Cap on the body after decompression (and on the bytes on the wire); default 10 MiB. */
	maxBytes?: number;
	/** Whole request, DNS to last body byte, across redirects; default 15 s. */
	timeoutMs?: number;
	/** Cap on establishing each TCP (and TLS) connection; default min(10 s, timeoutMs). */
	connectTimeoutMs?: number;
	/** Redirects followed before giving up; default 5. */
	maxRedirects?: number;
	/** Sent as If-None-Match; a 304 answer gives `notModified: true`. */
	etag?: string | null;
	/** Sent as If-Modified-Since; a 304 answer gives `notModified: true`. */
	lastModified?: string | null;
	/** Accept header; default any type. */
	accept?: string;
	userAgent?: string;
	/**
	 * Host names or IPs (as written in the URL) exempt from the address check, added to
	 * TEGAMI_FETCH_ALLOW_HOSTS. Matching is on the URL's host, never on what it resolves to, so
	 * allowing "localhost" does not allow "127.0.0.1" nor any other name that resolves there.
	 */
	allowHosts?: readonly string[];
	/** Name resolution; default the system resolver (getaddrinfo). A seam for tests of pinning. */
	resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
}

export interface SafeFetchResult {
	status: number;
	/** The URL the body came from, after redirects. */
	finalUrl: string;
	/** Response headers with lower-case names; repeated headers joined with ", ". */
	headers: Record<string, string>;
	/** Media type without parameters, lower-case ("application/rss+xml"), or null. */
	contentType: string | null;
	/** The charset parameter of Content-Type, lower-case, or null. */
	charset: string | null;
	/** Decompressed body; empty when not modified. */
	body: Buffer;
	etag: string | null;
	lastModified: string | null;
	notModified: boolean;
}

const DEFAULTS = {
	maxBytes: 10 * 1024 * 1024,
	timeoutMs: 15_000,
	connectTimeoutMs: 10_000,
	maxRedirects: 5,
	accept: '*/*',
	userAgent: 'Tegami/0.1 (+self-hosted PR CRM)'
};

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

interface Target {
	url: URL;
	/** What the URL's host names, without brackets or a trailing dot. */
	host: string;
	/** Checked addresses the socket is pinned to; null when the host is an IP literal. */
	addresses: ResolvedAddress[] | null;
}

/** Fetch a URL for the article importers under the rules above; throws FetchError on any refusal or failure. */
export async function safeFetch(url: string, options: SafeFetchOptions = {}): Promise<SafeFetchResult> {
	const maxBytes = options.maxBytes ?? DEFAULTS.maxBytes;
	const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
	const connectTimeoutMs = options.connectTimeoutMs ?? Math.min(DEFAULTS.connectTimeoutMs, timeoutMs);
	const maxRedirects = options.maxRedirects ?? DEFAULTS.maxRedirects;
	const allow = allowedHosts(options.allowHosts);
	const resolve = options.resolve ?? systemResolve;

	const controller = new AbortController();
	let current = masked(url);
	const timer = setTimeout(
		() =>
			controller.abort(
				new FetchError('timeout', current, `Gave up on ${current}: no complete response within ${seconds(timeoutMs)}`)
			),
		timeoutMs
	);
	try {
		let from: string | null = null;
		let href = url;
		for (let redirects = 0; ; redirects++) {
			const target = await checkTarget(href, from, allow, resolve, controller.signal);
			current = masked(target.url.href);
			const res = await send(target, options, connectTimeoutMs, controller.signal);
			const status = res.statusCode ?? 0;

			if (REDIRECTS.has(status) && res.headers.location) {
				res.destroy();
				if (redirects >= maxRedirects) {
					throw new FetchError(
						'too_many_redirects',
						current,
						`Refused ${current}: it redirected more than ${maxRedirects} times`
					);
				}
				from = current;
				href = resolveLocation(res.headers.location, target.url, current);
				continue;
			}
			if (status === 304) {
				res.destroy();
				return result(res, current, Buffer.alloc(0), options);
			}
			if (status < 200 || status > 299) {
				res.destroy();
				const text = res.statusMessage ? ` ${res.statusMessage}` : '';
				throw new FetchError('http_status', current, `Could not fetch ${current}: the server answered ${status}${text}`);
			}
			const body = await readBody(res, current, maxBytes, controller.signal);
			return result(res, current, body, options);
		}
	} catch (err) {
		if (controller.signal.aborted && controller.signal.reason instanceof FetchError) throw controller.signal.reason;
		if (err instanceof FetchError) throw err;
		throw networkError(err, current);
	} finally {
		clearTimeout(timer);
		controller.abort();
	}
}

/** Parse and vet one URL of the chain: scheme, credentials, and every address it resolves to. */
async function checkTarget(
	href: string,
	from: string | null,
	allow: Set<string>,
	resolve: (hostname: string) => Promise<ResolvedAddress[]>,
	signal: AbortSignal
): Promise<Target> {
	const what = (shown: string) => (from ? `the redirect from ${from} to ${shown}` : shown);
	let url: URL;
	try {
		url = new URL(href);
	} catch {
		throw new FetchError('bad_url', href, `Refused ${what(JSON.stringify(href))}: it is not a valid absolute URL`);
	}
	const shown = masked(url.href);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new FetchError(
			'scheme',
			shown,
			`Refused ${what(shown)}: only http and https URLs are fetched, not ${url.protocol.slice(0, -1)}`
		);
	}
	if (url.username || url.password) {
		throw new FetchError('bad_url', shown, `Refused ${what(shown)}: URLs carrying a user name or password are not fetched`);
	}
	const host = normaliseHost(url.hostname);
	if (!host) throw new FetchError('bad_url', shown, `Refused ${what(shown)}: it names no host`);
	const allowed = allow.has(host);

	if (isIP(host)) {
		const blocked = blockedRange(host);
		if (blocked && !allowed) {
			throw new FetchError('private_address', shown, `Refused ${what(shown)}: it resolves to ${article(blocked.label)} address`);
		}
		return { url, host, addresses: null };
	}

	const addresses = await resolveHost(host, shown, what, resolve, signal);
	if (!allowed) {
		for (const a of addresses) {
			const blocked = blockedRange(a.address);
			if (blocked) {
				throw new FetchError(
					'private_address',
					shown,
					`Refused ${what(shown)}: it resolves to ${a.address}, ${article(blocked.label)} address`
				);
			}
		}
	}
	return { url, host, addresses };
}

async function resolveHost(
	host: string,
	shown: string,
	what: (s: string) => string,
	resolve: (hostname: string) => Promise<ResolvedAddress[]>,
	signal: AbortSignal
): Promise<ResolvedAddress[]> {
	// RFC 6761 special names are answered here, never sent to a DNS server: .invalid never
	// resolves and localhost is always the loopback interface.
	if (host === 'invalid' || host.endsWith('.invalid')) {
		throw new FetchError('dns', shown, `Could not fetch ${what(shown)}: the host name ${host} does not resolve (.invalid is reserved)`);
	}
	if (host === 'localhost' || host.endsWith('.localhost')) {
		return [
			{ address: '127.0.0.1', family: 4 },
			{ address: '::1', family: 6 }
		];
	}
	let addresses: ResolvedAddress[];
	try {
		addresses = await abortable(resolve(host), signal);
	} catch (err) {
		if (signal.aborted) throw err;
		const code = (err as NodeJS.ErrnoException).code;
		const why = code === 'EAI_AGAIN' ? 'could not be looked up just now' : 'does not resolve';
		throw new FetchError('dns', shown, `Could not fetch ${what(shown)}: the host name ${host} ${why}${code ? ` (${code})` : ''}`, {
			cause: err
		});
	}
	if (addresses.length === 0) {
		throw new FetchError('dns', shown, `Could not fetch ${what(shown)}: the host name ${host} resolves to no address`);
	}
	return addresses;
}

async function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
	const found = await dnsLookup(hostname, { all: true, verbatim: true });
	return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

/**
 * A `lookup` for net.connect that answers only with the addresses already checked, so the
 * socket cannot land anywhere else (no second DNS query for a rebinding server to answer).
 */
function pinnedLookup(addresses: ResolvedAddress[]): LookupFunction {
	return (_hostname, options, callback) => {
		const family = typeof options === 'number' ? options : options?.family;
		const wanted = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
		if (wanted.length === 0) {
			const err: NodeJS.ErrnoException = new Error(`No IPv${family} address among the checked ones`);
			err.code = 'ENOTFOUND';
			callback(err, '', 0);
			return;
		}
		if (typeof options === 'object' && options?.all) {
			callback(null, wanted.map((a): LookupAddress => ({ address: a.address, family: a.family })));
		} else {
			callback(null, wanted[0].address, wanted[0].family);
		}
	};
}

function send(
	target: Target,
	options: SafeFetchOptions,
	connectTimeoutMs: number,
	signal: AbortSignal
): Promise<IncomingMessage> {
	const headers: Record<string, string> = {
		host: target.url.host,
		'user-agent': options.userAgent ?? DEFAULTS.userAgent,
		accept: options.accept ?? DEFAULTS.accept,
		'accept-encoding': 'gzip, deflate, br',
		connection: 'close'
	};
	if (options.etag) headers['if-none-match'] = options.etag;
	if (options.lastModified) headers['if-modified-since'] = options.lastModified;

	const transport = target.url.protocol === 'https:' ? https : http;
	return new Promise((resolve, reject) => {
		const req = transport.request({
			hostname: target.host,
			port: target.url.port || undefined,
			path: `${target.url.pathname}${target.url.search}`,
			method: 'GET',
			headers,
			// A fresh agent per request: a pooled socket could be one opened for an earlier check.
			agent: false,
			lookup: target.addresses ? pinnedLookup(target.addresses) : undefined,
			signal
		});
		req.on('socket', (socket: Socket) => {
			if (!socket.connecting) return;
			const timer = setTimeout(() => {
				const shown = masked(target.url.href);
				req.destroy(
					new FetchError('timeout', shown, `Gave up on ${shown}: could not connect within ${seconds(connectTimeoutMs)}`)
				);
			}, connectTimeoutMs);
			socket.once(target.url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(timer));
			socket.once('close', () => clearTimeout(timer));
		});
		req.once('response', resolve);
		req.on('error', reject);
		req.end();
	});
}

/** Stream the body through the decoders, refusing it as soon as either count passes the cap. */
async function readBody(res: IncomingMessage, shown: string, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
	const declared = Number(res.headers['content-length']);
	if (Number.isFinite(declared) && declared > maxBytes) {
		res.destroy();
		throw new FetchError(
			'too_large',
			shown,
			`Refused ${shown}: it declares ${size(declared)}, more than the ${size(maxBytes)} limit`
		);
	}
	const decoders = makeDecoders(res.headers['content-encoding'], shown);
	// The first refusal wins: when a stage stops the pipeline, the others are destroyed with
	// AbortErrors that can reach pipeline's rejection first.
	let refused: FetchError | null = null;
	const refuse = (err: FetchError) => (refused ??= err);
	let wire = 0;
	const wireCap = new Transform({
		transform(chunk: Buffer, _enc, callback: TransformCallback) {
			wire += chunk.length;
			if (wire > maxBytes) {
				callback(refuse(new FetchError('too_large', shown, `Refused ${shown}: the response is larger than the ${size(maxBytes)} limit`)));
			} else {
				callback(null, chunk);
			}
		}
	});
	const chunks: Buffer[] = [];
	let total = 0;
	const what = decoders.length > 0 ? 'its decompressed body is' : 'the response is';
	const collect = new Writable({
		write(chunk: Buffer, _enc, callback: (error?: Error | null) => void) {
			total += chunk.length;
			if (total > maxBytes) {
				callback(refuse(new FetchError('too_large', shown, `Refused ${shown}: ${what} larger than the ${size(maxBytes)} limit`)));
			} else {
				chunks.push(chunk);
				callback();
			}
		}
	});
	try {
		await pipeline([res, wireCap, ...decoders, collect], { signal });
	} catch (err) {
		if (refused) throw refused;
		if (err instanceof FetchError || signal.aborted) throw err;
		if (isDecoderError(err)) {
			throw new FetchError(
				'decompression',
				shown,
				`Could not fetch ${shown}: its ${String(res.headers['content-encoding'])}-encoded body is corrupt (${(err as Error).message})`,
				{ cause: err }
			);
		}
		throw err;
	}
	return Buffer.concat(chunks, total);
}

/** Decoders for Content-Encoding, in the order to apply them (the header lists them as applied). */
function makeDecoders(header: string | undefined, shown: string): Transform[] {
	if (!header) return [];
	const codings = header
		.split(',')
		.map((c) => c.trim().toLowerCase())
		.filter((c) => c && c !== 'identity');
	return codings.reverse().map((coding) => {
		switch (coding) {
			case 'gzip':
			case 'x-gzip':
				return zlib.createGunzip();
			case 'deflate':
				return new AnyInflate();
			case 'br':
				return zlib.createBrotliDecompress();
			default:
				throw new FetchError(
					'decompression',
					shown,
					`Could not fetch ${shown}: it is encoded with "${coding}", which is not supported`
				);
		}
	});
}

/**
 * HTTP "deflate" is meant to be zlib-wrapped, but some servers send raw deflate; browsers accept
 * both, so pick by the first byte (a zlib header has compression method 8 in its low nibble and a
 * header checksum divisible by 31).
 */
class AnyInflate extends Transform {
	private inner: zlib.Inflate | zlib.InflateRaw | null = null;

	override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
		if (!this.inner) {
			const wrapped = chunk.length >= 2 && (chunk[0] & 0x0f) === 8 && ((chunk[0] << 8) | chunk[1]) % 31 === 0;
			const inner = wrapped ? zlib.createInflate() : zlib.createInflateRaw();
			inner.on('data', (data: Buffer) => {
				if (!this.push(data)) inner.pause();
			});
			inner.on('error', (err) => this.destroy(err));
			this.inner = inner;
		}
		this.inner.write(chunk, () => callback());
	}

	override _read(size: number): void {
		this.inner?.resume();
		super._read(size);
	}

	override _flush(callback: TransformCallback): void {
		if (!this.inner) return callback();
		this.inner.once('end', () => callback());
		this.inner.end();
	}

	override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
		this.inner?.destroy();
		callback(err);
	}
}

function isDecoderError(err: unknown): boolean {
	const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
	return code.startsWith('Z_') || code.startsWith('ERR__') || code.startsWith('ERR_BROTLI');
}

function result(res: IncomingMessage, finalUrl: string, body: Buffer, options: SafeFetchOptions): SafeFetchResult {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(res.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	const notModified = res.statusCode === 304;
	const [media, ...params] = (headers['content-type'] ?? '').split(';');
	let charset: string | null = null;
	for (const param of params) {
		const m = /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(param);
		if (m) charset = m[1].toLowerCase();
	}
	return {
		status: res.statusCode ?? 0,
		finalUrl,
		headers,
		contentType: media.trim().toLowerCase() || null,
		charset,
		body,
		// A 304 need not repeat the validators; the caller's still hold.
		etag: headers.etag ?? (notModified ? (options.etag ?? null) : null),
		lastModified: headers['last-modified'] ?? (notModified ? (options.lastModified ?? null) : null),
		notModified
	};
}

function resolveLocation(location: string, base: URL, current: string): string {
	try {
		return new URL(location, base).href;
	} catch {
		throw new FetchError(
			'bad_url',
			current,
			`Refused the redirect from ${current}: its Location ${JSON.stringify(location)} is not a valid URL`
		);
	}
}

function networkError(err: unknown, shown: string): FetchError {
	const e = err as NodeJS.ErrnoException | undefined;
	const reasons: Record<string, string> = {
		ECONNREFUSED: 'the connection was refused',
		ECONNRESET: 'the connection was reset',
		EPIPE: 'the connection was closed',
		EHOSTUNREACH: 'the host is unreachable',
		ENETUNREACH: 'the network is unreachable',
		ETIMEDOUT: 'the connection timed out',
		HPE_INVALID_CONSTANT: 'the server did not answer with valid HTTP',
		ERR_STREAM_PREMATURE_CLOSE: 'the connection closed before the body was complete'
	};
	const code = e?.code ?? '';
	if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
		return new FetchError('network', shown, `Could not fetch ${shown}: its TLS certificate was not accepted (${e?.message})`, {
			cause: err
		});
	}
	const why = reasons[code] ?? (e?.message ? `the request failed (${e.message})` : 'the request failed');
	return new FetchError('network', shown, `Could not fetch ${shown}: ${why}${code && reasons[code] ? ` (${code})` : ''}`, {
		cause: err
	});
}

/** The allow-list from the option and TEGAMI_FETCH_ALLOW_HOSTS, read per call so it can change. */
function allowedHosts(extra: readonly string[] | undefined): Set<string> {
	const entries = [...(process.env.TEGAMI_FETCH_ALLOW_HOSTS ?? '').split(','), ...(extra ?? [])];
	const set = new Set<string>();
	for (const raw of entries) {
		const entry = raw.trim();
		if (!entry) continue;
		try {
			// Written the way the URL parser writes hosts, so "0:0::1" matches "[::1]" and "127.1" matches "127.0.0.1".
			const bare = entry.replace(/^\[|\]$/g, '');
			set.add(normaliseHost(new URL(`http://${isIP(bare) === 6 ? `[${bare}]` : bare}/`).hostname));
		} catch {
			set.add(normaliseHost(entry));
		}
	}
	return set;
}

function normaliseHost(hostname: string): string {
	return hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/** The URL as shown in messages: a password must not end up in logs or the UI. */
function masked(href: string): string {
	try {
		const url = new URL(href);
		if (!url.username && !url.password) return url.href;
		url.username = '***';
		url.password = '';
		return url.href;
	} catch {
		return href;
	}
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(signal.reason);
	return new Promise((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			(v) => {
				signal.removeEventListener('abort', onAbort);
				resolve(v);
			},
			(e) => {
				signal.removeEventListener('abort', onAbort);
				reject(e);
			}
		);
	});
}

function article(label: string): string {
	return /^(?:[aeio]|u(?!ni))/i.test(label) ? `an ${label}` : `a ${label}`;
}

function seconds(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

function size(bytes: number): string {
	const mib = bytes / (1024 * 1024);
	if (mib >= 1) return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
	if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
	return `${bytes} bytes`;
}

import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FetchError, safeFetch, type SafeFetchOptions } from './safe-fetch';

// Real sockets only, and only to the loopback interface. Whatever the code under test does, this
// tripwire makes any attempt to open a socket elsewhere throw before a packet leaves: the network
// here is watched, and a refusal test that "passes" by connecting to 10.0.0.1 must never happen.
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);
const attempted: string[] = [];
const realConnect = net.Socket.prototype.connect;

function tripwire(this: net.Socket, ...args: unknown[]): net.Socket {
	const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
	const options = (typeof first === 'object' && first !== null ? first : {}) as net.TcpNetConnectOpts;
	const host = options.host ?? 'localhost';
	attempted.push(host);
	if (!LOOPBACK.has(host)) {
		const pinned = options.lookup;
		if (!pinned) throw new Error(`tripwire: a socket to ${host} without a pinned lookup`);
		// A host name is fine only if the lookup the socket will use answers with loopback addresses.
		options.lookup = (name, opts, callback) =>
			pinned(name, opts, (err, address, family) => {
				const list = Array.isArray(address) ? address.map((a) => a.address) : [address];
				const stray = list.find((a) => a && !LOOPBACK.has(a));
				if (stray) throw new Error(`tripwire: ${host} would connect to ${stray}`);
				callback(err, address as string, family);
			});
	}
	return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args);
}

let savedAllow: string | undefined;
beforeAll(() => {
	net.Socket.prototype.connect = tripwire as typeof realConnect;
	savedAllow = process.env.TEGAMI_FETCH_ALLOW_HOSTS;
	delete process.env.TEGAMI_FETCH_ALLOW_HOSTS;
});
afterAll(() => {
	net.Socket.prototype.connect = realConnect;
	if (savedAllow !== undefined) process.env.TEGAMI_FETCH_ALLOW_HOSTS = savedAllow;
	expect(attempted.every((h) => LOOPBACK.has(h) || h.endsWith('.test'))).toBe(true);
});

interface TestServer {
	url: (path?: string) => string;
	port: number;
	connections: () => number;
	requests: IncomingMessage[];
	close: () => Promise<void>;
}

const servers: TestServer[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map((s) => s.close()));
	delete process.env.TEGAMI_FETCH_ALLOW_HOSTS;
});

type Handler = (req: IncomingMessage, res: ServerResponse, server: TestServer) => void;

async function serve(handler: Handler, host = '127.0.0.1'): Promise<TestServer> {
	let connections = 0;
	const requests: IncomingMessage[] = [];
	const server = http.createServer((req, res) => {
		requests.push(req);
		handler(req, res, self);
	});
	server.on('connection', () => connections++);
	server.listen(0, host);
	await once(server, 'listening');
	const port = (server.address() as AddressInfo).port;
	const shownHost = host.includes(':') ? `[${host}]` : host;
	const self: TestServer = {
		port,
		url: (path = '/') => `http://${shownHost}:${port}${path}`,
		connections: () => connections,
		requests,
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
	servers.push(self);
	return self;
}

const LOCAL: SafeFetchOptions = { allowHosts: ['127.0.0.1'] };

async function failure(promise: Promise<unknown>): Promise<FetchError> {
	try {
		await promise;
	} catch (err) {
		expect(err).toBeInstanceOf(FetchError);
		return err as FetchError;
	}
	throw new Error('expected the fetch to fail');
}

/** Highest RSS seen while `work` runs, sampled every few milliseconds, minus RSS before it. */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{ value: T | undefined; error: unknown; growth: number }> {
	const before = process.memoryUsage.rss();
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
	let value: T | undefined;
	let error: unknown;
	try {
		value = await work();
	} catch (err) {
		error = err;
	}
	clearInterval(sampler);
	peak = Math.max(peak, process.memoryUsage.rss());
	return { value, error, growth: peak - before };
}

const MiB = 1024 * 1024;

describe('safeFetch of a normal page', () => {
	it('returns the body, lower-case headers, media type and charset, and says who is asking', async () => {
		const html = Buffer.from('<html><head><title>記者</title></head></html>', 'utf8');
		const server = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'text/HTML; Charset="Shift_JIS"', 'X-Custom': 'yes', ETag: '"abc"' });
			res.end(html);
		});
		const result = await safeFetch(server.url('/news?id=7'), { ...LOCAL, accept: 'text/html' });
		expect(result.status).toBe(200);
		expect(result.finalUrl).toBe(server.url('/news?id=7'));
		expect(result.body.equals(html)).toBe(true);
		expect(result.contentType).toBe('text/html');
		expect(result.charset).toBe('shift_jis');
		expect(result.headers['x-custom']).toBe('yes');
		expect(result.etag).toBe('"abc"');
		expect(result.lastModified).toBeNull();
		expect(result.notModified).toBe(false);

		const sent = server.requests[0];
		expect(sent.url).toBe('/news?id=7');
		expect(sent.headers['user-agent']).toBe('Tegami/0.1 (+self-hosted PR CRM)');
		expect(sent.headers.accept).toBe('text/html');
		expect(sent.headers['accept-encoding']).toBe('gzip, deflate, br');
		expect(sent.headers.host).toBe(`127.0.0.1:${server.port}`);
	});

	it('gives null for a missing Content-Type and its charset', async () => {
		const server = await serve((_req, res) => res.end('plain'));
		const result = await safeFetch(server.url(), { ...LOCAL, userAgent: 'Probe/1' });
		expect(result.contentType).toBeNull();
		expect(result.charset).toBeNull();
		expect(result.body.toString()).toBe('plain');
		expect(server.requests[0].headers['user-agent']).toBe('Probe/1');
	});

	it('reaches a host named in TEGAMI_FETCH_ALLOW_HOSTS', async () => {
		const server = await serve((_req, res) => res.end('ok'));
		process.env.TEGAMI_FETCH_ALLOW_HOSTS = ' example.invalid , 127.0.0.1 ';
		expect((await safeFetch(server.url())).body.toString()).toBe('ok');
	});

	it('reaches a server on [::1] when ::1 is allowed, in any IPv6 spelling', async () => {
		const server = await serve((_req, res) => res.end('six'), '::1');
		const result = await safeFetch(`http://[0:0:0:0:0:0:0:1]:${server.port}/`, { allowHosts: ['::1'] });
		expect(result.body.toString()).toBe('six');
	});
});

describe('conditional requests', () => {
	it('sends the ETag and Last-Modified back and reports a 304 as not modified', async () => {
		const etag = '"v1"';
		const modified = 'Wed, 21 Oct 2015 07:28:00 GMT';
		const server = await serve((req, res) => {
			if (req.headers['if-none-match'] === etag || req.headers['if-modified-since'] === modified) {
				res.writeHead(304, { ETag: etag });
				res.end();
				return;
			}
			res.writeHead(200, { ETag: etag, 'Last-Modified': modified, 'Content-Type': 'application/rss+xml' });
			res.end('<rss/>');
		});
		const first = await safeFetch(server.url('/feed'), LOCAL);
		expect(first.notModified).toBe(false);
		expect(first.etag).toBe(etag);
		expect(first.lastModified).toBe(modified);

		const second = await safeFetch(server.url('/feed'), { ...LOCAL, etag: first.etag, lastModified: first.lastModified });
		expect(server.requests[1].headers['if-none-match']).toBe(etag);
		expect(server.requests[1].headers['if-modified-since']).toBe(modified);
		expect({ status: second.status, notModified: second.notModified, etag: second.etag, lastModified: second.lastModified }).toEqual({
			status: 304,
			notModified: true,
			etag,
			lastModified: modified
		});
		expect(second.body.length).toBe(0);

		const byDate = await safeFetch(server.url('/feed'), { ...LOCAL, lastModified: modified });
		expect(byDate.notModified).toBe(true);
		expect(server.requests[2].headers['if-none-match']).toBeUndefined();
	});
});

describe('redirects', () => {
	// /hop/N redirects to /hop/N-1 (relative), /hop/0 answers.
	const chain: Handler = (req, res) => {
		const n = Number(/^\/hop\/(\d+)$/.exec(req.url ?? '')?.[1]);
		if (n > 0) {
			res.writeHead(n % 2 ? 302 : 301, { Location: `/hop/${n - 1}` });
			res.end('moved');
		} else {
			res.end('arrived');
		}
	};

	it('follows a chain within the limit and reports where it ended', async () => {
		const server = await serve(chain);
		const result = await safeFetch(server.url('/hop/5'), LOCAL);
		expect(result.body.toString()).toBe('arrived');
		expect(result.finalUrl).toBe(server.url('/hop/0'));
		expect(server.requests.map((r) => r.url)).toEqual(['/hop/5', '/hop/4', '/hop/3', '/hop/2', '/hop/1', '/hop/0']);
	});

	it('gives up on a chain beyond the limit without requesting the next hop', async () => {
		const server = await serve(chain);
		const err = await failure(safeFetch(server.url('/hop/6'), LOCAL));
		expect(err.code).toBe('too_many_redirects');
		expect(err.message).toBe(`Refused ${server.url('/hop/1')}: it redirected more than 5 times`);
		expect(server.requests).toHaveLength(6);

		const strict = await failure(safeFetch(server.url('/hop/2'), { ...LOCAL, maxRedirects: 1 }));
		expect(strict.code).toBe('too_many_redirects');
	});

	it('refuses a redirect to 127.0.0.1 when only the name localhost is allowed', async () => {
		const server = await serve((req, res) => {
			res.writeHead(302, { Location: `http://127.0.0.1:${server.port}/inside` });
			res.end();
		});
		const err = await failure(safeFetch(`http://localhost:${server.port}/start`, { allowHosts: ['localhost'] }));
		expect(err.code).toBe('private_address');
		expect(err.url).toBe(`http://127.0.0.1:${server.port}/inside`);
		expect(err.message).toBe(
			`Refused the redirect from http://localhost:${server.port}/start to http://127.0.0.1:${server.port}/inside: it resolves to a loopback address`
		);
		expect(server.requests.map((r) => r.url)).toEqual(['/start']);
	});

	it.each([
		['http://169.254.169.254/latest/meta-data/', 'private_address', 'link-local (cloud metadata)'],
		['http://[fd00:ec2::254]/latest', 'private_address', 'unique-local (cloud metadata)'],
		['http://[::ffff:10.0.0.1]/', 'private_address', 'private (IPv4-mapped)'],
		['http://0xa9fea9fe/', 'private_address', 'link-local (cloud metadata)'],
		['file:///etc/passwd', 'scheme', 'only http and https'],
		['gopher://127.0.0.1:70/', 'scheme', 'only http and https']
	])('refuses a redirect to %s', async (location, code, phrase) => {
		const server = await serve((_req, res) => {
			res.writeHead(301, { Location: location });
			res.end();
		});
		const err = await failure(safeFetch(server.url('/go'), LOCAL));
		expect(err.code).toBe(code);
		expect(err.message).toContain(`Refused the redirect from ${server.url('/go')} to `);
		expect(err.message).toContain(phrase);
		expect(server.requests).toHaveLength(1);
	});
});

describe('addresses refused before any connection', () => {
	it.each([
		['127.0.0.1', (p: number) => `http://127.0.0.1:${p}/`],
		['localhost', (p: number) => `http://localhost:${p}/`],
		['LOCALHOST. (trailing dot)', (p: number) => `http://LOCALHOST.:${p}/`],
		['a .localhost name', (p: number) => `http://app.localhost:${p}/`],
		['decimal 2130706433', (p: number) => `http://2130706433:${p}/`],
		['octal 0177.0.0.1', (p: number) => `http://0177.0.0.1:${p}/`],
		['hex 0x7f.1', (p: number) => `http://0x7f.1:${p}/`],
		['hex 0x7f000001', (p: number) => `http://0x7f000001:${p}/`],
		['short 127.1', (p: number) => `http://127.1:${p}/`],
		['0.0.0.0', (p: number) => `http://0.0.0.0:${p}/`],
		['0 (all zeros)', (p: number) => `http://0:${p}/`],
		['IPv4-mapped [::ffff:127.0.0.1]', (p: number) => `http://[::ffff:127.0.0.1]:${p}/`],
		['IPv4-mapped hex [::ffff:7f00:1]', (p: number) => `http://[::ffff:7f00:1]:${p}/`]
	])('refuses the loopback server as %s and never connects', async (_name, url) => {
		const server = await serve((_req, res) => res.end('leak'));
		const err = await failure(safeFetch(url(server.port)));
		expect(err.code).toBe('private_address');
		expect(err.message).toMatch(/^Refused http:\/\/.+: it resolves to (127\.0\.0\.1, )?an? (loopback|unspecified)/);
		expect(server.connections()).toBe(0);
	});

	it('refuses [::1] and never connects to the server listening there', async () => {
		const server = await serve((_req, res) => res.end('leak'), '::1');
		const err = await failure(safeFetch(server.url()));
		expect(err.code).toBe('private_address');
		expect(err.message).toBe(`Refused ${server.url()}: it resolves to a loopback address`);
		expect(server.connections()).toBe(0);
	});

	it.each([
		['http://10.0.0.1/', 'private'],
		['http://192.168.1.1/', 'private'],
		['http://172.16.0.1/', 'private'],
		['http://100.64.0.1/', 'carrier-grade NAT (shared)'],
		['http://169.254.169.254/latest', 'link-local (cloud metadata)'],
		['http://2852039166/latest', 'link-local (cloud metadata)'],
		['http://0251.0376.0251.0376/', 'link-local (cloud metadata)'],
		['http://0xa9.0xfe.0xa9.0xfe/', 'link-local (cloud metadata)'],
		['http://0xa9fea9fe/', 'link-local (cloud metadata)'],
		['http://[fe80::1]/', 'link-local'],
		['http://[fc00::1]/', 'unique-local'],
		['http://[fd00:ec2::254]/', 'unique-local (cloud metadata)'],
		['http://224.0.0.1/', 'multicast'],
		['http://[ff02::1]/', 'multicast'],
		['http://240.0.0.1/', 'reserved (including broadcast)']
	])('refuses %s as %s', async (url, label) => {
		const before = attempted.length;
		const err = await failure(safeFetch(url));
		expect(err.code).toBe('private_address');
		expect(err.message).toMatch(new RegExp(`: it resolves to an? ${label.replace(/[()]/g, '\\$&')} address$`));
		expect(attempted.length).toBe(before);
	});

	it('gives the example message for the metadata service', async () => {
		const err = await failure(safeFetch('http://169.254.169.254/latest'));
		expect(err.message).toBe('Refused http://169.254.169.254/latest: it resolves to a link-local (cloud metadata) address');
		expect(err.url).toBe('http://169.254.169.254/latest');
	});

	it('checks every address a name resolves to, not just the first', async () => {
		const err = await failure(
			safeFetch('http://mixed.test/', {
				resolve: async () => [
					{ address: '93.184.216.34', family: 4 },
					{ address: '::ffff:192.168.0.5', family: 6 }
				]
			})
		);
		expect(err.code).toBe('private_address');
		expect(err.message).toBe('Refused http://mixed.test/: it resolves to ::ffff:192.168.0.5, a private (IPv4-mapped) address');
		expect(attempted).not.toContain('mixed.test');
	});

	it('matches the allow-list on the host as written, not on what it resolves to', async () => {
		const server = await serve((_req, res) => res.end('leak'));
		const err = await failure(
			safeFetch(`http://rebind.test:${server.port}/`, {
				allowHosts: ['127.0.0.1'],
				resolve: async () => [{ address: '127.0.0.1', family: 4 }]
			})
		);
		expect(err.code).toBe('private_address');
		expect(server.connections()).toBe(0);
	});
});

describe('DNS', () => {
	it('reports a name that does not resolve', async () => {
		const err = await failure(safeFetch('http://no-such-host.invalid/feed.xml'));
		expect(err.code).toBe('dns');
		expect(err.message).toBe(
			'Could not fetch http://no-such-host.invalid/feed.xml: the host name no-such-host.invalid does not resolve (.invalid is reserved)'
		);
	});

	it('reports a resolver failure and an empty answer as dns errors', async () => {
		const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND gone.test'), { code: 'ENOTFOUND' });
		const err = await failure(safeFetch('http://gone.test/', { resolve: () => Promise.reject(notFound) }));
		expect(err.code).toBe('dns');
		expect(err.message).toBe('Could not fetch http://gone.test/: the host name gone.test does not resolve (ENOTFOUND)');
		const empty = await failure(safeFetch('http://empty.test/', { resolve: async () => [] }));
		expect(empty.code).toBe('dns');
	});

	it('connects to the address it checked and does not ask DNS again (no rebinding window)', async () => {
		const server = await serve((req, res) => res.end(`hello ${req.socket.remoteAddress}`));
		const answers = [[{ address: '127.0.0.1', family: 4 as const }]];
		let calls = 0;
		// A rebinding resolver: anything after the first answer points at ::1, where nothing listens.
		const resolve = async () => answers[calls++] ?? [{ address: '::1', family: 6 as const }];
		const result = await safeFetch(`http://pinned.test:${server.port}/`, { allowHosts: ['pinned.test'], resolve });
		expect(result.body.toString()).toBe('hello 127.0.0.1');
		expect(calls).toBe(1);
		expect(server.requests[0].headers.host).toBe(`pinned.test:${server.port}`);
	});
});

describe('URLs refused outright', () => {
	it.each(['file:///etc/passwd', 'ftp://127.0.0.1/feed', 'data:text/html,hi', 'javascript:alert(1)', 'gopher://127.0.0.1:70/_x', 'ws://127.0.0.1/'])(
		'refuses the scheme of %s',
		async (url) => {
			const err = await failure(safeFetch(url, LOCAL));
			expect(err.code).toBe('scheme');
			expect(err.message).toMatch(/^Refused .+: only http and https URLs are fetched, not \w+$/);
		}
	);

	it('refuses credentials in the URL without repeating the password', async () => {
		const server = await serve((_req, res) => res.end('leak'));
		const err = await failure(safeFetch(`http://user:hunter2@127.0.0.1:${server.port}/`, LOCAL));
		expect(err.code).toBe('bad_url');
		expect(err.message).toBe(`Refused http://***@127.0.0.1:${server.port}/: URLs carrying a user name or password are not fetched`);
		expect(err.message + err.url).not.toContain('hunter2');
		expect(server.connections()).toBe(0);
	});

	it('refuses what is not a URL', async () => {
		const err = await failure(safeFetch('not a url'));
		expect(err.code).toBe('bad_url');
		expect(err.message).toBe('Refused "not a url": it is not a valid absolute URL');
		expect((await failure(safeFetch('http://1.2.3.4.5/'))).code).toBe('bad_url');
	});
});

describe('size cap', () => {
	const CHUNK = Buffer.alloc(64 * 1024, 0x61);
	const TOTAL = 200 * 1000 * 1000;

	/** Streams TOTAL bytes, honouring backpressure, and counts what it managed to write. */
	function bigBody(withLength: boolean) {
		const state = { written: 0 };
		const handler: Handler = (_req, res) => {
			res.writeHead(200, withLength ? { 'Content-Length': String(TOTAL) } : {});
			const pump = () => {
				while (state.written < TOTAL && !res.destroyed) {
					state.written += CHUNK.length;
					if (!res.write(CHUNK)) return void res.once('drain', pump);
				}
				if (!res.destroyed) res.end();
			};
			res.on('error', () => {});
			pump();
		};
		return { state, handler };
	}

	it('refuses a 200 MB response that declares its length before reading it', async () => {
		const { state, handler } = bigBody(true);
		const server = await serve(handler);
		const { error, growth } = await rssGrowth(() => safeFetch(server.url('/huge'), LOCAL));
		const err = error as FetchError;
		expect(err.code).toBe('too_large');
		expect(err.message).toBe(`Refused ${server.url('/huge')}: it declares 190.7 MiB, more than the 10 MiB limit`);
		console.log(`[measure] 200 MB with Content-Length: RSS grew ${(growth / MiB).toFixed(1)} MiB, server wrote ${(state.written / MiB).toFixed(1)} MiB before the client hung up`);
		expect(growth).toBeLessThan(100 * MiB);
	});

	it('cuts a 200 MB streamed response at the cap without buffering it', async () => {
		const { state, handler } = bigBody(false);
		const server = await serve(handler);
		const { error, growth } = await rssGrowth(() => safeFetch(server.url('/stream'), LOCAL));
		const err = error as FetchError;
		expect(err).toBeInstanceOf(FetchError);
		expect(err.code).toBe('too_large');
		expect(err.message).toBe(`Refused ${server.url('/stream')}: the response is larger than the 10 MiB limit`);
		console.log(`[measure] 200 MB chunked: RSS grew ${(growth / MiB).toFixed(1)} MiB, server wrote ${(state.written / MiB).toFixed(1)} MiB before the client hung up`);
		expect(growth).toBeLessThan(100 * MiB);
		expect(state.written).toBeLessThan(TOTAL / 4);
	});

	it('applies maxBytes to a body exactly at and just over it', async () => {
		const server = await serve((req, res) => res.end(Buffer.alloc(req.url === '/at' ? 1000 : 1001)));
		expect((await safeFetch(server.url('/at'), { ...LOCAL, maxBytes: 1000 })).body.length).toBe(1000);
		expect((await failure(safeFetch(server.url('/over'), { ...LOCAL, maxBytes: 1000 }))).code).toBe('too_large');
	});
});

describe('compressed bodies', () => {
	const text = 'Tokyo — 経済部の記者が書いた記事。'.repeat(200);

	it.each([
		['gzip', zlib.gzipSync(text)],
		['x-gzip', zlib.gzipSync(text)],
		['deflate', zlib.deflateSync(text)],
		['deflate', zlib.deflateRawSync(text)],
		['br', zlib.brotliCompressSync(text)],
		['gzip, br', zlib.brotliCompressSync(zlib.gzipSync(text))],
		['identity', Buffer.from(text)]
	])('decodes Content-Encoding %s', async (encoding, body) => {
		const server = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Encoding': encoding, 'Content-Type': 'text/plain; charset=utf-8' });
			res.end(body);
		});
		const result = await safeFetch(server.url(), LOCAL);
		expect(result.body.toString('utf8')).toBe(text);
	});

	it('reports a corrupt or unsupported encoding', async () => {
		const server = await serve((req, res) => {
			const encoding = req.url === '/zstd' ? 'zstd' : 'gzip';
			res.writeHead(200, { 'Content-Encoding': encoding });
			res.end(req.url === '/truncated' ? zlib.gzipSync(text).subarray(0, 40) : 'this is not gzip');
		});
		const corrupt = await failure(safeFetch(server.url('/corrupt'), LOCAL));
		expect(corrupt.code).toBe('decompression');
		expect(corrupt.message).toBe(`Could not fetch ${server.url('/corrupt')}: its gzip-encoded body is corrupt (incorrect header check)`);
		const truncated = await failure(safeFetch(server.url('/truncated'), LOCAL));
		expect(truncated.code).toBe('decompression');
		expect(truncated.message).toContain('unexpected end of file');
		const zstd = await failure(safeFetch(server.url('/zstd'), LOCAL));
		expect(zstd.message).toBe(`Could not fetch ${server.url('/zstd')}: it is encoded with "zstd", which is not supported`);
	});

	describe('bombs', () => {
		const GiB = 1024 * MiB;
		const bombs: Record<string, Buffer> = {};

		async function compressZeros(bytes: number, stream: zlib.Gzip | zlib.BrotliCompress): Promise<Buffer> {
			const zero = Buffer.alloc(MiB);
			const out: Buffer[] = [];
			stream.on('data', (c: Buffer) => out.push(c));
			for (let i = 0; i < bytes / MiB; i++) if (!stream.write(zero)) await once(stream, 'drain');
			stream.end();
			await once(stream, 'end');
			return Buffer.concat(out);
		}

		beforeAll(async () => {
			const started = Date.now();
			bombs.gzip = await compressZeros(GiB, zlib.createGzip({ level: 9 }));
			// A gzip member is a 10-byte header, raw deflate, and an 8-byte trailer.
			bombs.deflate = bombs.gzip.subarray(10, -8);
			bombs.br = await compressZeros(GiB, zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }));
			console.log(
				`[measure] built 1 GiB-of-zeros bombs in ${Date.now() - started} ms: gzip ${bombs.gzip.length} bytes, br ${bombs.br.length} bytes`
			);
		}, 60_000);

		it.each(['gzip', 'deflate', 'br'])('refuses a %s bomb (1 GiB of zeros) at the decompressed cap', async (encoding) => {
			const bomb = bombs[encoding];
			let sent = 0;
			const server = await serve((_req, res) => {
				res.writeHead(200, { 'Content-Encoding': encoding, 'Content-Length': String(bomb.length) });
				res.on('error', () => {});
				// Streamed in small pieces, as a real server would.
				const pump = () => {
					while (sent < bomb.length && !res.destroyed) {
						const piece = bomb.subarray(sent, sent + 16 * 1024);
						sent += piece.length;
						if (!res.write(piece)) return void res.once('drain', pump);
					}
					if (!res.destroyed) res.end();
				};
				pump();
			});
			const started = Date.now();
			const { error, growth } = await rssGrowth(() => safeFetch(server.url('/bomb'), LOCAL));
			const elapsed = Date.now() - started;
			const err = error as FetchError;
			expect(err).toBeInstanceOf(FetchError);
			expect(['too_large', 'decompression']).toContain(err.code);
			expect(err.message).toBe(`Refused ${server.url('/bomb')}: its decompressed body is larger than the 10 MiB limit`);
			console.log(
				`[measure] ${encoding} bomb (${bomb.length} bytes → 1 GiB): refused after ${elapsed} ms, RSS grew ${(growth / MiB).toFixed(1)} MiB, server had sent ${sent} bytes`
			);
			expect(growth).toBeLessThan(100 * MiB);
		});
	});
});

describe('timeouts', () => {
	it('cuts a server that sends headers and then trickles forever', async () => {
		const timers: NodeJS.Timeout[] = [];
		const server = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'text/plain' });
			res.on('error', () => {});
			const timer = setInterval(() => res.write('.'), 20);
			timers.push(timer);
			res.on('close', () => clearInterval(timer));
		});
		const err = await failure(safeFetch(server.url('/slow'), { ...LOCAL, timeoutMs: 300 }));
		timers.forEach(clearInterval);
		expect(err.code).toBe('timeout');
		expect(err.message).toBe(`Gave up on ${server.url('/slow')}: no complete response within 0.3 s`);
	});

	it('cuts a server that accepts and never answers', async () => {
		const server = await serve(() => {});
		const err = await failure(safeFetch(server.url('/silent'), { ...LOCAL, timeoutMs: 200 }));
		expect(err.code).toBe('timeout');
		expect(server.connections()).toBe(1);
	});

	it('bounds a resolver that never answers by the total timeout', async () => {
		const err = await failure(
			safeFetch('http://hang.test/', { timeoutMs: 100, resolve: () => new Promise(() => {}) })
		);
		expect(err.code).toBe('timeout');
	});
});

describe('HTTP and network failures', () => {
	it.each([
		[404, 'Not Found'],
		[500, 'Internal Server Error'],
		[302, 'Found']
	])('reports status %i', async (status, text) => {
		const server = await serve((_req, res) => {
			res.writeHead(status);
			res.end('nope');
		});
		const err = await failure(safeFetch(server.url('/x'), LOCAL));
		expect(err.code).toBe('http_status');
		expect(err.message).toBe(`Could not fetch ${server.url('/x')}: the server answered ${status} ${text}`);
	});

	it('reports a refused connection', async () => {
		const server = await serve(() => {});
		const url = server.url('/gone');
		await servers.pop()!.close();
		const err = await failure(safeFetch(url, LOCAL));
		expect(err.code).toBe('network');
		expect(err.message).toBe(`Could not fetch ${url}: the connection was refused (ECONNREFUSED)`);
	});

	it('reports a body cut short', async () => {
		const server = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Length': '1000' });
			res.write('only a little');
			setTimeout(() => res.destroy(), 20);
		});
		const err = await failure(safeFetch(server.url('/short'), LOCAL));
		expect(err.code).toBe('network');
		expect(err.message).toMatch(new RegExp(`^Could not fetch ${server.url('/short')}: the connection`));
	});
});

describe('https', () => {
	it('speaks TLS to the pinned address with the URL host as SNI, and reports a certificate it cannot trust', async (ctx) => {
		const dir = mkdtempSync(join(tmpdir(), 'tegami-tls-'));
		try {
			try {
				// Made per run rather than committed, so no private key lives in the repository.
				const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2'];
				args.push('-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'));
				args.push('-subj', '/CN=pinned.test', '-addext', 'subjectAltName=DNS:pinned.test');
				execFileSync('openssl', args, { stdio: 'ignore' });
			} catch {
				ctx.skip('openssl is not installed, so no throwaway certificate can be made for this test');
			}
			const names: string[] = [];
			const server = https.createServer(
				{
					key: readFileSync(join(dir, 'key.pem')),
					cert: readFileSync(join(dir, 'cert.pem')),
					SNICallback: (name, callback) => {
						names.push(name);
						callback(null, undefined);
					}
				},
				(_req, res) => res.end('secret')
			);
			server.on('tlsClientError', () => {});
			server.listen(0, '127.0.0.1');
			await once(server, 'listening');
			const port = (server.address() as AddressInfo).port;
			try {
				const err = await failure(
					safeFetch(`https://pinned.test:${port}/`, {
						allowHosts: ['pinned.test'],
						resolve: async () => [{ address: '127.0.0.1', family: 4 }]
					})
				);
				expect(err.code).toBe('network');
				expect(err.message).toBe(
					`Could not fetch https://pinned.test:${port}/: its TLS certificate was not accepted (self-signed certificate)`
				);
				expect(names).toEqual(['pinned.test']);
			} finally {
				server.closeAllConnections();
				server.close();
			}
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('gives up on a TLS handshake that never starts at the connect timeout', async () => {
		const sockets: net.Socket[] = [];
		const server = net.createServer((socket) => sockets.push(socket));
		server.listen(0, '127.0.0.1');
		await once(server, 'listening');
		const port = (server.address() as AddressInfo).port;
		try {
			const err = await failure(safeFetch(`https://127.0.0.1:${port}/`, { ...LOCAL, connectTimeoutMs: 100, timeoutMs: 10_000 }));
			expect(err.code).toBe('timeout');
			expect(err.message).toBe(`Gave up on https://127.0.0.1:${port}/: could not connect within 0.1 s`);
			expect(sockets).toHaveLength(1);
		} finally {
			sockets.forEach((s) => s.destroy());
			server.close();
		}
	});
});

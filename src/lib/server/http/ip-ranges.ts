import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which addresses a fetch made on a user's behalf may never reach: anything that is not a public
 * unicast host on the internet. A feed URL is typed by a user (or sent by a redirect we do not
 * control), so without this a URL could make the server read its own admin ports, the LAN, or a
 * cloud metadata service that hands out credentials.
 */

/** Why an address is refused: a short English phrase that fits "it resolves to a … address". */
export interface BlockedRange {
	/** The range in CIDR notation, e.g. "10.0.0.0/8". */
	cidr: string;
	/** e.g. "private", "loopback", "link-local (cloud metadata)". */
	label: string;
}

interface Range4 {
	base: number;
	bits: number;
	label: string;
	cidr: string;
}

interface Range6 {
	base: bigint;
	bits: number;
	label: string;
	cidr: string;
}

// Most specific first: the first match names the range in the error message.
const V4_RANGES: Range4[] = [
	['169.254.169.254/32', 'link-local (cloud metadata)'],
	['192.0.0.192/32', 'reserved (cloud metadata)'],
	['0.0.0.0/8', 'unspecified ("this network")'],
	['10.0.0.0/8', 'private'],
	['100.64.0.0/10', 'carrier-grade NAT (shared)'],
	['127.0.0.0/8', 'loopback'],
	['169.254.0.0/16', 'link-local'],
	['172.16.0.0/12', 'private'],
	['192.0.0.0/24', 'reserved (IETF protocol assignments)'],
	['192.0.2.0/24', 'reserved (documentation)'],
	['192.88.99.0/24', 'reserved (6to4 relay anycast)'],
	['192.168.0.0/16', 'private'],
	['198.18.0.0/15', 'reserved (benchmarking)'],
	['198.51.100.0/24', 'reserved (documentation)'],
	['203.0.113.0/24', 'reserved (documentation)'],
	['224.0.0.0/4', 'multicast'],
	['240.0.0.0/4', 'reserved (including broadcast)']
].map(([cidr, label]) => {
	const [ip, bits] = cidr.split('/');
	return { base: parseIPv4(ip), bits: Number(bits), label, cidr };
});

const V6_RANGES: Range6[] = [
	['fd00:ec2::254/128', 'unique-local (cloud metadata)'],
	['::/128', 'unspecified'],
	['::1/128', 'loopback'],
	['64:ff9b:1::/48', 'reserved (local-use NAT64)'],
	['100::/64', 'reserved (discard-only)'],
	['2001::/23', 'reserved (IETF protocol assignments, including Teredo)'],
	['2001:db8::/32', 'reserved (documentation)'],
	['3fff::/20', 'reserved (documentation)'],
	['fc00::/7', 'unique-local'],
	['fe80::/10', 'link-local'],
	['fec0::/10', 'site-local (deprecated)'],
	['ff00::/8', 'multicast']
].map(([cidr, label]) => {
	const [ip, bits] = cidr.split('/');
	return { base: parseIPv6(ip), bits: Number(bits), label, cidr };
});

const MAPPED_V4 = parseIPv6('::ffff:0:0'); // ::ffff:0:0/96
const NAT64_WKP = parseIPv6('64:ff9b::'); // 64:ff9b::/96
const SIX_TO_FOUR = parseIPv6('2002::'); // 2002::/16
const GLOBAL_UNICAST = parseIPv6('2000::'); // 2000::/3

/**
 * Classify one IP address (v4 or v6, as Node's URL parser or resolver writes it): the refused
 * range it falls in, or null when it is a public unicast address that may be fetched.
 * Anything that is not a well-formed IP is refused as well, so a caller cannot slip past by
 * passing a host name where an address was expected.
 */
export function blockedRange(address: string): BlockedRange | null {
	const ip = stripBrackets(address);
	if (isIPv4(ip)) return blockedV4(parseIPv4(ip));
	if (isIPv6(ip)) return blockedV6(parseIPv6(ip));
	return { cidr: address, label: 'unparseable' };
}

/** Whether `address` is a public unicast address that a fetch may connect to. */
export function isPublicAddress(address: string): boolean {
	return blockedRange(address) === null;
}

function blockedV4(n: number): BlockedRange | null {
	for (const r of V4_RANGES) {
		if (inV4(n, r.base, r.bits)) return { cidr: r.cidr, label: r.label };
	}
	return null;
}

function blockedV6(n: bigint): BlockedRange | null {
	// Forms that carry an IPv4 address inside: the connection ends at that IPv4 host (directly,
	// through the kernel's dual stack, or through a NAT64/6to4 gateway), so judge the IPv4 one.
	if (inV6(n, MAPPED_V4, 96) || inV6(n, NAT64_WKP, 96)) return embedded(Number(n & 0xffffffffn), 'IPv4-mapped');
	if (inV6(n, SIX_TO_FOUR, 16)) return embedded(Number((n >> 80n) & 0xffffffffn), '6to4');
	for (const r of V6_RANGES) {
		if (inV6(n, r.base, r.bits)) return { cidr: r.cidr, label: r.label };
	}
	// ::/96 (IPv4-compatible, deprecated) and everything else outside 2000::/3 is unassigned or
	// reserved by IANA; no public web server lives there.
	if (!inV6(n, GLOBAL_UNICAST, 3)) return { cidr: '::/0 outside 2000::/3', label: 'reserved (not global unicast)' };
	return null;
}

function embedded(v4: number, how: string): BlockedRange | null {
	const inner = blockedV4(v4);
	return inner ? { cidr: inner.cidr, label: `${inner.label} (${how})` } : null;
}

function inV4(n: number, base: number, bits: number): boolean {
	if (bits === 0) return true;
	const mask = bits === 32 ? 0xffffffff : (~0 << (32 - bits)) >>> 0;
	return ((n & mask) >>> 0) === ((base & mask) >>> 0);
}

function inV6(n: bigint, base: bigint, bits: number): boolean {
	const shift = BigInt(128 - bits);
	return n >> shift === base >> shift;
}

function parseIPv4(ip: string): number {
	const parts = ip.split('.').map(Number);
	return (((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3]) >>> 0;
}

/** Parse a valid IPv6 address (checked by isIPv6 first) to a 128-bit integer. */
function parseIPv6(ip: string): bigint {
	let text = ip.split('%')[0].toLowerCase();
	// A trailing dotted IPv4 part ("::ffff:127.0.0.1") stands for the last two 16-bit groups.
	const lastColon = text.lastIndexOf(':');
	const tail = text.slice(lastColon + 1);
	if (tail.includes('.')) {
		const v4 = parseIPv4(tail);
		text = `${text.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
	}
	const [head, rest] = text.split('::');
	const headGroups = head ? head.split(':') : [];
	const restGroups = rest === undefined ? [] : rest ? rest.split(':') : [];
	const missing = 8 - headGroups.length - restGroups.length;
	const groups = rest === undefined ? headGroups : [...headGroups, ...Array(missing).fill('0'), ...restGroups];
	let n = 0n;
	for (const g of groups) n = (n << 16n) | BigInt(parseInt(g, 16));
	return n;
}

function stripBrackets(host: string): string {
	return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

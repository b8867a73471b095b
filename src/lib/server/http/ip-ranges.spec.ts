import { describe, expect, it } from 'vitest';
import { blockedRange, isPublicAddress } from './ip-ranges';

describe('blockedRange', () => {
	it.each([
		['0.0.0.0', 'unspecified ("this network")'],
		['0.1.2.3', 'unspecified ("this network")'],
		['10.0.0.1', 'private'],
		['10.255.255.255', 'private'],
		['100.64.0.1', 'carrier-grade NAT (shared)'],
		['100.127.255.255', 'carrier-grade NAT (shared)'],
		['127.0.0.1', 'loopback'],
		['127.255.0.9', 'loopback'],
		['169.254.169.254', 'link-local (cloud metadata)'],
		['169.254.1.1', 'link-local'],
		['172.16.0.1', 'private'],
		['172.31.255.255', 'private'],
		['192.0.0.192', 'reserved (cloud metadata)'],
		['192.0.2.10', 'reserved (documentation)'],
		['192.168.1.1', 'private'],
		['198.18.0.1', 'reserved (benchmarking)'],
		['224.0.0.251', 'multicast'],
		['239.255.255.250', 'multicast'],
		['240.0.0.1', 'reserved (including broadcast)'],
		['255.255.255.255', 'reserved (including broadcast)']
	])('refuses IPv4 %s as %s', (ip, label) => {
		expect(blockedRange(ip)?.label).toBe(label);
	});

	it.each([
		['::', 'unspecified'],
		['::1', 'loopback'],
		['0:0:0:0:0:0:0:1', 'loopback'],
		['[::1]', 'loopback'],
		['fe80::1', 'link-local'],
		['fe80::1%eth0', 'link-local'],
		['febf:ffff::1', 'link-local'],
		['fc00::1', 'unique-local'],
		['fd12:3456::1', 'unique-local'],
		['fd00:ec2::254', 'unique-local (cloud metadata)'],
		['ff02::1', 'multicast'],
		['fec0::1', 'site-local (deprecated)'],
		['2001:db8::1', 'reserved (documentation)'],
		['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'reserved (IETF protocol assignments, including Teredo)'],
		['100::1', 'reserved (discard-only)'],
		['64:ff9b:1::1', 'reserved (local-use NAT64)'],
		['::127.0.0.1', 'reserved (not global unicast)'],
		['4000::1', 'reserved (not global unicast)']
	])('refuses IPv6 %s as %s', (ip, label) => {
		expect(blockedRange(ip)?.label).toBe(label);
	});

	it.each([
		['::ffff:127.0.0.1', 'loopback (IPv4-mapped)'],
		['::ffff:7f00:1', 'loopback (IPv4-mapped)'],
		['::ffff:10.1.2.3', 'private (IPv4-mapped)'],
		['::ffff:a9fe:a9fe', 'link-local (cloud metadata) (IPv4-mapped)'],
		['0:0:0:0:0:ffff:192.168.0.1', 'private (IPv4-mapped)'],
		['64:ff9b::10.0.0.1', 'private (IPv4-mapped)'],
		['2002:c0a8:0101::1', 'private (6to4)'],
		['2002:7f00:0001::', 'loopback (6to4)']
	])('judges the IPv4 address inside %s: %s', (ip, label) => {
		expect(blockedRange(ip)?.label).toBe(label);
	});

	it('gives the CIDR of the range it matched', () => {
		expect(blockedRange('172.20.1.1')).toEqual({ cidr: '172.16.0.0/12', label: 'private' });
		expect(blockedRange('fd00:ec2::254')).toEqual({ cidr: 'fd00:ec2::254/128', label: 'unique-local (cloud metadata)' });
	});

	it.each([
		'8.8.8.8',
		'1.1.1.1',
		'93.184.216.34',
		'9.255.255.255',
		'11.0.0.0',
		'100.63.255.255',
		'100.128.0.0',
		'126.255.255.255',
		'128.0.0.0',
		'169.253.255.255',
		'169.255.0.0',
		'172.15.255.255',
		'172.32.0.0',
		'192.167.255.255',
		'192.169.0.0',
		'223.255.255.255',
		'2606:4700:4700::1111',
		'2001:4860:4860::8888',
		'2a00:1450:4001:82a::200e',
		'::ffff:8.8.8.8',
		'64:ff9b::808:808',
		'2002:0808:0808::1'
	])('lets the public address %s through', (ip) => {
		expect(blockedRange(ip)).toBeNull();
		expect(isPublicAddress(ip)).toBe(true);
	});

	it('refuses what is not an IP address at all rather than guessing', () => {
		expect(blockedRange('example.com')).toEqual({ cidr: 'example.com', label: 'unparseable' });
		expect(blockedRange('0x7f.1')?.label).toBe('unparseable');
		expect(blockedRange('2130706433')?.label).toBe('unparseable');
		expect(isPublicAddress('')).toBe(false);
	});
});

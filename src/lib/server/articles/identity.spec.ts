import { describe, expect, it } from 'vitest';
import { canonicalUrl, contentHash, dedupeKey, outletKey, titleKey } from './identity';

describe('canonicalUrl', () => {
	it('strips tracking parameters, fragments, credentials and scheme/www differences', () => {
		const a = canonicalUrl('https://www.Example.com/news/2026/11/story.html?utm_source=rss&utm_medium=feed&id=7#comments');
		const b = canonicalUrl('http://example.com/news/2026/11/story.html?id=7');
		expect(a).toBe('example.com/news/2026/11/story.html?id=7');
		expect(a).toBe(b);
		expect(canonicalUrl('https://example.com/a/?fbclid=xyz')).toBe('example.com/a');
		expect(canonicalUrl('https://user:pw@example.com/a')).toBe('example.com/a');
	});

	it('keeps parameters that name the article, in a stable order', () => {
		expect(canonicalUrl('https://ex.jp/article?b=2&a=1')).toBe(canonicalUrl('https://ex.jp/article?a=1&b=2'));
		expect(canonicalUrl('https://ex.jp/article?a=1')).not.toBe(canonicalUrl('https://ex.jp/article?a=2'));
	});

	it('returns null for what is not an http(s) URL', () => {
		for (const bad of [null, '', 'not a url', 'javascript:alert(1)', 'ftp://x/y', 'mailto:a@b.c']) {
			expect(canonicalUrl(bad)).toBeNull();
		}
	});

	it('handles Japanese paths', () => {
		expect(canonicalUrl('https://news.example.jp/記事/広報?utm_campaign=x')).toBe('news.example.jp/%E8%A8%98%E4%BA%8B/%E5%BA%83%E5%A0%B1');
	});
});

describe('titleKey and outletKey', () => {
	it('ignore width, case, spaces and punctuation', () => {
		expect(titleKey('新製品「ＡＢＣ」発表！')).toBe(titleKey('新製品 ABC 発表'));
		expect(titleKey('Oil prices RISE, again.')).toBe(titleKey('oil prices rise again'));
		expect(outletKey('The Guardian')).toBe(outletKey('guardian'));
		expect(outletKey('日本経済新聞')).toBe(outletKey('日本経済新聞 '));
	});
});

describe('dedupeKey', () => {
	it('uses the canonical URL when there is one', () => {
		expect(dedupeKey({ url: 'https://x.com/a?utm_source=t', title: 'A', outletKey: 'x', publishedAt: null })).toBe('u:x.com/a');
	});
	it('falls back to title + outlet + day for print articles', () => {
		const k = dedupeKey({ url: null, title: '地域の味を守る', outletKey: 'tokyopost', publishedAt: '2026-11-20T09:00:00.000Z' });
		expect(k).toBe('t:地域の味を守る|tokyopost|2026-11-20');
		expect(dedupeKey({ url: null, title: '地域の味を守る！', outletKey: 'tokyopost', publishedAt: '2026-11-20T23:00:00.000Z' })).toBe(k);
		expect(dedupeKey({ url: null, title: '地域の味を守る', outletKey: 'tokyopost', publishedAt: '2026-11-21T00:00:00.000Z' })).not.toBe(k);
	});
});

describe('contentHash', () => {
	it('changes when any part changes and not otherwise', () => {
		expect(contentHash(['a', 'b'])).toBe(contentHash(['a', 'b']));
		expect(contentHash(['a', 'b'])).not.toBe(contentHash(['ab', '']));
		expect(contentHash(['a', null])).not.toBe(contentHash(['a', '']));
	});
});

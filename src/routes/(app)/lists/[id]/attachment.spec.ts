import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './attachment';

describe('attachmentDisposition', () => {
	it('keeps an English name in both parameters', () => {
		expect(attachmentDisposition('Tech press Q3', 'media-list-4', 'csv')).toBe(`attachment; filename="Tech press Q3.csv"; filename*=UTF-8''Tech%20press%20Q3.csv`);
	});

	it('gives a Japanese name in filename* and an ASCII fallback in filename', () => {
		const value = attachmentDisposition('経済部 記者リスト', 'media-list-7', 'vcf');
		expect(value).toMatch(/^attachment; filename="media-list-7\.vcf"; filename\*=UTF-8''/);
		const encoded = value.split("UTF-8''")[1];
		expect(decodeURIComponent(encoded)).toBe('経済部 記者リスト.vcf');
		// The header value itself is ASCII: Node refuses anything else in a header.
		expect(value).toMatch(/^[\x20-\x7e]+$/);
	});

	it('keeps the ASCII words of a mixed name', () => {
		expect(attachmentDisposition('PR 2026 春', 'media-list-1', 'csv')).toMatch(/^attachment; filename="PR 2026\.csv"; /);
	});

	it('cannot be broken out of: quotes, separators, control characters and path parts are replaced', () => {
		const value = attachmentDisposition('a"; filename=evil.exe\r\n../..\\x', 'media-list-2', 'csv');
		expect(value).not.toMatch(/[\r\n]/);
		const plain = /filename="([^"]*)"/.exec(value)![1];
		expect(plain).not.toMatch(/[/\\"]/);
		expect(value.split("UTF-8''")[1]).not.toMatch(/['"();\s]/);
	});

	it('falls back when nothing of the name is left', () => {
		expect(attachmentDisposition('...', 'media-list-3', 'csv')).toBe(`attachment; filename="media-list-3.csv"; filename*=UTF-8''media-list-3.csv`);
	});
});

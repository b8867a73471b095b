import { describe, expect, it } from 'vitest';
import { Redactor } from './erasure';

describe('Redactor', () => {
	it('finds a Latin name in the forms it is written in, and only as whole words', () => {
		const r = new Redactor([{ kind: 'name', text: 'Jane  Doe' }]);
		expect(r.redact('By JANE DOE, Reuters')).toBe('By [erased], Reuters');
		expect(r.redact('Jane\nDoe said')).toBe('[erased] said');
		expect(r.redact('https://x.example/2024/jane-doe-interview')).toBe('https://x.example/2024/[erased]-interview');
		expect(r.redact('jane_doe, janedoe and jane.doe')).toBe('[erased], [erased] and [erased]');
		expect(r.redact('Doe, Jane (Reuters)')).toBe('[erased] (Reuters)');
		// Not a part of another word or name.
		expect(r.redact('Jane Doerr and MaryJane Doe')).toBe('Jane Doerr and MaryJane Doe');
		expect(r.matches('nothing here')).toBe(false);
	});

	it('matches accented names with and without their accents', () => {
		const r = new Redactor([{ kind: 'name', text: 'José Núñez' }]);
		expect(r.redact('JOSÉ NÚÑEZ and Jose Nunez')).toBe('[erased] and [erased]');
		// SQLite's LIKE folds ASCII only: the accented pattern comes in lower and upper case too.
		expect(r.likePatterns).toEqual(expect.arrayContaining(['%José%Núñez%', '%josé%núñez%', '%JOSÉ%NÚÑEZ%', '%Jose%Nunez%']));
	});

	it('finds a Japanese name with or without a space or middle dot, before an honorific', () => {
		const r = new Redactor([
			{ kind: 'name', text: '山田 太郎' },
			{ kind: 'name', text: 'やまだ たろう' }
		]);
		expect(r.redact('（山田太郎）')).toBe('（[erased]）');
		expect(r.redact('山田　太郎記者が書いた')).toBe('[erased]記者が書いた');
		expect(r.redact('山田・太郎さん、やまだたろう')).toBe('[erased]さん、[erased]');
		expect(r.redact('山田花子')).toBe('山田花子');
		expect(r.likePatterns).toContain('%山%田%太%郎%');
	});

	it('finds a phone number whatever separates its digits, and not inside a longer number', () => {
		const r = new Redactor([{ kind: 'phone', text: '+81 3-1234-5678' }]);
		expect(r.redact('call +81 (3) 1234 5678 today')).toBe('call [erased] today');
		expect(r.redact('tel 81312345678.')).toBe('tel [erased].');
		expect(r.redact('id 9813123456789')).toBe('id 9813123456789');
		expect(r.likePatterns).toEqual(expect.arrayContaining(['%81312345678%', '%81%3%1234%5678%']));
	});

	it('replaces an email whole rather than the name inside it, and escapes LIKE wildcards', () => {
		const r = new Redactor([
			{ kind: 'name', text: 'Jane Doe' },
			{ kind: 'email', text: 'Jane.Doe@Example.com' },
			{ kind: 'handle', text: 'jane_doe_99' },
			{ kind: 'address', text: '1-2-3 Ginza,  Chuo-ku' }
		]);
		expect(r.redact('write to jane.doe@example.com or @jane_doe_99')).toBe('write to [erased] or [erased]');
		expect(r.redact('at 1-2-3 Ginza, Chuo-ku, Tokyo')).toBe('at [erased], Tokyo');
		expect(r.likePatterns).toContain('%jane\\_doe\\_99%');
	});

	it('ignores strings too short to identify anyone', () => {
		const r = new Redactor([
			{ kind: 'name', text: 'Al' },
			{ kind: 'name', text: '林' },
			{ kind: 'phone', text: '110' },
			{ kind: 'handle', text: '@ab' }
		]);
		expect(r.empty).toBe(true);
		expect(r.redact('Al 林 110 @ab')).toBe('Al 林 110 @ab');
	});
});

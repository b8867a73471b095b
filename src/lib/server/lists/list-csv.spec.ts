import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../articles/candidate';
import { toCsv } from './csv-export';
import {
	LIST_CSV_MAX_BYTES,
	ListMappingError,
	checkListCsvSize,
	parseListCsv,
	suggestListMapping,
	type ContactRecord
} from './list-csv';

const utf8 = (s: string) => new TextEncoder().encode(s);
const withBom = (s: string) => utf8(`\uFEFF${s}`);
const sjis = (s: string) => new Uint8Array(iconv.encode(s, 'Shift_JIS'));

function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (e) {
		return e;
	}
	throw new Error('expected an error');
}

describe('suggestListMapping', () => {
	it('maps the English names of every field, in any case, width or spacing', () => {
		const headers = [
			'First Name', 'LAST NAME', 'Outlet', 'Job Title', 'Beat', 'Desk', 'E-mail', 'Telephone', 'Twitter handle',
			'City', 'Country', 'Postal address', 'Notes', 'Tier', 'Ｍｏｂｉｌｅ', 'x'
		];
		// A bare "x" column loses the handle to the better-named "Twitter handle".
		expect(suggestListMapping(headers)).toEqual({
			'First Name': 'firstName',
			'LAST NAME': 'lastName',
			Outlet: 'outlet',
			'Job Title': 'title',
			Beat: 'beat',
			Desk: 'desk',
			'E-mail': 'email',
			Telephone: 'phone',
			'Twitter handle': 'xHandle',
			City: 'city',
			Country: 'country',
			'Postal address': 'address',
			Notes: 'note',
			Tier: 'tier',
			'Ｍｏｂｉｌｅ': 'phone',
			x: null
		});
		const alternatives: [string, string][] = [
			['Full Name', 'fullName'], ['Name', 'fullName'], ['Publication', 'outlet'], ['Media', 'outlet'],
			['Title', 'title'], ['Position', 'title'], ['Topics', 'beat'], ['Section', 'desk'], ['Department', 'desk'],
			['Email', 'email'], ['Email Address', 'email'], ['e_mail', 'email'], ['Phone', 'phone'], ['Tel', 'phone'],
			['Mobile', 'phone'], ['Twitter', 'xHandle'], ['X handle', 'xHandle'], ['X', 'xHandle'], ['Address', 'address'],
			['full_name', 'fullName'], ['Ｅメール', 'email']
		];
		for (const [header, field] of alternatives) expect(suggestListMapping([header]), header).toEqual({ [header]: field });
	});

	it('maps the Japanese names, and does not take 媒体名 for the given name 名', () => {
		const headers = [
			'氏名', 'ふりがな', '媒体名', '部署', '役職', '担当分野', 'メールアドレス', '電話番号', '携帯', '住所', '都市', '国', '備考', 'ランク'
		];
		expect(suggestListMapping(headers)).toEqual({
			氏名: 'fullName',
			ふりがな: 'reading',
			媒体名: 'outlet',
			部署: 'desk',
			役職: 'title',
			担当分野: 'beat',
			メールアドレス: 'email',
			電話番号: 'phone',
			携帯: 'phone',
			住所: 'address',
			都市: 'city',
			国: 'country',
			備考: 'note',
			ランク: 'tier'
		});
		const alternatives: [string, string][] = [
			['名前', 'fullName'], ['姓', 'lastName'], ['名', 'firstName'], ['よみ', 'reading'], ['読み', 'reading'],
			['フリガナ', 'reading'], ['媒体', 'outlet'], ['担当', 'beat'], ['メール', 'email'], ['Eメール', 'email'],
			['電話', 'phone'], ['メモ', 'note'], ['ティア', 'tier'], ['記者メールアドレス', 'email'], ['セイ', 'lastReading'],
			['メイ', 'firstReading']
		];
		for (const [header, field] of alternatives) expect(suggestListMapping([header]), header).toEqual({ [header]: field });
	});

	it('reads Outlook and Google Contacts exports: numbered columns feed one field, their Type columns nothing', () => {
		expect(
			suggestListMapping(['Given Name', 'Family Name', 'E-mail 1 - Type', 'E-mail 1 - Value', 'E-mail 2 - Value', 'Organization 1 - Name', 'Phone 1 - Value'])
		).toEqual({
			'Given Name': 'firstName',
			'Family Name': 'lastName',
			'E-mail 1 - Type': null,
			'E-mail 1 - Value': 'email',
			'E-mail 2 - Value': 'email',
			'Organization 1 - Name': 'outlet',
			'Phone 1 - Value': 'phone'
		});
		expect(suggestListMapping(['E-mail Address', 'E-mail 2 Address', 'Company', 'Business Fax', 'Mobile Phone'])).toEqual({
			'E-mail Address': 'email',
			'E-mail 2 Address': 'email',
			Company: 'outlet',
			'Business Fax': 'phone',
			'Mobile Phone': 'phone'
		});
	});

	it('gives a single-valued field to the best-named column only, and leaves unknown columns unmapped', () => {
		expect(suggestListMapping(['Company', 'Outlet', 'Website', 'Name', 'Full name'])).toEqual({
			Company: null,
			Outlet: 'outlet',
			Website: null,
			Name: null,
			'Full name': 'fullName'
		});
	});
});

describe('parseListCsv: contacts', () => {
	it('reads an English list with a BOM: names in Latin order, several emails and phones per cell, labels, tiers, handles', () => {
		const csv = [
			'First Name,Last Name,Outlet,Job Title,Beat,Desk,Email,Phone,Mobile,Twitter,City,Country,Address,Notes,Tier',
			'Jane,Doe,The Daily Planet,Science Editor,"Space, climate",Science,"jane@planet.example; j.doe@planet.example",+1 (555) 123-4567,"+1 555 987 6543",https://twitter.com/janedoe,Metropolis,USA,"1 Planet Plaza\nMetropolis",Met at CES,a',
			'John,Smith,Wired,,Gadgets,,john@wired.example,,,@jsmith,,,,,Tier 2'
		].join('\r\n');
		const result = parseListCsv(withBom(csv));
		expect(result.encoding).toBe('utf-8-bom');
		expect(result.headers[0]).toBe('First Name');
		expect(result.problems).toEqual([]);
		expect(result.mapping).toEqual(result.suggested);
		expect(result.records).toEqual<ContactRecord[]>([
			{
				location: 'line 2',
				displayName: 'Jane Doe',
				firstName: 'Jane',
				lastName: 'Doe',
				outlet: 'The Daily Planet',
				title: 'Science Editor',
				beat: 'Space, climate',
				desk: 'Science',
				emails: ['jane@planet.example', 'j.doe@planet.example'],
				phones: ['+1 (555) 123-4567', '+1 555 987 6543'],
				labels: { '+1 555 987 6543': 'mobile' },
				xHandle: 'janedoe',
				city: 'Metropolis',
				country: 'USA',
				address: '1 Planet Plaza\nMetropolis',
				note: 'Met at CES',
				tier: 'A'
			},
			{
				// The address above holds a line break, so this row starts on line 4 of the file.
				location: 'line 4',
				displayName: 'John Smith',
				firstName: 'John',
				lastName: 'Smith',
				outlet: 'Wired',
				beat: 'Gadgets',
				emails: ['john@wired.example'],
				phones: [],
				xHandle: 'jsmith',
				tier: 'B'
			}
		]);
	});

	it('reads a Shift_JIS list from Japanese Excel: 姓 名 joined with a space, reading from two columns, full-width input made usable', () => {
		const csv = [
			'姓,名,セイ,メイ,媒体名,部署,役職,メールアドレス,電話番号,郵便番号,住所,ランク,備考',
			'森川,由紀,もりかわ,ゆき,日経新聞,経済部,記者,ｙｕｋｉ＠ｎｉｋｋｅｉ．ｅｘａｍｐｌｅ,０３ー１２３４ー５６７８,１００－０００４,東京都千代田区大手町1-3-7,Ａ,①新製品に関心',
			'髙橋,一郎,たかはし,いちろう,共同通信,社会部,デスク,takahashi@kyodo.example,03-5555-1111、090-1111-2222,,,３,'
		].join('\r\n');
		const bytes = sjis(csv);
		// Shift_JIS indeed: the bytes are not UTF-8.
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
		const result = parseListCsv(bytes);
		expect(result.encoding).toBe('shift_jis');
		expect(result.problems).toEqual([]);
		expect(result.records[0]).toEqual({
			location: 'line 2',
			displayName: '森川 由紀',
			lastName: '森川',
			firstName: '由紀',
			reading: 'もりかわ ゆき',
			outlet: '日経新聞',
			desk: '経済部',
			title: '記者',
			emails: ['yuki@nikkei.example'],
			phones: ['03-1234-5678'],
			address: '〒100-0004 東京都千代田区大手町1-3-7',
			tier: 'A',
			note: '①新製品に関心'
		});
		expect(result.records[1]).toMatchObject({
			displayName: '髙橋 一郎',
			reading: 'たかはし いちろう',
			phones: ['03-5555-1111', '090-1111-2222'],
			tier: 'C'
		});
	});

	it('reads UTF-16 with a BOM, as Excel saves "Unicode text", tab-separated', () => {
		const text = '\uFEFF氏名\t媒体\tメール\r\n森川 由紀\t日経新聞\tyuki@nikkei.example\r\n';
		const bytes = new Uint8Array(Buffer.from(text, 'utf16le'));
		const result = parseListCsv(bytes);
		expect(result.encoding).toBe('utf-16le');
		expect(result.records).toEqual([
			{ location: 'line 2', displayName: '森川 由紀', outlet: '日経新聞', emails: ['yuki@nikkei.example'], phones: [] }
		]);
	});

	it('joins Korean names without a space and keeps a one-part name as it is', () => {
		const result = parseListCsv(utf8('Last Name,First Name\n김,민준\nMadonna,\n,Cher\n'));
		expect(result.records.map((r) => r.displayName)).toEqual(['김민준', 'Madonna', 'Cher']);
	});

	it('prefers the full name column and turns an ideographic space into an ordinary one', () => {
		const result = parseListCsv(utf8('氏名,姓,名\n森川　由紀,森川,由紀\n,田中,花子\n'));
		expect(result.records.map((r) => r.displayName)).toEqual(['森川 由紀', '田中 花子']);
	});

	it('takes an address "Name <email>", mailto: and emails separated by newlines, commas or spaces, without repeating one', () => {
		const csv = 'Name,Email\nJane,"Jane Doe <jane@planet.example>,\nmailto:JANE@planet.example\njd@planet.example other@planet.example"\n';
		expect(parseListCsv(utf8(csv)).records[0].emails).toEqual(['jane@planet.example', 'jd@planet.example', 'other@planet.example']);
	});

	it('labels emails and phones by the column they came from', () => {
		const csv = 'Name,Work Email,Personal Email,FAX,自宅電話,携帯電話\nJane,a@work.example,b@home.example,03-1111-2222,03-3333-4444,090-5555-6666\n';
		expect(parseListCsv(utf8(csv)).records[0].labels).toEqual({
			'a@work.example': 'work',
			'b@home.example': 'home',
			'03-1111-2222': 'fax',
			'03-3333-4444': 'home',
			'090-5555-6666': 'mobile'
		});
	});

	it('folds region and postal code columns into the address in the order of the address language', () => {
		const csv = 'Name,Address,State,Postcode\nA,東京都千代田区大手町1-3-7,,100-0004\nB,千代田区大手町1-3-7,東京都,\nC,1 Main St,CA,94105\n';
		expect(parseListCsv(utf8(csv)).records.map((r) => r.address)).toEqual([
			'〒100-0004 東京都千代田区大手町1-3-7',
			'東京都千代田区大手町1-3-7',
			'1 Main St\nCA 94105'
		]);
	});

	it('keeps notes from several columns, each named', () => {
		const csv = 'Name,Notes,Comments\nJane,Likes data,"Call before 10\r\nnever Fridays"\nJohn,,Only this\n';
		const records = parseListCsv(utf8(csv)).records;
		expect(records[0].note).toBe('Notes: Likes data\n\nComments: Call before 10\nnever Fridays');
		expect(records[1].note).toBe('Comments: Only this');
	});

	it('reads tiers written as letters, numbers, Tier N, Nランク and full width', () => {
		const csv = 'Name,Tier\n' + ['a', 'Ａ', 'Tier 2', 'rank-3', 'Aランク', 'ティアB', '1'].map((t, i) => `P${i},${t}`).join('\n');
		expect(parseListCsv(utf8(csv)).records.map((r) => r.tier)).toEqual(['A', 'A', 'B', 'C', 'A', 'B', 'A']);
	});
});

describe('parseListCsv: problems', () => {
	it('reports a bad email with its line and column, and keeps the row without it', () => {
		const csv = 'Name,Email,Email 2\nJane,jane@planet,ok@planet.example\nJohn,"john@x.example; not an email",\n';
		const result = parseListCsv(utf8(csv));
		expect(result.records.map((r) => [r.displayName, r.emails])).toEqual([
			['Jane', ['ok@planet.example']],
			['John', ['john@x.example']]
		]);
		expect(result.problems).toEqual([
			{ location: 'line 2', reason: 'imported, but Email "jane@planet" is not an email address, so it was left out' },
			{ location: 'line 3', reason: 'imported, but Email "not an email" is not an email address, so it was left out' }
		]);
	});

	it('reports unreadable tiers, handles and phones, and keeps the row without them', () => {
		const result = parseListCsv(utf8('Name,Tier,Twitter,Phone\nJane,Z,not a handle!,12\n'));
		expect(result.records).toEqual([{ location: 'line 2', displayName: 'Jane', emails: [], phones: [] }]);
		expect(result.problems).toHaveLength(1);
		expect(result.problems[0].location).toBe('line 2');
		expect(result.problems[0].reason).toContain('Phone "12" is not a phone number');
		expect(result.problems[0].reason).toContain('Twitter "not a handle!" is not an X (Twitter) handle');
		expect(result.problems[0].reason).toContain('Tier "Z" is not a tier');
	});

	it('skips a row without any name, with a problem naming its line', () => {
		const result = parseListCsv(utf8('Name,Email\nJane,jane@planet.example\n,orphan@planet.example\n'));
		expect(result.records.map((r) => r.displayName)).toEqual(['Jane']);
		expect(result.problems).toEqual([{ location: 'line 3', reason: 'skipped: the name is empty' }]);
		const split = parseListCsv(utf8('姓,名,メール\n,,orphan@planet.example\n森川,由紀,\n'));
		expect(split.problems).toEqual([{ location: 'line 2', reason: 'skipped: the family and given names are empty' }]);
	});

	it('reports wrong column counts and unbalanced quotes by line, and reads the rows around them', () => {
		const csv = [
			'Name,Outlet,Email',
			'Jane,Planet,jane@planet.example',
			'John,Wired',
			'Ann,"Unclosed,ann@x.example',
			'Bob,"BBC ""News""",bob@bbc.example',
			'Eve,Times,eve@times.example,extra'
		].join('\n');
		const result = parseListCsv(utf8(csv));
		expect(result.records.map((r) => [r.location, r.displayName, r.outlet])).toEqual([
			['line 2', 'Jane', 'Planet'],
			['line 5', 'Bob', 'BBC "News"']
		]);
		expect(result.problems).toEqual([
			{ location: 'line 3', reason: '2 fields, the header has 3' },
			{ location: 'line 4', reason: 'unbalanced quote (the field that starts here never closes)' },
			{ location: 'line 6', reason: '4 fields, the header has 3' }
		]);
	});

	it('flags the second row with an email already seen (any case), keeps it, and names the first row', () => {
		const csv = [
			'Name,Email',
			'Jane Doe,jane@planet.example',
			'John,john@wired.example',
			'J. Doe,"other@planet.example; JANE@Planet.example"',
			'Jane again,jane@planet.example'
		].join('\n');
		const result = parseListCsv(utf8(csv));
		expect(result.records.map((r) => [r.location, r.duplicateOf])).toEqual([
			['line 2', undefined],
			['line 3', undefined],
			['line 4', 'line 2'],
			['line 5', 'line 2']
		]);
		expect(result.problems).toEqual([
			{ location: 'line 4', reason: 'imported, but same email as line 2 (JANE@Planet.example)' },
			{ location: 'line 5', reason: 'imported, but same email as line 2 (jane@planet.example)' }
		]);
	});

	it('keeps a formula in a name as plain text, and the CSV export neutralises it', () => {
		const csv = 'Name,Email\n"=HYPERLINK(""http://x"",""y"")",evil@x.example\n';
		const [record] = parseListCsv(utf8(csv)).records;
		expect(record.displayName).toBe('=HYPERLINK("http://x","y")');
		const exported = toCsv(['Name', 'Email'], [[record.displayName, record.emails[0]]]);
		expect(exported).toBe('\uFEFFName,Email\r\n"\'=HYPERLINK(""http://x"",""y"")",evil@x.example\r\n');
		// Importing the export again gives the same name back: the neutralising quote is undone.
		expect(parseListCsv(utf8(exported)).records[0].displayName).toBe('=HYPERLINK("http://x","y")');
	});
});

describe('parseListCsv: mappings', () => {
	it('uses a mapping a person chose, column by column; unmentioned or empty-string columns are not imported', () => {
		const csv = 'Contact,Org,Mail,Extra\nJane Doe,Planet,jane@planet.example,x\n';
		const mapping = { Contact: 'fullName', Org: 'outlet', Mail: 'email', Extra: '' } as never;
		const result = parseListCsv(utf8(csv), { mapping });
		expect(result.mapping).toEqual({ Contact: 'fullName', Org: 'outlet', Mail: 'email', Extra: null });
		expect(result.suggested.Contact).toBe('fullName');
		expect(result.records).toEqual([
			{ location: 'line 2', displayName: 'Jane Doe', outlet: 'Planet', emails: ['jane@planet.example'], phones: [] }
		]);
	});

	it('refuses a mapping naming a column the file lacks or a field that does not exist, with what a form needs', () => {
		const csv = utf8('Who,Org\nJane,Planet\n');
		const error = thrown(() => parseListCsv(csv, { mapping: { Who: 'fullName', Outlet: 'outlet', Org: 'company' as never } }));
		expect(error).toBeInstanceOf(ListMappingError);
		expect(error).toBeInstanceOf(SourceError);
		const e = error as ListMappingError;
		expect(e.errors).toEqual(['there is no column "Outlet" in this file', '"company" (for the column "Org") is not a contact field']);
		expect(e.headers).toEqual(['Who', 'Org']);
	});

	it('asks for a mapping when no column holds a name', () => {
		const error = thrown(() => parseListCsv(utf8('Org,Mail\nPlanet,jane@planet.example\n')));
		expect(error).toBeInstanceOf(ListMappingError);
		expect((error as Error).message).toBe(
			'no column holds the contact\'s name (the columns are "Org", "Mail"); choose which column holds the name, or the family and given names'
		);
		expect((error as ListMappingError).suggested).toEqual({ Org: null, Mail: 'email' });
		expect(() => parseListCsv(utf8('Name,Org\nJane,Planet\n'), { mapping: { Org: 'outlet' } })).toThrow(ListMappingError);
	});
});

describe('parseListCsv: whole-file errors', () => {
	it('refuses empty, binary, vCard, JSON and HTML files with a message naming the problem', () => {
		const cases: [Uint8Array, RegExp][] = [
			[utf8(''), /the file is empty/],
			[utf8('\uFEFF  \r\n\r\n'), /the file is empty/],
			[new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]), /ZIP archive \(an Excel \.xlsx workbook\?\)/],
			[utf8('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Jane\r\nEND:VCARD\r\n'), /vCard/],
			[utf8('[{"name":"Jane"}]'), /JSON/],
			[utf8('<!DOCTYPE html><html><body>list</body></html>'), /HTML/],
			[new Uint8Array([0x4e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0xfd, 0x80]), /neither UTF-8 nor Shift_JIS/]
		];
		for (const [bytes, message] of cases) {
			const error = thrown(() => parseListCsv(bytes));
			expect(error, String(message)).toBeInstanceOf(SourceError);
			expect((error as Error).message).toMatch(message);
		}
	});

	it('refuses a file whose first line is a contact rather than column names', () => {
		expect(() => parseListCsv(utf8('Jane Doe,Planet,jane@planet.example\nJohn,Wired,john@wired.example\n'))).toThrow(
			new SourceError('the file has no header row: its first line holds data ("jane@planet.example"), not column names such as Name, Outlet, Email')
		);
	});

	it('refuses a header row with nothing under it, even after blank lines', () => {
		expect(() => parseListCsv(utf8('\n\nName,Email\n\n'))).toThrow(new SourceError('the file has a header row but no contacts under it'));
		// Rows that are all broken are problems, not an empty file.
		expect(parseListCsv(utf8('Name,Email\n"Jane\n')).problems).toHaveLength(1);
	});

	it('refuses files over 10 MB before reading them, saying how big they are', () => {
		expect(() => checkListCsvSize(Math.round(52.4 * 1024 * 1024))).toThrow(
			new SourceError('The file is 52.4 MB; media lists are limited to 10 MB.')
		);
		expect(() => checkListCsvSize(LIST_CSV_MAX_BYTES)).not.toThrow();
		expect(() => checkListCsvSize(LIST_CSV_MAX_BYTES + 1)).toThrow('The file is 10.1 MB; media lists are limited to 10 MB.');
		expect(() => parseListCsv(new Uint8Array(LIST_CSV_MAX_BYTES + 1))).toThrow(SourceError);
	});

	it('reads a 10 MB list of 50,000 contacts', () => {
		const rows = ['Name,Outlet,Email,Phone'];
		let size = rows[0].length;
		for (let i = 0; size < LIST_CSV_MAX_BYTES - 300; i++) {
			const row = `Reporter ${i} with a rather long name padding the row out,Outlet ${i % 300} of the world,reporter${i}@outlet${i % 300}.example,+81 3-${String(i).padStart(4, '0')}-0000`;
			size += row.length + 1;
			if (size >= LIST_CSV_MAX_BYTES - 300) break;
			rows.push(row);
		}
		const bytes = utf8(rows.join('\n'));
		expect(bytes.byteLength).toBeLessThanOrEqual(LIST_CSV_MAX_BYTES);
		const result = parseListCsv(bytes);
		expect(result.records).toHaveLength(rows.length - 1);
		expect(result.records.length).toBeGreaterThan(50_000);
		expect(result.problems).toEqual([]);
	});
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { normaliseByline } from '../articles/byline';
import {
	buildQuickFindIndex,
	closestSubstring,
	invalidateQuickFind,
	normaliseForFind,
	queryForFind,
	quickFind,
	QUICK_FIND_MAX_AGE_MS,
	searchQuickFindIndex,
	type QuickFindProvider,
	type QuickFindRecord
} from './quickfind';
import { createTopic, deleteTopic, updateTopic } from '../topics/topics.service';

const ITEM_KEYS = ['href', 'id', 'kind', 'label', 'reading', 'sublabel'];

let database: Database;
const ids = { whitfield: 0, morikawa: 0, tokyoPost: 0, ledger: 0, noOutlet: 0 };

beforeAll(async () => {
	database = await openDatabase('sqlite::memory:');
	await migrateToLatest(database.db);
	const db = database.db;
	const now = new Date().toISOString();
	const outlet = async (name: string, extra: Record<string, string>) =>
		(
			await db
				.insertInto('outlets')
				.values({ name, name_key: name.toLowerCase(), created_at: now, updated_at: now, ...extra })
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
	// Contact details that must never reach the finder.
	ids.tokyoPost = await outlet('東京ポスト新聞', { desk_phone: '03-0000-1234（経済部）', website: 'https://tokyo-post.example', address: '東京都千代田区1-1' });
	ids.ledger = await outlet('Harbor City Ledger', { desk_phone: '+1 555 0100', website: 'https://ledger.example' });
	await outlet('暮らしと台所', {});
	const reporter = async (display_name: string, outlet_id: number | null, reading: string | null, romanized: string | null) =>
		(
			await db
				.insertInto('reporters')
				.values({ display_name, name_key: display_name, reading, romanized, outlet_id, created_via: 'manual', created_at: now, updated_at: now })
				.returning('id')
				.executeTakeFirstOrThrow()
		).id;
	ids.whitfield = await reporter('Dana Whitfield', ids.ledger, null, null);
	ids.morikawa = await reporter('森川 由紀', ids.tokyoPost, 'もりかわ ゆき', 'Yuki Morikawa');
	await reporter('White Fielding', null, null, null);
	await reporter('森田 健', ids.tokyoPost, 'もりた けん', null);
	ids.noOutlet = await reporter('Chaitanya Kalbag', null, null, null);
});

afterAll(async () => {
	await database?.close();
});

describe('normaliseForFind', () => {
	it('folds width, case, Latin accents and katakana, keeping kana voicing', () => {
		expect(normaliseForFind('ＷＨＩＴＦＩＥＬＤ')).toBe('whitfield');
		expect(normaliseForFind('André  Mindermann')).toBe('andre mindermann');
		expect(normaliseForFind('モリカワ')).toBe('もりかわ');
		expect(normaliseForFind('ｶﾞｯｺｳ')).toBe('がっこう');
		expect(normaliseForFind('モーガン・エリス')).toBe('もーがん えりす');
		expect(normaliseForFind('東京ポスト新聞')).toBe('東京ぽすと新聞');
	});

	it('turns extended-search operators into plain words', () => {
		expect(queryForFind('!whitfield')).toBe('whitfield');
		expect(queryForFind('="dana" | ^white$')).toBe('dana white');
		expect(queryForFind(' | " ')).toBe('');
	});
});

describe('closestSubstring', () => {
	const d = (word: string, text: string) => closestSubstring(Array.from(word), Array.from(text));
	it('counts a swapped pair as one typo and lets the match start and end anywhere', () => {
		expect(d('whitfeild', 'dana whitfield')).toEqual({ edits: 1, atWordStart: true });
		expect(d('field', 'dana whitfield')).toEqual({ edits: 0, atWordStart: false });
		expect(d('ぽすと', '東京ぽすと新聞').edits).toBe(0);
		expect(d('choen', 'norma cohen')).toEqual({ edits: 1, atWordStart: true });
		expect(d('𠮷田', '𠮷田 太郎')).toEqual({ edits: 0, atWordStart: true });
		expect(d('abc', '')).toEqual({ edits: 3, atWordStart: true });
	});
});

describe('quickFind on the database', () => {
	it('forgives a transposed letter in an English name', async () => {
		const items = await quickFind(database.db, 'whitfeild');
		expect(items[0]).toEqual({
			kind: 'reporter',
			id: ids.whitfield,
			label: 'Dana Whitfield',
			sublabel: 'Harbor City Ledger',
			href: `/reporters/${ids.whitfield}`
		});
		// Full-width and upper case typed with an IME find the same reporter.
		expect((await quickFind(database.db, 'ＷＨＩＴＦＩＥＬＤ'))[0]?.id).toBe(ids.whitfield);
		// Word order does not matter.
		expect((await quickFind(database.db, 'whitfield dana'))[0]?.id).toBe(ids.whitfield);
	});

	it('finds a Japanese name by its reading, in hiragana or katakana, and with or without the space', async () => {
		for (const q of ['もりかわ', 'モリカワ', 'もりかわゆき', '森川由紀', '森川']) {
			const items = await quickFind(database.db, q);
			expect(items[0], q).toMatchObject({ kind: 'reporter', id: ids.morikawa, label: '森川 由紀', reading: 'もりかわ ゆき' });
		}
	});

	it('finds a reporter by the romanized name without sending it', async () => {
		const items = await quickFind(database.db, 'morikawa');
		expect(items[0]?.id).toBe(ids.morikawa);
		expect(Object.keys(items[0]!).sort()).toEqual(ITEM_KEYS);
		expect(JSON.stringify(items)).not.toContain('Morikawa');
	});

	it('finds an outlet by part of its name, ahead of its reporters', async () => {
		const items = await quickFind(database.db, '東京ポスト');
		expect(items[0]).toEqual({ kind: 'outlet', id: ids.tokyoPost, label: '東京ポスト新聞', href: `/outlets/${ids.tokyoPost}` });
		// Its reporters come too, through their outlet.
		expect(items.filter((i) => i.kind === 'reporter').map((i) => i.label).sort()).toEqual(['森川 由紀', '森田 健']);
		expect((await quickFind(database.db, 'harbour ledger'))[0]).toMatchObject({ kind: 'outlet', id: ids.ledger });
	});

	it('lets the words of a query match different fields', async () => {
		const items = await quickFind(database.db, '森川 東京ポスト');
		expect(items.map((i) => i.label)).toEqual(['森川 由紀']);
		expect((await quickFind(database.db, 'dana ledger'))[0]?.id).toBe(ids.whitfield);
	});

	it('returns nothing for unrelated text and for a blank query', async () => {
		expect(await quickFind(database.db, 'zqxjv')).toEqual([]);
		expect(await quickFind(database.db, '   ')).toEqual([]);
		expect(await quickFind(database.db, 'おおさか')).toEqual([]);
	});

	it('returns at most `limit` items', async () => {
		expect((await quickFind(database.db, 'w', { limit: 1 })).length).toBe(1);
		expect((await quickFind(database.db, 'w', { limit: 0 })).length).toBe(1);
	});

	it('sends exactly the item fields: no contact details, ids of other tables or extra keys', async () => {
		const all = [
			...(await quickFind(database.db, '東京ポスト', { limit: 100 })),
			...(await quickFind(database.db, 'ledger', { limit: 100 })),
			...(await quickFind(database.db, 'chaitanya', { limit: 100 }))
		];
		expect(all.length).toBeGreaterThanOrEqual(5);
		for (const item of all) {
			const keys = Object.keys(JSON.parse(JSON.stringify(item)) as object);
			expect(keys.every((k) => ITEM_KEYS.includes(k)), keys.join(',')).toBe(true);
			for (const k of ['kind', 'id', 'label', 'href']) expect(keys).toContain(k);
		}
		const text = JSON.stringify(all);
		for (const secret of ['03-0000', '555', 'example', '千代田', 'outlet_id', 'romanized', 'alsoMatches', 'created']) {
			expect(text).not.toContain(secret);
		}
		// Absent optional fields are left out, not sent as null.
		const kalbag = all.find((i) => i.id === ids.noOutlet && i.kind === 'reporter')!;
		expect(Object.keys(kalbag).sort()).toEqual(['href', 'id', 'kind', 'label']);
	});

	it('finds topics by name or reading, and knows at once of a new, renamed or deleted topic', async () => {
		const db = database.db;
		// Built and cached before the topic exists: creating it must not wait for the cache to age.
		expect(await quickFind(db, 'semiconductor')).toEqual([]);
		const chips = await createTopic(db, null, { name: 'Semiconductor supply', nameReading: null, description: 'chips', rule: null });
		const ja = await createTopic(db, null, { name: '半導体', nameReading: 'はんどうたい', description: null, rule: null });
		expect((await quickFind(db, 'semicondutor'))[0]).toEqual({ kind: 'topic', id: chips, label: 'Semiconductor supply', href: `/topics/${chips}` });
		expect((await quickFind(db, 'ハンドウタイ'))[0]).toMatchObject({ kind: 'topic', id: ja, label: '半導体' });
		await updateTopic(db, chips, { name: 'Chip supply', nameReading: null, description: null, rule: null });
		expect((await quickFind(db, 'chip supply'))[0]).toMatchObject({ kind: 'topic', id: chips, label: 'Chip supply' });
		await deleteTopic(db, ja);
		expect((await quickFind(db, 'はんどうたい')).filter((i) => i.kind === 'topic')).toEqual([]);
		await deleteTopic(db, chips);
	});

	it('strips whatever else a provider returns', async () => {
		const leaky: QuickFindProvider = {
			kind: 'topic',
			load: async () => [
				{ kind: 'topic', id: 7, label: 'Kitchenware', href: '/topics/7', notes: 'secret note', email: 'x@y.test' } as QuickFindRecord
			]
		};
		const items = await quickFind(database.db, 'kitchenwear', { providers: [leaky] });
		expect(items).toEqual([{ kind: 'topic', id: 7, label: 'Kitchenware', href: '/topics/7' }]);
	});
});

describe('the cached index', () => {
	function countingProvider(): { provider: QuickFindProvider; loads: () => number } {
		let n = 0;
		const provider: QuickFindProvider = {
			kind: 'campaign',
			load: async () => {
				n += 1;
				return [{ kind: 'campaign', id: 1, label: `Spring launch ${n}`, href: '/campaigns/1' }];
			}
		};
		return { provider, loads: () => n };
	}

	it('is built once per database for a while, then again; invalidation forces a rebuild', async () => {
		const { provider, loads } = countingProvider();
		const providers = [provider];
		const t0 = 1_000_000;
		await Promise.all([
			quickFind(database.db, 'spring', { providers, now: t0 }),
			quickFind(database.db, 'launch', { providers, now: t0 })
		]);
		expect(loads()).toBe(1);
		expect((await quickFind(database.db, 'sprng', { providers, now: t0 + QUICK_FIND_MAX_AGE_MS - 1 }))[0]?.label).toBe('Spring launch 1');
		expect(loads()).toBe(1);
		expect((await quickFind(database.db, 'spring', { providers, now: t0 + QUICK_FIND_MAX_AGE_MS }))[0]?.label).toBe('Spring launch 2');
		expect(loads()).toBe(2);
		invalidateQuickFind(database.db);
		await quickFind(database.db, 'spring', { providers, now: t0 + QUICK_FIND_MAX_AGE_MS });
		expect(loads()).toBe(3);
		// A blank query does not touch the database.
		await quickFind(database.db, ' ', { providers, now: t0 + 10 * QUICK_FIND_MAX_AGE_MS });
		expect(loads()).toBe(3);
	});

	it('does not keep a failed build: the error reaches the caller and the next call tries again', async () => {
		let fail = true;
		const providers: QuickFindProvider[] = [
			{
				kind: 'topic',
				load: async () => {
					if (fail) throw new Error('no such table: topics');
					return [{ kind: 'topic', id: 3, label: 'Energy', href: '/topics/3' }];
				}
			}
		];
		await expect(quickFind(database.db, 'energy', { providers, now: 5 })).rejects.toThrow('no such table: topics');
		fail = false;
		expect(await quickFind(database.db, 'energy', { providers, now: 6 })).toEqual([{ kind: 'topic', id: 3, label: 'Energy', href: '/topics/3' }]);
	});
});

// Real names from real bylines: every Reuters byline in ../shared/data, read by the app's byline parser.
const CORPUS = join(__dirname, '../../../../../shared/data/corpora/reuters21578.jsonl');
const haveCorpus = existsSync(CORPUS);

describe.skipIf(!haveCorpus)(`real bylines${haveCorpus ? '' : ' (skipped: ../shared/data/corpora/reuters21578.jsonl is missing)'}`, () => {
	/** A typical typo: two neighbouring letters of the surname swapped. */
	function misspell(name: string): string | null {
		const words = name.split(' ');
		const last = words[words.length - 1]!;
		if (last.length < 5) return null;
		const i = Math.floor(last.length / 2);
		if (last[i - 1] === last[i]) return null;
		words[words.length - 1] = last.slice(0, i - 1) + last[i] + last[i - 1] + last.slice(i + 1);
		return words.join(' ');
	}

	it('finds real reporters from a misspelt surname', () => {
		const names = new Set<string>();
		for (const line of readFileSync(CORPUS, 'utf8').split('\n')) {
			if (!line) continue;
			const byline = (JSON.parse(line) as { byline: string | null }).byline;
			for (const p of normaliseByline(byline).people) if (p.script === 'latin') names.add(p.name);
		}
		const records: QuickFindRecord[] = [...names].map((name, i) => ({ kind: 'reporter', id: i + 1, label: name, sublabel: 'Reuters', href: `/reporters/${i + 1}` }));
		expect(records.length).toBeGreaterThan(200);

		const started = performance.now();
		const index = buildQuickFindIndex(records);
		const built = performance.now();
		let tried = 0;
		let top1 = 0;
		let top3 = 0;
		const misses: string[] = [];
		for (const record of records) {
			const typo = misspell(record.label);
			if (!typo) continue;
			tried += 1;
			const surnameTypo = typo.split(' ').at(-1)!;
			const found = searchQuickFindIndex(index, surnameTypo, 3).map((i) => i.id);
			if (found[0] === record.id) top1 += 1;
			if (found.includes(record.id)) top3 += 1;
			else misses.push(`${record.label} ← ${surnameTypo}`);
		}
		const done = performance.now();
		console.log(
			`quickfind real bylines: ${records.length} names, index ${(built - started).toFixed(1)} ms; ${tried} misspelt surnames, ` +
				`top-1 ${top1}, top-3 ${top3}, ${((done - built) / tried).toFixed(2)} ms a query; misses: ${misses.slice(0, 5).join('; ')}`
		);
		expect(tried).toBeGreaterThan(150);
		// Same-surname colleagues share the top places, so top-3 is the measure; nearly all must be there.
		expect(top3 / tried).toBeGreaterThanOrEqual(0.98);
		expect(top1 / tried).toBeGreaterThanOrEqual(0.9);
	});
});

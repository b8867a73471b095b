/**
 * The benchmark's article set: N articles made deterministically from the real corpora in
 * ../shared/data/corpora (never stored anywhere but the throwaway benchmark database).
 *
 * How a set is built (stated in the report too):
 * - 80% English, 20% Japanese. English sources are Reuters-21578 and BBC News (20,620 articles),
 *   Japanese the livedoor news corpus (5,035). Every source body is split into sentences.
 * - Article i takes a base article of its language (chosen by a PRNG seeded with i), keeps its
 *   title, and gets a body of the base's sentences with about a third replaced by sentences from
 *   two other articles of the same language, all shuffled: every copy differs, while every word,
 *   its frequency and its context stay real text.
 * - 300 outlets (240 English, 60 Japanese) with Zipf-like sizes; 20,000 reporters (16,000 English,
 *   4,000 Japanese), each on one outlet's staff with Zipf-like output; 10% of articles are unsigned and
 *   5% have two bylines. English bylines read "By First Last", Japanese ones "文：姓名".
 * - Publication times uniform over the 10 years before 2026-11-01, in random order (an archive
 *   import, the hard case for anything that assumes ids follow dates).
 * - A unique URL per article, so the import's duplicate check never merges two copies.
 * Nothing is held for the whole set: candidates are made batch by batch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArticleCandidate } from '../src/lib/server/articles/candidate';

export interface SourceDoc {
	title: string;
	sentences: string[];
}

export interface Corpora {
	en: SourceDoc[];
	ja: SourceDoc[];
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same set on every machine. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function splitEnglish(body: string): string[] {
	return body
		.replace(/\s*\n\s*\n\s*/g, '\n')
		.replace(/[ \t]*\n[ \t]+/g, '\n')
		.split(/(?<=[.!?]["')]?)\s+(?=[A-Z"(])|\n/)
		.map((s) => s.replace(/\s+/g, ' ').trim())
		.filter((s) => s.length > 1);
}

function splitJapanese(body: string): string[] {
	return body
		.split(/(?<=[。！？])|\n+/)
		.map((s) => s.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''))
		.filter((s) => s.length > 1);
}

/** Reads the corpora once and splits every body into sentences. */
export function loadCorpora(dataDir: string): Corpora {
	const read = (file: string) =>
		readFileSync(join(dataDir, 'corpora', file), 'utf8')
			.split('\n')
			.filter((l) => l.trim())
			.map((l) => JSON.parse(l) as { title: string; body: string | null });
	const en: SourceDoc[] = [];
	for (const file of ['reuters21578.jsonl', 'bbc.jsonl']) {
		for (const r of read(file)) {
			const sentences = splitEnglish(r.body ?? '');
			if (r.title && sentences.length) en.push({ title: r.title, sentences });
		}
	}
	const ja: SourceDoc[] = [];
	for (const r of read('livedoor.jsonl')) {
		const sentences = splitJapanese(r.body ?? '');
		if (r.title && sentences.length) ja.push({ title: r.title, sentences });
	}
	return { en, ja };
}

const EN_PLACES = ['Northport', 'Riverside', 'Eastbay', 'Westfield', 'Lakeshore', 'Hillcrest', 'Bayview', 'Stonebridge', 'Fairhaven', 'Oakdale', 'Kingsford', 'Ashford', 'Millbrook', 'Clearwater', 'Greystone', 'Redcliff', 'Highmoor', 'Southgate', 'Brightwater', 'Elmstead'];
const EN_NOUNS = ['Times', 'Herald', 'Ledger', 'Courier', 'Post', 'Tribune', 'Gazette', 'Chronicle', 'Observer', 'Review', 'Dispatch', 'Journal'];
const JA_PREFIXES = ['東都', '北海', '中央', '関西', '九州', '東北', '湘南', '信濃', '瀬戸内', '房総'];
const JA_SUFFIXES = ['新聞', '日報', '経済新聞', 'タイムズ', 'ウェブ', 'ジャーナル'];
const EN_FIRST = ['James', 'Mary', 'John', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'William', 'Elizabeth', 'David', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Daniel', 'Nancy', 'Matthew', 'Lisa', 'Anthony', 'Betty', 'Mark', 'Margaret', 'Donald', 'Sandra', 'Steven', 'Ashley', 'Paul', 'Kimberly', 'Andrew', 'Emily', 'Joshua', 'Donna', 'Kenneth', 'Michelle', 'Kevin', 'Dorothy', 'Brian', 'Carol', 'George', 'Amanda', 'Edward', 'Melissa', 'Ronald', 'Deborah', 'Timothy', 'Stephanie', 'Jason', 'Rebecca', 'Jeffrey', 'Laura', 'Ryan', 'Sharon', 'Jacob', 'Cynthia', 'Gary', 'Kathleen', 'Nicholas', 'Amy', 'Eric', 'Shirley', 'Jonathan', 'Angela', 'Stephen', 'Helen', 'Larry', 'Anna', 'Justin', 'Brenda', 'Scott', 'Pamela', 'Brandon', 'Nicole', 'Benjamin', 'Samantha'];
const EN_LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes', 'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper', 'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson', 'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes', 'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', 'Jimenez', 'Powell', 'Jenkins', 'Perry', 'Russell', 'Sullivan', 'Bell', 'Coleman', 'Butler', 'Henderson', 'Barnes', 'Gonzales', 'Fisher', 'Vasquez', 'Simmons', 'Romero', 'Jordan', 'Patterson', 'Alexander', 'Hamilton', 'Graham', 'Reynolds', 'Griffin', 'Wallace', 'Moreno', 'West', 'Cole', 'Hayes', 'Bryant', 'Herrera', 'Gibson', 'Ellis', 'Tran', 'Medina', 'Aguilar', 'Stevens', 'Murray', 'Ford', 'Castro', 'Marshall', 'Owens', 'Harrison', 'Fernandez', 'McDonald', 'Woods', 'Washington', 'Kennedy', 'Wells', 'Vargas', 'Henry', 'Chen', 'Freeman', 'Webb', 'Tucker', 'Guzman', 'Burns', 'Crawford', 'Olson', 'Simpson', 'Porter', 'Hunter', 'Gordon', 'Mendez', 'Silva', 'Shaw', 'Snyder', 'Mason', 'Dixon', 'Munoz', 'Hunt', 'Hicks', 'Holmes', 'Palmer', 'Wagner', 'Black', 'Robertson', 'Boyd', 'Rose', 'Stone', 'Salazar', 'Fox', 'Warren', 'Mills', 'Meyer', 'Rice', 'Schmidt', 'Garza', 'Daniels', 'Ferguson', 'Nichols', 'Stephens', 'Soto', 'Weaver', 'Ryan', 'Gardner', 'Payne', 'Grant', 'Dunn'];
const JA_FAMILY = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田', '佐々木', '山口', '松本', '井上', '木村', '林', '斎藤', '清水', '山崎', '森', '池田', '橋本', '阿部', '石川', '山下', '中島', '石井', '小川', '前田', '岡田', '長谷川', '藤田', '後藤', '近藤', '村上', '遠藤', '青木', '坂本', '斉藤', '福田', '太田', '西村', '藤井', '金子', '岡本', '藤原', '中野', '三浦', '原田', '中川', '松田', '竹内', '小野', '田村', '中山', '和田', '石田', '森田', '上田', '原', '内田', '柴田', '酒井', '宮崎', '横山', '高木', '安藤', '宮本', '大野', '小島', '谷口', '今井', '工藤', '高田', '増田', '丸山', '杉山', '村田'];
const JA_GIVEN = ['太郎', '一郎', '健太', '翔太', '大輔', '拓也', '直樹', '誠', '浩', '剛', '学', '聡', '亮', '修', '徹', '隆', '豊', '勝', '実', '稔', '花子', '陽子', '恵子', '京子', '洋子', '幸子', '美穂', '真由美', '愛', '優子', '智子', '裕子', '由美', '直美', '久美子', '明美', '千尋', '彩', '舞', '葵', '結衣', '美咲', '七海', '陽菜', 'さくら', 'あかり', 'ひかり', 'みなみ', '麻衣', '瞳', '香織', '綾', '恵', '純', '薫', '翼', '蓮', '悠真', '陸', '颯太'];

export interface SetShape {
	outlets: { name: string; lang: 'en' | 'ja' }[];
	/** Reporter i's name and outlet index. */
	reporters: { name: string; outlet: number; lang: 'en' | 'ja' }[];
	/** Per outlet, the indexes of its reporters. */
	staff: number[][];
}

/** The 300 outlets and 20,000 reporters of every benchmark set. */
export function setShape(): SetShape {
	const outlets: SetShape['outlets'] = [];
	for (let i = 0; i < 240; i++) {
		const place = EN_PLACES[i % EN_PLACES.length];
		const noun = EN_NOUNS[Math.floor(i / EN_PLACES.length) % EN_NOUNS.length];
		outlets.push({ name: `The ${place} ${noun}`, lang: 'en' });
	}
	for (let i = 0; i < 60; i++) {
		outlets.push({ name: `${JA_PREFIXES[i % JA_PREFIXES.length]}${JA_SUFFIXES[Math.floor(i / JA_PREFIXES.length) % JA_SUFFIXES.length]}`, lang: 'ja' });
	}
	const reporters: SetShape['reporters'] = [];
	const staff: number[][] = outlets.map(() => []);
	// Distinct names: first × last (80 × 200) and family × given (80 × 60) are walked with a stride
	// coprime to their size, so neighbours do not share a surname.
	const enNames = EN_FIRST.length * EN_LAST.length;
	for (let i = 0; i < 16_000; i++) {
		const k = (i * 7919) % enNames;
		const outlet = i % 240;
		reporters.push({ name: `${EN_FIRST[k % EN_FIRST.length]} ${EN_LAST[Math.floor(k / EN_FIRST.length)]}`, outlet, lang: 'en' });
		staff[outlet].push(reporters.length - 1);
	}
	const jaNames = JA_FAMILY.length * JA_GIVEN.length;
	for (let i = 0; i < 4_000; i++) {
		const k = (i * 1009) % jaNames;
		const outlet = 240 + (i % 60);
		reporters.push({ name: `${JA_FAMILY[k % JA_FAMILY.length]}${JA_GIVEN[Math.floor(k / JA_FAMILY.length)]}`, outlet, lang: 'ja' });
		staff[outlet].push(reporters.length - 1);
	}
	return { outlets, reporters, staff };
}

/** A Zipf-like pick of 0..n-1 (index 0 most often). */
function zipf(r: number, n: number): number {
	// Inverse of a continuous 1/x law over [1, n+1): cheap and skewed like real outlet sizes.
	return Math.min(n - 1, Math.floor(Math.exp(r * Math.log(n + 1)) - 1));
}

const SET_END = Date.UTC(2026, 10, 1);
const TEN_YEARS_MS = 10 * 365.25 * 24 * 3600 * 1000;

function shuffle<T>(a: T[], rand: () => number): T[] {
	for (let i = a.length - 1; i > 0; i--) {
		const j = Math.floor(rand() * (i + 1));
		[a[i], a[j]] = [a[j], a[i]];
	}
	return a;
}

export type DateOrder = 'chronological' | 'random';

/**
 * Article i of a set of n (the same i always gives the same article). Dates run from ten years ago
 * to 2026-11-01 either in order (article i at i/n of the way, ± a day: how feeds and date-sorted
 * exports arrive) or in random order (an unsorted archive, the worst case for every date index).
 */
export function makeArticle(i: number, corpora: Corpora, shape: SetShape, n = 1, order: DateOrder = 'random'): ArticleCandidate {
	const rand = prng(0x5eed ^ Math.imul(i + 1, 0x9e3779b1));
	const lang: 'en' | 'ja' = rand() < 0.8 ? 'en' : 'ja';
	const docs = corpora[lang];
	const base = docs[Math.floor(rand() * docs.length)];
	const donors = [docs[Math.floor(rand() * docs.length)], docs[Math.floor(rand() * docs.length)]];
	const sentences = base.sentences.map((s) => {
		if (rand() >= 0.33) return s;
		const d = donors[rand() < 0.5 ? 0 : 1];
		return d.sentences[Math.floor(rand() * d.sentences.length)];
	});
	shuffle(sentences, rand);
	const paragraphs: string[] = [];
	for (let k = 0; k < sentences.length; k += 3) paragraphs.push(sentences.slice(k, k + 3).join(lang === 'en' ? ' ' : ''));
	const outlet = lang === 'en' ? zipf(rand(), 240) : 240 + zipf(rand(), 60);
	const staff = shape.staff[outlet];
	const who = rand();
	let bylineRaw: string | null = null;
	if (who >= 0.1) {
		const names = [shape.reporters[staff[zipf(rand(), staff.length)]].name];
		if (who >= 0.95) {
			const second = shape.reporters[staff[zipf(rand(), staff.length)]].name;
			if (second !== names[0]) names.push(second);
		}
		bylineRaw = lang === 'en' ? `By ${names.join(' and ')}` : `文：${names.join('、')}`;
	}
	const at = order === 'random' ? rand() : Math.min(1, Math.max(0, 1 - (i + 0.5) / n + (rand() - 0.5) * (2 * 86_400_000) / TEN_YEARS_MS));
	const published = new Date(SET_END - Math.floor(at * TEN_YEARS_MS));
	return {
		location: `article ${i + 1}`,
		url: `https://news${outlet}.example.com/${published.getUTCFullYear()}/${i + 1}`,
		guid: null,
		title: base.title,
		body: paragraphs.join('\n\n'),
		excerpt: null,
		publishedAt: published.toISOString(),
		lang,
		outletName: shape.outlets[outlet].name,
		section: null,
		bylineRaw,
		categories: []
	};
}

/** The set's articles in batches, made on demand. */
export function* articleBatches(corpora: Corpora, shape: SetShape, count: number, batchSize: number, order: DateOrder = 'random'): Generator<ArticleCandidate[]> {
	for (let i = 0; i < count; i += batchSize) {
		const batch: ArticleCandidate[] = [];
		for (let k = i; k < Math.min(count, i + batchSize); k++) batch.push(makeArticle(k, corpora, shape, count, order));
		yield batch;
	}
}

/** How a set of n articles is made, for the benchmark report. */
export function SET_DESCRIPTION(n: number): string {
	return `${n} articles made deterministically from the real corpora (bench-corpus.ts): 80% English (Reuters-21578 and BBC News bodies), 20% Japanese (livedoor news); each takes a random base article's title and its sentences with about a third replaced by sentences of two other articles of the same language, shuffled; 300 outlets (240 English, 60 Japanese, Zipf-like sizes); 20,000 reporters on outlet staffs with Zipf-like output, bylines "By First Last" / "文：姓名", 10% unsigned, 5% two bylines; publication times uniform over the 10 years before 2026-11-01 in random order; unique URLs. Imported with importArticles in calls of 10,000 (batches of 500), generated on the fly`;
}

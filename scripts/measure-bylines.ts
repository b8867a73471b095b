/**
 * Measures the byline normaliser on the postlight page fixtures: for every page whose expected
 * `author` names at least one person, the people keys that normaliseByline() returns are compared
 * with a gold list of names typed by hand after reading each raw author string.
 *
 *   npx tsx scripts/measure-bylines.ts
 *
 * Prints JSON: micro precision and recall over those pages, the misses and false positives, and (apart
 * from the measure) any person found on pages whose author names nobody (a band, a desk, a brand).
 * This measures normalisation only: the input is the fixture's expected author string, not the page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractArticle } from '../src/lib/server/articles/extract';
import { normaliseByline, personKey } from '../src/lib/server/articles/byline';

/**
 * Gold people per page, by the page's position in expected.json (pages with no author are left
 * out). An empty list means the author names no person: an organisation, a desk, a brand, a band,
 * a handle or bare initials. Illustrators and translators are not counted: the normaliser drops
 * them by design. Typed by hand; this list is test data the project owns.
 */
const GOLD: Record<number, string[]> = {
	0: ['Josh Haskell', 'David Caplan', 'Patrick Reevell'],
	1: [
		'Havell Markus',
		'Jun Zhao',
		'Tania Contente-Cuomo',
		'Elizabeth Raupach',
		'Ahuva Odenheimer-Bergman',
		'Sydney Connor',
		'Bradon R. McDonald',
		'Elizabeth Hutchins',
		'Marissa McGilvery',
		'Michelina C. de la Maza',
		'Kendall Van Keuren-Jensen',
		'Patrick Pirrotte',
		'Ajay Goel',
		'Carlos Becerra',
		'Daniel D. Von Hoff',
		'Scott A. Celinski',
		'Pooja Hingorani',
		'Muhammed Murtaza'
	],
	2: ['お米ゴハン'],
	3: [],
	5: ['Jochen Bittner', 'Tina Hildebrandt'],
	6: ['John Patrick Pullen'],
	7: [],
	9: ['Cindy Mangomini'],
	10: ['松村太郎'],
	12: ['Nicole Gallucci'],
	13: ["Tim O'Reilly"],
	14: ['Alex Shephard'],
	15: ['後藤大地'],
	16: ['Gabriel Sherman'],
	18: ['Kori Schulman'],
	19: ['André Mindermann'],
	20: ['EvilSpark'],
	22: ['Gina Trapani'],
	23: ['Paul'],
	24: ['高木浩光'],
	25: ['Bushrod Washington'],
	26: ['Saibal Dasgupta'],
	27: ['Andrew Husband'],
	28: ['Arielle Pardes'],
	29: ['Mike Cason'],
	30: ['Daniel Bader'],
	31: [],
	32: ['Andrea Wong'],
	33: ['Margaret Talev'],
	34: ['Teresa Newsome'],
	35: ['Ikran Dahir'],
	36: ['Matt Snyder'],
	38: ['Marguerite Reardon'],
	39: ['Kathy Wise'],
	40: ['Jon Fingas'],
	41: ['Zach Hanlon'],
	42: ['Dario Durando'],
	44: ['Diogo Carleto'],
	45: ['Paul Wiseman', 'Fatima Hussein'],
	46: ['田中宏昌'],
	47: ['Stewart Perrie'],
	48: ['Howard Blume'],
	49: ['島津健吾'],
	50: ['Bethany Braun-Silva'],
	51: [],
	53: ['Steve Benen'],
	54: ['Alyssa Newcomb'],
	56: ['Alex Hutchinson'],
	57: ['Meg Wagner'],
	59: ['Lauren Briggs'],
	61: ['Michael Stratford'],
	62: ['Steven Shepard'],
	63: ['Duncan Bell'],
	64: ['谢若含'],
	65: [],
	69: [],
	70: ['Howard Schneider', 'Lindsay Dunsmuir'],
	72: ['Austin Murphy'],
	73: ['Christie Wilcox'],
	74: ['Julia Carrie Wong', 'Sam Levin'],
	75: [],
	76: ['T. C. Sottek'],
	77: ['Melissa Allison'],
	78: ['Aja Romano'],
	79: ['Jack Davis'],
	80: [],
	81: []
};

interface Page {
	fixture: string;
	author?: string | null;
}

interface Score {
	measure: string;
	pagesMeasured: number;
	pagesExact: number;
	goldPeople: number;
	predictedPeople: number;
	truePositives: number;
	precision: number;
	recall: number;
	f1: number;
	misses: Array<{ page: number; name: string }>;
	falsePositives: Array<{ page: number; name: string }>;
	peopleOnPagesWithoutPeople: Array<{ page: number; name: string }>;
	elapsedMs: number;
}

/** Precision and recall of `predict` (page → people) against the gold names. */
function score(measure: string, pages: Page[], predict: (page: Page) => { key: string; name: string }[]): Score {
	let truePositives = 0;
	let predicted = 0;
	let goldCount = 0;
	let pagesMeasured = 0;
	let pagesExact = 0;
	const misses: Score['misses'] = [];
	const falsePositives: Score['falsePositives'] = [];
	const outsideMeasure: Score['peopleOnPagesWithoutPeople'] = [];
	const started = performance.now();
	for (const [i, gold] of Object.entries(GOLD)) {
		const page = Number(i);
		const people = predict(pages[page]);
		const foundKeys = new Map(people.map((p) => [p.key, p.name]));
		if (gold.length === 0) {
			for (const p of people) outsideMeasure.push({ page, name: p.name });
			continue;
		}
		pagesMeasured++;
		const goldKeys = new Map(gold.map((n) => [personKey(n), n]));
		goldCount += goldKeys.size;
		predicted += foundKeys.size;
		let exact = foundKeys.size === goldKeys.size;
		for (const [key, name] of goldKeys) {
			if (foundKeys.has(key)) truePositives++;
			else {
				misses.push({ page, name });
				exact = false;
			}
		}
		for (const [key, name] of foundKeys) if (!goldKeys.has(key)) falsePositives.push({ page, name });
		if (exact) pagesExact++;
	}
	const round = (x: number) => Math.round(x * 10_000) / 10_000;
	const precision = predicted ? truePositives / predicted : 0;
	const recall = goldCount ? truePositives / goldCount : 0;
	return {
		measure,
		pagesMeasured,
		pagesExact,
		goldPeople: goldCount,
		predictedPeople: predicted,
		truePositives,
		precision: round(precision),
		recall: round(recall),
		f1: round(precision + recall ? (2 * precision * recall) / (precision + recall) : 0),
		misses,
		falsePositives,
		peopleOnPagesWithoutPeople: outsideMeasure,
		elapsedMs: Math.round((performance.now() - started) * 10) / 10
	};
}

/**
 * Both measures: the normaliser alone (expected.json's author string → people) and end to end
 * (the page's HTML → extractArticle → normaliseByline → people), which is what an import does.
 */
export function measureBylines(dataDir: string): { normalisation: Score; endToEnd: Score } {
	const dir = join(dataDir, 'fixtures/postlight-pages');
	const pages = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Page[];
	const problems: string[] = [];
	for (const i of Object.keys(GOLD)) {
		const page = pages[Number(i)];
		if (!page || !page.author) problems.push(`gold entry ${i} has no author in expected.json: the gold list is out of step`);
	}
	pages.forEach((p, i) => {
		if (p.author && !(i in GOLD)) problems.push(`page ${i} has an author but no gold entry`);
	});
	if (problems.length) throw new Error(problems.join('\n'));
	const normalisation = score('postlight-pages expected.author → people (normalisation only)', pages, (p) => normaliseByline(p.author).people);
	const endToEnd = score('postlight-pages page HTML → extraction → people (end to end)', pages, (p) => {
		const html = readFileSync(join(dir, p.fixture), 'utf8');
		try {
			const a = extractArticle(html);
			return normaliseByline(a.bylineRaw, { lang: a.lang, siteName: a.siteName }).people;
		} catch {
			return [];
		}
	});
	return { normalisation, endToEnd };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const dataDir = fileURLToPath(new URL('../../shared/data', import.meta.url));
	if (!existsSync(join(dataDir, 'fixtures/postlight-pages/expected.json'))) {
		console.error(`measure-bylines: ${dataDir} not found; the real test data lives in ../shared/data beside the repo.`);
		process.exitCode = 2;
	} else {
		console.log(JSON.stringify(measureBylines(dataDir), null, 2));
	}
}

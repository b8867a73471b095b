/**
 * The demo workspace's content. Everything here is invented: the agency, the companies and the
 * people. Never copy real data (such as the corpora under data/) into the demo; it ships with the
 * app and their licences do not allow that.
 *
 * Later sections (outlets, reporters, articles, topics, campaigns, letters, coverage) add their own
 * constants here and refer to clients by `key`.
 */
import type { Locale, Role } from '../../roles';

export const DEMO_DEFAULT_PASSWORD = 'demo-password';

export const DEMO_AGENCY = {
	name: 'Tegami Demo PR'
} as const;

export interface DemoClient {
	/** Stable handle for other demo sections; never shown. */
	key: string;
	name: string;
	nameReading: string;
}

export const DEMO_CLIENTS: readonly DemoClient[] = [
	{
		key: 'kitchen',
		name: '雲ノ糸キッチン道具 Kumonoito Kitchenware',
		nameReading: 'くものいときっちんどうぐ'
	},
	{
		key: 'outdoor',
		name: 'Larkridge Outdoor Gear ラークリッジ',
		nameReading: 'らーくりっじあうとどあぎあ'
	}
];

export interface DemoUser {
	email: string;
	displayName: string;
	role: Role;
	/** The DemoClient.key of a client user's company. */
	clientKey: string | null;
	locale: Locale;
}

export const DEMO_USERS: readonly DemoUser[] = [
	{ email: 'admin@demo.test', displayName: 'Hana Aoki 青木 花', role: 'admin', clientKey: null, locale: 'en' },
	{ email: 'agent@demo.test', displayName: 'Ken Ishida 石田 健', role: 'agent', clientKey: null, locale: 'en' },
	{ email: 'writer@demo.test', displayName: '水野 しおり Shiori Mizuno', role: 'writer', clientKey: null, locale: 'ja' },
	{ email: 'client@demo.test', displayName: '山辺 拓海 Takumi Yamabe', role: 'client', clientKey: 'kitchen', locale: 'ja' },
	{ email: 'client2@demo.test', displayName: 'Morgan Ellis モーガン・エリス', role: 'client', clientKey: 'outdoor', locale: 'en' }
];

export interface DemoOutlet {
	name: string;
	kind: 'newspaper' | 'magazine' | 'tv' | 'radio' | 'web' | 'wire';
	deskPhone: string | null;
	website: string | null;
	lang: 'ja' | 'en';
}

/** Invented outlets; phone numbers are in ranges reserved for fiction/examples (555, 03-0000). */
export const DEMO_OUTLETS: readonly DemoOutlet[] = [
	{ name: '東京ポスト新聞', kind: 'newspaper', deskPhone: '03-0000-1234（経済部）', website: 'https://tokyo-post.example', lang: 'ja' },
	{ name: '暮らしと台所', kind: 'magazine', deskPhone: '03-0000-5678（編集部）', website: 'https://kurashi.example', lang: 'ja' },
	{ name: 'Harbor City Ledger', kind: 'newspaper', deskPhone: '+1 555 0100 (business desk)', website: 'https://ledger.example', lang: 'en' },
	{ name: 'Trailhead Weekly', kind: 'web', deskPhone: null, website: 'https://trailhead.example', lang: 'en' }
];

/** Feeds listed (paused: their addresses are fictional) so the feeds page has something to show. */
export const DEMO_FEEDS = [
	{ url: 'https://tokyo-post.example/rss/business.xml', title: '東京ポスト新聞 経済', outlet: '東京ポスト新聞' },
	{ url: 'https://ledger.example/feeds/business.atom', title: 'Harbor City Ledger — Business', outlet: 'Harbor City Ledger' }
] as const;

export interface DemoArticle {
	title: string;
	outlet: string;
	url: string | null;
	section: string | null;
	/** Days before the demo is loaded, so the articles always look recent. */
	daysAgo: number;
	lang: 'ja' | 'en';
	byline: string | null;
	body: string;
}

/** Invented articles, signed and unsigned, in both languages. */
export const DEMO_ARTICLES: readonly DemoArticle[] = [
	{
		title: '老舗の鉄器、若い世代に広がる　手入れ講座が満員に',
		outlet: '東京ポスト新聞',
		url: 'https://tokyo-post.example/business/2026/ironware',
		section: '経済面',
		daysAgo: 3,
		lang: 'ja',
		byline: '（森川 由紀）',
		body: '南部鉄器の急須やフライパンが二十代、三十代に人気だ。都内の道具店が開く手入れ講座は毎回満員で、「一生使える道具を選びたい」という声が目立つ。\n\n店主は「錆びても直せると知ると、安心して買ってもらえる」と話す。'
	},
	{
		title: '台所道具の「直して使う」文化　修理受け付け拡大',
		outlet: '東京ポスト新聞',
		url: 'https://tokyo-post.example/life/2026/repair',
		section: '生活面',
		daysAgo: 12,
		lang: 'ja',
		byline: '森川由紀記者',
		body: '包丁や鍋の修理を受け付ける店が増えている。メーカー各社も部品の長期供給を打ち出し、買い替えより修理を選ぶ家庭が広がっている。'
	},
	{
		title: '地方の金物産地、海外向け通販を強化',
		outlet: '東京ポスト新聞',
		url: null,
		section: '経済面 7面',
		daysAgo: 5,
		lang: 'ja',
		byline: null,
		body: '金物の産地として知られる地域で、海外向けの通信販売に乗り出す工房が相次いでいる。（署名なしの記事：記者はデスクへの電話で確認する）'
	},
	{
		title: '冬の鍋特集　土鍋と鉄鍋、どう選ぶ',
		outlet: '暮らしと台所',
		url: 'https://kurashi.example/2026/winter-pots',
		section: '特集',
		daysAgo: 20,
		lang: 'ja',
		byline: '文● 川口 葵／暮らしと台所編集部',
		body: '土鍋は保温性、鉄鍋は焼き付けに強い。用途に合わせて選びたい。'
	},
	{
		title: 'Outdoor retailers bet on repairable gear',
		outlet: 'Harbor City Ledger',
		url: 'https://ledger.example/business/repairable-gear',
		section: 'Business',
		daysAgo: 2,
		lang: 'en',
		byline: 'By Dana Whitfield',
		body: 'Retailers say customers now ask how long a tent or a jacket will last before they ask the price. Several brands have opened repair counters in their stores.'
	},
	{
		title: 'Trail towns see record autumn visitors',
		outlet: 'Harbor City Ledger',
		url: 'https://ledger.example/local/trail-towns',
		section: 'Local',
		daysAgo: 9,
		lang: 'en',
		byline: 'By Dana Whitfield and Omar Reyes',
		body: 'Small towns along the coastal trail counted more overnight visitors this autumn than in any year on record.'
	},
	{
		title: 'Five lightweight stoves, tested in the rain',
		outlet: 'Trailhead Weekly',
		url: 'https://trailhead.example/reviews/stoves',
		section: 'Reviews',
		daysAgo: 6,
		lang: 'en',
		byline: 'Story by Priya Nand | Photos by Lee Park',
		body: 'We boiled water on five stoves in wind and rain. Two stood out for their simmer control.'
	},
	{
		title: 'Dana Whitfield joins Trailhead Weekly as outdoor industry editor',
		outlet: 'Trailhead Weekly',
		url: 'https://trailhead.example/news/whitfield',
		section: 'News',
		daysAgo: 1,
		lang: 'en',
		byline: 'Dana Whitfield',
		body: 'Whitfield covered retail for the Harbor City Ledger. (A byline at a new outlet: the review queue asks whether this is the same person.)'
	},
	{
		title: 'Port cargo volumes rise for third month',
		outlet: 'Harbor City Ledger',
		url: 'https://ledger.example/business/port-cargo',
		section: 'Business',
		daysAgo: 4,
		lang: 'en',
		byline: 'Harbor News Service',
		body: 'Cargo volumes at the port rose again in October, according to figures released on Monday.'
	}
];

export interface DemoTopic {
	name: string;
	reading: string | null;
	description: string;
	rule: string;
}

/** Topics whose rules match demo articles in both languages. */
export const DEMO_TOPICS: readonly DemoTopic[] = [
	{
		name: '修理・長く使う道具',
		reading: 'しゅうり・ながくつかうどうぐ',
		description: 'Repair and things made to last: 修理, 直して使う, repairable goods.',
		rule: '修理 OR 直して OR 手入れ OR repair*'
	},
	{
		name: 'Outdoor & trails',
		reading: null,
		description: 'Outdoor gear, trails and the towns along them.',
		rule: 'outdoor OR trail* OR stoves OR アウトドア'
	}
];

export interface DemoFact {
	field: 'email' | 'phone' | 'address' | 'desk' | 'beat' | 'title' | 'preferred_channel' | 'tier' | 'x_handle';
	value: string;
	label?: string;
	note?: string;
	source: string;
}

export interface DemoRecord {
	/** The reporter as the demo articles' bylines create them: display name and outlet. */
	name: string;
	outlet: string;
	facts: DemoFact[];
	log: { kind: 'interest' | 'request' | 'preference'; body: string; daysAgo: number; client?: string; source: string }[];
	notes: string[];
}

/** Invented contact details (example.* domains, 555 and 03-0000 numbers) and what each reporter told the agency. */
export const DEMO_RECORDS: readonly DemoRecord[] = [
	{
		name: '森川 由紀',
		outlet: '東京ポスト新聞',
		facts: [
			{ field: 'email', value: 'y.morikawa@tokyo-post.example', label: 'work', source: '名刺（展示会）' },
			{ field: 'phone', value: '03-0000-1234', label: 'work', source: '名刺（展示会）' },
			{ field: 'address', value: '〒100-0000 東京都千代田区丸の内0-0-0 東京ポスト新聞 経済部', source: '名刺（展示会）' },
			{ field: 'desk', value: '経済部', source: '名刺（展示会）' },
			{ field: 'beat', value: '生活用品・ものづくり・地場産業', source: '記事から' },
			{ field: 'preferred_channel', value: 'letter', source: '本人から（電話）' },
			{ field: 'tier', value: 'A', note: '台所道具と修理文化を継続して取材している', source: 'チーム会議' }
		],
		log: [
			{ kind: 'request', body: 'リリースは PDF 添付ではなく本文に。写真は高解像度のリンクで。', daysAgo: 30, source: '電話' },
			{ kind: 'interest', body: '職人の後継者づくりと修理サービスの広がりに関心', daysAgo: 14, client: 'kitchen', source: '展示会での会話' }
		],
		notes: ['締切は平日17時。午前中の電話が確実。']
	},
	{
		name: 'Dana Whitfield',
		outlet: 'Harbor City Ledger',
		facts: [
			{ field: 'email', value: 'dana.whitfield@ledger.example', label: 'work', source: 'business card' },
			{ field: 'phone', value: '+1 555 0100 ext. 214', label: 'work', source: 'business card' },
			{ field: 'x_handle', value: '@dwhitfield_demo', source: 'her profile page' },
			{ field: 'beat', value: 'Retail, outdoor industry', source: 'her articles' },
			{ field: 'preferred_channel', value: 'email', source: 'she told us' },
			{ field: 'tier', value: 'A', note: 'leads retail coverage; moving to Trailhead Weekly', source: 'team review' }
		],
		log: [{ kind: 'interest', body: 'Repairable gear and how long products last', daysAgo: 10, client: 'outdoor', source: 'call' }],
		notes: ['Prefers embargoed stories on Tuesdays.']
	}
];

/** A demo media list per client, with the reporters on it. */
export const DEMO_LISTS = [
	{ name: '台所道具・修理 記者リスト', client: 'kitchen', description: '雲ノ糸キッチン道具の新製品向け', members: [{ name: '森川 由紀', outlet: '東京ポスト新聞', tier: 'A', note: '修理サービスの話題で' }, { name: '川口 葵', outlet: '暮らしと台所', tier: 'B', note: '冬の特集号' }] },
	{ name: 'Outdoor launch — press', client: 'outdoor', description: 'Larkridge spring launch', members: [{ name: 'Dana Whitfield', outlet: 'Harbor City Ledger', tier: 'A', note: 'repairable gear angle' }, { name: 'Priya Nand', outlet: 'Trailhead Weekly', tier: 'B', note: 'gear reviews' }] }
] as const;

/** A reporter who asked not to be contacted. */
export const DEMO_SUPPRESSED = { name: 'Omar Reyes', outlet: 'Harbor City Ledger', reason: 'Asked by email not to receive press releases', daysAgo: 40 } as const;
/** A namesake added by hand after the suppression: flagged, so Today shows a possible do-not-contact match to check. */
export const DEMO_NAMESAKE = { outlet: 'Trailhead Weekly', source: 'met at the outdoor trade fair' } as const;

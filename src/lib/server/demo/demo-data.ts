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

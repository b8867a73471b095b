/**
 * Words and dates of the article index pages in the current language: codes held in the database
 * (run kinds, identification methods, link sources) become labels here, in one place.
 */
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';

function lookup(table: Record<string, () => string>, code: string | null | undefined): string {
	if (!code) return '—';
	return table[code]?.() ?? code;
}

/**
 * The day an article appeared. Dates are stored in UTC and a print article is stored at midnight
 * UTC of its day, so the day is read in UTC: the same on the server and in every browser.
 */
export function formatDate(iso: string | null | undefined): string {
	if (!iso) return '—';
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return iso;
	return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(d);
}

/** A moment (a run started, a feed polled), with its zone named so it is never misread. */
export function formatDateTime(iso: string | null | undefined): string {
	if (!iso) return '—';
	const d = new Date(iso);
	if (Number.isNaN(d.getTime())) return iso;
	// dateStyle cannot be combined with timeZoneName, so the parts are named one by one.
	return new Intl.DateTimeFormat(getLocale(), {
		year: 'numeric',
		month: 'short',
		day: 'numeric',
		hour: '2-digit',
		minute: '2-digit',
		timeZone: 'UTC',
		timeZoneName: 'short'
	}).format(d);
}

/** A BCP-47 tag fit for a lang attribute, or undefined (so a broken value never reaches the markup). */
export function langAttribute(lang: string | null | undefined): string | undefined {
	return lang && /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(lang) ? lang : undefined;
}

export function languageLabel(lang: string | null | undefined): string {
	return lookup({ en: m.articles_lang_en, ja: m.articles_lang_ja }, lang);
}

export function methodLabel(method: string | null | undefined): string {
	return lookup(
		{
			desk_call: m.identify_method_desk_call,
			email: m.identify_method_email,
			reporter: m.identify_method_reporter,
			other: m.identify_method_other
		},
		method
	);
}

export function runKindLabel(kind: string | null | undefined): string {
	return lookup(
		{
			feed: m.import_kind_feed,
			csv: m.import_kind_csv,
			jsonl: m.import_kind_jsonl,
			html: m.import_kind_html,
			url: m.import_kind_url,
			manual: m.import_kind_manual
		},
		kind
	);
}

export function runStatusLabel(status: string | null | undefined): string {
	return lookup({ running: m.import_status_running, done: m.import_status_done, failed: m.import_status_failed }, status);
}

/** A person's part in an article. */
export function roleLabel(role: string | null | undefined): string {
	return lookup(
		{
			author: m.articles_role_author,
			reporter: m.articles_role_reporter,
			editor: m.articles_role_editor,
			photographer: m.articles_role_photographer
		},
		role
	);
}

/** How a reporter came to be linked to an article. */
export function linkSourceLabel(source: string | null | undefined): string {
	return lookup(
		{ byline: m.articles_link_byline, identified: m.articles_link_identified, manual: m.articles_link_manual },
		source
	);
}

/** How a reporter record came to exist. */
export function createdViaLabel(via: string | null | undefined): string {
	return lookup(
		{
			byline: m.reporters_via_byline,
			identified: m.reporters_via_identified,
			manual: m.reporters_via_manual,
			import: m.reporters_via_import
		},
		via
	);
}

/** An article field in the column-mapping step. */
export function fieldLabel(field: string): string {
	return lookup(
		{
			title: m.import_field_title,
			url: m.import_field_url,
			body: m.import_field_body,
			excerpt: m.import_field_excerpt,
			publishedAt: m.import_field_published_at,
			lang: m.import_field_lang,
			outletName: m.import_field_outlet,
			section: m.import_field_section,
			bylineRaw: m.import_field_byline,
			categories: m.import_field_categories,
			guid: m.import_field_guid
		},
		field
	);
}

/** Why the matcher put two records to a person, in words. */
export function reviewReasonLabel(reason: string | null | undefined): string {
	return lookup(
		{
			same_name_other_outlet: m.review_reason_same_name_other_outlet,
			similar_name: m.review_reason_similar_name,
			same_email: m.review_reason_same_email,
			same_reading: m.review_reason_same_reading
		},
		reason
	);
}

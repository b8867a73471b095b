import { m } from '$lib/paraglide/messages.js';

type MessageFunction = (inputs?: Record<string, unknown>) => string;
const messages = m as unknown as Record<string, MessageFunction | undefined>;

/**
 * A message looked up by a key held in data (form issues carry keys, not text), in the current
 * locale. An unknown key shows as itself rather than hiding the problem.
 */
export function t(key: string, params: Record<string, unknown> = {}): string {
	const message = messages[key];
	return typeof message === 'function' ? message(params) : key;
}

/** The translated issue for one field of a failed form, or null. */
export function issueText(issues: Record<string, string> | null | undefined, name: string): string | null {
	const key = issues?.[name];
	return key ? t(key) : null;
}

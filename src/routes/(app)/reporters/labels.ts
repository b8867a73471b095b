import { m } from '$lib/paraglide/messages.js';
import { formatDate } from '../articles/labels';

/** Where a possible do-not-contact match was found ('byline' at import, or a list import's name), and when. */
export function flagContext(context: string, createdAt: string): string {
	return context === 'byline' ? m.suppression_flag_context_byline({ date: formatDate(createdAt) }) : m.suppression_flag_context_other({ context, date: formatDate(createdAt) });
}

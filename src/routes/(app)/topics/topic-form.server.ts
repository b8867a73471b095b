import { fail } from '@sveltejs/kit';
import { parseTopicRule, TopicRuleError } from '$lib/server/topics/topics.service';
import { describeQueryError, explainQuery } from '$lib/server/search/query';
import { InputError, field, rawField } from '$lib/schemas/validation';

/** The rule in its explicit form, or as typed when it no longer parses. */
export function shownRule(rule: string | null): string | null {
	if (!rule) return null;
	try {
		const ast = parseTopicRule(rule);
		return ast ? explainQuery(ast) : null;
	} catch {
		return rule;
	}
}

/** The topic form as typed, to show again beside its errors. */
export function echoTopicForm(data: FormData) {
	return {
		name: field(data, 'name'),
		nameReading: field(data, 'nameReading'),
		description: rawField(data, 'description'),
		rule: rawField(data, 'rule')
	};
}

/** A failed topic form: field issues, and a rule error explained in the reader's language with its position. */
export function topicFormFailure(e: InputError, values: ReturnType<typeof echoTopicForm>, locale: string | undefined) {
	const ruleError =
		e instanceof TopicRuleError
			? describeQueryError(e.queryError.code, locale === 'ja' ? 'ja' : 'en', { position: e.queryError.position })
			: null;
	return fail(400, { values, issues: e.issues, ruleError });
}

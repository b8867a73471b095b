import { field, parseId, type Issues } from '$lib/schemas/validation';
import type { ListInput } from '$lib/server/lists/lists.service';

export interface ListFormValues {
	name: string;
	description: string;
	clientId: string;
}

/** What was typed, to show again when the form comes back with problems. */
export function echoListForm(data: FormData): ListFormValues {
	return { name: field(data, 'name'), description: field(data, 'description'), clientId: field(data, 'clientId') };
}

/** The list form as service input, or the issues of a client choice that is not an id. */
export function parseListForm(data: FormData): { ok: true; input: ListInput } | { ok: false; issues: Issues } {
	const values = echoListForm(data);
	let clientId: number | null = null;
	if (values.clientId) {
		clientId = parseId(values.clientId);
		if (clientId === null) return { ok: false, issues: { clientId: 'error_client_invalid' } };
	}
	return { ok: true, input: { name: values.name, description: values.description, clientId } };
}

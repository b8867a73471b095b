import { describe, expect, it } from 'vitest';
import { readLimitedForm } from './upload.server';

const MB = 1024 * 1024;

/** A request body that counts how much of it was pulled. */
function countingBody(total: number, chunk = 64 * 1024) {
	const state = { pulled: 0 };
	const stream = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (state.pulled >= total) {
				controller.close();
				return;
			}
			const n = Math.min(chunk, total - state.pulled);
			state.pulled += n;
			controller.enqueue(new Uint8Array(n).fill(0x61));
		}
	});
	return { stream, state };
}

function multipart(content: string, name = 'list.csv') {
	const form = new FormData();
	form.set('file', new File([content], name, { type: 'text/csv' }));
	return new Request('http://localhost/lists/1/import?/upload', { method: 'POST', body: form });
}

describe('readLimitedForm', () => {
	it('reads a form within the limit', async () => {
		const result = await readLimitedForm(multipart('Name,Email\nA,a@x.example\n'), MB);
		expect(result.ok).toBe(true);
		const file = result.ok ? result.data.get('file') : null;
		expect(file).toBeInstanceOf(File);
		expect(await (file as File).text()).toBe('Name,Email\nA,a@x.example\n');
	});

	it('refuses a 50 MB request on its Content-Length without reading the body', async () => {
		const { stream, state } = countingBody(50 * MB);
		const request = new Request('http://localhost/x', {
			method: 'POST',
			body: stream,
			headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(50 * MB) },
			duplex: 'half'
		} as RequestInit);
		expect(await readLimitedForm(request, 10 * MB)).toEqual({ ok: false, size: 50 * MB });
		// The stream's first pull may run when the request is made; nothing more is read.
		expect(state.pulled).toBeLessThanOrEqual(64 * 1024);
	});

	it('stops reading a body sent without a length once it passes the limit', async () => {
		const { stream, state } = countingBody(50 * MB);
		const request = new Request('http://localhost/x', {
			method: 'POST',
			body: stream,
			headers: { 'content-type': 'multipart/form-data; boundary=x' },
			duplex: 'half'
		} as RequestInit);
		expect(await readLimitedForm(request, MB)).toEqual({ ok: false, size: null });
		expect(state.pulled).toBeLessThan(2 * MB);
	});

	it('takes a body that is not a form as a form without a file', async () => {
		const request = new Request('http://localhost/x', { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
		const result = await readLimitedForm(request, MB);
		expect(result.ok && result.data.get('file')).toBe(null);
	});
});

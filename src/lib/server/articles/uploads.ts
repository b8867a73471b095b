import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import { generateRandomString } from '../auth/token';
import type { Mapping } from '../imports/mapping';

/** How long an uploaded file waits for its column mapping. */
const UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;

/** Hold an uploaded file until its columns are mapped; returns the token that names it. */
export async function stageUpload(
	db: Kysely<DB>,
	userId: number,
	file: { bytes: Uint8Array; name: string; format: string }
): Promise<string> {
	const now = new Date();
	await db.deleteFrom('import_uploads').where('created_at', '<', new Date(now.getTime() - UPLOAD_TTL_MS).toISOString()).execute();
	const token = generateRandomString(20);
	await db
		.insertInto('import_uploads')
		.values({
			token,
			user_id: userId,
			name: file.name.slice(0, 300),
			format: file.format,
			data: Buffer.from(file.bytes).toString('base64'),
			created_at: now.toISOString()
		})
		.execute();
	return token;
}

/** The staged file, only for the user who uploaded it. */
export async function getUpload(db: Kysely<DB>, userId: number, token: string) {
	if (!/^[a-z2-7]{32}$/.test(token)) return undefined;
	const row = await db
		.selectFrom('import_uploads')
		.selectAll()
		.where('token', '=', token)
		.where('user_id', '=', userId)
		.executeTakeFirst();
	if (!row) return undefined;
	return { name: row.name, format: row.format, bytes: new Uint8Array(Buffer.from(row.data, 'base64')) };
}

export async function deleteUpload(db: Kysely<DB>, token: string): Promise<void> {
	await db.deleteFrom('import_uploads').where('token', '=', token).execute();
}

/** A file layout's identity: its format and column names, whatever their order. */
export function headerSignature(format: string, header: string[]): string {
	const cols = header.map((h) => h.normalize('NFKC').trim().toLowerCase()).sort();
	return `${format}:${createHash('sha256').update(cols.join('\u0000')).digest('hex').slice(0, 32)}`;
}

/** The mapping last used for files laid out like this one, if any. */
export async function rememberedMapping(db: Kysely<DB>, signature: string): Promise<{ mapping: Mapping; outletName: string | null } | null> {
	const row = await db.selectFrom('import_mappings').select(['mapping', 'outlet_name']).where('signature', '=', signature).executeTakeFirst();
	return row ? { mapping: JSON.parse(row.mapping) as Mapping, outletName: row.outlet_name } : null;
}

/** Remember the mapping chosen for this layout, for the next file like it. */
export async function rememberMapping(db: Kysely<DB>, signature: string, format: string, mapping: Mapping, outletName: string | null): Promise<void> {
	const values = { mapping: JSON.stringify(mapping), outlet_name: outletName, updated_at: new Date().toISOString() };
	await db
		.insertInto('import_mappings')
		.values({ signature, format, ...values })
		.onConflict((oc) => oc.column('signature').doUpdateSet(values))
		.execute();
}

import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { recordAudit } from '../audit/audit';
import type { Database } from './connect';

export type BackupRefusal = 'not-sqlite' | 'in-memory' | 'exists' | 'no-directory' | 'same-file' | 'integrity';

/** A backup that was refused or failed its check; `reason` lets a caller phrase its own advice. */
export class BackupError extends Error {
	override name = 'BackupError';
	constructor(
		public readonly reason: BackupRefusal,
		message: string
	) {
		super(message);
	}
}

export interface BackupOptions {
	/** Replace `file` if it exists (default: refuse). */
	overwrite?: boolean;
	/** Who asked, for the audit log (null: the command line or the system). */
	actorUserId?: number | null;
}

export interface BackupResult {
	/** Absolute path of the copy. */
	file: string;
	bytes: number;
	/** Whether a `backup.created` entry was written (not on a database without Tegami's tables). */
	audited: boolean;
}

/** What to say when asked to back up PostgreSQL: that is pg_dump's job. */
export function postgresBackupAdvice(label: string): string {
	return `${label} is a PostgreSQL database; back it up with pg_dump, e.g. pg_dump --format=custom --file=tegami.dump "$DATABASE_URL"`;
}

/**
 * Copy a live SQLite database to `file`, consistently, while the app keeps reading and writing.
 *
 * `VACUUM INTO` reads inside one read transaction, so the copy is the database as of one moment
 * (WAL contents included) and writers are never blocked; unlike the online backup API it never has
 * to restart when another connection writes. It runs on the calling thread: an app calling this on
 * a large database should do so from a worker. The copy is written under a temporary name in the
 * target directory, switched to a single self-contained file (journal_mode=DELETE), checked with
 * `PRAGMA integrity_check`, synced, and only then given its name.
 */
export async function backupSqlite(database: Database, file: string, options: BackupOptions = {}): Promise<BackupResult> {
	const source = database.sqlite;
	if (database.kind !== 'sqlite' || !source) {
		throw new BackupError('not-sqlite', postgresBackupAdvice(database.label));
	}
	if (source.memory) throw new BackupError('in-memory', 'an in-memory SQLite database cannot be backed up');

	const target = resolve(file);
	const directory = dirname(target);
	if (!isDirectory(directory)) throw new BackupError('no-directory', `directory ${directory} does not exist`);
	const live = resolve(source.name);
	if ([live, `${live}-wal`, `${live}-shm`, `${live}-journal`].includes(target)) {
		throw new BackupError('same-file', `${file} is the database itself; choose another file name`);
	}
	if (!options.overwrite && existsSync(target)) throw new BackupError('exists', `${file} already exists`);

	const temp = join(directory, `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
	try {
		source.prepare('VACUUM INTO ?').run(temp);
		verifyCopy(temp);
		syncFile(temp);
		if (options.overwrite) {
			renameSync(temp, target);
		} else {
			// link() fails if the name was taken meanwhile, where rename() would silently replace it.
			try {
				linkSync(temp, target);
			} catch (e) {
				if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new BackupError('exists', `${file} already exists`);
				throw e;
			}
		}
		syncDirectory(directory);
	} finally {
		for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(temp + suffix, { force: true });
	}
	const bytes = statSync(target).size;

	const hasAuditLog = source
		.prepare("select 1 from sqlite_master where type = 'table' and name = 'audit_log'")
		.get();
	if (hasAuditLog) {
		await recordAudit(database.db, {
			actorUserId: options.actorUserId ?? null,
			action: 'backup.created',
			subjectType: 'database',
			detail: { bytes }
		});
	}
	return { file: target, bytes, audited: !!hasAuditLog };
}

/** Open a copy, make it one self-contained file, and check every page of it. */
function verifyCopy(path: string): void {
	const copy = new SQLite(path, { fileMustExist: true });
	try {
		copy.pragma('journal_mode = DELETE');
		const rows = copy.pragma('integrity_check') as { integrity_check: string }[];
		const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
		if (problems.length || rows.length === 0) {
			throw new BackupError('integrity', `the copy failed its integrity check: ${problems.slice(0, 3).join('; ')}`);
		}
	} finally {
		copy.close();
	}
}

function syncFile(path: string): void {
	const fd = openSync(path, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/** Make the new name itself durable; not every platform can fsync a directory, so best effort. */
function syncDirectory(path: string): void {
	try {
		syncFile(path);
	} catch {
		// The copy itself is synced; only its directory entry may be lost in a power cut here.
	}
}

function isDirectory(path: string): boolean {
	try {
		return statSync(path).isDirectory();
	} catch {
		return false;
	}
}

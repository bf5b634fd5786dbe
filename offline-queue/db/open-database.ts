import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, StoreErrorCode, toStoreError } from '../store-error.js';
import { migrate } from './migrate.js';

export interface OpenDatabaseOptions {
  /** Open without write access (diagnostics); the schema must already be current. */
  readonly?: boolean;
  /** Run `PRAGMA quick_check` at open so a damaged file is found now, not mid-issuance (default true). */
  quickCheck?: boolean;
}

/**
 * Opens (or creates) the kiosk database with the durability docs/architecture.md §4 (1) requires and
 * brings its schema up to date. Failures surface as StoreError (disk full, read-only, corrupt).
 */
export function openKioskDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  let db: Database.Database | null = null;
  try {
    if (!options.readonly) prepareOwnerOnlyFile(file);
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    applyPragmas(db, options.readonly ?? false);
    // The WAL switch above created -wal and -shm; an older kiosk may have left them looser.
    if (!options.readonly) for (const side of SIDE_FILES) tightenFile(`${file}${side}`);
    if (options.quickCheck ?? true) assertIntact(db);
    migrate(db);
    if (!options.readonly) ensureIncrementalVacuum(db);
    return db;
  } catch (err) {
    db?.close();
    throw toStoreError(err);
  }
}

function applyPragmas(db: Database.Database, readonly: boolean): void {
  // busy_timeout first: the journal-mode switch itself may wait for another connection.
  db.pragma('busy_timeout = 5000');
  if (!readonly) {
    // Only takes effect on a new, empty file, and only before the WAL switch writes its header.
    db.pragma('auto_vacuum = INCREMENTAL');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') {
      throw new StoreError(StoreErrorCode.Io, `journal_mode is ${String(mode)}, WAL required`);
    }
  }
  // Set explicitly: better-sqlite3 runs WAL at NORMAL by default, which can lose the last
  // committed ticket on power loss.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Deleted rows (purged citizen HMACs, trimmed outbox payloads) are overwritten with zeros, not
  // left readable in free pages until SQLite happens to reuse them.
  db.pragma('secure_delete = ON');
  // A checkpointed WAL is cut back to this size instead of staying at its high-water mark.
  if (!readonly) db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
}

const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

/** The files SQLite keeps beside the database in WAL mode. */
const SIDE_FILES = ['-wal', '-shm', '-journal'] as const;
const OWNER_ONLY_DIR = 0o700;
const OWNER_ONLY_FILE = 0o600;
const STICKY = 0o1000;

/**
 * The database holds citizen HMACs, the hall's citizen key and the technician audit log: readable
 * by this kiosk's user only. Its folder is created 0700 and the file 0600 before SQLite opens it
 * (SQLite gives -wal and -shm the database file's mode), and both are tightened when an older
 * install left them looser. Only the group/other bits are taken away; nothing is widened.
 */
function prepareOwnerOnlyFile(file: string): void {
  const dir = path.dirname(path.resolve(file));
  mkdirSync(dir, { recursive: true, mode: OWNER_ONLY_DIR });
  if (process.platform !== 'win32' && (statSync(dir).mode & STICKY) !== 0) {
    // /tmp and the like: tightening would lock every other user out of it. Refuse instead.
    throw new StoreError(StoreErrorCode.Io, `${dir} is a shared folder (sticky bit): give the kiosk's database a folder of its own`);
  }
  tighten(dir, OWNER_ONLY_DIR);
  // An empty file is a new database to SQLite; creating it here is what sets its mode.
  if (!existsSync(file)) closeSync(openSync(file, 'a', OWNER_ONLY_FILE));
  tightenFile(file);
}

function tightenFile(file: string): void {
  if (existsSync(file)) tighten(file, OWNER_ONLY_FILE);
}

function tighten(target: string, mode: number): void {
  // Windows has no POSIX modes: the user profile's ACLs protect the data folder there.
  if (process.platform === 'win32') return;
  const current = statSync(target).mode & 0o777;
  if ((current & ~mode) !== 0) chmodSync(target, current & mode);
}

/**
 * Retention deletes rows every day; incremental auto_vacuum lets the purge hand the freed pages
 * back to the file system in one short step (`PRAGMA incremental_vacuum`) instead of a full
 * VACUUM, which rewrites the whole file under an exclusive lock while visitors take tickets.
 * A file created before this setting is converted once, here, with one VACUUM.
 */
function ensureIncrementalVacuum(db: Database.Database): void {
  const INCREMENTAL = 2;
  if (db.pragma('auto_vacuum', { simple: true }) === INCREMENTAL) return;
  db.pragma('auto_vacuum = INCREMENTAL');
  db.exec('VACUUM');
}

function assertIntact(db: Database.Database): void {
  const problems = db.prepare<[], string>('PRAGMA quick_check(5)').pluck().all();
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new StoreError(StoreErrorCode.Corrupt, `database failed quick_check: ${problems.join('; ')}`);
  }
}

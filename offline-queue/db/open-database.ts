import { mkdirSync } from 'node:fs';
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
 * Opens (or creates) the kiosk database with the durability ARCHITECTURE.md §4.1 requires and
 * brings its schema up to date. Failures surface as StoreError (disk full, read-only, corrupt).
 */
export function openKioskDatabase(file: string, options: OpenDatabaseOptions = {}): Database.Database {
  let db: Database.Database | null = null;
  try {
    if (!options.readonly) mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
    applyPragmas(db, options.readonly ?? false);
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
  // A checkpointed WAL is cut back to this size instead of staying at its high-water mark.
  if (!readonly) db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
}

const WAL_SIZE_LIMIT_BYTES = 4 * 1024 * 1024;

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

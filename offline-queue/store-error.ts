import Database from 'better-sqlite3';

/** What went wrong with the kiosk's durable store, in terms a caller can act on. */
export enum StoreErrorCode {
  DiskFull = 'disk-full',
  Corrupt = 'corrupt',
  ReadOnly = 'read-only',
  Constraint = 'constraint',
  Io = 'io',
  /** The row a call names (ticket, print job) does not exist. */
  NotFound = 'not-found',
}

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** The SQLite extended result code when the error came from SQLite (`SQLITE_FULL`...). */
  readonly sqliteCode: string | null;
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown; sqliteCode?: string | null }) {
    super(message, { cause: options?.cause });
    this.name = 'StoreError';
    this.code = code;
    this.sqliteCode = options?.sqliteCode ?? null;
  }
}

/** SQLite result codes (primary part of the extended code) and what they mean to the kiosk. */
function codeFor(sqliteCode: string): StoreErrorCode | null {
  if (sqliteCode === 'SQLITE_FULL') return StoreErrorCode.DiskFull;
  if (sqliteCode.startsWith('SQLITE_CORRUPT') || sqliteCode === 'SQLITE_NOTADB') return StoreErrorCode.Corrupt;
  if (sqliteCode.startsWith('SQLITE_READONLY')) return StoreErrorCode.ReadOnly;
  if (sqliteCode.startsWith('SQLITE_CONSTRAINT')) return StoreErrorCode.Constraint;
  // The file could not be opened, locked or written: an I/O condition, not a bug in a query.
  if (
    sqliteCode.startsWith('SQLITE_IOERR') ||
    sqliteCode.startsWith('SQLITE_CANTOPEN') ||
    sqliteCode.startsWith('SQLITE_BUSY') ||
    sqliteCode.startsWith('SQLITE_LOCKED') ||
    sqliteCode === 'SQLITE_PERM' ||
    sqliteCode === 'SQLITE_PROTOCOL'
  ) {
    return StoreErrorCode.Io;
  }
  return null;
}

/**
 * Turns a SQLite failure into a coded StoreError. Anything else (a bad query, a zod error, a bug)
 * is returned unchanged: coding it as a storage condition would hide the bug.
 */
export function toStoreError(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  if (err instanceof Database.SqliteError) {
    const code = codeFor(err.code);
    if (code) return new StoreError(code, `${err.code}: ${err.message}`, { cause: err, sqliteCode: err.code });
    return err;
  }
  // Node fs errors while preparing the folder.
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') {
    if (err.code === 'ENOSPC') return new StoreError(StoreErrorCode.DiskFull, err.message, { cause: err });
    if (err.code === 'EROFS' || err.code === 'EACCES' || err.code === 'EPERM') {
      return new StoreError(StoreErrorCode.ReadOnly, err.message, { cause: err });
    }
    if (err.code === 'EIO') return new StoreError(StoreErrorCode.Io, err.message, { cause: err });
  }
  return err;
}

/** Runs `fn`, rethrowing SQLite failures as StoreError. */
export function withStoreErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw toStoreError(err);
  }
}

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreError, StoreErrorCode, toStoreError, withStoreErrors } from './store-error.js';

describe('toStoreError', () => {
  it.each([
    ['SQLITE_FULL', StoreErrorCode.DiskFull],
    ['SQLITE_CORRUPT', StoreErrorCode.Corrupt],
    ['SQLITE_CORRUPT_INDEX', StoreErrorCode.Corrupt],
    ['SQLITE_NOTADB', StoreErrorCode.Corrupt],
    ['SQLITE_READONLY', StoreErrorCode.ReadOnly],
    ['SQLITE_READONLY_DBMOVED', StoreErrorCode.ReadOnly],
    ['SQLITE_CONSTRAINT_UNIQUE', StoreErrorCode.Constraint],
    ['SQLITE_CONSTRAINT_FOREIGNKEY', StoreErrorCode.Constraint],
    ['SQLITE_IOERR_WRITE', StoreErrorCode.Io],
    ['SQLITE_IOERR_FSYNC', StoreErrorCode.Io],
    ['SQLITE_CANTOPEN', StoreErrorCode.Io],
    ['SQLITE_BUSY', StoreErrorCode.Io],
  ])('maps %s to %s', (sqliteCode, code) => {
    const mapped = toStoreError(new Database.SqliteError('boom', sqliteCode));
    expect(mapped).toBeInstanceOf(StoreError);
    expect((mapped as StoreError).code).toBe(code);
    expect((mapped as StoreError).sqliteCode).toBe(sqliteCode);
  });

  it('leaves bugs alone: a bad query or a plain error is not a storage condition', () => {
    const syntax = new Database.SqliteError('near "SELEC": syntax error', 'SQLITE_ERROR');
    expect(toStoreError(syntax)).toBe(syntax);
    const plain = new TypeError('x is undefined');
    expect(toStoreError(plain)).toBe(plain);
  });

  it('maps file-system errors met while preparing the folder', () => {
    const enospc = Object.assign(new Error('no space left'), { code: 'ENOSPC' });
    expect((toStoreError(enospc) as StoreError).code).toBe(StoreErrorCode.DiskFull);
    const erofs = Object.assign(new Error('read-only file system'), { code: 'EROFS' });
    expect((toStoreError(erofs) as StoreError).code).toBe(StoreErrorCode.ReadOnly);
  });

  it('withStoreErrors rethrows a real SQLite failure coded', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY) STRICT');
    db.exec('INSERT INTO t VALUES (1)');
    expect(() => withStoreErrors(() => db.exec('INSERT INTO t VALUES (1)'))).toThrow(
      expect.objectContaining({ name: 'StoreError', code: StoreErrorCode.Constraint, sqliteCode: 'SQLITE_CONSTRAINT_PRIMARYKEY' }),
    );
    db.close();
  });
});

import type Database from 'better-sqlite3';
import { StoreError, StoreErrorCode } from '../store-error.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

/**
 * Brings the schema to the latest version: each pending migration and its `user_version` bump
 * commit together, so a crash mid-way leaves the file at a whole version. Returns the version.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = allMigrations): number {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1..n without gaps; found ${m.version} at ${i + 1}`);
  });
  const latest = ordered.length;
  const current = userVersion(db);
  if (current > latest) {
    // A file written by a newer kiosk build: writing to it with an older schema could corrupt it.
    throw new StoreError(StoreErrorCode.Corrupt, `database schema ${current} is newer than this build (${latest})`);
  }
  for (const m of ordered) {
    if (m.version <= current) continue;
    db.transaction(() => {
      // Re-read under the write lock: another connection may have migrated meanwhile.
      if (userVersion(db) >= m.version) return;
      m.up(db);
      // PRAGMA takes no parameters; the version is an integer we control.
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return userVersion(db);
}

export function userVersion(db: Database.Database): number {
  const v = db.pragma('user_version', { simple: true });
  return typeof v === 'number' ? v : 0;
}

import type Database from 'better-sqlite3';

/** One schema version. `up` runs inside the transaction that also sets `user_version`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database.Database): void;
}

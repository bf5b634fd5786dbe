import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

/** Any constant works; it only has to be the same in every portal process. */
const MIGRATION_LOCK_KEY = 7_240_311_001;
const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export enum MigrationErrorCode {
  BadFileName = 'bad-file-name',
  DuplicateVersion = 'duplicate-version',
  /** An applied migration's file was edited afterwards: add a new migration instead. */
  ChecksumMismatch = 'checksum-mismatch',
  Failed = 'failed',
}

export class MigrationError extends Error {
  readonly code: MigrationErrorCode;
  constructor(code: MigrationErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
    this.code = code;
  }
}

export interface MigrationFile {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function readMigrationFiles(dir: string = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const files: MigrationFile[] = [];
  for (const fileName of names) {
    const match = FILE_NAME.exec(fileName);
    if (!match?.[1] || !match[2]) {
      throw new MigrationError(MigrationErrorCode.BadFileName, `${fileName}: expected NNNN_name.sql`);
    }
    const version = Number(match[1]);
    if (files.some((f) => f.version === version)) {
      throw new MigrationError(MigrationErrorCode.DuplicateVersion, `two migrations numbered ${match[1]}`);
    }
    const sql = await readFile(path.join(dir, fileName), 'utf8');
    files.push({ version, name: match[2], sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return files;
}

/**
 * Applies the numbered SQL files not yet in `schema_migrations`, in order, each in its own
 * transaction. A session advisory lock lets several portal processes start at once.
 * Returns the versions applied by this call.
 */
export async function migrate(pool: pg.Pool, options: { dir?: string } = {}): Promise<number[]> {
  const files = await readMigrationFiles(options.dir);
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      // Bookkeeping, not hall data: the one table without hall_id (a Citus local table).
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
      const done = await client.query<{ version: number; checksum: string }>(
        'SELECT version, checksum FROM schema_migrations',
      );
      const doneChecksums = new Map(done.rows.map((r) => [r.version, r.checksum]));
      for (const file of files) {
        const previous = doneChecksums.get(file.version);
        if (previous !== undefined) {
          if (previous !== file.checksum) {
            throw new MigrationError(
              MigrationErrorCode.ChecksumMismatch,
              `migration ${file.version}_${file.name} changed after it was applied`,
            );
          }
          continue;
        }
        await client.query('BEGIN');
        try {
          await client.query(file.sql);
          await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
            file.version,
            file.name,
            file.checksum,
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw new MigrationError(
            MigrationErrorCode.Failed,
            `migration ${file.version}_${file.name} failed: ${err instanceof Error ? err.message : String(err)}`,
            { cause: err },
          );
        }
        applied.push(file.version);
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
  return applied;
}

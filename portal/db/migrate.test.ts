import { cp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReachableTempDir, startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { MIGRATIONS_DIR, MigrationErrorCode, migrate, readMigrationFiles } from './migrate.js';

let db: TestPostgres;
const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await makeReachableTempDir('portal-migrations-');
  tempDirs.push(dir);
  return dir;
}

beforeAll(async () => {
  db = await startTestPostgres({ migrate: false });
});

afterAll(async () => {
  await db.close();
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('migrate', () => {
  it('applies every migration once; a second run applies nothing', async () => {
    const versions = (await readMigrationFiles()).map((f) => f.version);
    expect(versions[0]).toBe(1);
    expect(await migrate(db.pool)).toEqual(versions);
    expect(await migrate(db.pool)).toEqual([]);
    const rows = await db.pool.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.rows.map((r: { version: number }) => r.version)).toEqual(versions);
  });

  it('is safe when several portal processes migrate at once', async () => {
    expect(await Promise.all([migrate(db.pool), migrate(db.pool), migrate(db.pool)])).toEqual([[], [], []]);
  });

  it('puts hall_id first in the primary key of every hall table', async () => {
    const rows = await db.pool.query<{ table: string; first_key: string }>(`
      SELECT c.conrelid::regclass::text AS table, a.attname AS first_key
      FROM pg_constraint c
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
      WHERE c.contype = 'p' AND c.connamespace = 'public'::regnamespace AND c.conrelid::regclass::text <> 'schema_migrations'`);
    expect(rows.rows.length).toBeGreaterThanOrEqual(9);
    expect(rows.rows.filter((r) => r.first_key !== 'hall_id')).toEqual([]);
  });

  it('indexes token hashes alone, since the token decides the hall', async () => {
    const rows = await db.pool.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE indexname IN ('kiosks_token_hash', 'staff_tokens_token_hash') ORDER BY indexname",
    );
    expect(rows.rows.map((r) => r.indexdef.replace(/.* USING btree /, ''))).toEqual(['(token_hash)', '(token_hash)']);
  });

  it('rolls a failing migration back entirely and refuses an edited one', async () => {
    const dir = await tempDir();
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    await writeFile(path.join(dir, '9001_broken.sql'), 'CREATE TABLE half_done (x int); SELECT no_such_function();');
    await expect(migrate(db.pool, { dir })).rejects.toMatchObject({ code: MigrationErrorCode.Failed });
    const table = await db.pool.query("SELECT to_regclass('half_done') AS t");
    expect(table.rows).toEqual([{ t: null }]);

    await writeFile(path.join(dir, '9001_broken.sql'), '-- fixed\nSELECT 1;');
    await writeFile(path.join(dir, '0001_init.sql'), '-- edited after it was applied\n');
    await expect(migrate(db.pool, { dir })).rejects.toMatchObject({ code: MigrationErrorCode.ChecksumMismatch });
  });

  it('refuses a badly named file', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'init.sql'), 'SELECT 1;');
    await expect(readMigrationFiles(dir)).rejects.toMatchObject({ code: MigrationErrorCode.BadFileName });
  });
});

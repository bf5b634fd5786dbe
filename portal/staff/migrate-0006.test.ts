import { copyFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateStaff } from '../auth/principals.js';
import { tokenHash } from '../auth/token-hash.js';
import { MIGRATIONS_DIR, migrate } from '../db/migrate.js';
import { makeReachableTempDir, startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';

let db: TestPostgres;
let before0006: string;

beforeAll(async () => {
  db = await startTestPostgres({ migrate: false });
  before0006 = await makeReachableTempDir('portal-migration-0006-');
  for (const file of await readdir(MIGRATIONS_DIR)) {
    if (file.endsWith('.sql') && file < '0006') await copyFile(path.join(MIGRATIONS_DIR, file), path.join(before0006, file));
  }
});

afterAll(async () => {
  await db.close();
  await rm(before0006, { recursive: true, force: true });
});

describe('migration 0006 on a portal with staff API keys', () => {
  it('gives every existing key holder a clerk account without a password, and keys keep working', async () => {
    await migrate(db.pool, { dir: before0006 });
    await db.pool.query(`INSERT INTO halls (hall_id, name_zh, name_en, time_zone) VALUES ('h1', '一', 'One', 'Asia/Shanghai'), ('h2', '二', 'Two', 'Asia/Shanghai')`);
    await db.pool.query('INSERT INTO staff_tokens (hall_id, token_hash, staff_id) VALUES ($1, $2, $3), ($1, $4, $3), ($5, $6, $3)', [
      'h1', tokenHash('key-a'), 'counter-bot', tokenHash('key-b'), 'h2', tokenHash('key-c'),
    ]);

    expect(await migrate(db.pool)).toContain(6);
    const staff = await db.pool.query('SELECT hall_id, staff_id, username, role, password_hash FROM staff ORDER BY hall_id');
    expect(staff.rows).toEqual([
      { hall_id: 'h1', staff_id: 'counter-bot', username: null, role: 'clerk', password_hash: null },
      { hall_id: 'h2', staff_id: 'counter-bot', username: null, role: 'clerk', password_hash: null },
    ]);
    expect(await authenticateStaff(db.pool, 'key-a')).toEqual({ hallId: 'h1', staffId: 'counter-bot', role: 'clerk', via: 'api-key' });
    expect(await authenticateStaff(db.pool, 'key-c')).toMatchObject({ hallId: 'h2' });

    // From now on a key needs an account; a disabled account's keys stop working.
    await expect(
      db.pool.query('INSERT INTO staff_tokens (hall_id, token_hash, staff_id) VALUES ($1, $2, $3)', ['h1', tokenHash('key-d'), 'nobody']),
    ).rejects.toMatchObject({ code: '23503' });
    await db.pool.query("UPDATE staff SET disabled_at = now() WHERE hall_id = 'h1'");
    expect(await authenticateStaff(db.pool, 'key-a')).toBeNull();
  });

  it('puts hall_id first in the keys of the new tables and in every foreign key', async () => {
    const keys = await db.pool.query<{ table: string; kind: string; first: string }>(`
      SELECT c.conrelid::regclass::text AS table, c.contype::text AS kind, a.attname AS first
        FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
       WHERE c.contype IN ('p', 'f') AND c.conrelid::regclass::text IN ('staff', 'staff_sessions', 'audit_log', 'display_tokens', 'staff_tokens')`);
    expect(keys.rows.length).toBeGreaterThanOrEqual(9);
    expect(keys.rows.filter((r) => r.first !== 'hall_id')).toEqual([]);
  });
});

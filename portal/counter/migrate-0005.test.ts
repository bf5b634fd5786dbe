import { copyFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate } from '../db/migrate.js';
import { makeReachableTempDir, startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { segmentsOf, tilingProblems } from './counter-test-kit.js';

/** Migration 0005 on a portal that already called and served tickets the old way. */

let db: TestPostgres;
let upTo0004: string;

beforeAll(async () => {
  db = await startTestPostgres({ migrate: false });
  upTo0004 = await makeReachableTempDir('portal-migration-0004-');
  for (const file of (await readdir(MIGRATIONS_DIR)).filter((f) => /^000[1-4]_/.test(f))) {
    await copyFile(path.join(MIGRATIONS_DIR, file), path.join(upTo0004, file));
  }
});

afterAll(async () => {
  await db.close();
  await rm(upTo0004, { recursive: true, force: true });
});

const T = {
  waiting: '00000000-0000-4000-8000-000000000001',
  called: '00000000-0000-4000-8000-000000000002',
  completed: '00000000-0000-4000-8000-000000000003',
  noShow: '00000000-0000-4000-8000-000000000004',
};

describe('migration 0005 on tickets of the old life', () => {
  it('keeps every ticket, makes completed done, gives old counters a row and every ticket its segments', async () => {
    expect(await migrate(db.pool, { dir: upTo0004 })).toEqual([1, 2, 3, 4]);
    await db.pool.query(`INSERT INTO halls (hall_id, name_zh, name_en, time_zone) VALUES ('h1', '一', 'One', 'Asia/Shanghai')`);
    await db.pool.query(`INSERT INTO services (hall_id, service_id, prefix, name_zh, name_en) VALUES ('h1', 's', 'A', '业务', 'Service')`);
    await db.pool.query(`INSERT INTO kiosks (hall_id, kiosk_id, token_hash, kiosk_digit) VALUES ('h1', 'k', repeat('a', 64), 1)`);
    const ticket = (id: string, number: string, status: string, counter: string | null, called: string | null, finished: string | null) =>
      db.pool.query(
        `INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority, priority_rank, kiosk_id,
                              issued_at_kiosk, status, counter_id, received_at, called_at, finished_at)
         VALUES ('h1', $1, 's', '2025-03-10', $2, 'kiosk-series', 'normal', 2, 'k', '2025-03-10T01:00:00Z', $3, $4,
                 '2025-03-10T01:00:00Z', $5, $6)`,
        [id, number, status, counter, called, finished],
      );
    await ticket(T.waiting, 'A1-001', 'waiting', null, null, null);
    await ticket(T.called, 'A1-002', 'called', 'w01', '2025-03-10T01:10:00Z', null);
    await ticket(T.completed, 'A1-003', 'completed', 'w01', '2025-03-10T01:05:00Z', '2025-03-10T01:09:00Z');
    await ticket(T.noShow, 'A1-004', 'no-show', 'window 2', '2025-03-10T01:06:00Z', '2025-03-10T01:07:00Z');

    expect(await migrate(db.pool)).toContain(5);
    const rows = await db.pool.query(
      `SELECT ticket_id::text, status, counter_id, call_count, queue_at = received_at AS queued_at_receipt, received_at
       FROM tickets ORDER BY number`,
    );
    expect(rows.rows.map((r: Record<string, unknown>) => [r.status, r.counter_id, r.call_count, r.queued_at_receipt])).toEqual([
      ['waiting', null, 0, true],
      ['called', 'w01', 1, true],
      ['done', 'w01', 1, true],
      ['no-show', 'window 2', 1, true],
    ]);
    const counters = await db.pool.query('SELECT counter_id, number, enabled FROM counters ORDER BY counter_id');
    expect(counters.rows).toEqual([
      { counter_id: 'w01', number: 0, enabled: false },
      { counter_id: 'window 2', number: 0, enabled: false },
    ]);
    for (const row of rows.rows as { ticket_id: string; status: string; received_at: Date }[]) {
      const segments = await segmentsOf(db.pool, 'h1', row.ticket_id);
      // A no-show's last segment is open (it may be requeued); the rest tile as any ticket does.
      expect(tilingProblems(row, segments)).toEqual([]);
    }
    expect((await segmentsOf(db.pool, 'h1', T.completed)).map((s) => [s.state, s.ended_at?.toISOString()])).toEqual([
      ['waiting', '2025-03-10T01:05:00.000Z'],
      ['called', '2025-03-10T01:09:00.000Z'],
    ]);
    expect((await segmentsOf(db.pool, 'h1', T.noShow)).map((s) => s.state)).toEqual(['waiting', 'called', 'no-show']);
    await expect(db.pool.query(`UPDATE tickets SET status = 'completed' WHERE ticket_id = $1`, [T.waiting])).rejects.toMatchObject({ code: '23514' });
  });

  it('puts hall_id first in every primary key of its tables and in every foreign key', async () => {
    const keys = await db.pool.query<{ table: string; kind: string; columns: string[] }>(
      `SELECT c.conrelid::regclass::text AS table, c.contype AS kind,
              ARRAY(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, i)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.i)::text[] AS columns
       FROM pg_constraint c
       WHERE c.contype IN ('p', 'f') AND c.conrelid::regclass::text IN ('counters', 'counter_services', 'ticket_segments', 'tickets')
       ORDER BY 1, 2, 3`,
    );
    expect(keys.rows.length).toBeGreaterThanOrEqual(12);
    for (const key of keys.rows) {
      if (key.kind === 'p') expect(key.columns[0], `${key.table} primary key`).toBe('hall_id');
      else expect(key.columns, `${key.table} foreign key ${key.columns.join(',')}`).toContain('hall_id');
    }
  });
});

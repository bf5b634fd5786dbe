import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReachableTempDir, startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { MIGRATIONS_DIR, migrate } from './migrate.js';

let db: TestPostgres;
let upTo0002: string;

beforeAll(async () => {
  db = await startTestPostgres({ migrate: false });
  upTo0002 = await makeReachableTempDir('portal-migration-0002-');
  for (const file of ['0001_init.sql', '0002_bands_appointments_pull.sql']) {
    await copyFile(path.join(MIGRATIONS_DIR, file), path.join(upTo0002, file));
  }
});

afterAll(async () => {
  await db.close();
  await rm(upTo0002, { recursive: true, force: true });
});

const ticket = (number: string, numberSource = 'portal') =>
  db.pool.query(
    `INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority, priority_rank, kiosk_id, issued_at_kiosk)
     VALUES ('h1', gen_random_uuid(), 's', '2025-03-10', $1, $2, 'normal', 2, 'k', now())`,
    [number, numberSource],
  );

describe('migration 0003 on a portal with the bands and numbers of the old scheme', () => {
  it('keeps old bands, counters and rejections, and takes four-digit numbers, the band counter and the new codes', async () => {
    expect(await migrate(db.pool, { dir: upTo0002 })).toEqual([1, 2]);
    await db.pool.query(`INSERT INTO halls (hall_id, name_zh, name_en, time_zone) VALUES ('h1', '一', 'One', 'Asia/Shanghai')`);
    await db.pool.query(`INSERT INTO services (hall_id, service_id, prefix, name_zh, name_en) VALUES ('h1', 's', 'A', '业务', 'Service')`);
    await db.pool.query(`INSERT INTO kiosks (hall_id, kiosk_id, token_hash, kiosk_digit) VALUES ('h1', 'k', repeat('a', 64), 1)`);
    // The old scheme: a band cut from the online counter, which then stood past it.
    await db.pool.query(`INSERT INTO number_counters (hall_id, service_id, business_day, last_sequence) VALUES ('h1', 's', '2025-03-10', 51)`);
    await db.pool.query(
      `INSERT INTO number_bands (hall_id, band_id, kiosk_id, service_id, business_day, first_sequence, last_sequence, lease_id)
       VALUES ('h1', gen_random_uuid(), 'k', 's', '2025-03-10', 1, 50, gen_random_uuid())`,
    );
    await ticket('A051');
    await db.pool.query(
      `INSERT INTO sync_events (hall_id, event_id, kiosk_id, db_epoch, seq, type, payload, occurred_at, rejected_code)
       VALUES ('h1', gen_random_uuid(), 'k', gen_random_uuid(), 1, 'ticket.issued', '{}', now(), 'duplicate-number')`,
    );
    await expect(ticket('A1000')).rejects.toMatchObject({ code: '23514' });

    expect(await migrate(db.pool)).toContain(3);
    const counter = await db.pool.query('SELECT last_sequence, last_band_sequence FROM number_counters');
    expect(counter.rows).toEqual([{ last_sequence: 51, last_band_sequence: 8000 }]);
    expect((await db.pool.query('SELECT first_sequence, last_sequence FROM number_bands')).rows).toEqual([{ first_sequence: 1, last_sequence: 50 }]);

    await ticket('A1000');
    await ticket('A8001', 'band');
    await ticket('A1-1000', 'kiosk-series');
    await expect(ticket('A10000')).rejects.toMatchObject({ code: '23514' });
    await db.pool.query(
      `INSERT INTO number_bands (hall_id, band_id, kiosk_id, service_id, business_day, first_sequence, last_sequence, lease_id)
       VALUES ('h1', gen_random_uuid(), 'k', 's', '2025-03-10', 8001, 9999, gen_random_uuid())`,
    );
    await expect(db.pool.query('UPDATE number_counters SET last_sequence = 8000')).rejects.toMatchObject({ code: '23514' });
    await expect(db.pool.query('UPDATE number_counters SET last_band_sequence = 10000')).rejects.toMatchObject({ code: '23514' });
    for (const code of ['wrong-prefix', 'foreign-series', 'number-not-leased', 'number-not-allocated', 'wrong-business-day', 'priority-unproven']) {
      await db.pool.query('UPDATE sync_events SET rejected_code = $1', [code]);
    }
    await expect(db.pool.query("UPDATE sync_events SET rejected_code = 'no-such-code'")).rejects.toMatchObject({ code: '23514' });
    const cursor = await db.pool.query(
      "INSERT INTO kiosk_cursors (hall_id, kiosk_id, db_epoch) VALUES ('h1', 'k', gen_random_uuid()) RETURNING latest_business_day",
    );
    expect(cursor.rows).toEqual([{ latest_business_day: null }]);
  });
});

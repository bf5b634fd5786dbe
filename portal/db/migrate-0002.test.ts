import { copyFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeReachableTempDir, startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { MIGRATIONS_DIR, migrate } from './migrate.js';

let db: TestPostgres;
let onlyFirst: string;

beforeAll(async () => {
  db = await startTestPostgres({ migrate: false });
  onlyFirst = await makeReachableTempDir('portal-migration-0001-');
  await copyFile(path.join(MIGRATIONS_DIR, '0001_init.sql'), path.join(onlyFirst, '0001_init.sql'));
});

afterAll(async () => {
  await db.close();
  await rm(onlyFirst, { recursive: true, force: true });
});

describe('migration 0002 on a portal that already has halls and tickets', () => {
  it('gives every existing hall its own citizen key and keeps its tickets in receive order', async () => {
    expect(await migrate(db.pool, { dir: onlyFirst })).toEqual([1]);
    await db.pool.query(`INSERT INTO halls (hall_id, name_zh, name_en, time_zone) VALUES ('h1', '一', 'One', 'Asia/Shanghai'),
                                                                                  ('h2', '二', 'Two', 'Asia/Shanghai')`);
    await db.pool.query(`INSERT INTO services (hall_id, service_id, prefix, name_zh, name_en) VALUES ('h1', 's', 'A', '业务', 'Service')`);
    await db.pool.query(`INSERT INTO kiosks (hall_id, kiosk_id, token_hash, kiosk_digit) VALUES ('h1', 'k', repeat('a', 64), 1)`);
    await db.pool.query(
      `INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority, priority_rank,
                            kiosk_id, issued_at_kiosk)
       VALUES ('h1', gen_random_uuid(), 's', '2025-03-10', 'A001', 'portal', 'normal', 2, 'k', now())`,
    );

    // 0002 first; later migrations follow in the same call.
    expect((await migrate(db.pool))[0]).toBe(2);
    const halls = await db.pool.query<{ citizen_hmac_key: string; catalog_version: string; appointment_seq: string }>(
      'SELECT citizen_hmac_key, catalog_version, appointment_seq FROM halls ORDER BY hall_id',
    );
    expect(halls.rows).toHaveLength(2);
    for (const hall of halls.rows) {
      expect(hall.citizen_hmac_key).toMatch(/^[0-9a-f]{64}$/);
      expect(hall).toMatchObject({ catalog_version: '1', appointment_seq: '0' });
    }
    expect(halls.rows[0]?.citizen_hmac_key).not.toBe(halls.rows[1]?.citizen_hmac_key);
    const tickets = await db.pool.query<{ receive_seq: string }>('SELECT receive_seq FROM tickets');
    expect(tickets.rows).toEqual([{ receive_seq: '1' }]);
  });

  it('gives a hall created without a key one anyway, and refuses a key that is not 64 hex digits', async () => {
    await db.pool.query(`INSERT INTO halls (hall_id, name_zh, name_en, time_zone) VALUES ('h3', '三', 'Three', 'UTC')`);
    const key = await db.pool.query<{ citizen_hmac_key: string }>("SELECT citizen_hmac_key FROM halls WHERE hall_id = 'h3'");
    expect(key.rows[0]?.citizen_hmac_key).toMatch(/^[0-9a-f]{64}$/);
    await expect(db.pool.query("UPDATE halls SET citizen_hmac_key = 'short' WHERE hall_id = 'h3'")).rejects.toMatchObject({ code: '23514' });
  });

  it('bumps the catalog version on catalog changes only', async () => {
    const version = async (): Promise<number> => {
      const r = await db.pool.query<{ catalog_version: string }>("SELECT catalog_version FROM halls WHERE hall_id = 'h1'");
      return Number(r.rows[0]?.catalog_version);
    };
    const start = await version();
    await db.pool.query("INSERT INTO services (hall_id, service_id, prefix, name_zh, name_en) VALUES ('h1', 't', 'B', '税', 'Tax')");
    expect(await version()).toBe(start + 1);
    await db.pool.query("UPDATE services SET enabled = false WHERE hall_id = 'h1' AND service_id = 't'");
    expect(await version()).toBe(start + 2);
    await db.pool.query("UPDATE services SET enabled = false WHERE hall_id = 'h1' AND service_id = 't'");
    await db.pool.query("UPDATE halls SET appointment_seq = appointment_seq + 1 WHERE hall_id = 'h1'");
    expect(await version()).toBe(start + 2);
    await db.pool.query("UPDATE halls SET time_zone = 'Asia/Urumqi' WHERE hall_id = 'h1'");
    expect(await version()).toBe(start + 3);
    await db.pool.query("DELETE FROM services WHERE hall_id = 'h1' AND service_id = 't'");
    expect(await version()).toBe(start + 4);
  });
});

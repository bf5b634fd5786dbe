import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateKiosk, authenticateStaff } from '../auth/principals.js';
import { tokenHash } from '../auth/token-hash.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { DEMO_HALL_ID, seedDemoHall } from './demo-hall.js';

let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
});

afterAll(async () => {
  await db.close();
});

const seed = (kioskToken: string, staffToken: string): Promise<void> =>
  seedDemoHall(db.pool, { kioskTokens: [{ kioskId: 'kiosk-1', token: kioskToken, kioskDigit: 1 }], staffToken });

describe('seedDemoHall re-run (issue 7 §3)', () => {
  it('does not revive a revoked kiosk or staff token', async () => {
    await seed('seed-kiosk-token-a', 'seed-staff-token-a');
    expect(await authenticateKiosk(db.pool, 'seed-kiosk-token-a')).not.toBeNull();
    await db.pool.query('UPDATE kiosks SET revoked_at = now() WHERE hall_id = $1 AND kiosk_id = $2', [DEMO_HALL_ID, 'kiosk-1']);
    await db.pool.query('UPDATE staff_tokens SET revoked_at = now() WHERE token_hash = $1', [tokenHash('seed-staff-token-a')]);

    await seed('seed-kiosk-token-a', 'seed-staff-token-a');

    expect(await authenticateKiosk(db.pool, 'seed-kiosk-token-a')).toBeNull();
    expect(await authenticateStaff(db.pool, 'seed-staff-token-a')).toBeNull();
    const revoked = await db.pool.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM kiosks WHERE revoked_at IS NOT NULL)::int
            + (SELECT count(*) FROM staff_tokens WHERE revoked_at IS NOT NULL)::int AS n`,
    );
    expect(revoked.rows[0]?.n).toBe(2);
  });

  it('gives the kiosk a fresh, active token when seeded with a different one', async () => {
    await seed('seed-kiosk-token-b', 'seed-staff-token-b');
    expect(await authenticateKiosk(db.pool, 'seed-kiosk-token-b')).toMatchObject({ kioskId: 'kiosk-1' });
    expect(await authenticateKiosk(db.pool, 'seed-kiosk-token-a')).toBeNull();
    expect(await authenticateStaff(db.pool, 'seed-staff-token-b')).toMatchObject({ hallId: DEMO_HALL_ID });
    expect(await authenticateStaff(db.pool, 'seed-staff-token-a')).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../auth/token-hash.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import {
  activeDemoTokens,
  DEMO_KIOSK_TOKEN,
  DEMO_STAFF_TOKEN,
  refuseActiveDemoTokens,
  refuseDemoTokensInEnv,
} from './demo-credentials.js';
import { DEMO_HALL_ID, seedDemoHall } from './demo-hall.js';

let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
});

afterAll(async () => {
  await db.close();
});

describe('demo tokens outside demo mode (issue 7 §3)', () => {
  it('refuses KIOSK_TOKEN / STAFF_TOKEN set to the demo values, naming them', () => {
    expect(() => refuseDemoTokensInEnv({ demoMode: false, env: { KIOSK_TOKEN: DEMO_KIOSK_TOKEN } })).toThrow(/KIOSK_TOKEN/);
    expect(() => refuseDemoTokensInEnv({ demoMode: false, env: { STAFF_TOKEN: DEMO_STAFF_TOKEN } })).toThrow(/STAFF_TOKEN/);
    expect(() => refuseDemoTokensInEnv({ demoMode: false, env: { KIOSK_TOKEN: 'a-real-kiosk-token' } })).not.toThrow();
    expect(() => refuseDemoTokensInEnv({ demoMode: true, env: { KIOSK_TOKEN: DEMO_KIOSK_TOKEN } })).not.toThrow();
  });

  it('finds active demo tokens by hash in both tables, and none once they are revoked', async () => {
    await seedDemoHall(db.pool, {
      kioskTokens: [
        { kioskId: 'kiosk-1', token: DEMO_KIOSK_TOKEN, kioskDigit: 1 },
        { kioskId: 'kiosk-2', token: 'a-real-kiosk-token', kioskDigit: 2 },
      ],
      staffToken: DEMO_STAFF_TOKEN,
    });
    // The table keeps hashes only: the check cannot look for the text.
    const stored = await db.pool.query('SELECT token_hash FROM kiosks WHERE kiosk_id = $1', ['kiosk-1']);
    expect(stored.rows).toEqual([{ token_hash: tokenHash(DEMO_KIOSK_TOKEN) }]);

    expect(await activeDemoTokens(db.pool)).toEqual([`kiosk ${DEMO_HALL_ID}/kiosk-1`, `staff ${DEMO_HALL_ID}/demo-staff`]);
    await expect(refuseActiveDemoTokens(db.pool, { demoMode: false })).rejects.toMatchObject({ code: 'demo-credentials' });
    await expect(refuseActiveDemoTokens(db.pool, { demoMode: true })).resolves.toBeUndefined();

    await db.pool.query('UPDATE kiosks SET revoked_at = now() WHERE kiosk_id = $1', ['kiosk-1']);
    await db.pool.query('UPDATE staff_tokens SET revoked_at = now()');
    expect(await activeDemoTokens(db.pool)).toEqual([]);
    await expect(refuseActiveDemoTokens(db.pool, { demoMode: false })).resolves.toBeUndefined();
  });

  it('counts the demo staff token used as a kiosk token too', async () => {
    await db.pool.query('UPDATE kiosks SET token_hash = $1, revoked_at = NULL WHERE kiosk_id = $2', [tokenHash(DEMO_STAFF_TOKEN), 'kiosk-2']);
    expect(await activeDemoTokens(db.pool)).toEqual([`kiosk ${DEMO_HALL_ID}/kiosk-2`]);
  });
});

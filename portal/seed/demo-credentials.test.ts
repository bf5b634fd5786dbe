import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../auth/token-hash.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { setStaffPassword } from '../staff/staff-accounts.js';
import { revokeDisplayToken } from '../staff/display-tokens.js';
import { signInVia, startProbeApp } from '../staff/staff-test-kit.js';
import {
  activeDemoAccounts,
  activeDemoTokens,
  DEMO_DISPLAY_TOKEN,
  DEMO_KIOSK_TOKEN,
  DEMO_STAFF_ACCOUNTS,
  DEMO_STAFF_PASSWORD,
  DEMO_STAFF_TOKEN,
  refuseActiveDemoTokens,
  refuseDemoTokensInEnv,
} from './demo-credentials.js';
import { DEMO_DISPLAY_ID, DEMO_HALL_ID, seedDemoHall } from './demo-hall.js';

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

describe('demo staff accounts and the demo display token (issue 8 §2)', () => {
  const HALL = 'demo-staff-hall';

  beforeAll(async () => {
    // What the tests above left active.
    await db.pool.query('UPDATE kiosks SET revoked_at = now()');
  });

  it('seeds six accounts that sign in with the demo password, and the display token', async () => {
    await seedDemoHall(db.pool, { hallId: HALL, kioskTokens: [], staffToken: 'a-real-staff-token', staffAccounts: DEMO_STAFF_ACCOUNTS, displayToken: DEMO_DISPLAY_TOKEN });
    expect(DEMO_STAFF_PASSWORD.length).toBeGreaterThanOrEqual(10);
    const roles = await db.pool.query('SELECT username, role FROM staff WHERE hall_id = $1 AND username IS NOT NULL ORDER BY username', [HALL]);
    expect(roles.rows).toEqual([
      { username: 'admin', role: 'admin' },
      { username: 'clerk1', role: 'clerk' },
      { username: 'clerk2', role: 'clerk' },
      { username: 'clerk3', role: 'clerk' },
      { username: 'clerk4', role: 'clerk' },
      { username: 'manager', role: 'manager' },
    ]);
    const app = await startProbeApp(db.pool);
    try {
      const answer = await signInVia(app, { hallId: HALL, username: 'manager', password: DEMO_STAFF_PASSWORD });
      expect(answer.status).toBe(200);
      const display = await app.inject({ method: 'GET', url: '/v1/test/display', headers: { authorization: `Bearer ${DEMO_DISPLAY_TOKEN}` } });
      expect(display.json()).toEqual({ hallId: HALL, displayId: DEMO_DISPLAY_ID });
    } finally {
      await app.close();
    }
  });

  it('refuses to start outside demo mode while one of them is active, naming it', async () => {
    expect(await activeDemoTokens(db.pool)).toContain(`display ${HALL}/${DEMO_DISPLAY_ID}`);
    expect(await activeDemoAccounts(db.pool)).toEqual(DEMO_STAFF_ACCOUNTS.map((a) => `staff-account ${HALL}/${a.username}`).sort());
    await expect(refuseActiveDemoTokens(db.pool, { demoMode: false })).rejects.toMatchObject({ code: 'demo-credentials' });
    await expect(refuseActiveDemoTokens(db.pool, { demoMode: true })).resolves.toBeUndefined();

    await revokeDisplayToken(db.pool, HALL, DEMO_DISPLAY_ID);
    expect(await activeDemoTokens(db.pool)).toEqual([]);
    // Still refused: the accounts keep the published password.
    await expect(refuseActiveDemoTokens(db.pool, { demoMode: false })).rejects.toThrow(/staff-account demo-staff-hall\/admin/);
    for (const a of DEMO_STAFF_ACCOUNTS) await setStaffPassword(db.pool, HALL, a.staffId, `a-real-password-for-${a.username}`, { cost: { N: 1024, r: 8, p: 1 } });
    expect(await activeDemoAccounts(db.pool)).toEqual([]);
    await expect(refuseActiveDemoTokens(db.pool, { demoMode: false })).resolves.toBeUndefined();
  });

  it('a re-seed neither resets a changed password nor revives the revoked display token', async () => {
    await seedDemoHall(db.pool, { hallId: HALL, kioskTokens: [], staffToken: 'a-real-staff-token', staffAccounts: DEMO_STAFF_ACCOUNTS, displayToken: DEMO_DISPLAY_TOKEN });
    expect(await activeDemoAccounts(db.pool)).toEqual([]);
    expect(await activeDemoTokens(db.pool)).toEqual([]);
  });
});

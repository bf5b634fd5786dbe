/**
 * Password sign-in on a real PostgreSQL: one answer (and one time) for unknown users and wrong
 * passwords, an escalating lockout kept in the database, the per-address failure budget, the
 * audit trail, and re-hashing at a raised cost.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaffRole } from '../../common/contract/route-spec.js';
import { DEFAULT_PASSWORD_COST } from '../auth/password-hash.js';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { WRONG_CREDENTIALS } from './sign-in.js';
import { createStaffAccount, disableStaff, unlockStaff } from './staff-accounts.js';
import { signInVia, startProbeApp } from './staff-test-kit.js';

const PASSWORD = 'the-right-password';

let db: TestPostgres;
let app: FastifyInstance;

const account = (staffId: string, password = PASSWORD, role = StaffRole.Clerk) =>
  createStaffAccount(db.pool, { hallId: DEMO_HALL_ID, staffId, username: staffId, displayName: staffId, role, password });

const attempt = (username: string, password: string, remoteAddress?: string) =>
  signInVia(app, { hallId: DEMO_HALL_ID, username, password }, remoteAddress ? { remoteAddress } : {});

beforeAll(async () => {
  db = await startTestPostgres();
  await seedDemoHall(db.pool, { kioskTokens: [], staffToken: 'sign-in-test-api-key' });
  await Promise.all(['alice', 'bob', 'carol', 'dave', 'erin'].map((id) => account(id)));
  app = await startProbeApp(db.pool, { limits: { authFailuresPerWindow: 1_000 } });
});

afterAll(async () => {
  await app.close();
  await db.close();
});

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

describe('sign-in answers', () => {
  it('signs in with the right password and says nothing about which part was wrong otherwise', async () => {
    const ok = await attempt('alice', PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ staff: { hallId: DEMO_HALL_ID, staffId: 'alice', role: 'clerk' } });

    const wrong = await attempt('alice', 'not-the-password');
    const unknown = await attempt('nobody-here', 'not-the-password');
    const unknownHall = await signInVia(app, { hallId: 'no-such-hall', username: 'alice', password: PASSWORD });
    await disableStaff(db.pool, DEMO_HALL_ID, 'erin');
    const disabled = await attempt('erin', PASSWORD);
    // The API key holder the migration made has no password: no sign-in either.
    const keyOnly = await attempt('demo-staff', PASSWORD);
    for (const answer of [wrong, unknown, unknownHall, disabled, keyOnly]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ code: 'unauthorized', message: WRONG_CREDENTIALS });
      expect(answer.sessionId).toBeUndefined();
    }
  });

  it('takes the time of a password check for an unknown user as for a wrong password', async () => {
    // Warm both paths once, then alternate so machine load hits both alike.
    await attempt('bob', 'wrong-password-0');
    await attempt('ghost', 'wrong-password-0');
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 1; i <= 3; i += 1) {
      wrong.push(await timed(() => attempt('bob', `wrong-password-${i}`)));
      unknown.push(await timed(() => attempt('ghost', `wrong-password-${i}`)));
    }
    // A check at the default cost is tens of milliseconds; skipping it would be ~1 ms.
    expect(DEFAULT_PASSWORD_COST.N).toBe(32_768);
    const ratio = median(unknown) / median(wrong);
    expect(median(wrong)).toBeGreaterThan(15);
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(2.5);
    await unlockStaff(db.pool, DEMO_HALL_ID, 'bob');
  });

  it('refuses a sign-in posted from a foreign page (login CSRF)', async () => {
    const answer = await signInVia(app, { hallId: DEMO_HALL_ID, username: 'alice', password: PASSWORD }, { headers: { origin: 'https://evil.example' } });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ code: 'csrf' });
    expect(answer.sessionId).toBeUndefined();
  });
});

describe('lockout', () => {
  const state = async (staffId: string) =>
    (
      await db.pool.query<{ failed_logins: number; lockouts: number; locked_s: number | null }>(
        `SELECT failed_logins, lockouts, round(EXTRACT(EPOCH FROM locked_until - clock_timestamp()))::int AS locked_s FROM staff WHERE hall_id = $1 AND staff_id = $2`,
        [DEMO_HALL_ID, staffId],
      )
    ).rows[0];
  const endLock = (staffId: string) =>
    db.pool.query("UPDATE staff SET locked_until = clock_timestamp() - interval '1 second' WHERE hall_id = $1 AND staff_id = $2", [DEMO_HALL_ID, staffId]);

  it('locks at the fifth wrong password, escalates on the next one after the lock, and persists in the database', async () => {
    for (let i = 1; i <= 4; i += 1) expect((await attempt('carol', `wrong-${i}`)).status).toBe(401);
    const fifth = await attempt('carol', 'wrong-5');
    expect(fifth.status).toBe(423);
    expect(fifth.body).toMatchObject({ code: 'locked-out' });
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(290);
    // Locked: even the right password is not checked.
    expect((await attempt('carol', PASSWORD)).status).toBe(423);
    expect(await state('carol')).toMatchObject({ failed_logins: 5, lockouts: 1 });

    // The lock is the database's: another portal process sees it, and the count goes on after it.
    await endLock('carol');
    const other = await startProbeApp(db.pool, { limits: { authFailuresPerWindow: 1_000 } });
    try {
      const sixth = await signInVia(other, { hallId: DEMO_HALL_ID, username: 'carol', password: 'wrong-6' });
      expect(sixth.status).toBe(423);
      expect(Number(sixth.headers['retry-after'])).toBeGreaterThan(590);
    } finally {
      await other.close();
    }
    expect(await state('carol')).toMatchObject({ failed_logins: 6, lockouts: 2 });
    expect((await state('carol'))?.locked_s).toBeGreaterThan(590);

    // After the lock, the right password signs in and the streak is over.
    await endLock('carol');
    expect((await attempt('carol', PASSWORD)).status).toBe(200);
    expect(await state('carol')).toMatchObject({ failed_logins: 0, lockouts: 0, locked_s: null });
  });

  it('locks a username without an account the same way', async () => {
    const answers = [];
    for (let i = 1; i <= 6; i += 1) answers.push((await attempt('no-such-clerk', `wrong-${i}`)).status);
    expect(answers).toEqual([401, 401, 401, 401, 423, 423]);
  });

  it('counts failed sign-ins against the address failure budget', async () => {
    const strict = await startProbeApp(db.pool, { limits: { authFailuresPerWindow: 3, authFailureDelayMs: 10 } });
    try {
      const from = (address: string, password: string) => signInVia(strict, { hallId: DEMO_HALL_ID, username: 'dave', password }, { remoteAddress: address });
      for (let i = 1; i <= 3; i += 1) expect((await from('10.0.0.7', `wrong-${i}`)).status).toBe(401);
      const throttled = await from('10.0.0.7', PASSWORD);
      expect(throttled.status).toBe(429);
      expect(throttled.body).toMatchObject({ code: 'rate-limited' });
      // Another address is not held back, and the account is not locked by three failures.
      expect((await from('10.0.0.8', PASSWORD)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('audit and re-hash', () => {
  it('audits sign-in ok, wrong password, unknown user and locked-out refusals, never with the password', async () => {
    await account('frank');
    await attempt('frank', 'frank-wrong-password');
    await attempt('frank', PASSWORD);
    await attempt('frank-typo', 'frank-wrong-password');
    const rows = await db.pool.query(
      `SELECT actor_kind, actor_id, action, target, outcome, detail->>'reason' AS reason, detail::text AS detail
         FROM audit_log WHERE hall_id = $1 AND action = 'staff.sign-in' AND target LIKE 'frank%' ORDER BY audit_id`,
      [DEMO_HALL_ID],
    );
    expect(rows.rows.map(({ detail: _detail, ...row }: Record<string, unknown>) => row)).toEqual([
      { actor_kind: 'staff', actor_id: 'frank', action: 'staff.sign-in', target: 'frank', outcome: 'failed', reason: 'wrong-password' },
      { actor_kind: 'staff', actor_id: 'frank', action: 'staff.sign-in', target: 'frank', outcome: 'ok', reason: null },
      { actor_kind: 'staff', actor_id: '?', action: 'staff.sign-in', target: 'frank-typo', outcome: 'failed', reason: 'unknown-user' },
    ]);
    expect(JSON.stringify(rows.rows)).not.toContain('frank-wrong-password');
    expect(JSON.stringify(rows.rows)).not.toContain(PASSWORD);
    const locked = await db.pool.query(
      "SELECT count(*)::int AS n FROM audit_log WHERE target = 'carol' AND outcome = 'refused' AND detail->>'reason' = 'locked-out'",
    );
    expect((locked.rows[0] as { n: number }).n).toBeGreaterThanOrEqual(1);
  });

  it('re-hashes a password stored at a lower cost when it signs in', async () => {
    await createStaffAccount(
      db.pool,
      { hallId: DEMO_HALL_ID, staffId: 'grace', username: 'grace', displayName: 'Grace', role: StaffRole.Clerk, password: PASSWORD },
      { cost: { N: 1024, r: 8, p: 1 } },
    );
    expect((await attempt('grace', PASSWORD)).status).toBe(200);
    const stored = await db.pool.query<{ password_hash: string }>("SELECT password_hash FROM staff WHERE staff_id = 'grace'");
    expect(stored.rows[0]?.password_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect((await attempt('grace', PASSWORD)).status).toBe(200);
  });
});

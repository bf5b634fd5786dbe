import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateDisplay } from '../auth/principals.js';
import { verifyPassword } from '../auth/password-hash.js';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { startTestPostgres, type TestPostgres } from '../test-support/test-postgres.js';
import { runStaffCommand } from './staff-commands.js';

let db: TestPostgres;

beforeAll(async () => {
  db = await startTestPostgres();
  await seedDemoHall(db.pool, { kioskTokens: [], staffToken: 'staff-commands-api-key' });
});

afterAll(async () => {
  await db.close();
});

async function run(argv: string[], password = 'a-chosen-password'): Promise<string[]> {
  const printed: string[] = [];
  await runStaffCommand(db.pool, argv, { readPassword: async () => password, print: (line) => printed.push(line) });
  return printed;
}

describe('npm run staff', () => {
  it('creates an account with a chosen password, hashed, and audits it', async () => {
    await run(['add', '--hall', DEMO_HALL_ID, '--staff-id', 'w3', '--username', 'wang', '--name', '王芳', '--role', 'manager']);
    const row = await db.pool.query<{ role: string; password_hash: string }>("SELECT role, password_hash FROM staff WHERE staff_id = 'w3'");
    expect(row.rows[0]?.role).toBe('manager');
    expect(await verifyPassword('a-chosen-password', row.rows[0]?.password_hash ?? '')).toBe(true);
    const audit = await db.pool.query("SELECT actor_kind, action, target FROM audit_log WHERE target = 'w3'");
    expect(audit.rows).toEqual([{ actor_kind: 'system', action: 'staff.account-set', target: 'w3' }]);
  });

  it('refuses a short password and a missing hall', async () => {
    await expect(run(['add', '--hall', DEMO_HALL_ID, '--staff-id', 'w4', '--username', 'short'], 'short')).rejects.toThrow();
    await expect(run(['unlock', '--staff-id', 'w3'])).rejects.toThrow(/--hall/);
  });

  it('issues a display token, printed once and stored hashed, and revokes it', async () => {
    const [token] = await run(['display-token', '--hall', DEMO_HALL_ID, '--display-id', 'lobby', '--name', 'Lobby']);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await authenticateDisplay(db.pool, token ?? '')).toEqual({ hallId: DEMO_HALL_ID, displayId: 'lobby' });
    expect(await run(['revoke-display', '--hall', DEMO_HALL_ID, '--display-id', 'lobby'])).toEqual(['token of lobby revoked']);
    expect(await authenticateDisplay(db.pool, token ?? '')).toBeNull();
  });
});

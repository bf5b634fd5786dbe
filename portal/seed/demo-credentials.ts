import type pg from 'pg';
import { z } from 'zod';
import { StaffRole } from '../../common/contract/route-spec.js';
import { verifyPassword } from '../auth/password-hash.js';
import { tokenHash } from '../auth/token-hash.js';

/**
 * The demo's well-known tokens (README, `npm start`). They are fine on a demo machine and a hole
 * anywhere else: the portal refuses to start outside demo mode (`--seed-demo` / PORTAL_DEMO=1)
 * while they would be accepted.
 */
export const DEMO_KIOSK_TOKEN = 'demo-kiosk-token';
export const DEMO_STAFF_TOKEN = 'demo-staff-token';
/** The hall display's token in the demo (`/display/`). */
export const DEMO_DISPLAY_TOKEN = 'demo-display-token';
/** The password of every demo staff account (DEMO_STAFF_ACCOUNTS). */
export const DEMO_STAFF_PASSWORD = 'demo-password';

export interface DemoStaffAccount {
  staffId: string;
  username: string;
  displayName: string;
  role: StaffRole;
}

/** The demo hall's people: four clerks, a manager and an admin, all with DEMO_STAFF_PASSWORD. */
export const DEMO_STAFF_ACCOUNTS: readonly DemoStaffAccount[] = [
  { staffId: 'clerk1', username: 'clerk1', displayName: '李娜', role: StaffRole.Clerk },
  { staffId: 'clerk2', username: 'clerk2', displayName: '王强', role: StaffRole.Clerk },
  { staffId: 'clerk3', username: 'clerk3', displayName: '刘洋', role: StaffRole.Clerk },
  { staffId: 'clerk4', username: 'clerk4', displayName: '陈静', role: StaffRole.Clerk },
  { staffId: 'manager', username: 'manager', displayName: '赵主任', role: StaffRole.Manager },
  { staffId: 'admin', username: 'admin', displayName: '系统管理员', role: StaffRole.Admin },
];

export class DemoCredentialsError extends Error {
  readonly code = 'demo-credentials';
  constructor(message: string) {
    super(message);
    this.name = 'DemoCredentialsError';
  }
}

/** The environment variables that hand the portal a demo token. */
export function demoTokensInEnv(env: NodeJS.ProcessEnv): string[] {
  const found: string[] = [];
  if (env.KIOSK_TOKEN === DEMO_KIOSK_TOKEN) found.push('KIOSK_TOKEN');
  if (env.STAFF_TOKEN === DEMO_STAFF_TOKEN) found.push('STAFF_TOKEN');
  return found;
}

const Holder = z.object({ kind: z.enum(['display', 'kiosk', 'staff']), hall_id: z.string(), holder: z.string() });

/** Kiosks, staff API keys and hall displays whose active (not revoked) token is a demo token, by hash. */
export async function activeDemoTokens(db: pg.Pool | pg.PoolClient): Promise<string[]> {
  const hashes = [tokenHash(DEMO_KIOSK_TOKEN), tokenHash(DEMO_STAFF_TOKEN), tokenHash(DEMO_DISPLAY_TOKEN)];
  // Any demo token in any table: a demo staff token pasted as a kiosk token is just as open.
  const result = await db.query(
    `SELECT 'kiosk' AS kind, hall_id, kiosk_id AS holder FROM kiosks WHERE token_hash = ANY($1) AND revoked_at IS NULL
     UNION ALL
     SELECT 'staff' AS kind, hall_id, staff_id AS holder FROM staff_tokens WHERE token_hash = ANY($1) AND revoked_at IS NULL
     UNION ALL
     SELECT 'display' AS kind, hall_id, display_id AS holder FROM display_tokens WHERE token_hash = ANY($1) AND revoked_at IS NULL
     ORDER BY kind, hall_id, holder`,
    [hashes],
  );
  return result.rows.map((row) => {
    const { kind, hall_id: hallId, holder } = Holder.parse(row);
    return `${kind} ${hallId}/${holder}`;
  });
}

const AccountRow = z.object({ hall_id: z.string(), username: z.string(), password_hash: z.string() });

/**
 * Enabled staff accounts that still sign in with the published demo username and password. Only
 * the demo usernames are checked (a password check costs 0.1 s; a hall may have hundreds of
 * accounts), in every hall: a demo account copied to a real hall is just as open.
 */
export async function activeDemoAccounts(db: pg.Pool | pg.PoolClient): Promise<string[]> {
  const result = await db.query(
    `SELECT hall_id, username, password_hash FROM staff
      WHERE username = ANY($1) AND password_hash IS NOT NULL AND disabled_at IS NULL
      ORDER BY hall_id, username`,
    [DEMO_STAFF_ACCOUNTS.map((a) => a.username)],
  );
  const found: string[] = [];
  for (const raw of result.rows) {
    const row = AccountRow.parse(raw);
    if (await verifyPassword(DEMO_STAFF_PASSWORD, row.password_hash)) found.push(`staff-account ${row.hall_id}/${row.username}`);
  }
  return found;
}

const DEMO_MODE_HINT = 'demo mode is --seed-demo or PORTAL_DEMO=1';

/** Checked before anything starts: throws DemoCredentialsError unless in demo mode. */
export function refuseDemoTokensInEnv(options: { demoMode: boolean; env: NodeJS.ProcessEnv }): void {
  if (options.demoMode) return;
  const inEnv = demoTokensInEnv(options.env);
  if (inEnv.length > 0) {
    throw new DemoCredentialsError(`${inEnv.join(' and ')} ${inEnv.length > 1 ? 'are' : 'is'} a demo token outside demo mode; set real tokens (${DEMO_MODE_HINT})`);
  }
}

/** Checked once the schema is migrated: throws DemoCredentialsError naming each holder, unless in demo mode. */
export async function refuseActiveDemoTokens(db: pg.Pool | pg.PoolClient, options: { demoMode: boolean }): Promise<void> {
  if (options.demoMode) return;
  const active = await activeDemoTokens(db);
  if (active.length > 0) {
    throw new DemoCredentialsError(`the database holds active demo tokens (${active.join(', ')}) outside demo mode; revoke them (${DEMO_MODE_HINT})`);
  }
  const accounts = await activeDemoAccounts(db);
  if (accounts.length > 0) {
    throw new DemoCredentialsError(
      `the database holds staff accounts with the demo password (${accounts.join(', ')}) outside demo mode; ` +
        `set their passwords (npm run staff -- password) or disable them (${DEMO_MODE_HINT})`,
    );
  }
}

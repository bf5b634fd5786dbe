import type pg from 'pg';
import { z } from 'zod';
import { StaffId } from '../../common/contract/counter-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { Password, StaffView, Username } from '../../common/contract/staff-api.js';
import { hashPassword, type ScryptCost } from '../auth/password-hash.js';
import { revokeStaffSessions } from '../auth/staff-sessions.js';
import { withTransaction } from '../db/transaction.js';
import { recordAudit, type AuditActor } from './audit.js';

/**
 * Staff accounts of a hall: created, given a password, unlocked and disabled by an admin (for now
 * through `npm run staff` or these functions; a manager console can call the same). Every change
 * is audited in its own transaction.
 */

export const NewStaffAccount = z.object({
  hallId: z.string().min(1).max(64),
  staffId: StaffId,
  username: Username,
  displayName: z.string().min(1).max(64),
  role: z.enum(StaffRole),
  password: Password,
});
export type NewStaffAccount = z.infer<typeof NewStaffAccount>;

/** The portal itself (a CLI run by whoever holds the server), when no member of staff acts. */
export const SYSTEM_ACTOR: AuditActor = { kind: 'system', id: 'portal' };

export class StaffAccountError extends Error {
  readonly code: 'unknown-staff' | 'username-taken';
  constructor(code: 'unknown-staff' | 'username-taken', message: string) {
    super(message);
    this.name = 'StaffAccountError';
    this.code = code;
  }
}

const UNIQUE_VIOLATION = '23505';

/**
 * Creates a staff account with a password (or gives a password and a username to an account that
 * exists without one, e.g. an API key holder). Refuses a username another account of the hall has.
 */
export async function createStaffAccount(
  pool: pg.Pool,
  input: NewStaffAccount,
  options: { actor?: AuditActor; cost?: ScryptCost } = {},
): Promise<void> {
  const account = NewStaffAccount.parse(input);
  const passwordHash = await hashPassword(account.password, options.cost ? { cost: options.cost } : {});
  try {
    await withTransaction(pool, async (client) => {
      await client.query(
        `INSERT INTO staff (hall_id, staff_id, username, display_name, role, password_hash, password_changed_at)
         VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
         ON CONFLICT (hall_id, staff_id) DO UPDATE SET username = EXCLUDED.username, display_name = EXCLUDED.display_name,
           role = EXCLUDED.role, password_hash = EXCLUDED.password_hash, password_changed_at = EXCLUDED.password_changed_at,
           failed_logins = 0, locked_until = NULL, lockouts = 0`,
        [account.hallId, account.staffId, account.username, account.displayName, account.role, passwordHash],
      );
      // A new password ends the sessions opened with the old one.
      await revokeStaffSessions(client, account.hallId, account.staffId);
      await recordAudit(client, {
        hallId: account.hallId,
        actor: options.actor ?? SYSTEM_ACTOR,
        action: 'staff.account-set',
        target: account.staffId,
        detail: { username: account.username, role: account.role },
        outcome: 'ok',
      });
    });
  } catch (err) {
    if ((err as { code?: unknown }).code === UNIQUE_VIOLATION) {
      throw new StaffAccountError('username-taken', `username ${account.username} is taken in hall ${account.hallId}`);
    }
    throw err;
  }
}

/** Sets a new password; ends the account's sessions and clears its lockout. */
export async function setStaffPassword(
  pool: pg.Pool,
  hallId: string,
  staffId: string,
  password: string,
  options: { actor?: AuditActor; cost?: ScryptCost } = {},
): Promise<void> {
  const passwordHash = await hashPassword(Password.parse(password), options.cost ? { cost: options.cost } : {});
  await withTransaction(pool, async (client) => {
    const result = await client.query(
      `UPDATE staff SET password_hash = $3, password_changed_at = clock_timestamp(), failed_logins = 0, locked_until = NULL, lockouts = 0
        WHERE hall_id = $1 AND staff_id = $2 AND username IS NOT NULL`,
      [hallId, staffId, passwordHash],
    );
    if (result.rowCount !== 1) throw new StaffAccountError('unknown-staff', `no account ${staffId} with a username in hall ${hallId}`);
    await revokeStaffSessions(client, hallId, staffId);
    await recordAudit(client, { hallId, actor: options.actor ?? SYSTEM_ACTOR, action: 'staff.password-set', target: staffId, outcome: 'ok' });
  });
}

/** Lifts a lockout and forgets the wrong passwords so far. */
export async function unlockStaff(pool: pg.Pool, hallId: string, staffId: string, options: { actor?: AuditActor } = {}): Promise<void> {
  await withTransaction(pool, async (client) => {
    const result = await client.query(
      'UPDATE staff SET failed_logins = 0, locked_until = NULL, lockouts = 0 WHERE hall_id = $1 AND staff_id = $2',
      [hallId, staffId],
    );
    if (result.rowCount !== 1) throw new StaffAccountError('unknown-staff', `no account ${staffId} in hall ${hallId}`);
    await recordAudit(client, { hallId, actor: options.actor ?? SYSTEM_ACTOR, action: 'staff.unlock', target: staffId, outcome: 'ok' });
  });
}

/** Disables an account: no sign-in, its sessions end, its API keys stop working. */
export async function disableStaff(pool: pg.Pool, hallId: string, staffId: string, options: { actor?: AuditActor } = {}): Promise<void> {
  await withTransaction(pool, async (client) => {
    const result = await client.query(
      'UPDATE staff SET disabled_at = coalesce(disabled_at, clock_timestamp()) WHERE hall_id = $1 AND staff_id = $2',
      [hallId, staffId],
    );
    if (result.rowCount !== 1) throw new StaffAccountError('unknown-staff', `no account ${staffId} in hall ${hallId}`);
    await revokeStaffSessions(client, hallId, staffId);
    await recordAudit(client, { hallId, actor: options.actor ?? SYSTEM_ACTOR, action: 'staff.disable', target: staffId, outcome: 'ok' });
  });
}

const StaffViewRow = z.object({
  hall_id: z.string(),
  staff_id: z.string(),
  username: z.string(),
  display_name: z.string(),
  role: z.enum(StaffRole),
});

/** What the console shows of a signed-in person; null for an account without a username. */
export async function loadStaffView(db: pg.Pool | pg.PoolClient, hallId: string, staffId: string): Promise<StaffView | null> {
  const result = await db.query(
    'SELECT hall_id, staff_id, username, display_name, role FROM staff WHERE hall_id = $1 AND staff_id = $2 AND username IS NOT NULL',
    [hallId, staffId],
  );
  if (result.rows.length !== 1) return null;
  const row = StaffViewRow.parse(result.rows[0]);
  return StaffView.parse({ hallId: row.hall_id, staffId: row.staff_id, username: row.username, displayName: row.display_name, role: row.role });
}

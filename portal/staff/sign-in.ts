import type pg from 'pg';
import { z } from 'zod';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import type { SignInRequest, StaffView } from '../../common/contract/staff-api.js';
import { hashPassword, needsRehash, verifyAgainstNothing, verifyPassword } from '../auth/password-hash.js';
import { createSession, type NewSession, type SessionPolicy } from '../auth/staff-sessions.js';
import { withTransaction } from '../db/transaction.js';
import { LaneFull, type Lane } from '../http/concurrency-lane.js';
import { PortalError } from '../http/portal-error.js';
import { recordAudit, type AuditEntry } from './audit.js';
import { lockoutMsAfter, type LockoutPolicy, type PhantomLockouts } from './lockout.js';

/**
 * Password sign-in. Every refusal reads the same whether the username exists or not ("wrong
 * username or password"), takes the time of one password check either way, and locks the same
 * way (PhantomLockouts for names without an account), so sign-in tells nobody which usernames
 * exist. Each failure also counts against the address's failure budget (authenticate.ts), so one
 * address cannot try many accounts.
 */

export interface SignInDeps {
  pool: pg.Pool;
  lockoutPolicy: LockoutPolicy;
  sessionPolicy: SessionPolicy;
  phantoms: PhantomLockouts;
  /** Password checks at once (scrypt takes 32 MiB and a core for 0.1 s); past its queue, 503. */
  passwordLane: Lane;
  /** A failed attempt from this address (the authenticator's failure budget). */
  countFailure: (address: string) => void;
}

export interface SignedIn {
  staff: StaffView;
  session: NewSession;
}

export const WRONG_CREDENTIALS = 'wrong username or password';

const AccountRow = z.object({
  hall_known: z.boolean(),
  staff_id: z.string().nullable(),
  username: z.string().nullable(),
  display_name: z.string().nullable(),
  role: z.enum(StaffRole).nullable(),
  password_hash: z.string().nullable(),
  locked_ms: z.coerce.number().nullable(),
});

const LockRow = z.object({ failed_logins: z.number().int(), locked_ms: z.coerce.number().nullable(), password_hash: z.string().nullable() });

function lockedOut(lockedMs: number): PortalError {
  const minutes = Math.max(1, Math.ceil(lockedMs / 60_000));
  return new PortalError(PortalErrorCode.LockedOut, `too many wrong passwords: sign-in is locked for ${minutes} min`, {
    headers: { 'retry-after': String(Math.max(1, Math.ceil(lockedMs / 1000))) },
  });
}

const wrongCredentials = (): PortalError => new PortalError(PortalErrorCode.Unauthorized, WRONG_CREDENTIALS);

/** The account by hall and username: only an enabled one with a password can sign in. */
async function findAccount(pool: pg.Pool, hallId: string, username: string): Promise<z.infer<typeof AccountRow>> {
  const result = await pool.query(
    `SELECT h.hall_id IS NOT NULL AS hall_known, s.staff_id, s.username, s.display_name, s.role, s.password_hash,
            CASE WHEN s.locked_until > clock_timestamp()
                 THEN ceil(EXTRACT(EPOCH FROM s.locked_until - clock_timestamp()) * 1000) END AS locked_ms
       FROM (SELECT $1::text AS hall_id) q
       LEFT JOIN halls h ON h.hall_id = q.hall_id
       LEFT JOIN staff s ON s.hall_id = h.hall_id AND s.username = $2 AND s.disabled_at IS NULL AND s.password_hash IS NOT NULL`,
    [hallId, username],
  );
  return AccountRow.parse(result.rows[0]);
}

/**
 * Checks the password and opens a session, or throws: 401 `unauthorized` (wrong username or
 * password), 423 `locked-out` (with Retry-After), 429 (the address is past its failure budget,
 * thrown by the caller's check before this), 503 (too many password checks at once).
 */
export async function signIn(deps: SignInDeps, request: SignInRequest, address: string): Promise<SignedIn> {
  const { pool, lockoutPolicy, phantoms } = deps;
  const { hallId, username, password } = request;
  const account = await findAccount(pool, hallId, username);
  const audit = (entry: Omit<AuditEntry, 'hallId' | 'action' | 'target'>, db: pg.Pool | pg.PoolClient = pool): Promise<void> =>
    account.hall_known ? recordAudit(db, { hallId, action: 'staff.sign-in', target: username, ...entry }) : Promise.resolve();
  const check = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await deps.passwordLane.run(work);
    } catch (err) {
      if (err instanceof LaneFull) throw new PortalError(PortalErrorCode.ServiceUnavailable, 'too many sign-ins at once; try again shortly');
      throw err;
    }
  };

  if (account.staff_id === null || account.password_hash === null) {
    // No such account (or disabled, or without a password): the same time, words and lockout.
    const lockedMs = phantoms.lockedForMs(hallId, username);
    await check(() => verifyAgainstNothing(password));
    deps.countFailure(address);
    const earned = lockedMs > 0 ? 0 : phantoms.fail(hallId, username);
    // '?' is no staff id (StaffId has no '?'): the name tried is the target.
    await audit({
      actor: { kind: 'staff', id: '?' },
      detail: { address, reason: lockedMs > 0 ? 'locked-out' : 'unknown-user' },
      outcome: lockedMs > 0 ? 'refused' : 'failed',
    });
    if (lockedMs > 0) throw lockedOut(lockedMs);
    if (earned > 0) throw lockedOut(earned);
    throw wrongCredentials();
  }

  const staffId = account.staff_id;
  const actor = { kind: 'staff', id: staffId } as const;
  if (account.locked_ms !== null) {
    // Locked: the password is not even checked (a right guess now must not show), only timed.
    await check(() => verifyAgainstNothing(password));
    deps.countFailure(address);
    await audit({ actor, detail: { address, reason: 'locked-out' }, outcome: 'refused' });
    throw lockedOut(account.locked_ms);
  }

  const storedHash = account.password_hash;
  const right = await check(() => verifyPassword(password, storedHash));
  if (!right) {
    deps.countFailure(address);
    const lockMs = await withTransaction(pool, async (client) => {
      // failed_logins counts on across lockouts: the lock doubles with every further failure.
      const row = LockRow.parse(
        (
          await client.query(
            `UPDATE staff SET failed_logins = failed_logins + 1 WHERE hall_id = $1 AND staff_id = $2
             RETURNING failed_logins, NULL::numeric AS locked_ms, NULL::text AS password_hash`,
            [hallId, staffId],
          )
        ).rows[0],
      );
      const lock = lockoutMsAfter(row.failed_logins, lockoutPolicy);
      if (lock > 0) {
        await client.query(
          `UPDATE staff SET locked_until = clock_timestamp() + $3 * interval '1 millisecond', lockouts = lockouts + 1
            WHERE hall_id = $1 AND staff_id = $2`,
          [hallId, staffId, lock],
        );
      }
      await recordAudit(client, {
        hallId,
        actor,
        action: 'staff.sign-in',
        target: username,
        detail: { address, reason: 'wrong-password', failedLogins: row.failed_logins, ...(lock > 0 ? { lockedForMs: lock } : {}) },
        outcome: 'failed',
      });
      return lock;
    });
    if (lockMs > 0) throw lockedOut(lockMs);
    throw wrongCredentials();
  }

  // Right password. A cost raised since this hash was made: store it again at today's cost.
  const rehashed = needsRehash(storedHash) ? await check(() => hashPassword(password)) : null;
  return withTransaction(pool, async (client) => {
    const row = LockRow.parse(
      (
        await client.query(
          `SELECT failed_logins, password_hash,
                  CASE WHEN locked_until > clock_timestamp() THEN ceil(EXTRACT(EPOCH FROM locked_until - clock_timestamp()) * 1000) END AS locked_ms
             FROM staff WHERE hall_id = $1 AND staff_id = $2 AND disabled_at IS NULL FOR UPDATE`,
          [hallId, staffId],
        )
      ).rows[0] ?? { failed_logins: 0, locked_ms: null, password_hash: null },
    );
    // Changed under us (locked by a parallel wrong guess, disabled, password reset): refuse.
    if (row.password_hash !== storedHash) throw wrongCredentials();
    if (row.locked_ms !== null) throw lockedOut(row.locked_ms);
    await client.query(
      `UPDATE staff SET failed_logins = 0, locked_until = NULL, lockouts = 0, last_sign_in_at = clock_timestamp(),
              password_hash = coalesce($3, password_hash)
        WHERE hall_id = $1 AND staff_id = $2`,
      [hallId, staffId, rehashed],
    );
    const session = await createSession(client, hallId, staffId, deps.sessionPolicy);
    await recordAudit(client, { hallId, actor, action: 'staff.sign-in', target: username, detail: { address }, outcome: 'ok' });
    const staff: StaffView = {
      hallId,
      staffId,
      username: account.username ?? username,
      displayName: account.display_name ?? username,
      role: account.role ?? StaffRole.Clerk,
    };
    return { staff, session };
  });
}

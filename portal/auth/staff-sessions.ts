import { randomBytes, timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { StaffRole } from '../../common/contract/route-spec.js';
import type { StaffPrincipal } from './principals.js';
import { tokenHash } from './token-hash.js';

/**
 * Server-side sessions of people signed in with a password (portal/staff/sign-in.ts). The cookie
 * carries a random session id; the table keeps its SHA-256 only (like bearer tokens: random, so no
 * salt), so the table alone signs nobody in. Times are the database's.
 */
export interface SessionPolicy {
  /** A session unused this long ends (a console left open at lunch). */
  idleMs: number;
  /** A session ends this long after sign-in, however busy (a working day). */
  maxMs: number;
  /** `last_seen_at` is written at most this often per session: one write a minute, not one a request. */
  touchEveryMs: number;
}

export const DEFAULT_SESSION_POLICY: Readonly<SessionPolicy> = {
  idleMs: 30 * 60_000,
  maxMs: 12 * 60 * 60_000,
  touchEveryMs: 60_000,
};

/** 32 random bytes, base64url: the cookie value of a session, or a CSRF token. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** A cookie value that could be a session id at all (before any hashing or lookup). */
export function plausibleSessionId(value: string | undefined): value is string {
  return value !== undefined && /^[A-Za-z0-9_-]{43}$/.test(value);
}

export interface StaffSession {
  principal: StaffPrincipal & { via: 'session' };
  sessionHash: string;
  csrfToken: string;
  /** When the session ends unless used again (the earlier of the idle and the absolute end). */
  endsAt: Date;
}

const SessionRow = z.object({
  hall_id: z.string(),
  staff_id: z.string(),
  role: z.enum(StaffRole),
  csrf_token: z.string(),
  expires_at: z.date(),
  last_seen_at: z.date(),
  stale: z.boolean(),
  now: z.date(),
});

/**
 * The live session whose id has this SHA-256: not revoked, not past its absolute or idle end, of
 * an account not disabled. Looked up by hash alone: the session decides the hall. Marks it used
 * (at most once per `touchEveryMs`).
 */
export async function findSessionByHash(
  db: pg.Pool | pg.PoolClient,
  sessionHash: string,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<StaffSession | null> {
  // Named: every staff request asks this, and planning it cost more than running it.
  const result = await db.query({
    name: 'staff-session-find',
    text: `SELECT s.hall_id, s.staff_id, st.role, s.csrf_token, s.expires_at, s.last_seen_at,
            s.last_seen_at < clock_timestamp() - $3 * interval '1 millisecond' AS stale, clock_timestamp() AS now
       FROM staff_sessions s JOIN staff st ON st.hall_id = s.hall_id AND st.staff_id = s.staff_id
      WHERE s.session_hash = $1 AND s.revoked_at IS NULL AND st.disabled_at IS NULL
        AND s.expires_at > clock_timestamp()
        AND s.last_seen_at > clock_timestamp() - $2 * interval '1 millisecond'
      LIMIT 2`,
    values: [sessionHash, policy.idleMs, policy.touchEveryMs],
  });
  // Two rows would mean two halls share a session id (random 256 bits): refuse rather than guess.
  if (result.rows.length !== 1) return null;
  const row = SessionRow.parse(result.rows[0]);
  let lastSeen = row.last_seen_at;
  if (row.stale) {
    await db.query('UPDATE staff_sessions SET last_seen_at = clock_timestamp() WHERE hall_id = $1 AND session_hash = $2', [
      row.hall_id,
      sessionHash,
    ]);
    lastSeen = row.now;
  }
  const idleEnd = lastSeen.getTime() + policy.idleMs;
  return {
    principal: { hallId: row.hall_id, staffId: row.staff_id, role: row.role, via: 'session' },
    sessionHash,
    csrfToken: row.csrf_token,
    endsAt: new Date(Math.min(row.expires_at.getTime(), idleEnd)),
  };
}

export function findSession(db: pg.Pool | pg.PoolClient, sessionId: string, policy?: SessionPolicy): Promise<StaffSession | null> {
  return findSessionByHash(db, tokenHash(sessionId), policy);
}

export interface NewSession {
  sessionId: string;
  csrfToken: string;
  endsAt: Date;
}

/** Opens a session for a member of staff (inside the sign-in transaction). */
export async function createSession(
  client: pg.PoolClient,
  hallId: string,
  staffId: string,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
): Promise<NewSession> {
  const sessionId = newSecret();
  const csrfToken = newSecret();
  const result = await client.query<{ expires_at: Date; last_seen_at: Date }>(
    `INSERT INTO staff_sessions (hall_id, session_hash, staff_id, csrf_token, expires_at)
     VALUES ($1, $2, $3, $4, clock_timestamp() + $5 * interval '1 millisecond')
     RETURNING expires_at, last_seen_at`,
    [hallId, tokenHash(sessionId), staffId, csrfToken, policy.maxMs],
  );
  const row = result.rows[0];
  if (!row) throw new Error('session insert returned no row');
  return { sessionId, csrfToken, endsAt: new Date(Math.min(row.expires_at.getTime(), row.last_seen_at.getTime() + policy.idleMs)) };
}

/** Ends one session; true when it was still open. */
export async function revokeSession(db: pg.Pool | pg.PoolClient, hallId: string, sessionHash: string): Promise<boolean> {
  const result = await db.query(
    'UPDATE staff_sessions SET revoked_at = clock_timestamp() WHERE hall_id = $1 AND session_hash = $2 AND revoked_at IS NULL',
    [hallId, sessionHash],
  );
  return (result.rowCount ?? 0) > 0;
}

/** Ends every open session of a member of staff (disabled, password changed); returns how many. */
export async function revokeStaffSessions(db: pg.Pool | pg.PoolClient, hallId: string, staffId: string): Promise<number> {
  const result = await db.query(
    'UPDATE staff_sessions SET revoked_at = clock_timestamp() WHERE hall_id = $1 AND staff_id = $2 AND revoked_at IS NULL',
    [hallId, staffId],
  );
  return result.rowCount ?? 0;
}

/** Constant-time equality of a sent CSRF token with the session's. */
export function csrfTokenMatches(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;
  const a = Buffer.from(sent, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

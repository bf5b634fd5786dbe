import type pg from 'pg';
import { z } from 'zod';
import { StaffRole } from '../../common/contract/route-spec.js';
import { tokenHash } from './token-hash.js';

/** Who is calling. The token (or the session) decides the hall, never the request body. */
export interface KioskPrincipal {
  hallId: string;
  kioskId: string;
  kioskDigit: number;
}

/**
 * A member of staff: a person signed in with a password (`session`, the cookie), or a machine
 * client of the counter API with a staff API key (`api-key`, a bearer token of `staff_tokens`).
 * The role is the staff account's, whichever way it came in.
 */
export interface StaffPrincipal {
  hallId: string;
  staffId: string;
  role: StaffRole;
  via: 'session' | 'api-key';
}

/** A hall display (a TV on the wall) with its bearer token. */
export interface DisplayPrincipal {
  hallId: string;
  displayId: string;
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}

const KioskRow = z.object({ hall_id: z.string(), kiosk_id: z.string(), kiosk_digit: z.number().int() });
const StaffRow = z.object({ hall_id: z.string(), staff_id: z.string(), role: z.enum(StaffRole) });
const DisplayRow = z.object({ hall_id: z.string(), display_id: z.string() });

// Looked up by hash alone: the one query that is not scoped to a hall (it finds the hall).
// Two rows would mean two halls share a token: refuse rather than guess.

/** The kiosk whose token has this SHA-256 (see token-hash.ts), unless revoked. */
export async function findKioskByTokenHash(db: pg.Pool | pg.PoolClient, hash: string): Promise<KioskPrincipal | null> {
  const result = await db.query(
    'SELECT hall_id, kiosk_id, kiosk_digit FROM kiosks WHERE token_hash = $1 AND revoked_at IS NULL LIMIT 2',
    [hash],
  );
  if (result.rows.length !== 1) return null;
  const row = KioskRow.parse(result.rows[0]);
  return { hallId: row.hall_id, kioskId: row.kiosk_id, kioskDigit: row.kiosk_digit };
}

/**
 * The member of staff whose API key has this SHA-256, unless the key is revoked or the account
 * disabled. The key acts with its account's role.
 */
export async function findStaffByTokenHash(db: pg.Pool | pg.PoolClient, hash: string): Promise<StaffPrincipal | null> {
  const result = await db.query(
    `SELECT t.hall_id, t.staff_id, s.role
       FROM staff_tokens t JOIN staff s ON s.hall_id = t.hall_id AND s.staff_id = t.staff_id
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND s.disabled_at IS NULL
      LIMIT 2`,
    [hash],
  );
  if (result.rows.length !== 1) return null;
  const row = StaffRow.parse(result.rows[0]);
  return { hallId: row.hall_id, staffId: row.staff_id, role: row.role, via: 'api-key' };
}

/** The hall display whose token has this SHA-256, unless revoked. */
export async function findDisplayByTokenHash(db: pg.Pool | pg.PoolClient, hash: string): Promise<DisplayPrincipal | null> {
  const result = await db.query('SELECT hall_id, display_id FROM display_tokens WHERE token_hash = $1 AND revoked_at IS NULL LIMIT 2', [
    hash,
  ]);
  if (result.rows.length !== 1) return null;
  const row = DisplayRow.parse(result.rows[0]);
  return { hallId: row.hall_id, displayId: row.display_id };
}

/**
 * The principals of many token hashes in one query (a burst of kiosks seen for the first time, or
 * the re-checks of a busy minute, cost one round trip): each hash found exactly once maps to its
 * principal; an unknown, revoked or ambiguous one is absent.
 */
export type FindManyByTokenHash<P> = (db: pg.Pool | pg.PoolClient, hashes: readonly string[]) => Promise<Map<string, P>>;

function onePerHash<P>(rows: readonly unknown[], toPrincipal: (row: unknown) => P): Map<string, P> {
  const found = new Map<string, P>();
  const seen = new Set<string>();
  for (const row of rows) {
    const hash = z.object({ token_hash: z.string() }).parse(row).token_hash;
    if (seen.has(hash)) found.delete(hash);
    else found.set(hash, toPrincipal(row));
    seen.add(hash);
  }
  return found;
}

export const findKiosksByTokenHashes: FindManyByTokenHash<KioskPrincipal> = async (db, hashes) => {
  const result = await db.query(
    'SELECT token_hash, hall_id, kiosk_id, kiosk_digit FROM kiosks WHERE token_hash = ANY($1::text[]) AND revoked_at IS NULL',
    [hashes],
  );
  return onePerHash(result.rows, (r) => {
    const row = KioskRow.parse(r);
    return { hallId: row.hall_id, kioskId: row.kiosk_id, kioskDigit: row.kiosk_digit };
  });
};

export const findStaffByTokenHashes: FindManyByTokenHash<StaffPrincipal> = async (db, hashes) => {
  const result = await db.query(
    `SELECT t.token_hash, t.hall_id, t.staff_id, s.role
       FROM staff_tokens t JOIN staff s ON s.hall_id = t.hall_id AND s.staff_id = t.staff_id
      WHERE t.token_hash = ANY($1::text[]) AND t.revoked_at IS NULL AND s.disabled_at IS NULL`,
    [hashes],
  );
  return onePerHash(result.rows, (r) => {
    const row = StaffRow.parse(r);
    return { hallId: row.hall_id, staffId: row.staff_id, role: row.role, via: 'api-key' as const };
  });
};

export const findDisplaysByTokenHashes: FindManyByTokenHash<DisplayPrincipal> = async (db, hashes) => {
  const result = await db.query(
    'SELECT token_hash, hall_id, display_id FROM display_tokens WHERE token_hash = ANY($1::text[]) AND revoked_at IS NULL',
    [hashes],
  );
  return onePerHash(result.rows, (r) => {
    const row = DisplayRow.parse(r);
    return { hallId: row.hall_id, displayId: row.display_id };
  });
};

export function authenticateKiosk(db: pg.Pool | pg.PoolClient, token: string): Promise<KioskPrincipal | null> {
  return findKioskByTokenHash(db, tokenHash(token));
}

export function authenticateStaff(db: pg.Pool | pg.PoolClient, token: string): Promise<StaffPrincipal | null> {
  return findStaffByTokenHash(db, tokenHash(token));
}

export function authenticateDisplay(db: pg.Pool | pg.PoolClient, token: string): Promise<DisplayPrincipal | null> {
  return findDisplayByTokenHash(db, tokenHash(token));
}

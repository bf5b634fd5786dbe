import type pg from 'pg';
import { z } from 'zod';
import { tokenHash } from './token-hash.js';

/** Who is calling. The token decides the hall (and the kiosk), never the request body. */
export interface KioskPrincipal {
  hallId: string;
  kioskId: string;
  kioskDigit: number;
}

export interface StaffPrincipal {
  hallId: string;
  staffId: string;
}

/** The token of `Authorization: Bearer <token>`, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match?.[1] ?? null;
}

const KioskRow = z.object({ hall_id: z.string(), kiosk_id: z.string(), kiosk_digit: z.number().int() });
const StaffRow = z.object({ hall_id: z.string(), staff_id: z.string() });

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

/** The member of staff whose token has this SHA-256, unless revoked. */
export async function findStaffByTokenHash(db: pg.Pool | pg.PoolClient, hash: string): Promise<StaffPrincipal | null> {
  const result = await db.query('SELECT hall_id, staff_id FROM staff_tokens WHERE token_hash = $1 AND revoked_at IS NULL LIMIT 2', [
    hash,
  ]);
  if (result.rows.length !== 1) return null;
  const row = StaffRow.parse(result.rows[0]);
  return { hallId: row.hall_id, staffId: row.staff_id };
}

export function authenticateKiosk(db: pg.Pool | pg.PoolClient, token: string): Promise<KioskPrincipal | null> {
  return findKioskByTokenHash(db, tokenHash(token));
}

export function authenticateStaff(db: pg.Pool | pg.PoolClient, token: string): Promise<StaffPrincipal | null> {
  return findStaffByTokenHash(db, tokenHash(token));
}

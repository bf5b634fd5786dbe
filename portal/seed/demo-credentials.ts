import type pg from 'pg';
import { z } from 'zod';
import { tokenHash } from '../auth/token-hash.js';

/**
 * The demo's well-known tokens (README, `npm start`). They are fine on a demo machine and a hole
 * anywhere else: the portal refuses to start outside demo mode (`--seed-demo` / PORTAL_DEMO=1)
 * while they would be accepted.
 */
export const DEMO_KIOSK_TOKEN = 'demo-kiosk-token';
export const DEMO_STAFF_TOKEN = 'demo-staff-token';

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

const Holder = z.object({ kind: z.enum(['kiosk', 'staff']), hall_id: z.string(), holder: z.string() });

/** Kiosks and staff whose active (not revoked) token is a demo token, by hash. */
export async function activeDemoTokens(db: pg.Pool | pg.PoolClient): Promise<string[]> {
  const hashes = [tokenHash(DEMO_KIOSK_TOKEN), tokenHash(DEMO_STAFF_TOKEN)];
  // Either token in either table: a demo staff token pasted as a kiosk token is just as open.
  const result = await db.query(
    `SELECT 'kiosk' AS kind, hall_id, kiosk_id AS holder FROM kiosks WHERE token_hash = ANY($1) AND revoked_at IS NULL
     UNION ALL
     SELECT 'staff' AS kind, hall_id, staff_id AS holder FROM staff_tokens WHERE token_hash = ANY($1) AND revoked_at IS NULL
     ORDER BY kind, hall_id, holder`,
    [hashes],
  );
  return result.rows.map((row) => {
    const { kind, hall_id: hallId, holder } = Holder.parse(row);
    return `${kind} ${hallId}/${holder}`;
  });
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
}

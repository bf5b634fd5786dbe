import type pg from 'pg';
import { z } from 'zod';
import { newSecret } from '../auth/staff-sessions.js';
import { tokenHash } from '../auth/token-hash.js';
import { withTransaction } from '../db/transaction.js';
import { recordAudit, type AuditActor } from './audit.js';
import { SYSTEM_ACTOR } from './staff-accounts.js';

/**
 * Bearer tokens of hall displays (a TV on the wall in kiosk-mode Chromium). Stored hashed like
 * kiosk tokens; one active token per display, so issuing a new one revokes the old.
 */

export const DisplayId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/);

export interface IssueDisplayTokenInput {
  hallId: string;
  displayId: string;
  name: string;
  /** The token to store (the demo's well-known one); default a fresh random one. */
  token?: string;
}

/** Issues a display's token (revoking its previous one) and returns it: the only time it is seen. */
export async function issueDisplayToken(
  pool: pg.Pool,
  input: IssueDisplayTokenInput,
  options: { actor?: AuditActor } = {},
): Promise<string> {
  const displayId = DisplayId.parse(input.displayId);
  const token = input.token ?? newSecret();
  await withTransaction(pool, async (client) => {
    await issueDisplayTokenIn(client, { ...input, displayId, token });
    await recordAudit(client, {
      hallId: input.hallId,
      actor: options.actor ?? SYSTEM_ACTOR,
      action: 'display.token-issued',
      target: displayId,
      detail: { name: input.name },
      outcome: 'ok',
    });
  });
  return token;
}

/**
 * The same, inside a caller's transaction (the demo seed). Issuing the token a display already has
 * changes nothing, and never revives it once revoked.
 */
export async function issueDisplayTokenIn(client: pg.PoolClient, input: IssueDisplayTokenInput & { token: string }): Promise<void> {
  const hash = tokenHash(input.token);
  const same = await client.query('SELECT 1 FROM display_tokens WHERE hall_id = $1 AND token_hash = $2', [input.hallId, hash]);
  if (same.rows.length > 0) {
    await client.query('UPDATE display_tokens SET name = $3 WHERE hall_id = $1 AND token_hash = $2', [input.hallId, hash, input.name]);
    return;
  }
  await client.query(
    'UPDATE display_tokens SET revoked_at = clock_timestamp() WHERE hall_id = $1 AND display_id = $2 AND revoked_at IS NULL',
    [input.hallId, input.displayId],
  );
  await client.query('INSERT INTO display_tokens (hall_id, token_hash, display_id, name) VALUES ($1, $2, $3, $4)', [
    input.hallId,
    hash,
    input.displayId,
    input.name,
  ]);
}

/** Revokes a display's active token; true when there was one. Cached copies end within the auth cache TTL. */
export async function revokeDisplayToken(
  pool: pg.Pool,
  hallId: string,
  displayId: string,
  options: { actor?: AuditActor } = {},
): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    const result = await client.query(
      'UPDATE display_tokens SET revoked_at = clock_timestamp() WHERE hall_id = $1 AND display_id = $2 AND revoked_at IS NULL',
      [hallId, displayId],
    );
    const revoked = (result.rowCount ?? 0) > 0;
    if (revoked) {
      await recordAudit(client, { hallId, actor: options.actor ?? SYSTEM_ACTOR, action: 'display.token-revoked', target: displayId, outcome: 'ok' });
    }
    return revoked;
  });
}

import type pg from 'pg';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { PortalError } from '../http/portal-error.js';
import { recordAudit } from '../staff/audit.js';

/**
 * What every configuration write shares (issue 10 §1): the optimistic version check, the audit
 * line with before and after, and telling a database constraint from a mistake of the request.
 */

/** A write that names a version the row no longer has: someone else changed it meanwhile. */
export function staleVersion(what: string, sent: number, current: number): PortalError {
  return new PortalError(
    PortalErrorCode.StaleVersion,
    `${what} is at version ${current}, the change was made to version ${sent}: reload it and make the change again`,
  );
}

export function assertVersion(what: string, sent: number, current: number): void {
  if (sent !== current) throw staleVersion(what, sent, current);
}

/** The audit action of a configuration change: `config.<kind>.<verb>`. */
export interface ConfigChange {
  action: string;
  /** `service:<id>`, `counter:<id>`, `kiosk:<id>` or `hall`. */
  target: string;
  /** As the console showed it before; null for something new. */
  before: unknown;
  after: unknown;
}

/**
 * The audit line of a change, in the change's own transaction (portal/staff/audit.ts): who (the
 * staff id, and whether by session or API key), when (the database's clock at the insert), what,
 * before and after. Never a secret: the callers pass views without tokens or PIN hashes.
 */
export function auditChange(client: pg.PoolClient, principal: StaffPrincipal, change: ConfigChange): Promise<void> {
  return recordAudit(client, {
    hallId: principal.hallId,
    actor: { kind: 'staff', id: principal.staffId },
    action: change.action,
    target: change.target,
    detail: { before: change.before, after: change.after, via: principal.via, role: principal.role },
    outcome: 'ok',
  });
}

interface PgError {
  code?: string;
  constraint?: string;
}

/** The constraint a unique violation (23505) hit, or null for any other error. */
export function uniqueViolation(err: unknown): string | null {
  const e = err as PgError | null;
  return e?.code === '23505' ? (e.constraint ?? '') : null;
}

/** JSON with object keys sorted: two values that mean the same (jsonb reorders keys) compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

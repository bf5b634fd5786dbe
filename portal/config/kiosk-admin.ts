import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { KioskConfigView, RegisterKioskRequest, UpdateKioskRequest } from '../../common/contract/config-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { KioskSettings } from '../../common/contract/kiosk-settings.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { tokenHash } from '../auth/token-hash.js';
import { PortalError } from '../http/portal-error.js';
import { hallBusinessDay } from '../queue/hall-day.js';
import { catalogVersion } from '../queue/service-config.js';
import { emitHallEvent } from '../realtime/emit-hall-event.js';
import { assertVersion, auditChange, uniqueViolation } from './config-change.js';

/**
 * The hall's kiosks (issue 10 §1): registering one (its bearer token is made here, shown once in
 * the answer and kept as its SHA-256 only, as every machine token), revoking it, giving it a new
 * token, and what the manager sets for it — the services it offers, its idle timeout, the elderly
 * age and the technician PIN, kept as its scrypt hash only. The kiosk gets these with every pull
 * (`kioskSettingsOf`, portal/queue/pull.ts) and a change tells it to pull at once.
 */

const KioskRow = z.object({
  kiosk_id: z.string(),
  name: z.string().nullable(),
  kiosk_digit: z.number().int(),
  created_at: z.date(),
  revoked_at: z.date().nullable(),
  offered_service_ids: z.array(z.string()).nullable(),
  idle_timeout_ms: z.number().int().nullable(),
  elderly_age: z.number().int().nullable(),
  technician_pin_hash: z.string().nullable(),
  version: z.coerce.number().int(),
});
type KioskRow = z.infer<typeof KioskRow>;

const KIOSK_COLUMNS =
  'kiosk_id, name, kiosk_digit, created_at, revoked_at, offered_service_ids, idle_timeout_ms, elderly_age, technician_pin_hash, version';

/** The console's view: whether a PIN is set, never its hash; never the token's hash. */
function toView(row: KioskRow): KioskConfigView {
  return KioskConfigView.parse({
    kioskId: row.kiosk_id,
    name: row.name,
    kioskDigit: row.kiosk_digit,
    active: row.revoked_at === null,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    offeredServiceIds: row.offered_service_ids,
    idleTimeoutMs: row.idle_timeout_ms,
    elderlyAge: row.elderly_age,
    technicianPinSet: row.technician_pin_hash !== null,
    version: row.version,
  });
}

async function readKiosk(db: pg.Pool | pg.PoolClient, hallId: string, kioskId: string, lock = false): Promise<KioskRow | null> {
  const result = await db.query(`SELECT ${KIOSK_COLUMNS} FROM kiosks WHERE hall_id = $1 AND kiosk_id = $2${lock ? ' FOR UPDATE' : ''}`, [
    hallId,
    kioskId,
  ]);
  return result.rows.length === 0 ? null : KioskRow.parse(result.rows[0]);
}

async function readLocked(client: pg.PoolClient, hallId: string, kioskId: string, version: number): Promise<KioskRow> {
  const row = await readKiosk(client, hallId, kioskId, true);
  if (!row) throw new PortalError(PortalErrorCode.NotFound, `kiosk ${kioskId} not found`);
  assertVersion(`kiosk ${kioskId}`, version, row.version);
  return row;
}

async function reread(client: pg.PoolClient, hallId: string, kioskId: string): Promise<KioskConfigView> {
  const row = await readKiosk(client, hallId, kioskId);
  if (!row) throw new PortalError(PortalErrorCode.NotFound, `kiosk ${kioskId} not found`);
  return toView(row);
}

export async function listKioskConfig(db: pg.Pool, hallId: string): Promise<KioskConfigView[]> {
  const result = await db.query(`SELECT ${KIOSK_COLUMNS} FROM kiosks WHERE hall_id = $1 ORDER BY kiosk_digit, kiosk_id`, [hallId]);
  return result.rows.map((r) => toView(KioskRow.parse(r)));
}

/** What the kiosk pulls about itself: its settings and their version (the PIN as its hash). */
export async function kioskSettingsOf(db: pg.Pool | pg.PoolClient, hallId: string, kioskId: string): Promise<KioskSettings> {
  const row = await readKiosk(db, hallId, kioskId);
  if (!row) throw new PortalError(PortalErrorCode.NotFound, `kiosk ${kioskId} not found`);
  return KioskSettings.parse({
    version: row.version,
    offeredServiceIds: row.offered_service_ids,
    idleTimeoutMs: row.idle_timeout_ms,
    elderlyAge: row.elderly_age,
    technicianPinHash: row.technician_pin_hash,
  });
}

/** 32 random bytes, base64url: the kiosk's bearer token, shown once. */
export function newKioskToken(): string {
  return randomBytes(32).toString('base64url');
}

async function checkServices(client: pg.PoolClient, hallId: string, serviceIds: readonly string[] | null): Promise<void> {
  if (serviceIds === null || serviceIds.length === 0) return;
  const known = await client.query<{ service_id: string }>('SELECT service_id FROM services WHERE hall_id = $1 AND service_id = ANY($2::text[])', [
    hallId,
    serviceIds,
  ]);
  const missing = serviceIds.filter((id) => !known.rows.some((r) => r.service_id === id));
  if (missing.length > 0) throw new PortalError(PortalErrorCode.UnknownService, `the hall has no service ${missing.join(', ')}`);
}

function digitTaken(digit: number): PortalError {
  return new PortalError(PortalErrorCode.DigitTaken, `another active kiosk of the hall has digit ${digit}`);
}

/**
 * A kiosk revoked today may have printed series numbers with its digit today (`A8-001`): a kiosk
 * starting on that digit now would print the same numbers again, and the portal would refuse them
 * as duplicates. The digit is free again from the next business day.
 */
async function refuseDigitUsedToday(client: pg.PoolClient, hallId: string, kioskId: string, digit: number, now: Date): Promise<void> {
  const today = await hallBusinessDay(client, hallId, now);
  const result = await client.query<{ kiosk_id: string }>(
    `SELECT k.kiosk_id FROM kiosks k
     WHERE k.hall_id = $1 AND k.kiosk_digit = $2 AND k.kiosk_id <> $3 AND k.revoked_at IS NOT NULL
       AND EXISTS (SELECT 1 FROM tickets t WHERE t.hall_id = k.hall_id AND t.kiosk_id = k.kiosk_id
                     AND t.number_source = 'kiosk-series' AND t.business_day >= $4)
     LIMIT 1`,
    [hallId, digit, kioskId, today],
  );
  const other = result.rows[0]?.kiosk_id;
  if (other === undefined) return;
  throw new PortalError(
    PortalErrorCode.DigitTaken,
    `kiosk ${other} printed numbers with digit ${digit} on ${today}: the digit is free for another kiosk from the next business day`,
  );
}

/** The kiosks follow `catalog.changed` on their live channel: on it they pull, and their settings come with the pull. */
async function tellKiosksToPull(client: pg.PoolClient, hallId: string): Promise<void> {
  await emitHallEvent(client, hallId, { kind: HallEventKind.CatalogChanged, payload: { catalogVersion: await catalogVersion(client, hallId) } });
}

export interface KioskWithToken {
  kiosk: KioskConfigView;
  token: string;
}

/**
 * Registers a kiosk with a new token; 409 `conflict` for a kiosk id the hall has, `digit-taken`
 * for a digit an active kiosk has. `pinHash` is the technician PIN's scrypt hash (or null), made
 * by the caller before the transaction.
 */
export async function registerKiosk(
  client: pg.PoolClient,
  principal: StaffPrincipal,
  request: z.output<typeof RegisterKioskRequest>,
  pinHash: string | null,
  now: Date,
): Promise<KioskWithToken> {
  const { hallId } = principal;
  await checkServices(client, hallId, request.offeredServiceIds);
  await refuseDigitUsedToday(client, hallId, request.kioskId, request.kioskDigit, now);
  const token = newKioskToken();
  try {
    await client.query(
      `INSERT INTO kiosks (hall_id, kiosk_id, token_hash, kiosk_digit, name, offered_service_ids, idle_timeout_ms, elderly_age, technician_pin_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [hallId, request.kioskId, tokenHash(token), request.kioskDigit, request.name, request.offeredServiceIds, request.idleTimeoutMs, request.elderlyAge, pinHash],
    );
  } catch (err) {
    const constraint = uniqueViolation(err);
    if (constraint === 'kiosks_pkey') throw new PortalError(PortalErrorCode.Conflict, `the hall has a kiosk ${request.kioskId} already`);
    if (constraint === 'kiosks_active_digit') throw digitTaken(request.kioskDigit);
    throw err;
  }
  const kiosk = await reread(client, hallId, request.kioskId);
  await auditChange(client, principal, { action: 'config.kiosk.register', target: `kiosk:${request.kioskId}`, before: null, after: kiosk });
  return { kiosk, token };
}

/**
 * Changes a kiosk's settings at the version the manager edited. The digit of an active kiosk
 * stays (409 `kiosk-active`): it marks numbers the kiosk may have printed offline and not pushed
 * yet, which the portal would then refuse as another kiosk's. `pinHash` undefined keeps the PIN.
 */
export async function updateKiosk(
  client: pg.PoolClient,
  principal: StaffPrincipal,
  kioskId: string,
  request: z.output<typeof UpdateKioskRequest>,
  pinHash: string | null | undefined,
): Promise<KioskConfigView> {
  const { hallId } = principal;
  const row = await readLocked(client, hallId, kioskId, request.version);
  const before = toView(row);
  if (request.kioskDigit !== row.kiosk_digit && row.revoked_at === null) {
    throw new PortalError(
      PortalErrorCode.KioskActive,
      `kiosk ${kioskId} is active: its digit ${row.kiosk_digit} marks numbers it may hold offline; revoke it, change the digit, then give it a new token`,
    );
  }
  await checkServices(client, hallId, request.offeredServiceIds);
  try {
    await client.query(
      `UPDATE kiosks SET name = $3, kiosk_digit = $4, offered_service_ids = $5, idle_timeout_ms = $6, elderly_age = $7,
         technician_pin_hash = CASE WHEN $8::boolean THEN $9 ELSE technician_pin_hash END, version = version + 1
       WHERE hall_id = $1 AND kiosk_id = $2`,
      [hallId, kioskId, request.name, request.kioskDigit, request.offeredServiceIds, request.idleTimeoutMs, request.elderlyAge, pinHash !== undefined, pinHash ?? null],
    );
  } catch (err) {
    if (uniqueViolation(err) === 'kiosks_active_digit') throw digitTaken(request.kioskDigit);
    throw err;
  }
  const after = await reread(client, hallId, kioskId);
  // A new PIN over an old one shows as "set" both times: the audit line says it changed.
  const detailAfter = pinHash === undefined ? after : { ...after, technicianPinChanged: true };
  await auditChange(client, principal, { action: 'config.kiosk.update', target: `kiosk:${kioskId}`, before, after: detailAfter });
  await tellKiosksToPull(client, hallId);
  return after;
}

/**
 * Revokes a kiosk's token: refused by every route from then on (within the token cache's few
 * seconds, portal/auth/principal-cache.ts), its digit free for another kiosk. Idempotent.
 */
export async function revokeKiosk(client: pg.PoolClient, principal: StaffPrincipal, kioskId: string, version: number): Promise<KioskConfigView> {
  const { hallId } = principal;
  const row = await readLocked(client, hallId, kioskId, version);
  if (row.revoked_at !== null) return toView(row);
  await client.query('UPDATE kiosks SET revoked_at = clock_timestamp(), version = version + 1 WHERE hall_id = $1 AND kiosk_id = $2', [
    hallId,
    kioskId,
  ]);
  const after = await reread(client, hallId, kioskId);
  await auditChange(client, principal, { action: 'config.kiosk.revoke', target: `kiosk:${kioskId}`, before: toView(row), after });
  return after;
}

/**
 * A new token for a kiosk (a replaced machine, a token that leaked): the old one stops working,
 * and a revoked kiosk is active again (409 `digit-taken` when another active kiosk took its digit).
 */
export async function issueKioskToken(
  client: pg.PoolClient,
  principal: StaffPrincipal,
  kioskId: string,
  version: number,
  now: Date,
): Promise<KioskWithToken> {
  const { hallId } = principal;
  const row = await readLocked(client, hallId, kioskId, version);
  if (row.revoked_at !== null) await refuseDigitUsedToday(client, hallId, kioskId, row.kiosk_digit, now);
  const token = newKioskToken();
  try {
    await client.query('UPDATE kiosks SET token_hash = $3, revoked_at = NULL, version = version + 1 WHERE hall_id = $1 AND kiosk_id = $2', [
      hallId,
      kioskId,
      tokenHash(token),
    ]);
  } catch (err) {
    if (uniqueViolation(err) === 'kiosks_active_digit') throw digitTaken(row.kiosk_digit);
    throw err;
  }
  const kiosk = await reread(client, hallId, kioskId);
  await auditChange(client, principal, { action: 'config.kiosk.token', target: `kiosk:${kioskId}`, before: toView(row), after: kiosk });
  return { kiosk, token };
}

import type pg from 'pg';
import { z } from 'zod';
import { CounterConfigView, type CounterSettings } from '../../common/contract/config-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { PortalError } from '../http/portal-error.js';

/**
 * A counter's configuration (issue 10 §1), as the manager console edits it through
 * portal/config/: number, names, enabled, the services it serves with their priority weights, and
 * who may sign in at it (`counter_staff`; enforced by counter-control.ts at sign-in). Its live
 * state (who is signed in, paused, its ticket) is the counter domain's own and is not touched here.
 */

const ConfigRow = z.object({
  counter_id: z.string(),
  number: z.number().int(),
  name_zh: z.string(),
  name_en: z.string(),
  enabled: z.boolean(),
  version: z.coerce.number().int(),
  staff_id: z.string().nullable(),
  services: z.array(z.object({ serviceId: z.string(), weight: z.number().int() })),
  allowed: z.array(z.string()),
});

const CONFIG_SELECT = `k.counter_id, k.number, k.name_zh, k.name_en, k.enabled, k.version, k.staff_id,
  coalesce((SELECT json_agg(json_build_object('serviceId', cs.service_id, 'weight', cs.weight) ORDER BY cs.service_id)
            FROM counter_services cs WHERE cs.hall_id = k.hall_id AND cs.counter_id = k.counter_id), '[]') AS services,
  ARRAY(SELECT st.staff_id FROM counter_staff st WHERE st.hall_id = k.hall_id AND st.counter_id = k.counter_id ORDER BY st.staff_id) AS allowed`;

export interface CounterConfigRead {
  view: CounterConfigView;
  /** Who is signed in at it now, if anyone. */
  signedIn: string | null;
}

function toRead(raw: unknown): CounterConfigRead {
  const row = ConfigRow.parse(raw);
  return {
    view: CounterConfigView.parse({
      counterId: row.counter_id,
      number: row.number,
      name: { zh: row.name_zh, en: row.name_en },
      enabled: row.enabled,
      services: row.services,
      allowedStaffIds: row.allowed,
      version: row.version,
    }),
    signedIn: row.staff_id,
  };
}

/**
 * One counter's configuration; with `lock`, the counter row is locked as sign-in and calls lock
 * it (FOR NO KEY UPDATE), so a change and a sign-in follow one another.
 */
export async function readCounterConfig(
  db: pg.Pool | pg.PoolClient,
  hallId: string,
  counterId: string,
  lock = false,
): Promise<CounterConfigRead | null> {
  const result = await db.query(
    `SELECT ${CONFIG_SELECT} FROM counters k WHERE k.hall_id = $1 AND k.counter_id = $2${lock ? ' FOR NO KEY UPDATE OF k' : ''}`,
    [hallId, counterId],
  );
  return result.rows.length === 0 ? null : toRead(result.rows[0]);
}

/** Every counter of the hall, disabled ones too, by number. */
export async function listCounterConfig(db: pg.Pool | pg.PoolClient, hallId: string): Promise<CounterConfigView[]> {
  const result = await db.query(`SELECT ${CONFIG_SELECT} FROM counters k WHERE k.hall_id = $1 ORDER BY k.number, k.counter_id`, [hallId]);
  return result.rows.map((r) => toRead(r).view);
}

/** The services and staff a configuration names must be the hall's own: a clear refusal, not a foreign key error. */
async function checkReferences(client: pg.PoolClient, hallId: string, settings: CounterSettings): Promise<void> {
  const serviceIds = settings.services.map((s) => s.serviceId);
  if (serviceIds.length > 0) {
    const known = await client.query<{ service_id: string }>('SELECT service_id FROM services WHERE hall_id = $1 AND service_id = ANY($2::text[])', [
      hallId,
      serviceIds,
    ]);
    const missing = serviceIds.filter((id) => !known.rows.some((r) => r.service_id === id));
    if (missing.length > 0) throw new PortalError(PortalErrorCode.UnknownService, `the hall has no service ${missing.join(', ')}`);
  }
  if (settings.allowedStaffIds.length > 0) {
    const known = await client.query<{ staff_id: string }>('SELECT staff_id FROM staff WHERE hall_id = $1 AND staff_id = ANY($2::text[])', [
      hallId,
      settings.allowedStaffIds,
    ]);
    const missing = settings.allowedStaffIds.filter((id) => !known.rows.some((r) => r.staff_id === id));
    if (missing.length > 0) throw new PortalError(PortalErrorCode.NotFound, `the hall has no member of staff ${missing.join(', ')}`);
  }
}

/** Replaces the counter's services (with weights) and its allowed staff. */
async function writeLists(client: pg.PoolClient, hallId: string, counterId: string, settings: CounterSettings): Promise<void> {
  const serviceIds = settings.services.map((s) => s.serviceId);
  await client.query('DELETE FROM counter_services WHERE hall_id = $1 AND counter_id = $2 AND NOT (service_id = ANY($3::text[]))', [
    hallId,
    counterId,
    serviceIds,
  ]);
  await client.query(
    `INSERT INTO counter_services (hall_id, counter_id, service_id, weight)
     SELECT $1, $2, s.service_id, s.weight FROM unnest($3::text[], $4::smallint[]) AS s(service_id, weight)
     ON CONFLICT (hall_id, counter_id, service_id) DO UPDATE SET weight = EXCLUDED.weight`,
    [hallId, counterId, serviceIds, settings.services.map((s) => s.weight)],
  );
  await client.query('DELETE FROM counter_staff WHERE hall_id = $1 AND counter_id = $2 AND NOT (staff_id = ANY($3::text[]))', [
    hallId,
    counterId,
    settings.allowedStaffIds,
  ]);
  await client.query(
    `INSERT INTO counter_staff (hall_id, counter_id, staff_id) SELECT $1, $2, s FROM unnest($3::text[]) AS s ON CONFLICT DO NOTHING`,
    [hallId, counterId, settings.allowedStaffIds],
  );
}

/** Adds a counter; 409 `conflict` for an id the hall has. */
export async function insertCounter(client: pg.PoolClient, hallId: string, counterId: string, settings: CounterSettings): Promise<void> {
  await checkReferences(client, hallId, settings);
  const inserted = await client.query(
    `INSERT INTO counters (hall_id, counter_id, number, name_zh, name_en, enabled) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (hall_id, counter_id) DO NOTHING`,
    [hallId, counterId, settings.number, settings.name.zh, settings.name.en, settings.enabled],
  );
  if ((inserted.rowCount ?? 0) === 0) throw new PortalError(PortalErrorCode.Conflict, `the hall has a counter ${counterId} already`);
  await writeLists(client, hallId, counterId, settings);
}

/**
 * Writes a counter's configuration and makes its version one higher; the caller locked it
 * (readCounterConfig with `lock`). A counter someone is signed in at is not disabled under them
 * (409 `conflict`: sign it out first), and the services chosen at that sign-in shrink to those
 * the counter still serves.
 */
export async function writeCounterConfig(
  client: pg.PoolClient,
  hallId: string,
  current: CounterConfigRead,
  settings: CounterSettings,
): Promise<void> {
  const { counterId } = current.view;
  if (!settings.enabled && current.signedIn !== null) {
    throw new PortalError(PortalErrorCode.Conflict, `${current.signedIn} is signed in at counter ${counterId}: sign the counter out before disabling it`);
  }
  await checkReferences(client, hallId, settings);
  const serviceIds = settings.services.map((s) => s.serviceId);
  await client.query(
    `UPDATE counters SET number = $3, name_zh = $4, name_en = $5, enabled = $6, version = version + 1,
       active_service_ids = CASE WHEN cardinality($7::text[]) = 0 THEN active_service_ids
                                 ELSE ARRAY(SELECT a FROM unnest(active_service_ids) AS a WHERE a = ANY($7::text[]) ORDER BY a) END,
       updated_at = clock_timestamp()
     WHERE hall_id = $1 AND counter_id = $2`,
    [hallId, counterId, settings.number, settings.name.zh, settings.name.en, settings.enabled, serviceIds],
  );
  await writeLists(client, hallId, counterId, settings);
}

/**
 * Whether a member of staff may sign in at a counter: anyone when the counter lists nobody,
 * otherwise those it lists. (Managers and admins are let through by the caller.)
 */
export async function allowedAtCounter(client: pg.PoolClient, hallId: string, counterId: string, staffId: string): Promise<boolean> {
  const result = await client.query<{ listed: boolean; allowed: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM counter_staff WHERE hall_id = $1 AND counter_id = $2) AS listed,
            EXISTS (SELECT 1 FROM counter_staff WHERE hall_id = $1 AND counter_id = $2 AND staff_id = $3) AS allowed`,
    [hallId, counterId, staffId],
  );
  const row = result.rows[0];
  return !row?.listed || row.allowed;
}

import type pg from 'pg';
import { z } from 'zod';
import { CreateServiceRequest, ServiceConfigView, UpdateServiceRequest, type ServiceSettings } from '../../common/contract/config-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { PortalError } from '../http/portal-error.js';
import { SERVICE_COLUMNS, toService } from '../queue/catalog.js';
import { hallBusinessDay } from '../queue/hall-day.js';
import { refreshSearchKeys } from '../queue/search-keys.js';
import { catalogVersion, emitCatalogChanged, writeServiceConfig } from '../queue/service-config.js';
import { assertVersion, auditChange, canonicalJson, uniqueViolation } from './config-change.js';

/**
 * The hall's services as the manager edits them (issue 10 §1): names, prefix, enabled, order,
 * opening hours, daily quota, guide and booking rules. Hours, guide and booking go through
 * portal/queue/service-config.ts, which checks them with the schemas the kiosks read them with;
 * the names are keyed for pinyin search (search-keys.ts). Every change bumps the service's version
 * and the hall's catalog version (the services trigger), and tells the kiosks to pull.
 */

const VersionRow = z.object({ version: z.coerce.number().int() });

async function readServiceConfig(
  db: pg.Pool | pg.PoolClient,
  hallId: string,
  serviceId: string,
  lock = false,
): Promise<ServiceConfigView | null> {
  const result = await db.query(
    `SELECT ${SERVICE_COLUMNS}, version FROM services WHERE hall_id = $1 AND service_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [hallId, serviceId],
  );
  const row = result.rows[0] as Record<string, unknown> | undefined;
  if (!row) return null;
  const service = toService(row);
  return ServiceConfigView.parse({ ...service, dailyQuota: service.dailyQuota ?? null, version: VersionRow.parse(row).version });
}

export async function listServiceConfig(db: pg.Pool | pg.PoolClient, hallId: string): Promise<ServiceConfigView[]> {
  const result = await db.query(`SELECT ${SERVICE_COLUMNS}, version FROM services WHERE hall_id = $1 ORDER BY sort_order, service_id`, [
    hallId,
  ]);
  return result.rows.map((row: Record<string, unknown>) => {
    const service = toService(row);
    return ServiceConfigView.parse({ ...service, dailyQuota: service.dailyQuota ?? null, version: VersionRow.parse(row).version });
  });
}

/** What a manager sets, as the console showed it: the part of the view a write replaces. */
function settingsOf(view: ServiceConfigView): ServiceSettings {
  const { prefix, name, description, enabled, sortOrder, hours, dailyQuota, guide, booking } = view;
  return { prefix, name, description, enabled, sortOrder, hours, dailyQuota, guide, booking };
}

function notFound(serviceId: string): PortalError {
  return new PortalError(PortalErrorCode.NotFound, `service ${serviceId} not found`);
}

function prefixTaken(prefix: string): PortalError {
  return new PortalError(PortalErrorCode.PrefixTaken, `another service of the hall has prefix ${prefix}`);
}

/**
 * A prefix letters the numbers of its day: a ticket printed `A017` this morning must still be
 * `A017` when the service is called `B`, and a kiosk that has not pulled yet prints `A` until it
 * does. So the prefix changes only while the service has no ticket (and no number handed out)
 * for the hall's current business day or later.
 */
async function refuseIfNumberedToday(client: pg.PoolClient, hallId: string, serviceId: string, now: Date): Promise<void> {
  const today = await hallBusinessDay(client, hallId, now);
  const result = await client.query<{ numbered: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM tickets WHERE hall_id = $1 AND service_id = $2 AND business_day >= $3)
         OR EXISTS (SELECT 1 FROM number_allocations WHERE hall_id = $1 AND service_id = $2 AND business_day >= $3) AS numbered`,
    [hallId, serviceId, today],
  );
  if (result.rows[0]?.numbered) {
    throw new PortalError(
      PortalErrorCode.PrefixInUse,
      `service ${serviceId} has numbers on ${today} already: its prefix can change once that business day is over`,
    );
  }
}

/** Writes the settings of a service row that exists (in the caller's transaction). */
async function writeSettings(client: pg.PoolClient, hallId: string, serviceId: string, s: ServiceSettings, bumpVersion: boolean): Promise<void> {
  try {
    await client.query(
      `UPDATE services SET prefix = $3, name_zh = $4, name_en = $5, description_zh = $6, description_en = $7, enabled = $8,
         sort_order = $9, daily_quota = $10${bumpVersion ? ', version = version + 1' : ''}
       WHERE hall_id = $1 AND service_id = $2`,
      [hallId, serviceId, s.prefix, s.name.zh, s.name.en, s.description?.zh ?? null, s.description?.en ?? null, s.enabled, s.sortOrder, s.dailyQuota],
    );
  } catch (err) {
    if (uniqueViolation(err) === 'services_hall_id_prefix_key') throw prefixTaken(s.prefix);
    throw err;
  }
  await writeServiceConfig(client, hallId, serviceId, { hours: s.hours, guide: s.guide, booking: s.booking });
  // A renamed service is keyed for search in the same transaction: the catalog never shows a name without its keys.
  await refreshSearchKeys(client, hallId);
}

export interface ServiceChangeResult {
  service: ServiceConfigView;
  catalogVersion: number;
}

/** Adds a service; 409 `conflict` for an id the hall has, `prefix-taken` for a prefix it has. */
export async function createService(client: pg.PoolClient, principal: StaffPrincipal, request: z.output<typeof CreateServiceRequest>): Promise<ServiceChangeResult> {
  const { hallId } = principal;
  const catalogBefore = await catalogVersion(client, hallId);
  const { serviceId, ...settings } = request;
  try {
    await client.query(
      `INSERT INTO services (hall_id, service_id, prefix, name_zh, name_en, enabled, sort_order) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [hallId, serviceId, settings.prefix, settings.name.zh, settings.name.en, settings.enabled, settings.sortOrder],
    );
  } catch (err) {
    const constraint = uniqueViolation(err);
    if (constraint === 'services_hall_id_prefix_key') throw prefixTaken(settings.prefix);
    if (constraint === 'services_pkey') throw new PortalError(PortalErrorCode.Conflict, `the hall has a service ${serviceId} already`);
    throw err;
  }
  await writeSettings(client, hallId, serviceId, settings, false);
  const after = await readServiceConfig(client, hallId, serviceId);
  if (!after) throw notFound(serviceId);
  await auditChange(client, principal, { action: 'config.service.create', target: `service:${serviceId}`, before: null, after });
  await emitCatalogChanged(client, hallId, catalogBefore);
  return { service: after, catalogVersion: await catalogVersion(client, hallId) };
}

/**
 * Replaces a service's settings, if it is still at the version the manager edited (409
 * `stale-version` otherwise). A write that changes nothing changes no version either.
 */
export async function updateService(
  client: pg.PoolClient,
  principal: StaffPrincipal,
  serviceId: string,
  request: z.output<typeof UpdateServiceRequest>,
  now: Date,
): Promise<ServiceChangeResult> {
  const { hallId } = principal;
  const catalogBefore = await catalogVersion(client, hallId);
  const before = await readServiceConfig(client, hallId, serviceId, true);
  if (!before) throw notFound(serviceId);
  const { version, ...settings } = request;
  assertVersion(`service ${serviceId}`, version, before.version);
  if (canonicalJson(settings) === canonicalJson(settingsOf(before))) return { service: before, catalogVersion: catalogBefore };
  if (settings.prefix !== before.prefix) await refuseIfNumberedToday(client, hallId, serviceId, now);
  await writeSettings(client, hallId, serviceId, settings, true);
  const after = await readServiceConfig(client, hallId, serviceId);
  if (!after) throw notFound(serviceId);
  await auditChange(client, principal, { action: 'config.service.update', target: `service:${serviceId}`, before, after });
  await emitCatalogChanged(client, hallId, catalogBefore);
  return { service: after, catalogVersion: await catalogVersion(client, hallId) };
}

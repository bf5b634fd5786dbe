import type pg from 'pg';
import { z } from 'zod';
import type { CatalogResponse } from '../../common/contract/sync-api.js';
import { Catalog, HallInfo, Service } from '../../common/contract/catalog.js';
import { ServiceGuide } from '../../common/contract/guide.js';
import { HallCalendar, WeeklyHours } from '../../common/domain/hall-calendar.js';
import { BookingRules } from '../../common/domain/slots.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { PortalError } from '../http/portal-error.js';

/**
 * The catalog as kiosks, counter consoles and the citizen pages get it: the hall (with its calendar
 * and check-in window) and its services (with hours, guide, pinyin search keys and booking rules).
 * The JSON columns are parsed with the common schemas on the way out as on the way in
 * (service-config.ts): a value no schema accepts never leaves the portal.
 */

const ServiceRow = z.object({
  service_id: z.string(),
  prefix: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  description_zh: z.string().nullable(),
  description_en: z.string().nullable(),
  enabled: z.boolean(),
  sort_order: z.number().int(),
  hours: z.unknown(),
  guide: z.unknown(),
  search_keys: z.array(z.string()),
  booking_rules: z.unknown(),
  daily_quota: z.number().int().nullable(),
});

/** The columns every service query selects for the catalog. */
export const SERVICE_COLUMNS =
  'service_id, prefix, name_zh, name_en, description_zh, description_en, enabled, sort_order, hours, guide, search_keys, booking_rules, daily_quota';

/** A row selected with SERVICE_COLUMNS, as the catalog publishes it. */
export function toService(raw: unknown): Service {
  const row = ServiceRow.parse(raw);
  return Service.parse({
    id: row.service_id,
    prefix: row.prefix,
    name: { zh: row.name_zh, en: row.name_en },
    description:
      row.description_zh !== null && row.description_en !== null
        ? { zh: row.description_zh, en: row.description_en }
        : null,
    enabled: row.enabled,
    sortOrder: row.sort_order,
    hours: WeeklyHours.parse(row.hours),
    guide: row.guide === null ? null : ServiceGuide.parse(row.guide),
    searchKeys: row.search_keys,
    booking: row.booking_rules === null ? null : BookingRules.parse(row.booking_rules),
    dailyQuota: row.daily_quota,
  });
}

/** The hall's services, disabled ones too (flagged), in display order. */
export async function loadServices(db: pg.Pool | pg.PoolClient, hallId: string): Promise<Service[]> {
  const services = await db.query(
    `SELECT ${SERVICE_COLUMNS} FROM services WHERE hall_id = $1 ORDER BY sort_order, service_id`,
    [hallId],
  );
  return services.rows.map(toService);
}

/** One service of the hall, or null. */
export async function loadService(db: pg.Pool | pg.PoolClient, hallId: string, serviceId: string): Promise<Service | null> {
  const result = await db.query(`SELECT ${SERVICE_COLUMNS} FROM services WHERE hall_id = $1 AND service_id = $2`, [hallId, serviceId]);
  return result.rows.length === 0 ? null : toService(result.rows[0]);
}

export const CatalogHallRow = z.object({
  hall_id: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  time_zone: z.string(),
  business_day_start_hour: z.number().int(),
  calendar: z.unknown(),
  check_in_before_minutes: z.number().int(),
  check_in_after_minutes: z.number().int(),
  tickets_only_in_hours: z.boolean(),
});
export type CatalogHallRow = z.infer<typeof CatalogHallRow>;

/** The hall columns the catalog's hall part is made of. */
export const CATALOG_HALL_COLUMNS =
  'hall_id, name_zh, name_en, time_zone, business_day_start_hour, calendar, check_in_before_minutes, check_in_after_minutes, tickets_only_in_hours';

export async function loadCatalogHall(db: pg.Pool | pg.PoolClient, hallId: string): Promise<CatalogHallRow> {
  const result = await db.query(`SELECT ${CATALOG_HALL_COLUMNS} FROM halls WHERE hall_id = $1`, [hallId]);
  // The principal's hall always exists (foreign keys); a miss means the hall was removed meanwhile.
  if (result.rows.length === 0) throw new PortalError(PortalErrorCode.NotFound, `hall ${hallId} not found`);
  return CatalogHallRow.parse(result.rows[0]);
}

export function hallInfoOf(hall: CatalogHallRow): HallInfo {
  return HallInfo.parse({
    hallId: hall.hall_id,
    name: { zh: hall.name_zh, en: hall.name_en },
    timeZone: hall.time_zone,
    businessDayStartHour: hall.business_day_start_hour,
    calendar: HallCalendar.parse(hall.calendar),
    checkInWindow: { beforeMinutes: hall.check_in_before_minutes, afterMinutes: hall.check_in_after_minutes },
    ticketsOnlyInHours: hall.tickets_only_in_hours,
  });
}

export function catalogOf(hall: CatalogHallRow, services: Service[]): Catalog {
  return Catalog.parse({ hall: hallInfoOf(hall), services });
}

/** The hall and all its services, in display order. */
export async function loadCatalog(db: pg.Pool, hallId: string, now: Date): Promise<CatalogResponse> {
  const hall = await loadCatalogHall(db, hallId);
  return { ...catalogOf(hall, await loadServices(db, hallId)), serverTime: now.toISOString() };
}

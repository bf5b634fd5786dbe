import type pg from 'pg';
import { z } from 'zod';
import type { CatalogResponse } from '../../common/contract/sync-api.js';
import type { Catalog, Service } from '../../common/contract/catalog.js';
import { loadHall, type HallRow } from './hall-day.js';

const ServiceRow = z.object({
  service_id: z.string(),
  prefix: z.string(),
  name_zh: z.string(),
  name_en: z.string(),
  description_zh: z.string().nullable(),
  description_en: z.string().nullable(),
  enabled: z.boolean(),
  sort_order: z.number().int(),
});

function toService(raw: unknown): Service {
  const row = ServiceRow.parse(raw);
  return {
    id: row.service_id,
    prefix: row.prefix,
    name: { zh: row.name_zh, en: row.name_en },
    description:
      row.description_zh !== null && row.description_en !== null
        ? { zh: row.description_zh, en: row.description_en }
        : null,
    enabled: row.enabled,
    sortOrder: row.sort_order,
  };
}

/** The hall's services, disabled ones too (flagged), in display order. */
export async function loadServices(db: pg.Pool | pg.PoolClient, hallId: string): Promise<Service[]> {
  const services = await db.query(
    `SELECT service_id, prefix, name_zh, name_en, description_zh, description_en, enabled, sort_order
     FROM services WHERE hall_id = $1 ORDER BY sort_order, service_id`,
    [hallId],
  );
  return services.rows.map(toService);
}

export function catalogOf(hall: HallRow, services: Service[]): Catalog {
  return {
    hall: { hallId: hall.hall_id, name: { zh: hall.name_zh, en: hall.name_en }, timeZone: hall.time_zone, businessDayStartHour: hall.business_day_start_hour },
    services,
  };
}

/** The hall and all its services, in display order. */
export async function loadCatalog(db: pg.Pool, hallId: string, now: Date): Promise<CatalogResponse> {
  const hall = await loadHall(db, hallId);
  return { ...catalogOf(hall, await loadServices(db, hallId)), serverTime: now.toISOString() };
}

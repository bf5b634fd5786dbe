import type pg from 'pg';
import type { CitizenCatalogResponse } from '../../common/contract/booking-api.js';
import { loadCatalog } from '../queue/catalog.js';

/**
 * The catalog the citizen pages show (guide, search, booking): the hall and its enabled services,
 * with hours, guides, pinyin search keys and booking rules. Public: nothing in it is personal or
 * secret, it is what the hall prints on its walls.
 */
export async function loadCitizenCatalog(pool: pg.Pool, hallId: string, now: Date): Promise<CitizenCatalogResponse> {
  const catalog = await loadCatalog(pool, hallId, now);
  return { ...catalog, services: catalog.services.filter((s) => s.enabled) };
}

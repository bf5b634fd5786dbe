import type pg from 'pg';
import type { ServiceGuide } from '../../common/contract/guide.js';
import type { BusinessDay } from '../../common/domain/business-day.js';
import { addWorkingDays, type CalendarDay } from '../../common/domain/hall-calendar.js';
import { hallInfoOf, loadCatalogHall, loadService } from '../queue/catalog.js';

/**
 * When a case is due (承诺办结时限): the service guide's promised time limit, or the legal one when
 * the hall promises none, counted in working days of the hall calendar from the day of
 * acceptance (that day not counted). Null when the guide sets neither, or there is no guide.
 */
export function dueDayOf(acceptedDay: BusinessDay, guide: ServiceGuide | null, calendar: readonly CalendarDay[]): BusinessDay | null {
  const days = guide?.promisedTimeLimitDays ?? guide?.legalTimeLimitDays ?? null;
  return days === null ? null : addWorkingDays(acceptedDay, days, calendar);
}

/**
 * The due day of a case of `serviceId` accepted on `acceptedDay`, from the hall's catalog as the
 * catalog domain serves it (guide and calendar: portal/queue/catalog.ts), never from its tables.
 */
export async function dueDayForService(
  db: pg.Pool | pg.PoolClient,
  hallId: string,
  serviceId: string,
  acceptedDay: BusinessDay,
): Promise<BusinessDay | null> {
  const service = await loadService(db, hallId, serviceId);
  if (!service?.guide) return null;
  const hall = hallInfoOf(await loadCatalogHall(db, hallId));
  return dueDayOf(acceptedDay, service.guide, hall.calendar);
}

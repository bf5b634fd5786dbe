/**
 * The demo hall's booked service made bookable today for bench/online-offline.bench.ts: the demo
 * books from tomorrow, on weekdays, three to a slot; the kiosks hold today's and tomorrow's
 * appointments, so the bench opens the service every day, all day, with an empty calendar, from
 * today (minDaysAhead 0) to tomorrow, 200 to a slot. Written as the manager console writes it
 * (portal/queue/service-config.ts), and told to the kiosks (`catalog.changed`) in the same
 * transaction.
 */
import type pg from 'pg';
import { withTransaction } from '../../portal/db/transaction.js';
import { catalogVersion, emitCatalogChanged, writeHallSettings, writeServiceConfig } from '../../portal/queue/service-config.js';
import { DEMO_SERVICE_CONFIG } from '../../portal/seed/demo-guides.js';

/** BookingRules' largest capacity. */
export const BENCH_SLOT_CAPACITY = 200;
const ALL_DAY = [{ opens: '00:00', closes: '23:50' }];
const EVERY_DAY = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, ALL_DAY]));

export async function makeBookableToday(pool: pg.Pool, hallId: string, serviceId: string): Promise<void> {
  await withTransaction(pool, async (client) => {
    const before = await catalogVersion(client, hallId);
    const written = await writeServiceConfig(client, hallId, serviceId, {
      hours: EVERY_DAY,
      guide: DEMO_SERVICE_CONFIG[serviceId]?.guide ?? null,
      booking: { slotMinutes: 10, capacity: BENCH_SLOT_CAPACITY, minDaysAhead: 0, maxDaysAhead: 1 },
    });
    if (!written) throw new Error(`hall ${hallId} has no service ${serviceId}`);
    await writeHallSettings(client, hallId, { calendar: [], checkInWindow: { beforeMinutes: 30, afterMinutes: 15 }, rectificationDays: 5 });
    await emitCatalogChanged(client, hallId, before);
  });
}

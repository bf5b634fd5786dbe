import type pg from 'pg';
import type { DisplayStateResponse } from '../../common/contract/display-api.js';
import { businessDayOf } from '../../common/domain/business-day.js';
import { waitingCounts } from '../counter/queue-read.js';
import { withTransaction } from '../db/transaction.js';
import { loadServices } from '../queue/catalog.js';
import { loadHall } from '../queue/hall-day.js';
import { lastHallEventSeq } from '../realtime/hall-event-store.js';
import { loadDisplaySettings } from './display-settings.js';
import { loadRecentCalls } from './recent-calls.js';

/**
 * What the hall display shows when it starts (or reloads after a `resync`): the hall, its notice
 * and voice settings, its services with their waiting counts, today's latest calls, and the seq of
 * the last hall event all of that includes. Everything is read in one repeatable-read snapshot:
 * an event's change and the event commit together, so the snapshot holds exactly the effects of
 * the events up to `lastEventSeq`, and a display that follows the stream from there neither
 * misses a call nor shows one twice.
 */
export async function loadDisplayState(pool: pg.Pool, hallId: string, now: Date): Promise<DisplayStateResponse> {
  return withTransaction(
    pool,
    async (client) => {
      const lastEventSeq = await lastHallEventSeq(client, hallId);
      const hall = await loadHall(client, hallId);
      const day = businessDayOf(now, hall.time_zone, hall.business_day_start_hour);
      // Every open service, and a closed one while people still wait for it.
      const waiting = await waitingCounts(client, hallId, day);
      const counted = new Set(waiting.map((w) => w.serviceId));
      const services = (await loadServices(client, hallId)).filter((s) => counted.has(s.id));
      return {
        hall: { hallId: hall.hall_id, name: { zh: hall.name_zh, en: hall.name_en } },
        settings: await loadDisplaySettings(client, hallId),
        services: services.map((s) => ({ id: s.id, prefix: s.prefix, name: s.name })),
        waiting,
        recentCalls: await loadRecentCalls(client, hallId),
        lastEventSeq,
        serverTime: now.toISOString(),
      };
    },
    { isolation: 'repeatable-read', readOnly: true },
  );
}


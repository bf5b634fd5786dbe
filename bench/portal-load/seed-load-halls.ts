import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { PushResponse, SyncEventType, type OutboxEvent } from '../../common/contract/sync-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { businessDayOf } from '../../common/domain/business-day.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { DEMO_SERVICES, seedDemoHall } from '../../portal/seed/demo-hall.js';
import { issueDisplayToken } from '../../portal/staff/display-tokens.js';
import { createStaffAccount } from '../../portal/staff/staff-accounts.js';
import { LOAD_CLERK_PASSWORD, clerksOf, displaysOf, hallCount, hallIdOf, kiosksOf, type LoadLayout } from './layout.js';

/** The demo hall's zone and day start (seedDemoHall), for the business day of the backlog. */
const HALL_ZONE = 'Asia/Shanghai';
const HALL_DAY_START_HOUR = 3;

/** Runs `work` over `items`, `width` at a time. */
async function inBatches<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(work));
}

/**
 * The bench's halls, each a copy of the demo hall (catalog, counters 1–8) with its own ten kiosk
 * tokens; in the staffed halls also a counter per clerk serving every service (no
 * counter_services row: the hall's one line), the clerks' accounts and the displays' tokens.
 */
export async function seedLoadHalls(pool: pg.Pool, layout: LoadLayout): Promise<void> {
  const kiosks = kiosksOf(layout);
  const halls = Array.from({ length: hallCount(layout) }, (_, i) => hallIdOf(i));
  await inBatches(halls, 4, async (hallId) => {
    await seedDemoHall(pool, {
      hallId,
      kioskTokens: kiosks.filter((k) => k.hallId === hallId).map((k) => ({ kioskId: k.kioskId, token: k.token, kioskDigit: k.kioskDigit })),
      staffToken: `bench-load-staff-${hallId}`,
      staffId: 'load-api',
    });
  });
  const clerks = clerksOf(layout);
  for (const clerk of clerks) {
    await pool.query(
      `INSERT INTO counters (hall_id, counter_id, number, name_zh, name_en, enabled) VALUES ($1, $2, $3, $4, $5, true)
       ON CONFLICT (hall_id, counter_id) DO NOTHING`,
      [clerk.hallId, clerk.counterId, clerk.counterNumber, `${clerk.counterNumber} 号窗口`, `Counter ${clerk.counterNumber}`],
    );
  }
  // scrypt, 0.1 s each: two at a time on two cores.
  await inBatches(clerks, 2, (clerk) =>
    createStaffAccount(pool, {
      hallId: clerk.hallId,
      staffId: clerk.staffId,
      username: clerk.username,
      displayName: clerk.username,
      role: StaffRole.Clerk,
      password: LOAD_CLERK_PASSWORD,
    }),
  );
  for (const display of displaysOf(layout)) {
    await issueDisplayToken(pool, { hallId: display.hallId, displayId: display.displayId, name: display.displayId, token: display.token });
  }
}

/**
 * Fills each staffed hall's line before the clock starts: its kiosks push tickets of their own
 * offline series (`A3-017`), spread over the services, through the portal's push route.
 */
export async function fillBacklog(baseUrl: string, layout: LoadLayout): Promise<number> {
  const staffed = new Set(Array.from({ length: layout.staffedHalls }, (_, i) => hallIdOf(i)));
  const kiosks = kiosksOf(layout).filter((k) => staffed.has(k.hallId));
  const perKiosk = Math.ceil(layout.backlogPerStaffedHall / Math.max(1, kiosks.length / Math.max(1, staffed.size)));
  const businessDay = businessDayOf(new Date(), HALL_ZONE, HALL_DAY_START_HOUR);
  let pushed = 0;
  for (const kiosk of kiosks) {
    const now = new Date().toISOString();
    const events: OutboxEvent[] = Array.from({ length: perKiosk }, (_, i) => {
      const service = DEMO_SERVICES[i % DEMO_SERVICES.length] ?? DEMO_SERVICES[0];
      if (!service) throw new Error('no demo services');
      return {
        seq: i + 1,
        eventId: randomUUID(),
        occurredAt: now,
        type: SyncEventType.TicketIssued,
        payload: {
          ticketId: randomUUID(),
          serviceId: service.id,
          number: `${service.prefix}${kiosk.kioskDigit}-${String(i + 1).padStart(3, '0')}`,
          numberSource: NumberSource.KioskSeries,
          businessDay,
          priority: Priority.Normal,
          issuedAt: now,
          citizenHmac: null,
        },
      };
    });
    if (events.length === 0) continue;
    const res = await fetch(`${baseUrl}/v1/kiosk/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kiosk.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ dbEpoch: randomUUID(), events }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`backlog push of ${kiosk.hallId}/${kiosk.kioskId}: ${res.status} ${text}`);
    const answer = PushResponse.parse(JSON.parse(text));
    if (answer.rejected.length > 0) throw new Error(`backlog push rejected: ${JSON.stringify(answer.rejected[0])}`);
    pushed += events.length;
  }
  return pushed;
}

import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { RatingLevel, RectificationStatus, type RatingInput } from '../../common/contract/ratings-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { SyncEventType, type OutboxEvent } from '../../common/contract/sync-api.js';
import { addDays } from '../../common/domain/business-day.js';
import { Priority, priorityRank } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { CounterOperation, actOnTicket, callNext, changeCounter, type TicketRequest } from '../counter/counter-operations.js';
import { addStaffKey } from '../counter/counter-test-kit.js';
import { sweepEndOfDay } from '../counter/end-of-day.js';
import { TicketAction } from '../counter/ticket-life.js';
import { PortalError } from '../http/portal-error.js';
import { pushEvents } from '../queue/push-events.js';
import { advanceOrder, listOrders } from '../ratings/rectification-orders.js';
import { rateAtCounter } from '../ratings/rate-ticket.js';
import { seedDemoHall } from '../seed/demo-hall.js';

/**
 * Generated hall days for the statistics' tests (not used by the portal): random arrivals, and
 * clerks driving the real counter operations (portal/counter) — calls, recalls past the no-show
 * limit, holds and call backs, transfers to services and counters (some changing the priority),
 * no-shows and requeues, cancellations, completions — with ratings at the counter, rectification
 * orders moved on by a manager, and the end-of-day sweep between days. One seeded generator
 * decides everything, so a seed replays a day.
 */

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Dice {
  constructor(readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from nothing');
    return item;
  }
}

/** Each clerk signed in at their own counter (window-8 serves everything). */
const DESKS = [
  { staffId: 'stats-clerk-1', counterId: 'window-1' },
  { staffId: 'stats-clerk-2', counterId: 'window-2' },
  { staffId: 'stats-clerk-7', counterId: 'window-7' },
  { staffId: 'stats-clerk-8', counterId: 'window-8' },
] as const;
const SERVICES = [
  { id: 'social-insurance', prefix: 'A' },
  { id: 'medical-insurance', prefix: 'B' },
  { id: 'general', prefix: 'K' },
  { id: 'tax', prefix: 'G' },
] as const;
const MANAGER_ID = 'stats-manager';
const KIOSK_ID = 'stats-kiosk';
const LEVELS = Object.values(RatingLevel);

export interface GeneratedHall {
  hallId: string;
  days: string[];
  timeZone: string;
  /** What the generator did, to check the days held every case. */
  counts: Record<string, number>;
}

export interface GenerateOptions {
  hallId: string;
  seed: number;
  timeZone: string;
  /** Business day start hour of the hall. */
  dayStartHour: number;
  /** The portal's clock on the first day (its business day is the first day). */
  firstNow: Date;
  days: number;
  stepsPerDay: number;
  /** Called when a day is over, before the sweep closes what it left open (with that day). */
  beforeSweep?: (closedDay: string) => Promise<void>;
}

const AtCounter = z.object({ ticket_id: z.string(), status: z.string() });

/** Generates `days` business days in a new hall; the last one is left open (no sweep after it). */
export async function generateHallDays(pool: pg.Pool, o: GenerateOptions): Promise<GeneratedHall> {
  const dice = new Dice(seededRandom(o.seed));
  const counts: Record<string, number> = {};
  const count = (what: string): void => {
    counts[what] = (counts[what] ?? 0) + 1;
  };
  await seedDemoHall(pool, { hallId: o.hallId, kioskTokens: [{ kioskId: KIOSK_ID, token: `${o.hallId}-kiosk-token`, kioskDigit: 1 }], staffToken: `${o.hallId}-staff-token` });
  await pool.query('UPDATE halls SET time_zone = $2, business_day_start_hour = $3, no_show_after_calls = 2 WHERE hall_id = $1', [
    o.hallId,
    o.timeZone,
    o.dayStartHour,
  ]);
  // The manager who takes the orders poor ratings open, and moves them on.
  await addStaffKey(pool, o.hallId, MANAGER_ID, StaffRole.Manager, `${o.hallId}-manager-token`);
  const manager: StaffPrincipal = { hallId: o.hallId, staffId: MANAGER_ID, role: StaffRole.Manager, via: 'api-key' };
  const clerks = DESKS.map((d) => ({ ...d, actor: { hallId: o.hallId, staffId: d.staffId, role: StaffRole.Clerk, via: 'api-key' } as StaffPrincipal }));
  for (const c of clerks) await changeCounter(pool, c.actor, c.counterId, CounterOperation.SignIn);

  const kiosk = { hallId: o.hallId, kioskId: KIOSK_ID, kioskDigit: 1 };
  const dbEpoch = randomUUID();
  let pushSeq = 0;
  const days: string[] = [];
  const firstDay = (await pool.query<{ day: string }>(
    `SELECT ((($1::timestamptz AT TIME ZONE $2) - make_interval(hours => $3))::date)::text AS day`,
    [o.firstNow, o.timeZone, o.dayStartHour],
  )).rows[0]?.day;
  if (firstDay === undefined) throw new Error('no first day');

  for (let d = 0; d < o.days; d++) {
    const now = new Date(o.firstNow.getTime() + d * 86_400_000);
    const day = addDays(firstDay, d);
    days.push(day);
    if (d > 0) {
      await o.beforeSweep?.(addDays(day, -1));
      const swept = await sweepEndOfDay(pool, now, { hallId: o.hallId });
      counts.swept = (counts.swept ?? 0) + (swept.get(o.hallId) ?? 0);
    }
    let number = 0;

    const arrive = async (): Promise<void> => {
      const service = dice.pick(SERVICES);
      number += 1;
      const ticketId = randomUUID();
      const ticketNumber = `${service.prefix}1-${String(number).padStart(3, '0')}`;
      if (dice.chance(0.25)) {
        // The kiosk's push, as it comes: received now, a walk-in.
        pushSeq += 1;
        const event: OutboxEvent = {
          seq: pushSeq,
          eventId: randomUUID(),
          occurredAt: now.toISOString(),
          type: SyncEventType.TicketIssued,
          payload: {
            ticketId, serviceId: service.id, number: ticketNumber, numberSource: NumberSource.KioskSeries,
            businessDay: day, priority: Priority.Normal, issuedAt: now.toISOString(), citizenHmac: null,
          },
        };
        const pushed = await pushEvents(pool, kiosk, { dbEpoch, events: [event] }, now);
        if (pushed.rejected.length > 0) throw new Error(`push refused: ${JSON.stringify(pushed.rejected)}`);
        count('pushed');
        return;
      }
      // Arrived earlier in the day (received up to 10 h ago), as the push would have filed it: the
      // ticket and its first segment, waiting since its receive time. Appointments come this way.
      const priority = dice.chance(0.3) ? Priority.Appointment : dice.chance(0.1) ? Priority.Elderly : Priority.Normal;
      const receivedAt = new Date(Date.now() - dice.int(10 * 3_600_000));
      await pool.query(
        `WITH inserted AS (
           INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority, priority_rank,
                                kiosk_id, status, issued_at_kiosk, received_at)
           VALUES ($1, $2, $3, $4, $5, 'kiosk-series', $6, $7, $8, 'waiting', $9, $9)
           RETURNING hall_id, ticket_id, service_id, received_at
         )
         INSERT INTO ticket_segments (hall_id, ticket_id, seq, state, service_id, started_at)
         SELECT hall_id, ticket_id, 1, 'waiting', service_id, received_at FROM inserted`,
        [o.hallId, ticketId, service.id, day, ticketNumber, priority, priorityRank[priority], KIOSK_ID, receivedAt],
      );
      count(priority === Priority.Appointment ? 'appointment' : 'arrived');
    };

    const act = async (clerk: (typeof clerks)[number]): Promise<void> => {
      const mine = (
        await pool.query(
          `SELECT ticket_id::text AS ticket_id, status FROM tickets
           WHERE hall_id = $1 AND counter_id = $2 AND business_day = $3 AND status IN ('called', 'serving', 'held', 'no-show')`,
          [o.hallId, clerk.counterId, day],
        )
      ).rows.map((r) => AtCounter.parse(r));
      const active = mine.find((t) => t.status === 'called' || t.status === 'serving');
      const on = async (ticketId: string, request: TicketRequest, what: string = request.action): Promise<void> => {
        await actOnTicket(pool, clerk.actor, ticketId, request, now);
        count(what);
      };
      if (!active) {
        const held = mine.filter((t) => t.status === 'held');
        const noShows = mine.filter((t) => t.status === 'no-show');
        if (held.length > 0 && dice.chance(0.4)) return on(dice.pick(held).ticket_id, { action: TicketAction.CallBack, counterId: clerk.counterId });
        if (noShows.length > 0 && dice.chance(0.3)) return on(dice.pick(noShows).ticket_id, { action: TicketAction.Requeue });
        const called = await callNext(pool, clerk.actor, { counterId: clerk.counterId, serviceIds: [] }, now);
        if (called) count('call');
        return;
      }
      const transfer = (): TicketRequest => ({
        action: TicketAction.Transfer,
        target: dice.chance(0.6) ? { serviceId: dice.pick(SERVICES).id } : { counterId: dice.pick(DESKS).counterId },
        ...(dice.chance(0.3) ? { priority: dice.pick([Priority.Normal, Priority.Appointment, Priority.GreenChannel]) } : {}),
      });
      const roll = dice.next();
      if (active.status === 'called') {
        if (roll < 0.45) return on(active.ticket_id, { action: TicketAction.Start });
        if (roll < 0.6) return on(active.ticket_id, { action: TicketAction.Recall });
        if (roll < 0.68) return on(active.ticket_id, { action: TicketAction.NoShow });
        if (roll < 0.75) return on(active.ticket_id, { action: TicketAction.Hold });
        if (roll < 0.82) return on(active.ticket_id, transfer());
        if (roll < 0.86) return on(active.ticket_id, { action: TicketAction.Cancel, reason: null });
        return complete(clerk, active.ticket_id, 'complete-from-called');
      }
      if (roll < 0.6) return complete(clerk, active.ticket_id, 'complete');
      if (roll < 0.75) return on(active.ticket_id, { action: TicketAction.Hold });
      if (roll < 0.92) return on(active.ticket_id, transfer());
      return on(active.ticket_id, { action: TicketAction.Cancel, reason: null });
    };

    const complete = async (clerk: (typeof clerks)[number], ticketId: string, what: string): Promise<void> => {
      await actOnTicket(pool, clerk.actor, ticketId, { action: TicketAction.Complete, caseNumber: null }, now);
      count(what);
      if (!dice.chance(0.6)) return;
      const level = (): RatingLevel => (dice.chance(0.4) ? dice.pick(LEVELS) : dice.pick(LEVELS.slice(0, 2)));
      const rating: RatingInput = { overall: level(), efficiency: level(), expertise: level(), attitude: level(), comment: null };
      await rateAtCounter(pool, clerk.actor, ticketId, rating, now);
      count('rating');
    };

    for (let step = 0; step < o.stepsPerDay; step++) {
      try {
        if (dice.chance(0.3)) await arrive();
        else await act(dice.pick(clerks));
      } catch (err) {
        // A refusal the portal gives (a counter busy after a call back, a transfer to itself…) is
        // part of a hall's day; anything else is a failure of the test or the portal.
        if (!(err instanceof PortalError)) throw err;
        count(`refused:${err.code}`);
      }
    }

    // The manager moves some of the orders on: contacted, rectified, closed.
    for (const order of await listOrders(pool, manager, undefined, now)) {
      const path = [RectificationStatus.Contacted, RectificationStatus.Rectified, RectificationStatus.Closed];
      const from = path.indexOf(order.status) + 1;
      for (const status of path.slice(from)) {
        if (!dice.chance(0.4)) break;
        await advanceOrder(pool, manager, order.orderId, { status, note: 'handled' }, now);
        count(`order:${status}`);
      }
    }
  }
  return { hallId: o.hallId, days, timeZone: o.timeZone, counts };
}

/**
 * Rates, at the counter and on the day after `day`, a served ticket of `day` that nobody rated
 * (as its clerk: the one its last serving segment names). Returns whether there was one.
 */
export async function lateRating(pool: pg.Pool, hallId: string, day: string, firstNow: Date): Promise<boolean> {
  const found = await pool.query<{ ticket_id: string; staff_id: string }>(
    `SELECT t.ticket_id::text AS ticket_id,
            (SELECT s.staff_id FROM ticket_segments s WHERE s.hall_id = t.hall_id AND s.ticket_id = t.ticket_id
               AND s.state IN ('called', 'serving') ORDER BY s.seq DESC LIMIT 1) AS staff_id
     FROM tickets t
     WHERE t.hall_id = $1 AND t.business_day = $2::date AND t.status = 'done'
       AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.hall_id = t.hall_id AND r.ticket_id = t.ticket_id)
     ORDER BY t.ticket_id LIMIT 1`,
    [hallId, day],
  );
  const ticket = found.rows[0];
  if (!ticket) return false;
  const clerk: StaffPrincipal = { hallId, staffId: ticket.staff_id, role: StaffRole.Clerk, via: 'api-key' };
  const level = RatingLevel.VeryDissatisfied;
  await rateAtCounter(pool, clerk, ticket.ticket_id, { overall: level, efficiency: level, expertise: level, attitude: level, comment: null },
    new Date(firstNow.getTime() + 86_400_000));
  return true;
}

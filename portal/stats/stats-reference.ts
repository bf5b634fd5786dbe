import type pg from 'pg';
import { z } from 'zod';
import { RatingLevel, RectificationStatus } from '../../common/contract/ratings-api.js';
import { StatsBy } from '../../common/contract/stats-api.js';
import { emptyFigures, type DurationFigures, type StatsFigures } from './stats-store.js';
import { LegOutcome, STATS_PERCENTILES } from './visit-legs.js';

/**
 * The tests' own statistics (not used by the portal): visit-legs.ts's definitions applied in
 * TypeScript to the raw rows — segments, tickets, ratings, orders — read straight from the tables
 * with times in exact microseconds. Nothing here reads ticket_legs or shares SQL with the portal,
 * so the portal's figures (trigger-kept legs, grouping SQL, percentile_cont) must agree with an
 * independent computation.
 */

const SegmentRaw = z.object({
  ticket_id: z.string(),
  seq: z.number().int(),
  state: z.string(),
  service_id: z.string(),
  counter_id: z.string().nullable(),
  staff_id: z.string().nullable(),
  started_us: z.string(),
  ended_us: z.string().nullable(),
});
const TicketRaw = z.object({
  ticket_id: z.string(),
  business_day: z.string(),
  received_us: z.string(),
  priority: z.string(),
  status: z.string(),
  closed_reason: z.string().nullable(),
});
const RatingRaw = z.object({ rating_id: z.string(), ticket_id: z.string(), overall: z.enum(RatingLevel) });
const OrderRaw = z.object({ rating_id: z.string(), status: z.enum(RectificationStatus), due_day: z.string() });

interface Segment {
  seq: number;
  state: string;
  serviceId: string;
  counterId: string | null;
  staffId: string | null;
  startedUs: number;
  endedUs: number | null;
}

export interface RawHall {
  tickets: Map<string, { businessDay: string; receivedUs: number; priority: string; status: string; closedReason: string | null; segments: Segment[] }>;
  ratings: { ticketId: string; overall: RatingLevel; order: { status: RectificationStatus; dueDay: string } | null }[];
}

const US = (text: string): number => Number(text);

/** Everything of one hall the reference needs, times as exact microseconds since the epoch. */
export async function readRawHall(db: pg.Pool, hallId: string): Promise<RawHall> {
  const epochUs = (col: string) => `(extract(epoch FROM ${col}) * 1000000)::bigint::text`;
  const tickets = await db.query(
    `SELECT ticket_id::text AS ticket_id, business_day::text AS business_day, ${epochUs('received_at')} AS received_us,
            priority, status, closed_reason
     FROM tickets WHERE hall_id = $1`,
    [hallId],
  );
  const segments = await db.query(
    `SELECT ticket_id::text AS ticket_id, seq, state, service_id, counter_id, staff_id,
            ${epochUs('started_at')} AS started_us, ${epochUs('ended_at')} AS ended_us
     FROM ticket_segments WHERE hall_id = $1 ORDER BY ticket_id, seq`,
    [hallId],
  );
  const ratings = await db.query('SELECT rating_id::text AS rating_id, ticket_id::text AS ticket_id, overall FROM ratings WHERE hall_id = $1', [hallId]);
  const orders = await db.query('SELECT rating_id::text AS rating_id, status, due_day::text AS due_day FROM rectification_orders WHERE hall_id = $1', [hallId]);

  const raw: RawHall = { tickets: new Map(), ratings: [] };
  for (const row of tickets.rows.map((r) => TicketRaw.parse(r))) {
    raw.tickets.set(row.ticket_id, {
      businessDay: row.business_day,
      receivedUs: US(row.received_us),
      priority: row.priority,
      status: row.status,
      closedReason: row.closed_reason,
      segments: [],
    });
  }
  for (const row of segments.rows.map((r) => SegmentRaw.parse(r))) {
    raw.tickets.get(row.ticket_id)?.segments.push({
      seq: row.seq,
      state: row.state,
      serviceId: row.service_id,
      counterId: row.counter_id,
      staffId: row.staff_id,
      startedUs: US(row.started_us),
      endedUs: row.ended_us === null ? null : US(row.ended_us),
    });
  }
  const orderOf = new Map(orders.rows.map((r) => OrderRaw.parse(r)).map((o) => [o.rating_id, { status: o.status, dueDay: o.due_day }]));
  raw.ratings = ratings.rows.map((r) => RatingRaw.parse(r)).map((r) => ({ ticketId: r.ticket_id, overall: r.overall, order: orderOf.get(r.rating_id) ?? null }));
  return raw;
}

/** One leg, as visit-legs.ts defines it; the field names are ticket_legs' for a direct comparison. */
export interface ReferenceLeg {
  ticket_id: string;
  leg: number;
  business_day: string;
  arrived_us: number;
  /** The local hour of arrival in the hall's zone. */
  arrival_hour: number;
  appointment: boolean;
  service_id: string;
  counter_id: string | null;
  staff_id: string | null;
  outcome: LegOutcome;
  /** The ticket's first leg for this service, at this counter, by this clerk. */
  first_of_service: boolean;
  first_at_counter: boolean;
  first_by_clerk: boolean;
  wait_us: number | null;
  serve_us: number | null;
}

const CALLED_OR_SERVING = new Set(['called', 'serving']);

export function referenceLegs(raw: RawHall, timeZone: string): ReferenceLeg[] {
  const legs: ReferenceLeg[] = [];
  for (const [ticketId, t] of raw.tickets) {
    const split: Segment[][] = [];
    for (const s of [...t.segments].sort((a, b) => a.seq - b.seq)) {
      if (s.state === 'waiting' || split.length === 0) split.push([s]);
      else split[split.length - 1]?.push(s);
    }
    const before = { services: new Set<string>(), counters: new Set<string | null>(), clerks: new Set<string | null>() };
    const firstOf = <T,>(seen: Set<T>, value: T): boolean => {
      if (seen.has(value)) return false;
      seen.add(value);
      return true;
    };
    split.forEach((segments, i) => {
      const wait = segments[0] as Segment;
      const last = segments[segments.length - 1] as Segment;
      const hands = segments.filter((s) => CALLED_OR_SERVING.has(s.state)).pop() ?? null;
      let outcome: LegOutcome;
      if (i < split.length - 1) outcome = last.state === 'no-show' ? LegOutcome.NoShow : LegOutcome.Transferred;
      else if (t.status === 'done') outcome = LegOutcome.Served;
      else if (t.status === 'no-show') outcome = LegOutcome.NoShow;
      else if (t.status === 'cancelled') outcome = t.closedReason === 'end-of-day' ? LegOutcome.Swept : LegOutcome.Cancelled;
      else outcome = LegOutcome.Open;
      const serving = segments.filter((s) => s.state === 'serving');
      const staffEnded = outcome !== LegOutcome.Open && outcome !== LegOutcome.Swept;
      legs.push({
        ticket_id: ticketId,
        leg: i + 1,
        business_day: t.businessDay,
        arrived_us: t.receivedUs,
        arrival_hour: Number(localHour(t.receivedUs, timeZone)),
        appointment: t.priority === 'appointment',
        service_id: wait.serviceId,
        counter_id: hands?.counterId ?? null,
        staff_id: hands?.staffId ?? null,
        outcome,
        first_of_service: firstOf(before.services, wait.serviceId),
        first_at_counter: firstOf(before.counters, hands?.counterId ?? null),
        first_by_clerk: firstOf(before.clerks, hands?.staffId ?? null),
        wait_us: segments.length > 1 && wait.endedUs !== null ? wait.endedUs - wait.startedUs : null,
        serve_us: serving.length > 0 && staffEnded ? serving.reduce((sum, s) => sum + ((s.endedUs ?? Number.NaN) - s.startedUs), 0) : null,
      });
    });
  }
  return legs;
}

/** PostgreSQL's percentile_cont: linear interpolation at position p·(n−1) of the sorted values. */
export function percentileCont(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const position = p * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return lo === hi ? a : a + (b - a) * (position - lo);
}

function durationsOf(values: number[]): DurationFigures {
  const sorted = [...values].sort((a, b) => a - b);
  const [median, p90] = STATS_PERCENTILES.map((p) => percentileCont(sorted, p));
  return { count: sorted.length, sumUs: sorted.reduce((a, b) => a + b, 0), medianUs: median ?? null, p90Us: p90 ?? null };
}

/** The local hour (`09`) of an instant in a time zone. */
export function localHour(us: number, timeZone: string): string {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date(Math.floor(us / 1000)));
  return hour.padStart(2, '0');
}

export interface ReferenceQuery {
  from: string;
  to: string;
  by: StatsBy;
  timeZone: string;
  today: string;
}

/**
 * The figures of every group and of the total, from the raw rows: legs and ratings of tickets
 * whose business day is in the range, grouped by `by`.
 */
export function referenceFigures(raw: RawHall, legs: readonly ReferenceLeg[], q: ReferenceQuery): { groups: Map<string, StatsFigures>; total: StatsFigures } {
  const inRange = (day: string): boolean => day >= q.from && day <= q.to;
  const legKey = (l: ReferenceLeg): string | null => {
    switch (q.by) {
      case StatsBy.Day: return l.business_day;
      case StatsBy.Hour: return String(l.arrival_hour).padStart(2, '0');
      case StatsBy.Service: return l.service_id;
      case StatsBy.Counter: return l.counter_id;
      case StatsBy.Clerk: return l.staff_id;
    }
  };
  // The total holds every leg of the range, the groups those with a key (a leg never called has
  // no counter and no clerk).
  const buckets = new Map<string | null, ReferenceLeg[]>([[null, []]]);
  for (const l of legs) {
    if (!inRange(l.business_day)) continue;
    const key = legKey(l);
    for (const k of key === null ? [null] : [key, null]) {
      const members = buckets.get(k);
      if (members) members.push(l);
      else buckets.set(k, [l]);
    }
  }
  const groups = new Map<string, StatsFigures>();
  const total = emptyFigures('total');
  const target = (key: string | null): StatsFigures => {
    if (key === null) return total;
    const found = groups.get(key) ?? emptyFigures(key);
    groups.set(key, found);
    return found;
  };
  for (const [key, members] of buckets) {
    const f = target(key);
    const tickets = new Map(members.map((l) => [l.ticket_id, l.appointment]));
    const count = (outcomes: LegOutcome[]): number => members.filter((l) => outcomes.includes(l.outcome)).length;
    Object.assign(f, {
      arrivals: tickets.size,
      appointments: [...tickets.values()].filter(Boolean).length,
      served: count([LegOutcome.Served]),
      noShows: count([LegOutcome.NoShow]),
      transfers: count([LegOutcome.Transferred]),
      cancelled: count([LegOutcome.Cancelled, LegOutcome.Swept]),
      waiting: durationsOf(members.flatMap((l) => (l.wait_us === null ? [] : [l.wait_us]))),
      serving: durationsOf(members.flatMap((l) => (l.serve_us === null ? [] : [l.serve_us]))),
    });
  }

  // A rating names what its ticket's last called or serving segment names (0010), the day and the
  // hour are its ticket's: derived again here from the segments, not read from the rating row.
  for (const rating of raw.ratings) {
    const t = raw.tickets.get(rating.ticketId);
    if (!t || !inRange(t.businessDay)) continue;
    const hands = [...t.segments].sort((a, b) => a.seq - b.seq).filter((s) => CALLED_OR_SERVING.has(s.state)).pop();
    const key = {
      [StatsBy.Day]: t.businessDay,
      [StatsBy.Hour]: localHour(t.receivedUs, q.timeZone),
      [StatsBy.Service]: hands?.serviceId ?? null,
      [StatsBy.Counter]: hands?.counterId ?? null,
      [StatsBy.Clerk]: hands?.staffId ?? null,
    }[q.by];
    for (const f of key === null ? [total] : [target(key), total]) {
      f.ratings[rating.overall] += 1;
      const order = rating.order;
      if (order && order.status !== RectificationStatus.Closed) f.openOrders += 1;
      if (order && (order.status === RectificationStatus.Open || order.status === RectificationStatus.Contacted) && q.today > order.dueDay) {
        f.overdueOrders += 1;
      }
    }
  }
  return { groups, total };
}

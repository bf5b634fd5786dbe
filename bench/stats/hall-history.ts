/**
 * The history of one hall for bench/stats.bench.ts, generated straight into PostgreSQL with
 * generate_series, DAYS_PER_STATEMENT business days per statement: tickets, their segments (waits,
 * calls, recalls into no-shows, holds and call backs, transfers, requeues, cancellations, the
 * end-of-day sweep's closes), ratings (40 % of served visits) and rectification orders. The
 * segments go in through the real triggers (migration 0012), which derive the visit legs the
 * statistics read, a statement's tickets at once. Deterministic for a seed (setseed), apart from
 * the uuids.
 */
import type pg from 'pg';
import { addDays } from '../../common/domain/business-day.js';

const DAYS_PER_STATEMENT = 10;
const CLERKS = 16;

/**
 * The lives the generator gives tickets, by share: each a list of segments (state, what its
 * length is drawn from, which leg it belongs to). `day-end`: closed by the sweep at the end of
 * the business day (open on today). Kind 4 is transferred to another service, kind 5 requeued.
 */
const LIVES: readonly { share: number; status: string; closedReason?: string; segments: [string, string, number][] }[] = [
  { share: 0.7, status: 'done', segments: [['waiting', 'wait', 1], ['called', 'walk', 1], ['serving', 'serve', 1]] },
  { share: 0.06, status: 'done', segments: [['waiting', 'wait', 1], ['called', 'walk', 1]] },
  { share: 0.06, status: 'no-show', segments: [['waiting', 'wait', 1], ['called', 'walk', 1], ['called', 'walk', 1], ['no-show', 'day-end', 1]] },
  {
    share: 0.05, status: 'done',
    segments: [['waiting', 'wait', 1], ['called', 'walk', 1], ['serving', 'serve', 1], ['held', 'hold', 1], ['called', 'walk', 1], ['serving', 'serve', 1]],
  },
  {
    share: 0.06, status: 'done',
    segments: [['waiting', 'wait', 1], ['called', 'walk', 1], ['serving', 'serve', 1], ['waiting', 'wait', 2], ['called', 'walk', 2], ['serving', 'serve', 2]],
  },
  {
    share: 0.02, status: 'done',
    segments: [['waiting', 'wait', 1], ['called', 'walk', 1], ['no-show', 'hold', 1], ['waiting', 'wait', 2], ['called', 'walk', 2], ['serving', 'serve', 2]],
  },
  { share: 0.03, status: 'cancelled', closedReason: 'staff', segments: [['waiting', 'wait', 1]] },
  { share: 0.02, status: 'cancelled', closedReason: 'end-of-day', segments: [['waiting', 'day-end', 1]] },
];

async function prepare(client: pg.PoolClient, hallId: string): Promise<void> {
  await client.query('SELECT setseed(0.2025)');
  await client.query(
    `INSERT INTO staff (hall_id, staff_id, display_name, role)
     SELECT $1, 'bench-clerk-' || lpad(i::text, 2, '0'), '窗口人员 ' || lpad(i::text, 2, '0'), 'clerk' FROM generate_series(1, $2) i`,
    [hallId, CLERKS],
  );
  // Each service with the counters that serve it (a counter with no services serves them all).
  await client.query(
    `CREATE TEMP TABLE bench_services AS
     SELECT (row_number() OVER (ORDER BY s.sort_order, s.service_id) - 1)::int AS idx, s.service_id, s.prefix,
            ARRAY(SELECT c.counter_id FROM counters c
                  WHERE c.hall_id = s.hall_id AND (
                    NOT EXISTS (SELECT 1 FROM counter_services x WHERE x.hall_id = c.hall_id AND x.counter_id = c.counter_id)
                    OR EXISTS (SELECT 1 FROM counter_services x WHERE x.hall_id = c.hall_id AND x.counter_id = c.counter_id AND x.service_id = s.service_id))
                  ORDER BY c.counter_id) AS counters
     FROM services s WHERE s.hall_id = $1`,
    [hallId],
  );
  await client.query('CREATE TEMP TABLE bench_lives (kind int, share float8, upto float8, status text, closed_reason text)');
  await client.query('CREATE TEMP TABLE bench_segments (kind int, seq int, state text, draw text, leg int)');
  let upto = 0;
  for (const [kind, life] of LIVES.entries()) {
    // The last life takes whatever the shares' rounding left.
    upto = kind === LIVES.length - 1 ? 2 : upto + life.share;
    await client.query('INSERT INTO bench_lives VALUES ($1, $2, $3, $4, $5)', [kind, life.share, upto, life.status, life.closedReason ?? null]);
    for (const [i, [state, draw, leg]] of life.segments.entries()) {
      await client.query('INSERT INTO bench_segments VALUES ($1, $2, $3, $4, $5)', [kind, i + 1, state, draw, leg]);
    }
  }
}

/** The clerk at a counter on a day: counters rotate over the clerks day by day. */
const CLERK_OF = (counter: string, dayNo: string): string =>
  `'bench-clerk-' || lpad(((substring(${counter} from '[0-9]+')::int + ${dayNo}) % ${CLERKS} + 1)::text, 2, '0')`;

interface Chunk {
  hallId: string;
  from: string;
  to: string;
  perDay: number;
  timeZone: string;
  dayStartHour: number;
  today: string;
}

/** One statement's days of tickets, their segments, ratings and orders. */
async function generateDays(client: pg.PoolClient, c: Chunk): Promise<void> {
  await client.query('DROP TABLE IF EXISTS bench_gen');
  // CREATE TABLE AS takes no parameters: the bench's own values, quoted.
  const q = (v: string | number): string => client.escapeLiteral(String(v));
  await client.query(
    `CREATE TEMP TABLE bench_gen AS
     WITH t AS MATERIALIZED (
       SELECT gen_random_uuid() AS ticket_id, d::date AS day, (d::date - '2000-01-01'::date) AS day_no, n,
              random() AS r_kind, random() AS r_priority, random() AS r_rate, random() AS r_level,
              floor(random() * (SELECT count(*) FROM bench_services))::int AS s1,
              floor(random() * (SELECT count(*) FROM bench_services))::int AS s2,
              random() AS r_c1, random() AS r_c2,
              ((d::date + time '08:30') + random() * interval '9 hours') AT TIME ZONE ${q(c.timeZone)} AS received_at,
              ((d::date + 1)::timestamp + make_interval(hours => ${q(c.dayStartHour)}::int)) AT TIME ZONE ${q(c.timeZone)} AS day_end
       FROM generate_series(${q(c.from)}::date, ${q(c.to)}::date, interval '1 day') d CROSS JOIN generate_series(1, ${q(c.perDay)}::int) n
     )
     SELECT t.*, l.kind, l.status, l.closed_reason,
            CASE WHEN t.r_priority < 0.2 THEN 'appointment' WHEN t.r_priority < 0.28 THEN 'elderly' ELSE 'normal' END AS priority,
            a.service_id AS service1, a.prefix || '1-' || lpad(t.n::text, 4, '0') AS number,
            a.counters[1 + floor(t.r_c1 * cardinality(a.counters))::int] AS counter1,
            b.service_id AS service2, b.counters[1 + floor(t.r_c2 * cardinality(b.counters))::int] AS counter2
     FROM t
     JOIN bench_services a ON a.idx = t.s1 JOIN bench_services b ON b.idx = t.s2
     JOIN LATERAL (SELECT * FROM bench_lives l WHERE t.r_kind < l.upto ORDER BY l.upto LIMIT 1) l ON true`,
  );
  // The ticket as its life left it: the counter and clerk of its last leg.
  await client.query(
    `INSERT INTO tickets (hall_id, ticket_id, service_id, business_day, number, number_source, priority, priority_rank,
                          kiosk_id, status, counter_id, staff_id, issued_at_kiosk, received_at, call_count, closed_reason)
     SELECT $1, g.ticket_id, CASE WHEN g.kind = 4 THEN g.service2 ELSE g.service1 END, g.day, g.number, 'kiosk-series', g.priority,
            CASE g.priority WHEN 'appointment' THEN 0 WHEN 'elderly' THEN 1 ELSE 2 END, 'bench-kiosk', g.status,
            CASE WHEN g.kind = 4 THEN g.counter2 WHEN g.status = 'cancelled' THEN NULL ELSE g.counter1 END,
            CASE WHEN g.status = 'cancelled' THEN NULL ELSE ${CLERK_OF('CASE WHEN g.kind = 4 THEN g.counter2 ELSE g.counter1 END', 'g.day_no')} END,
            g.received_at, g.received_at, CASE WHEN g.kind = 2 THEN 2 ELSE 1 END, g.closed_reason
     FROM bench_gen g`,
    [c.hallId],
  );
  // The segments, one statement: the triggers derive every leg of these tickets once.
  await client.query(
    `WITH s AS MATERIALIZED (
       SELECT g.ticket_id, p.seq, p.state, p.draw, g.day, g.day_end, g.day_no, g.received_at,
              CASE p.draw
                WHEN 'wait' THEN -ln(1 - random()) * 900
                WHEN 'walk' THEN 15 + random() * 90
                WHEN 'serve' THEN 30 - ln(1 - random()) * 420
                WHEN 'hold' THEN 300 + random() * 1200
                ELSE 0 END AS secs,
              CASE WHEN p.leg = 2 AND g.kind = 4 THEN g.service2 ELSE g.service1 END AS service_id,
              CASE WHEN p.leg = 2 AND g.kind = 4 THEN g.counter2 ELSE g.counter1 END AS counter_id
       FROM bench_gen g JOIN bench_segments p ON p.kind = g.kind
     ), timed AS (
       SELECT s.*, s.received_at + make_interval(secs => coalesce(sum(s.secs) OVER (
                PARTITION BY s.ticket_id ORDER BY s.seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)) AS started_at
       FROM s
     )
     INSERT INTO ticket_segments (hall_id, ticket_id, seq, state, service_id, counter_id, staff_id, started_at, ended_at)
     SELECT $1, ticket_id, seq, state, service_id,
            CASE WHEN state = 'waiting' THEN NULL ELSE counter_id END,
            CASE WHEN seq = 1 THEN NULL ELSE ${CLERK_OF('counter_id', 'day_no')} END,
            started_at,
            CASE WHEN draw <> 'day-end' THEN started_at + make_interval(secs => secs)
                 WHEN day < $2::date THEN greatest(started_at, day_end)
                 -- Today nothing was swept yet: a ticket of that life was cancelled by staff instead.
                 WHEN state = 'waiting' THEN started_at + interval '1 hour' END
     FROM timed`,
    [c.hallId, c.today],
  );
  // 40 % of served visits rated, most of them well; a poor rating has its order.
  await client.query(
    `INSERT INTO ratings (hall_id, rating_id, ticket_id, channel, overall, efficiency, expertise, attitude, business_day, number,
                          service_id, counter_id, staff_id, rated_day, rated_at)
     SELECT $1, gen_random_uuid(), g.ticket_id, 'counter', v.level, v.level, v.level, v.level, g.day, g.number,
            t.service_id, t.counter_id, t.staff_id, g.day, g.received_at + interval '1 hour'
     FROM bench_gen g JOIN tickets t ON t.hall_id = $1 AND t.ticket_id = g.ticket_id
     CROSS JOIN LATERAL (SELECT CASE WHEN g.r_level < 0.6 THEN 'very-satisfied' WHEN g.r_level < 0.85 THEN 'satisfied'
                                     WHEN g.r_level < 0.93 THEN 'basically-satisfied' WHEN g.r_level < 0.98 THEN 'dissatisfied'
                                     ELSE 'very-dissatisfied' END AS level) v
     WHERE g.status = 'done' AND g.r_rate < 0.4`,
    [c.hallId],
  );
  await client.query(
    `INSERT INTO rectification_orders (hall_id, order_id, rating_id, service_id, counter_id, staff_id, status, due_day, closed_at)
     SELECT $1, gen_random_uuid(), r.rating_id, r.service_id, r.counter_id, r.staff_id, o.status, r.business_day + 7,
            CASE WHEN o.status = 'closed' THEN r.rated_at + interval '3 days' END
     FROM ratings r
     CROSS JOIN LATERAL (SELECT CASE WHEN r.business_day < $4::date - 30 THEN 'closed'
                                     ELSE (ARRAY['open', 'contacted', 'rectified', 'closed'])[1 + floor(random() * 4)::int] END AS status) o
     WHERE r.hall_id = $1 AND r.business_day BETWEEN $2::date AND $3::date AND r.overall IN ('dissatisfied', 'very-dissatisfied')`,
    [c.hallId, c.from, c.to, c.today],
  );
}

export interface HistoryOptions {
  hallId: string;
  /** The hall's today: the last day generated (its no-shows stay open: nothing was swept yet). */
  today: string;
  days: number;
  ticketsPerDay: number;
  timeZone: string;
  dayStartHour: number;
}

/** Generates the hall's history on one connection, a transaction per statement's days; then VACUUM ANALYZE. */
export async function generateHallHistory(client: pg.PoolClient, o: HistoryOptions): Promise<void> {
  await prepare(client, o.hallId);
  const firstDay = addDays(o.today, -(o.days - 1));
  for (let d = 0; d < o.days; d += DAYS_PER_STATEMENT) {
    const chunk: Chunk = {
      hallId: o.hallId,
      from: addDays(firstDay, d),
      to: addDays(firstDay, Math.min(o.days, d + DAYS_PER_STATEMENT) - 1),
      perDay: o.ticketsPerDay,
      timeZone: o.timeZone,
      dayStartHour: o.dayStartHour,
      today: o.today,
    };
    await client.query('BEGIN');
    await generateDays(client, chunk);
    await client.query('COMMIT');
  }
  await client.query('VACUUM ANALYZE');
}

import type pg from 'pg';
import { z } from 'zod';
import { RatingLevel } from '../../common/contract/ratings-api.js';
import { StatsBy } from '../../common/contract/stats-api.js';
import { LegOutcome, STATS_PERCENTILES } from './visit-legs.js';

/**
 * The statistics' SQL. A grouping is one statement over one hall's range of business days: its
 * figures — the built rows of the closed days (stats_days, stats-days.ts) and, for the days not
 * built (today, or a day a change has just forgotten), the same figures from their legs
 * (ticket_legs, kept by migration 0012's triggers) and ratings — and its open orders. The range's
 * total is one more, the same for every grouping, so a page asking for five tables computes it
 * once (hall-stats.ts). Durations stay exact integer microseconds: sums are exact; a group's
 * durations are its days' sorted runs, concatenated and sorted once, and its percentiles are
 * percentile_cont's over them (sorted_percentile_cont; visit-legs.ts has every definition).
 * array_sort is PostgreSQL 18's (the embedded server's version). Reads only.
 */

/** A distribution of durations as SQL gives it: count, exact sum, percentile_cont 0.5 and 0.9. */
export interface DurationFigures {
  count: number;
  sumUs: number;
  medianUs: number | null;
  p90Us: number | null;
}

/** One group's figures (or the total's), before names and units. */
export interface StatsFigures {
  key: string;
  arrivals: number;
  appointments: number;
  served: number;
  noShows: number;
  transfers: number;
  cancelled: number;
  waiting: DurationFigures;
  serving: DurationFigures;
  ratings: Record<RatingLevel, number>;
  openOrders: number;
  overdueOrders: number;
}

export interface StatsRange {
  from: string;
  to: string;
  by: StatsBy;
}

/** What the figures depend on besides the range: the hall's today (overdue orders). */
export interface StatsHallFacts {
  today: string;
}

/** A grouping as the rows of stats_days name it; the total reads the `day` rows. */
const DAY_ROWS = 'day';

/** The group key of a leg (`l`, ticket_legs), and the same as the answer names it. */
const LEG_KEY: Readonly<Record<StatsBy, { key: string; text: string }>> = {
  [StatsBy.Day]: { key: 'l.business_day', text: 'l.business_day::text' },
  [StatsBy.Hour]: { key: 'l.arrival_hour', text: "lpad(l.arrival_hour::text, 2, '0')" },
  [StatsBy.Service]: { key: 'l.service_id', text: 'l.service_id' },
  [StatsBy.Counter]: { key: 'l.counter_id', text: 'l.counter_id' },
  [StatsBy.Clerk]: { key: 'l.staff_id', text: 'l.staff_id' },
};

/**
 * The leg that brings its ticket into a group (a group's arrivals are distinct tickets): the
 * ticket's first leg by day and hour (all its legs share the group), its first leg for the
 * service, at the counter, by the clerk otherwise (flags the rollup keeps). The total counts
 * first legs: every ticket once.
 */
const ARRIVING_LEG: Readonly<Record<StatsBy, string>> = {
  [StatsBy.Day]: 'l.leg = 1',
  [StatsBy.Hour]: 'l.leg = 1',
  [StatsBy.Service]: 'l.first_of_service',
  [StatsBy.Counter]: 'l.first_at_counter',
  [StatsBy.Clerk]: 'l.first_by_clerk',
};

/** The group key of a rating or an order (`r`, the rating), whose ticket's first leg is `t`. */
const RATING_KEY: Readonly<Record<StatsBy, { key: string; text: string }>> = {
  [StatsBy.Day]: { key: 'r.business_day', text: 'r.business_day::text' },
  [StatsBy.Hour]: { key: 't.arrival_hour', text: "lpad(t.arrival_hour::text, 2, '0')" },
  [StatsBy.Service]: { key: 'r.service_id', text: 'r.service_id' },
  [StatsBy.Counter]: { key: 'r.counter_id', text: 'r.counter_id' },
  [StatsBy.Clerk]: { key: 'r.staff_id', text: 'r.staff_id' },
};

/** The rating's ticket's first leg, by its key (the leg has the rating's day: the ticket's). */
const FIRST_LEG = 'JOIN ticket_legs t ON t.hall_id = r.hall_id AND t.ticket_id = r.ticket_id AND t.leg = 1 AND t.business_day = r.business_day';
const LEVELS = Object.values(RatingLevel);

/** A grouping of the statement: its rows in stats_days, the key of a leg and of a rating. */
interface Grouping {
  rows: string;
  leg: { key: string; text: string } | null;
  arriving: string;
  rating: { key: string; text: string } | null;
  /** The rating's key needs its ticket's first leg (the hour). */
  firstLeg: boolean;
}

/** A group's sorted runs as one sorted array; a single run (a day's own row) is sorted already. */
const merged = (runs: string): string => `CASE WHEN count(*) = 1 THEN stats_concat(${runs}) ELSE array_sort(stats_concat(${runs})) END`;

/** By the key, or (the total) all rows as one. */
const groupBy = (key: { key: string } | null): string => (key === null ? '' : `GROUP BY ${key.key}`);

const durationsOf = (column: string): string =>
  `cardinality(m.${column}) AS ${column}_count,
   CASE WHEN cardinality(m.${column}) > 0 THEN ARRAY[${STATS_PERCENTILES.map((p) => `sorted_percentile_cont(m.${column}, ${p})`).join(', ')}] END AS ${column}_p`;

/**
 * The figures of a grouping (`g.leg` null: the total) over $2..$3, in one statement: the built
 * days' rows of stats_days, and for the days not built (today, a day a change has just
 * forgotten) the same figures from their legs and ratings; the runs of a group merged, its
 * durations sorted once; its orders not closed, overdue on $4 (the hall's today).
 */
function figuresStatement(g: Grouping): string {
  const legKey = g.leg ?? { key: "'total'", text: "'total'" };
  const ratingKey = g.rating ?? { key: "'total'", text: "'total'" };
  // An index probe per day not built: `NOT IN built` as a filter would read every leg of the range.
  const notBuilt = (column: string) => `${column} = ANY ((SELECT u.days FROM unbuilt u)::date[])`;
  return `
    WITH unbuilt AS MATERIALIZED (
      SELECT coalesce(array_agg(d::date), '{}') AS days FROM generate_series($2::date, $3::date, interval '1 day') d
      WHERE NOT EXISTS (SELECT 1 FROM stats_days s WHERE s.hall_id = $1 AND s.grouping = '${DAY_ROWS}' AND s.business_day = d::date)
    ), runs AS (
      SELECT ${g.leg === null ? "'total'" : 's.key'} AS key, s.arrivals, s.appointments, s.served, s.no_shows, s.transfers,
             s.cancelled, s.wait_sum, s.waits, s.serve_sum, s.serves, s.rating_levels
      FROM stats_days s
      WHERE s.hall_id = $1 AND s.grouping = '${g.rows}' AND s.business_day BETWEEN $2::date AND $3::date
      UNION ALL
      SELECT ${legKey.text},
             count(*) FILTER (WHERE ${g.arriving})::int, count(*) FILTER (WHERE ${g.arriving} AND l.appointment)::int,
             count(*) FILTER (WHERE l.outcome = '${LegOutcome.Served}')::int,
             count(*) FILTER (WHERE l.outcome = '${LegOutcome.NoShow}')::int,
             count(*) FILTER (WHERE l.outcome = '${LegOutcome.Transferred}')::int,
             count(*) FILTER (WHERE l.outcome IN ('${LegOutcome.Cancelled}', '${LegOutcome.Swept}'))::int,
             coalesce(sum(l.wait_us), 0), coalesce(array_agg(l.wait_us ORDER BY l.wait_us) FILTER (WHERE l.wait_us IS NOT NULL), '{}'),
             coalesce(sum(l.serve_us), 0), coalesce(array_agg(l.serve_us ORDER BY l.serve_us) FILTER (WHERE l.serve_us IS NOT NULL), '{}'),
             '{0,0,0,0,0}'::int[]
      FROM ticket_legs l
      WHERE l.hall_id = $1 AND ${notBuilt('l.business_day')}
        AND ${legKey.key} IS NOT NULL
      ${groupBy(g.leg)}
      UNION ALL
      SELECT ${ratingKey.text}, 0, 0, 0, 0, 0, 0, 0, '{}', 0, '{}',
             ARRAY[${LEVELS.map((level) => `count(*) FILTER (WHERE r.overall = '${level}')::int`).join(', ')}]
      FROM ratings r ${g.firstLeg ? FIRST_LEG : ''}
      WHERE r.hall_id = $1 AND ${notBuilt('r.business_day')}${g.firstLeg ? ` AND ${notBuilt('t.business_day')}` : ''}
        AND ${ratingKey.key} IS NOT NULL
      ${groupBy(g.rating)}
    ), merged AS (
      SELECT r.key, sum(r.arrivals)::int AS arrivals, sum(r.appointments)::int AS appointments, sum(r.served)::int AS served,
             sum(r.no_shows)::int AS no_shows, sum(r.transfers)::int AS transfers, sum(r.cancelled)::int AS cancelled,
             sum(r.wait_sum)::text AS wait_sum, ${merged('r.waits')} AS wait,
             sum(r.serve_sum)::text AS serve_sum, ${merged('r.serves')} AS serve,
             ${LEVELS.map((_, i) => `sum(r.rating_levels[${i + 1}])::int AS level_${i}`).join(', ')}
      FROM runs r
      GROUP BY r.key
    ), orders AS (${ordersStatement(g.rating, g.firstLeg)}
    )
    SELECT m.key, m.arrivals, m.appointments, m.served, m.no_shows, m.transfers, m.cancelled, m.wait_sum, m.serve_sum,
           ${LEVELS.map((_, i) => `m.level_${i}`).join(', ')},
           ${durationsOf('wait')},
           ${durationsOf('serve')},
           coalesce(o.open_orders, 0) AS open_orders, coalesce(o.overdue_orders, 0) AS overdue_orders
    FROM merged m
    -- An order's rating is in the range, so its key has a row.
    LEFT JOIN orders o ON o.key = m.key`;
}

/**
 * Orders not closed (the statistics count no others) of ratings in $2..$3, by key: open, and
 * overdue on $4 (the hall's today). Few rows: the partial index of 0010 on open orders finds them.
 */
function ordersStatement(rating: { key: string; text: string } | null, firstLeg: boolean): string {
  const key = rating ?? { key: "'total'", text: "'total'" };
  return `
    SELECT ${key.text} AS key, count(*)::int AS open_orders,
           count(*) FILTER (WHERE o.status IN ('open', 'contacted') AND o.due_day < $4::date)::int AS overdue_orders
    FROM rectification_orders o
    JOIN ratings r ON r.hall_id = o.hall_id AND r.rating_id = o.rating_id
    ${firstLeg ? FIRST_LEG : ''}
    WHERE o.hall_id = $1 AND o.status <> 'closed' AND r.business_day BETWEEN $2::date AND $3::date AND ${key.key} IS NOT NULL
      ${firstLeg ? 'AND t.business_day BETWEEN $2::date AND $3::date' : ''}
    ${groupBy(rating)}`;
}

/** A statement as pg runs it: named (prepared once per connection), with its values. */
export interface StatsStatement {
  name: string;
  text: string;
  values: unknown[];
}

/** The statement of one grouping (exported for the bench's EXPLAIN ANALYZE). */
export function groupingStatement(hallId: string, range: StatsRange, facts: StatsHallFacts): StatsStatement {
  const by = range.by;
  const grouping: Grouping = { rows: by, leg: LEG_KEY[by], arriving: ARRIVING_LEG[by], rating: RATING_KEY[by], firstLeg: by === StatsBy.Hour };
  return { name: `stats-${by}`, text: figuresStatement(grouping), values: [hallId, range.from, range.to, facts.today] };
}

/** The statement of the range's total: every leg, rating and order, each ticket arriving once. */
export function totalStatement(hallId: string, range: Pick<StatsRange, 'from' | 'to'>, facts: StatsHallFacts): StatsStatement {
  const total: Grouping = { rows: DAY_ROWS, leg: null, arriving: 'l.leg = 1', rating: null, firstLeg: false };
  return { name: 'stats-total', text: figuresStatement(total), values: [hallId, range.from, range.to, facts.today] };
}

const Percentiles = z.array(z.number()).length(STATS_PERCENTILES.length).nullable();

const FiguresRow = z
  .object({
    key: z.string(),
    arrivals: z.number().int(),
    appointments: z.number().int(),
    served: z.number().int(),
    no_shows: z.number().int(),
    transfers: z.number().int(),
    cancelled: z.number().int(),
    wait_count: z.number().int(),
    wait_sum: z.string(),
    wait_p: Percentiles,
    serve_count: z.number().int(),
    serve_sum: z.string(),
    serve_p: Percentiles,
    open_orders: z.number().int(),
    overdue_orders: z.number().int(),
  })
  .catchall(z.unknown());

function durations(count: number, sum: string, p: readonly number[] | null): DurationFigures {
  return { count, sumUs: Number(sum), medianUs: p?.[0] ?? null, p90Us: p?.[1] ?? null };
}

/** The figures of a group with nothing in it. */
export function emptyFigures(key: string): StatsFigures {
  const none = { count: 0, sumUs: 0, medianUs: null, p90Us: null };
  return {
    key,
    arrivals: 0,
    appointments: 0,
    served: 0,
    noShows: 0,
    transfers: 0,
    cancelled: 0,
    waiting: { ...none },
    serving: { ...none },
    ratings: Object.fromEntries(Object.values(RatingLevel).map((level) => [level, 0])) as Record<RatingLevel, number>,
    openOrders: 0,
    overdueOrders: 0,
  };
}

/** The figures of a statement's rows, by key (`total` for the total's). */
async function figuresOf(db: pg.PoolClient, statement: StatsStatement): Promise<Map<string, StatsFigures>> {
  const groups = new Map<string, StatsFigures>();
  for (const raw of (await db.query(statement)).rows) {
    const row = FiguresRow.parse(raw);
    const f = emptyFigures(row.key);
    Object.assign(f, {
      arrivals: row.arrivals,
      appointments: row.appointments,
      served: row.served,
      noShows: row.no_shows,
      transfers: row.transfers,
      cancelled: row.cancelled,
      waiting: durations(row.wait_count, row.wait_sum, row.wait_p),
      serving: durations(row.serve_count, row.serve_sum, row.serve_p),
      openOrders: row.open_orders,
      overdueOrders: row.overdue_orders,
    });
    LEVELS.forEach((level, i) => {
      f.ratings[level] = z.number().int().parse(row[`level_${i}`]);
    });
    groups.set(row.key, f);
  }
  return groups;
}

/**
 * One grouping's figures over a range of business days, by group key (in no particular order).
 * One statement (its snapshot is the caller's transaction's).
 */
export async function readGroupFigures(client: pg.PoolClient, hallId: string, range: StatsRange, facts: StatsHallFacts): Promise<Map<string, StatsFigures>> {
  return figuresOf(client, groupingStatement(hallId, range, facts));
}

/** The range's total: every leg, rating and order of its days, whatever the grouping. */
export async function readTotalFigures(
  client: pg.PoolClient,
  hallId: string,
  range: Pick<StatsRange, 'from' | 'to'>,
  facts: StatsHallFacts,
): Promise<StatsFigures> {
  return (await figuresOf(client, totalStatement(hallId, range, facts))).get('total') ?? emptyFigures('total');
}

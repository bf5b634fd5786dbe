import type pg from 'pg';
import { z } from 'zod';
import { RatingLevel } from '../../common/contract/ratings-api.js';
import { addDays } from '../../common/domain/business-day.js';
import { withTransaction } from '../db/transaction.js';
import { LegOutcome } from './visit-legs.js';

/**
 * The built figures of closed business days (table stats_days, migration 0012): per day, for
 * each grouping and key, the counts, the exact sums and the sorted durations of its legs, and its
 * ratings by level. A range then merges a day's sorted runs instead of sorting all its legs again
 * (bench/stats.bench.ts). A day is built the first time a statistic needs it, once it is closed
 * (before the hall's today); a change to its legs or ratings deletes its rows (the triggers),
 * and until it is built again the statistics read it from its legs, as they read today.
 */

/**
 * The grouping and key of a row of `GROUP BY GROUPING SETS ((), (hour), (service), (counter),
 * (clerk))` over those four columns: GROUPING() has a bit set for each column not grouped.
 */
function groupingAndKey(hour: string, service: string, counter: string, clerk: string): string {
  const bits = `GROUPING(${hour}, ${service}, ${counter}, ${clerk})`;
  return `CASE ${bits} WHEN 15 THEN 'day' WHEN 7 THEN 'hour' WHEN 11 THEN 'service' WHEN 13 THEN 'counter' ELSE 'clerk' END AS grouping,
           CASE ${bits} WHEN 15 THEN $2::text WHEN 7 THEN lpad(${hour}::text, 2, '0') WHEN 11 THEN ${service}
             WHEN 13 THEN ${counter} ELSE ${clerk} END AS key`;
}
const GROUPING_SETS = (hour: string, service: string, counter: string, clerk: string): string =>
  `GROUPING SETS ((), (${hour}), (${service}), (${counter}), (${clerk}))`;

/** The legs of one day, per grouping and key; the `day` row even for a day without legs. */
const BUILD_LEGS = `
  INSERT INTO stats_days (hall_id, business_day, grouping, key, arrivals, appointments, served, no_shows, transfers, cancelled,
                          wait_sum, waits, serve_sum, serves, rating_levels)
  SELECT $1, $2::date, g.grouping, g.key,
         CASE g.grouping WHEN 'service' THEN g.first_of_service WHEN 'counter' THEN g.first_at_counter
                         WHEN 'clerk' THEN g.first_by_clerk ELSE g.first_leg END,
         CASE g.grouping WHEN 'service' THEN g.appointments_of_service WHEN 'counter' THEN g.appointments_at_counter
                         WHEN 'clerk' THEN g.appointments_by_clerk ELSE g.appointments END,
         g.served, g.no_shows, g.transfers, g.cancelled, g.wait_sum, g.waits, g.serve_sum, g.serves, '{0,0,0,0,0}'
  FROM (
    SELECT ${groupingAndKey('l.arrival_hour', 'l.service_id', 'l.counter_id', 'l.staff_id')},
           count(*) FILTER (WHERE l.leg = 1)::int AS first_leg,
           count(*) FILTER (WHERE l.leg = 1 AND l.appointment)::int AS appointments,
           count(*) FILTER (WHERE l.first_of_service)::int AS first_of_service,
           count(*) FILTER (WHERE l.first_of_service AND l.appointment)::int AS appointments_of_service,
           count(*) FILTER (WHERE l.first_at_counter)::int AS first_at_counter,
           count(*) FILTER (WHERE l.first_at_counter AND l.appointment)::int AS appointments_at_counter,
           count(*) FILTER (WHERE l.first_by_clerk)::int AS first_by_clerk,
           count(*) FILTER (WHERE l.first_by_clerk AND l.appointment)::int AS appointments_by_clerk,
           count(*) FILTER (WHERE l.outcome = '${LegOutcome.Served}')::int AS served,
           count(*) FILTER (WHERE l.outcome = '${LegOutcome.NoShow}')::int AS no_shows,
           count(*) FILTER (WHERE l.outcome = '${LegOutcome.Transferred}')::int AS transfers,
           count(*) FILTER (WHERE l.outcome IN ('${LegOutcome.Cancelled}', '${LegOutcome.Swept}'))::int AS cancelled,
           coalesce(sum(l.wait_us), 0) AS wait_sum,
           coalesce(array_agg(l.wait_us ORDER BY l.wait_us) FILTER (WHERE l.wait_us IS NOT NULL), '{}') AS waits,
           coalesce(sum(l.serve_us), 0) AS serve_sum,
           coalesce(array_agg(l.serve_us ORDER BY l.serve_us) FILTER (WHERE l.serve_us IS NOT NULL), '{}') AS serves
    FROM ticket_legs l
    WHERE l.hall_id = $1 AND l.business_day = $2::date
    GROUP BY ${GROUPING_SETS('l.arrival_hour', 'l.service_id', 'l.counter_id', 'l.staff_id')}
  ) g
  -- A leg never called has no counter and no clerk: it belongs to no row of those groupings.
  WHERE g.key IS NOT NULL`;

/** The ratings of one day by level, per grouping and key (a rating names its ticket's last leg's). */
const BUILD_RATINGS = `
  INSERT INTO stats_days AS d (hall_id, business_day, grouping, key, arrivals, appointments, served, no_shows, transfers,
                               cancelled, wait_sum, waits, serve_sum, serves, rating_levels)
  SELECT $1, $2::date, g.grouping, g.key, 0, 0, 0, 0, 0, 0, 0, '{}', 0, '{}', g.levels
  FROM (
    SELECT ${groupingAndKey('t.arrival_hour', 'r.service_id', 'r.counter_id', 'r.staff_id')},
           ARRAY[${Object.values(RatingLevel).map((level) => `count(*) FILTER (WHERE r.overall = '${level}')::int`).join(', ')}] AS levels
    FROM ratings r
    JOIN ticket_legs t ON t.hall_id = r.hall_id AND t.ticket_id = r.ticket_id AND t.leg = 1
    WHERE r.hall_id = $1 AND r.business_day = $2::date
    GROUP BY ${GROUPING_SETS('t.arrival_hour', 'r.service_id', 'r.counter_id', 'r.staff_id')}
  ) g
  WHERE g.key IS NOT NULL
  ON CONFLICT (hall_id, business_day, grouping, key) DO UPDATE SET rating_levels = EXCLUDED.rating_levels`;

/**
 * Builds one closed day of a hall, in its own transaction, under the day's exclusive lock (a
 * change to the day's legs or ratings takes it shared: migration 0012); a day built meanwhile is
 * left as it is. Returns whether this call built it.
 */
export async function buildStatsDay(pool: pg.Pool, hallId: string, day: string): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1), stats_day_lock_key($2::date))', [hallId, day]);
    // Statements after the lock see every change committed before it (read committed).
    const built = await client.query(`SELECT 1 FROM stats_days WHERE hall_id = $1 AND business_day = $2::date AND grouping = 'day'`, [hallId, day]);
    if (built.rows.length > 0) return false;
    await client.query({ name: 'stats-build-legs', text: BUILD_LEGS, values: [hallId, day] });
    await client.query({ name: 'stats-build-ratings', text: BUILD_RATINGS, values: [hallId, day] });
    return true;
  });
}

const DayRow = z.object({ day: z.string() });

/**
 * Builds the closed days of a range that are not built (every day from `from` up to the day
 * before `today`, and not past `to`). Returns how many it built.
 */
export async function ensureStatsDays(pool: pg.Pool, hallId: string, range: { from: string; to: string }, today: string): Promise<number> {
  const lastClosed = range.to < today ? range.to : addDays(today, -1);
  if (lastClosed < range.from) return 0;
  const missing = await pool.query(
    `SELECT d::date::text AS day FROM generate_series($2::date, $3::date, interval '1 day') d
     WHERE NOT EXISTS (SELECT 1 FROM stats_days s WHERE s.hall_id = $1 AND s.business_day = d::date AND s.grouping = 'day')
     ORDER BY d`,
    [hallId, range.from, lastClosed],
  );
  let built = 0;
  for (const { day } of missing.rows.map((r) => DayRow.parse(r))) {
    if (await buildStatsDay(pool, hallId, day)) built += 1;
  }
  return built;
}

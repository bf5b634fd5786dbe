-- Issue 10 §3: the hall's statistics (portal/stats/). Same rules as 0001-0010: hall_id first in
-- every primary key, every foreign key includes hall_id, every statement touches one hall.
--
-- Statistics count visit legs (办理环节). A ticket's segments (0005) split into legs, each starting
-- at a `waiting` segment: the first at issue, the next at each transfer or requeue. A leg waits,
-- may be called, served, held and called back, and ends where the next leg begins or with the
-- ticket. The definitions of every figure are in portal/stats/visit-legs.ts; this file is their SQL.
--
-- `ticket_legs` holds one row per leg, derived from the segments by `ticket_legs_of` and kept
-- current by the triggers below: every statement that writes segments (the kiosk's push, each
-- transition, the end-of-day sweep) re-derives the legs of the tickets it touched, in its own
-- transaction. `stats_days` holds each closed day's figures with its durations sorted, so a
-- 90-day view merges sorted runs instead of sorting a quarter of a million legs per table
-- (bench/stats.bench.ts).

CREATE TABLE ticket_legs (
  hall_id text NOT NULL,
  ticket_id uuid NOT NULL,
  -- 1 = from issue; each transfer or requeue opens the next.
  leg smallint NOT NULL CHECK (leg > 0),
  -- The ticket's business day and its portal receive time, with the local hour of that time in
  -- the hall's zone as the leg was written: like the business day, fixed by the zone the hall had
  -- then (a later change of zone moves no past visit to another hour), and no zone conversion per
  -- row on every read.
  business_day date NOT NULL,
  arrived_at timestamptz NOT NULL,
  arrival_hour smallint NOT NULL CHECK (arrival_hour BETWEEN 0 AND 23),
  -- The ticket's priority is appointment (a transfer that changes the priority changes it).
  appointment boolean NOT NULL,
  -- The service waited for; the counter and clerk of the leg's last called or serving segment
  -- (null until called): the same rule a rating names its counter and clerk by (0010).
  service_id text NOT NULL,
  counter_id text,
  staff_id text,
  outcome text NOT NULL CHECK (outcome IN ('open', 'served', 'no-show', 'transferred', 'cancelled', 'swept')),
  -- The ticket's first leg for this service, at this counter, by this clerk: a group's arrivals
  -- (distinct tickets) are its legs with the flag, counted without a DISTINCT's sort.
  first_of_service boolean NOT NULL,
  first_at_counter boolean NOT NULL,
  first_by_clerk boolean NOT NULL,
  -- Microseconds, exact: the answered wait, and the leg's serving time (see visit-legs.ts).
  wait_us bigint CHECK (wait_us >= 0),
  serve_us bigint CHECK (serve_us >= 0),
  PRIMARY KEY (hall_id, ticket_id, leg),
  FOREIGN KEY (hall_id, ticket_id) REFERENCES tickets (hall_id, ticket_id) ON DELETE CASCADE
) WITH (fillfactor = 80); -- each transition rewrites its leg: room on the page keeps it a HOT update
-- Every statistic reads a range of business days of one hall.
CREATE INDEX ticket_legs_day ON ticket_legs (hall_id, business_day);

-- The legs of some tickets of one hall, from their segments and ticket rows: the one derivation,
-- used by the triggers and the backfill alike.
CREATE FUNCTION ticket_legs_of(p_hall_id text, p_ticket_ids uuid[])
RETURNS TABLE (ticket_id uuid, leg smallint, business_day date, arrived_at timestamptz, arrival_hour smallint, appointment boolean,
               service_id text, counter_id text, staff_id text, outcome text, first_of_service boolean,
               first_at_counter boolean, first_by_clerk boolean, wait_us bigint, serve_us bigint)
LANGUAGE sql STABLE AS $$
  WITH numbered AS (
    SELECT s.ticket_id, s.seq, s.state, s.service_id, s.counter_id, s.staff_id,
           -- A leg starts at each waiting segment (the first segment always is one).
           (sum((s.state = 'waiting')::int) OVER (PARTITION BY s.ticket_id ORDER BY s.seq))::smallint AS leg,
           -- Exact microseconds (extract gives numeric); null while the segment is open.
           ((extract(epoch FROM s.ended_at) - extract(epoch FROM s.started_at)) * 1000000)::bigint AS us
    FROM ticket_segments s
    WHERE s.hall_id = p_hall_id AND s.ticket_id = ANY (p_ticket_ids)
  ),
  legs AS (
    SELECT n.ticket_id, n.leg,
           (array_agg(n.service_id ORDER BY n.seq))[1] AS service_id,
           -- The first segment of a leg is its wait; the one after it, if any, is the call.
           (array_agg(n.us ORDER BY n.seq))[1] AS waiting_us,
           count(*) > 1 AS called,
           (array_agg(n.counter_id ORDER BY n.seq DESC) FILTER (WHERE n.state IN ('called', 'serving')))[1] AS counter_id,
           (array_agg(n.staff_id ORDER BY n.seq DESC) FILTER (WHERE n.state IN ('called', 'serving')))[1] AS staff_id,
           (array_agg(n.state ORDER BY n.seq DESC))[1] AS last_state,
           sum(n.us) FILTER (WHERE n.state = 'serving') AS serving_us,
           max(n.leg) OVER (PARTITION BY n.ticket_id) AS last_leg
    FROM numbered n
    GROUP BY n.ticket_id, n.leg
  )
  SELECT l.ticket_id, l.leg, t.business_day, t.received_at, extract(hour FROM t.received_at AT TIME ZONE h.time_zone)::smallint,
         t.priority = 'appointment',
         l.service_id, l.counter_id, l.staff_id, o.outcome,
         row_number() OVER (PARTITION BY l.ticket_id, l.service_id ORDER BY l.leg) = 1,
         row_number() OVER (PARTITION BY l.ticket_id, l.counter_id ORDER BY l.leg) = 1,
         row_number() OVER (PARTITION BY l.ticket_id, l.staff_id ORDER BY l.leg) = 1,
         CASE WHEN l.called THEN l.waiting_us END,
         -- Only a leg a member of staff ended: an open one is not over, a swept one ended at the day's end.
         CASE WHEN o.outcome NOT IN ('open', 'swept') THEN l.serving_us END
  FROM legs l
  JOIN tickets t ON t.hall_id = p_hall_id AND t.ticket_id = l.ticket_id
  JOIN halls h ON h.hall_id = p_hall_id
  CROSS JOIN LATERAL (
    SELECT CASE
      WHEN l.leg < l.last_leg THEN CASE WHEN l.last_state = 'no-show' THEN 'no-show' ELSE 'transferred' END
      WHEN t.status = 'done' THEN 'served'
      WHEN t.status = 'no-show' THEN 'no-show'
      WHEN t.status = 'cancelled' AND t.closed_reason = 'end-of-day' THEN 'swept'
      WHEN t.status = 'cancelled' THEN 'cancelled'
      ELSE 'open'
    END AS outcome
  ) o
$$;

-- Writes the legs of some tickets of one hall as they are now; a leg that did not change is not
-- rewritten. Legs never disappear: segments are only ever added (or deleted with their ticket,
-- which takes its legs along).
-- One generic plan per connection: every transition runs this, and a custom plan for each call's
-- few ticket ids cost several times the execution in planning alone (bench/portal-load.bench.ts
-- with BENCH_PROFILE=1). The plan reads by the keys (hall, ticket) whatever the ids.
CREATE FUNCTION refresh_ticket_legs(p_hall_id text, p_ticket_ids uuid[]) RETURNS void LANGUAGE sql
SET plan_cache_mode = force_generic_plan AS $$
  INSERT INTO ticket_legs AS k (hall_id, ticket_id, leg, business_day, arrived_at, arrival_hour, appointment, service_id, counter_id,
                                staff_id, outcome, first_of_service, first_at_counter, first_by_clerk, wait_us, serve_us)
  SELECT p_hall_id, d.ticket_id, d.leg, d.business_day, d.arrived_at, d.arrival_hour, d.appointment, d.service_id, d.counter_id,
         d.staff_id, d.outcome, d.first_of_service, d.first_at_counter, d.first_by_clerk, d.wait_us, d.serve_us
  FROM ticket_legs_of(p_hall_id, p_ticket_ids) d
  -- In key order: two statements refreshing the same tickets wait for each other, never deadlock.
  ORDER BY d.ticket_id, d.leg
  ON CONFLICT (hall_id, ticket_id, leg) DO UPDATE SET
    business_day = EXCLUDED.business_day, arrived_at = EXCLUDED.arrived_at, arrival_hour = EXCLUDED.arrival_hour,
    appointment = EXCLUDED.appointment,
    service_id = EXCLUDED.service_id, counter_id = EXCLUDED.counter_id, staff_id = EXCLUDED.staff_id,
    outcome = EXCLUDED.outcome, first_of_service = EXCLUDED.first_of_service, first_at_counter = EXCLUDED.first_at_counter,
    first_by_clerk = EXCLUDED.first_by_clerk, wait_us = EXCLUDED.wait_us, serve_us = EXCLUDED.serve_us
  WHERE (k.business_day, k.arrived_at, k.arrival_hour, k.appointment, k.service_id, k.counter_id, k.staff_id, k.outcome,
         k.first_of_service, k.first_at_counter, k.first_by_clerk, k.wait_us, k.serve_us)
        IS DISTINCT FROM
        (EXCLUDED.business_day, EXCLUDED.arrived_at, EXCLUDED.arrival_hour, EXCLUDED.appointment, EXCLUDED.service_id, EXCLUDED.counter_id,
         EXCLUDED.staff_id, EXCLUDED.outcome, EXCLUDED.first_of_service, EXCLUDED.first_at_counter, EXCLUDED.first_by_clerk,
         EXCLUDED.wait_us, EXCLUDED.serve_us)
$$;

-- Once per statement, over the segments it wrote (a batch of 500 pushed tickets is one refresh):
-- the legs of the tickets it touched, after forgetting the built figures of their days
-- (stats_days, below).
CREATE FUNCTION ticket_segments_refresh_legs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  hall record;
BEGIN
  FOR hall IN SELECT c.hall_id, array_agg(DISTINCT c.ticket_id) AS ticket_ids FROM changed_segments c GROUP BY c.hall_id LOOP
    PERFORM stats_days_forget(hall.hall_id, ARRAY(
      SELECT DISTINCT t.business_day FROM tickets t WHERE t.hall_id = hall.hall_id AND t.ticket_id = ANY (hall.ticket_ids)));
    PERFORM refresh_ticket_legs(hall.hall_id, hall.ticket_ids);
  END LOOP;
  RETURN NULL;
END $$;

-- A trigger with transition tables names one event: one for the segments opened, one for those closed.
CREATE TRIGGER ticket_segments_legs_insert AFTER INSERT ON ticket_segments
  REFERENCING NEW TABLE AS changed_segments FOR EACH STATEMENT EXECUTE FUNCTION ticket_segments_refresh_legs();
CREATE TRIGGER ticket_segments_legs_update AFTER UPDATE ON ticket_segments
  REFERENCING NEW TABLE AS changed_segments FOR EACH STATEMENT EXECUTE FUNCTION ticket_segments_refresh_legs();

-- The legs of the tickets already there, hall by hall.
SELECT refresh_ticket_legs(h.hall_id, ARRAY(SELECT t.ticket_id FROM tickets t WHERE t.hall_id = h.hall_id))
FROM halls h;

-- Ratings and their orders by the rated ticket's business day (the statistics' days).
CREATE INDEX ratings_business_day ON ratings (hall_id, business_day);

-- The figures of each closed business day, per grouping and key, built from its legs and ratings
-- the first time a statistic needs the day (portal/stats/stats-days.ts): counts, exact sums, and
-- the day's durations sorted, so a range merges ninety sorted runs per group instead of sorting
-- every leg again. The `day` row of a day (key: the day) is always there once the day is built,
-- even for a day without tickets. Any change to a built day's legs or ratings deletes its rows
-- (triggers below); the day is then read from its legs until it is built again.
CREATE TABLE stats_days (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  business_day date NOT NULL,
  grouping text NOT NULL CHECK (grouping IN ('day', 'hour', 'service', 'counter', 'clerk')),
  key text NOT NULL,
  arrivals integer NOT NULL,
  appointments integer NOT NULL,
  served integer NOT NULL,
  no_shows integer NOT NULL,
  transfers integer NOT NULL,
  cancelled integer NOT NULL,
  wait_sum bigint NOT NULL,
  -- Sorted, smallest first (microseconds).
  waits bigint[] NOT NULL,
  serve_sum bigint NOT NULL,
  serves bigint[] NOT NULL,
  -- Ratings by overall level, 非常满意 … 非常不满意.
  rating_levels integer[] NOT NULL CHECK (cardinality(rating_levels) = 5),
  PRIMARY KEY (hall_id, business_day, grouping, key)
);
-- A grouping over a range of days.
CREATE INDEX stats_days_grouping ON stats_days (hall_id, grouping, business_day);

-- Concatenates arrays (the runs of a group, to be sorted at once).
CREATE AGGREGATE stats_concat(anycompatiblearray) (SFUNC = array_cat, STYPE = anycompatiblearray);

-- percentile_cont of a sorted array, exactly as the aggregate computes it: the value at position
-- p·(n−1), interpolated linearly between its neighbours in float8 (null for an empty array).
CREATE FUNCTION sorted_percentile_cont(sorted bigint[], p float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN cardinality(sorted) = 0 THEN NULL
    WHEN floor(pos) = ceil(pos) THEN sorted[floor(pos)::int + 1]::float8
    ELSE sorted[floor(pos)::int + 1]::float8
         + (sorted[ceil(pos)::int + 1]::float8 - sorted[floor(pos)::int + 1]::float8) * (pos - floor(pos))
  END
  FROM (SELECT p * (cardinality(sorted) - 1) AS pos) AS position
$$;

-- A day is built under an exclusive lock on (hall, day); every change to a day's legs or ratings
-- takes it shared first. So a build never commits figures that a change it did not see already
-- made stale: a change waits for the build and then deletes what it built, or the build waits for
-- the change and sees it. Changes never wait for each other.
CREATE FUNCTION stats_day_lock_key(p_day date) RETURNS integer LANGUAGE sql IMMUTABLE AS $$
  SELECT p_day - DATE '2000-01-01'
$$;

CREATE FUNCTION stats_days_forget(p_hall_id text, p_days date[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  d date;
BEGIN
  FOREACH d IN ARRAY ARRAY(SELECT DISTINCT x FROM unnest(p_days) x ORDER BY x) LOOP
    PERFORM pg_advisory_xact_lock_shared(hashtext(p_hall_id), stats_day_lock_key(d));
  END LOOP;
  DELETE FROM stats_days WHERE hall_id = p_hall_id AND business_day = ANY (p_days);
END $$;

CREATE FUNCTION ratings_forget_stats_days() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  hall record;
BEGIN
  FOR hall IN SELECT r.hall_id, array_agg(DISTINCT r.business_day) AS days FROM new_ratings r GROUP BY r.hall_id LOOP
    PERFORM stats_days_forget(hall.hall_id, hall.days);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER ratings_stats_days AFTER INSERT ON ratings
  REFERENCING NEW TABLE AS new_ratings FOR EACH STATEMENT EXECUTE FUNCTION ratings_forget_stats_days();

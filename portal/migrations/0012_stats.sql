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
-- transaction. A 90-day view then reads a quarter of a million narrow rows by (hall, day) instead
-- of ordering a million segments by ticket on every request (bench/stats.bench.ts).

CREATE TABLE ticket_legs (
  hall_id text NOT NULL,
  ticket_id uuid NOT NULL,
  -- 1 = from issue; each transfer or requeue opens the next.
  leg smallint NOT NULL CHECK (leg > 0),
  -- The ticket's business day and its portal receive time (the hour is taken in the hall's zone
  -- when read, so a change of the hall's zone moves no stored figure).
  business_day date NOT NULL,
  arrived_at timestamptz NOT NULL,
  -- The ticket's priority is appointment (a transfer that changes the priority changes it).
  appointment boolean NOT NULL,
  -- The service waited for; the counter and clerk of the leg's last called or serving segment
  -- (null until called): the same rule a rating names its counter and clerk by (0010).
  service_id text NOT NULL,
  counter_id text,
  staff_id text,
  outcome text NOT NULL CHECK (outcome IN ('open', 'served', 'no-show', 'transferred', 'cancelled', 'swept')),
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
RETURNS TABLE (ticket_id uuid, leg smallint, business_day date, arrived_at timestamptz, appointment boolean,
               service_id text, counter_id text, staff_id text, outcome text, wait_us bigint, serve_us bigint)
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
  SELECT l.ticket_id, l.leg, t.business_day, t.received_at, t.priority = 'appointment',
         l.service_id, l.counter_id, l.staff_id, o.outcome,
         CASE WHEN l.called THEN l.waiting_us END,
         -- Only a leg a member of staff ended: an open one is not over, a swept one ended at the day's end.
         CASE WHEN o.outcome NOT IN ('open', 'swept') THEN l.serving_us END
  FROM legs l
  JOIN tickets t ON t.hall_id = p_hall_id AND t.ticket_id = l.ticket_id
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
CREATE FUNCTION refresh_ticket_legs(p_hall_id text, p_ticket_ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO ticket_legs AS k (hall_id, ticket_id, leg, business_day, arrived_at, appointment, service_id, counter_id,
                                staff_id, outcome, wait_us, serve_us)
  SELECT p_hall_id, d.ticket_id, d.leg, d.business_day, d.arrived_at, d.appointment, d.service_id, d.counter_id,
         d.staff_id, d.outcome, d.wait_us, d.serve_us
  FROM ticket_legs_of(p_hall_id, p_ticket_ids) d
  -- In key order: two statements refreshing the same tickets wait for each other, never deadlock.
  ORDER BY d.ticket_id, d.leg
  ON CONFLICT (hall_id, ticket_id, leg) DO UPDATE SET
    business_day = EXCLUDED.business_day, arrived_at = EXCLUDED.arrived_at, appointment = EXCLUDED.appointment,
    service_id = EXCLUDED.service_id, counter_id = EXCLUDED.counter_id, staff_id = EXCLUDED.staff_id,
    outcome = EXCLUDED.outcome, wait_us = EXCLUDED.wait_us, serve_us = EXCLUDED.serve_us
  WHERE (k.business_day, k.arrived_at, k.appointment, k.service_id, k.counter_id, k.staff_id, k.outcome, k.wait_us, k.serve_us)
        IS DISTINCT FROM
        (EXCLUDED.business_day, EXCLUDED.arrived_at, EXCLUDED.appointment, EXCLUDED.service_id, EXCLUDED.counter_id,
         EXCLUDED.staff_id, EXCLUDED.outcome, EXCLUDED.wait_us, EXCLUDED.serve_us)
$$;

-- Once per statement, over the segments it wrote: a batch of 500 pushed tickets is one refresh.
CREATE FUNCTION ticket_segments_refresh_legs() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  hall record;
BEGIN
  FOR hall IN SELECT c.hall_id, array_agg(DISTINCT c.ticket_id) AS ticket_ids FROM changed_segments c GROUP BY c.hall_id LOOP
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

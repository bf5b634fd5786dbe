-- Issue 8: the ticket's life at the counter (portal/counter/). Same rules as 0001-0004: hall_id
-- first in every primary key, every foreign key includes hall_id, every statement touches one hall.
--
-- States: waiting -> called -> serving -> done, with recall, no-show (and requeue), hold and call
-- back, transfer, cancel and the end-of-day sweep. Each transition is one conditional UPDATE and
-- writes a time segment (state, counter, clerk, start, end), so waiting, walking, serving and
-- holding times come from data. Staff ids are not foreign keys: a staff API key (staff_tokens)
-- acts under a staff id that need not be a person's account.

-- The hall's settings of this issue.
ALTER TABLE halls
  -- A called ticket becomes a no-show on the recall after this many calls.
  ADD COLUMN no_show_after_calls smallint NOT NULL DEFAULT 3 CHECK (no_show_after_calls BETWEEN 1 AND 9),
  -- How many times the display says each call.
  ADD COLUMN voice_repeat smallint NOT NULL DEFAULT 2 CHECK (voice_repeat BETWEEN 1 AND 5),
  ADD COLUMN voice_english boolean NOT NULL DEFAULT false,
  -- The display's scrolling notice, in both languages or not at all.
  ADD COLUMN display_notice_zh text CHECK (length(display_notice_zh) BETWEEN 1 AND 200),
  ADD COLUMN display_notice_en text CHECK (length(display_notice_en) BETWEEN 1 AND 200),
  ADD CONSTRAINT halls_display_notice_both CHECK ((display_notice_zh IS NULL) = (display_notice_en IS NULL));

-- A counter (窗口) of the hall. Its state is derived, never stored: signed-out (no staff),
-- paused, busy (it holds a called or serving ticket), idle.
CREATE TABLE counters (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  counter_id text NOT NULL CHECK (length(counter_id) BETWEEN 1 AND 32),
  -- The number on the sign above it (3 号窗口); 0 for a counter without one.
  number smallint NOT NULL CHECK (number BETWEEN 0 AND 999),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  -- Who is signed in at it, since when, and how (a person's session, or a staff API key).
  staff_id text,
  signed_in_via text CHECK (signed_in_via IN ('session', 'api-key')),
  signed_in_at timestamptz,
  paused boolean NOT NULL DEFAULT false,
  -- The services chosen at sign-in (a subset of counter_services); empty: all it may serve.
  active_service_ids text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (hall_id, counter_id),
  CHECK ((staff_id IS NULL) = (signed_in_at IS NULL) AND (staff_id IS NULL) = (signed_in_via IS NULL)),
  CHECK (staff_id IS NOT NULL OR NOT paused)
);
-- A person is signed in at one counter at a time; one staff API key may drive several.
CREATE UNIQUE INDEX counters_one_per_person ON counters (hall_id, staff_id) WHERE signed_in_via = 'session';

-- The services a counter may serve; none at all: every service of the hall. The weight is kept
-- for a later weighting of services; the calling order does not use it (it is the documented one).
CREATE TABLE counter_services (
  hall_id text NOT NULL,
  counter_id text NOT NULL,
  service_id text NOT NULL,
  weight smallint NOT NULL DEFAULT 1 CHECK (weight BETWEEN 1 AND 100),
  PRIMARY KEY (hall_id, counter_id, service_id),
  FOREIGN KEY (hall_id, counter_id) REFERENCES counters (hall_id, counter_id) ON DELETE CASCADE,
  FOREIGN KEY (hall_id, service_id) REFERENCES services (hall_id, service_id)
);

-- The new states; the old `completed` is `done`.
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
UPDATE tickets SET status = 'done' WHERE status = 'completed';
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check
  CHECK (status IN ('waiting', 'called', 'serving', 'held', 'no-show', 'done', 'cancelled'));

ALTER TABLE tickets
  -- Calls since the ticket was last called from the line (recalls count up; requeue resets).
  ADD COLUMN call_count smallint NOT NULL DEFAULT 0 CHECK (call_count >= 0),
  -- The clerk who holds it, or held it last.
  ADD COLUMN staff_id text,
  -- Its place within its priority class: the portal's receive time, or the time it was requeued.
  ADD COLUMN queue_at timestamptz,
  -- Start of the appointment window, for appointment tickets: their order within their class.
  ADD COLUMN appointment_at timestamptz,
  -- Transferred to one counter: only that counter calls it.
  ADD COLUMN target_counter_id text,
  -- 办件编号: the case the visit opened, entered at completion.
  ADD COLUMN case_number text CHECK (case_number ~ '^[A-Za-z0-9-]{1,40}$'),
  -- Why a cancelled ticket was closed: by staff, or by the end-of-day sweep.
  ADD COLUMN closed_reason text CHECK (closed_reason IN ('staff', 'end-of-day')),
  -- The holder's name as the kiosk masked it (张*三); null for an anonymous ticket.
  ADD COLUMN masked_name text CHECK (length(masked_name) BETWEEN 1 AND 40),
  -- The time of the last transition: the start of the ticket's open segment.
  ADD COLUMN updated_at timestamptz;

UPDATE tickets SET queue_at = received_at, updated_at = greatest(received_at, coalesce(finished_at, called_at, received_at)),
  call_count = CASE WHEN called_at IS NULL THEN 0 ELSE 1 END;
ALTER TABLE tickets ALTER COLUMN queue_at SET NOT NULL, ALTER COLUMN updated_at SET NOT NULL;

-- A new ticket enters the line at the moment the portal receives it, whoever inserts it.
CREATE FUNCTION tickets_enter_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.queue_at := coalesce(NEW.queue_at, NEW.received_at);
  NEW.updated_at := coalesce(NEW.updated_at, NEW.received_at);
  RETURN NEW;
END $$;

CREATE TRIGGER tickets_enter_line BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_enter_line();

-- Counters tickets named before counters were rows: kept, disabled, so the history still points somewhere.
INSERT INTO counters (hall_id, counter_id, number, name_zh, name_en, enabled)
SELECT DISTINCT hall_id, counter_id, 0, counter_id, counter_id, false FROM tickets WHERE counter_id IS NOT NULL;

ALTER TABLE tickets
  ADD CONSTRAINT tickets_counter_fk FOREIGN KEY (hall_id, counter_id) REFERENCES counters (hall_id, counter_id),
  ADD CONSTRAINT tickets_target_counter_fk FOREIGN KEY (hall_id, target_counter_id) REFERENCES counters (hall_id, counter_id),
  -- A ticket in someone's hands is at a counter.
  ADD CONSTRAINT tickets_held_at_counter CHECK (status NOT IN ('called', 'serving', 'held') OR counter_id IS NOT NULL);

-- The ticket's life in time: each transition ends the open segment and, unless the ticket is
-- done or cancelled, opens the next one at the same instant. The first (waiting) starts at the
-- portal's receive time; only the last may be open.
CREATE TABLE ticket_segments (
  hall_id text NOT NULL,
  ticket_id uuid NOT NULL,
  seq smallint NOT NULL CHECK (seq > 0),
  state text NOT NULL CHECK (state IN ('waiting', 'called', 'serving', 'held', 'no-show')),
  -- The service it waited for or was served in (a transfer changes it).
  service_id text NOT NULL,
  -- The counter it was at (called, serving, held, no-show) or waited for (transferred to a counter).
  counter_id text,
  -- Who made the transition into this segment; null for the kiosk's push.
  staff_id text,
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  PRIMARY KEY (hall_id, ticket_id, seq),
  FOREIGN KEY (hall_id, ticket_id) REFERENCES tickets (hall_id, ticket_id) ON DELETE CASCADE,
  FOREIGN KEY (hall_id, service_id) REFERENCES services (hall_id, service_id),
  FOREIGN KEY (hall_id, counter_id) REFERENCES counters (hall_id, counter_id),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
-- At most one open segment per ticket (the primary key serves "segments of a ticket").
CREATE UNIQUE INDEX ticket_segments_open ON ticket_segments (hall_id, ticket_id) WHERE ended_at IS NULL;

-- The tickets already there get the segments their times tell: waiting until called, called
-- until finished, and an open no-show.
INSERT INTO ticket_segments (hall_id, ticket_id, seq, state, service_id, counter_id, started_at, ended_at)
SELECT hall_id, ticket_id, 1, 'waiting', service_id, NULL, received_at,
       CASE WHEN status = 'waiting' THEN NULL ELSE greatest(received_at, coalesce(called_at, finished_at, received_at)) END
FROM tickets
UNION ALL
SELECT hall_id, ticket_id, 2, 'called', service_id, counter_id, greatest(received_at, called_at),
       CASE WHEN status = 'called' THEN NULL ELSE greatest(received_at, called_at, finished_at) END
FROM tickets WHERE called_at IS NOT NULL AND status <> 'waiting'
UNION ALL
SELECT hall_id, ticket_id, CASE WHEN called_at IS NULL THEN 2 ELSE 3 END, 'no-show', service_id, counter_id,
       greatest(received_at, called_at, finished_at), NULL
FROM tickets WHERE status = 'no-show';

-- The waiting line in calling order: exactly the ORDER BY of call-next (portal/counter/queue-order.ts).
DROP INDEX tickets_waiting_line;
CREATE INDEX tickets_calling_order ON tickets (hall_id, business_day, priority_rank, appointment_at, queue_at, receive_seq)
  WHERE status = 'waiting';
-- One active (called or serving) ticket per counter.
CREATE UNIQUE INDEX tickets_one_active_per_counter ON tickets (hall_id, counter_id) WHERE status IN ('called', 'serving');
-- Unfinished tickets: the end-of-day sweep and the held and active lists.
CREATE INDEX tickets_unfinished ON tickets (hall_id, business_day) WHERE status IN ('waiting', 'called', 'serving', 'held');
-- The day's no-shows, which a clerk may requeue.
CREATE INDEX tickets_no_shows ON tickets (hall_id, business_day) WHERE status = 'no-show';

-- Issue 9 §6: 好差评, the national five-level rating of a served visit, and the rectification work
-- orders poor ratings open (portal/ratings/). Same rules as 0001-0009: hall_id first in every
-- primary key, every foreign key includes hall_id, every statement touches one hall.
--
-- One rating per served ticket (一次一评), whatever the channel (kiosk outbox, citizen page,
-- counter console): the first one stands. Each rating names what was rated — the service, the
-- counter and the clerk of the ticket's last serving segment — so an order, an appeal and any later
-- statistics never have to guess it again from a ticket that a later transfer may have moved.

CREATE TABLE ratings (
  hall_id text NOT NULL,
  -- The kiosk chooses it (a resent event is a no-op); the portal for the page and the console.
  rating_id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  channel text NOT NULL CHECK (channel IN ('kiosk', 'web', 'counter')),
  overall text NOT NULL CHECK (overall IN ('very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied')),
  efficiency text NOT NULL CHECK (efficiency IN ('very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied')),
  expertise text NOT NULL CHECK (expertise IN ('very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied')),
  attitude text NOT NULL CHECK (attitude IN ('very-satisfied', 'satisfied', 'basically-satisfied', 'dissatisfied', 'very-dissatisfied')),
  comment text CHECK (length(comment) <= 500),
  -- What was rated, copied from the ticket and its last serving segment when the rating arrived.
  business_day date NOT NULL,
  number text NOT NULL,
  service_id text NOT NULL,
  counter_id text,
  -- The clerk; like ticket_segments.staff_id not a foreign key (a staff API key's id may serve).
  staff_id text,
  -- The kiosk that sent it (channel kiosk only).
  kiosk_id text,
  -- The hall's business day when the portal took the rating: an order's deadline counts from it.
  rated_day date NOT NULL,
  -- The portal's time; the kiosk's own clock (audit only) in submitted_at.
  rated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  submitted_at timestamptz,
  PRIMARY KEY (hall_id, rating_id),
  -- 一次一评: the first rating of a ticket stands, from any channel.
  UNIQUE (hall_id, ticket_id),
  FOREIGN KEY (hall_id, ticket_id) REFERENCES tickets (hall_id, ticket_id),
  FOREIGN KEY (hall_id, service_id) REFERENCES services (hall_id, service_id),
  FOREIGN KEY (hall_id, counter_id) REFERENCES counters (hall_id, counter_id),
  FOREIGN KEY (hall_id, kiosk_id) REFERENCES kiosks (hall_id, kiosk_id),
  CHECK ((channel = 'kiosk') = (kiosk_id IS NOT NULL))
);
-- A clerk's ratings, and the hall's by day (reports of issue 10).
CREATE INDEX ratings_staff ON ratings (hall_id, staff_id, rated_day);
CREATE INDEX ratings_rated_day ON ratings (hall_id, rated_day);

-- A poor rating (不满意, 非常不满意) opens one rectification order: open -> contacted ->
-- rectified | explained -> closed; the rated clerk may appeal once (申诉复核), a manager decides
-- (upheld closes the order). The counter, clerk and service are the rating's, copied so the
-- order's scope (a clerk sees the orders about their own tickets) needs no join.
CREATE TABLE rectification_orders (
  hall_id text NOT NULL,
  order_id uuid NOT NULL,
  rating_id uuid NOT NULL,
  service_id text NOT NULL,
  counter_id text,
  staff_id text,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'contacted', 'rectified', 'explained', 'closed')),
  -- The manager in charge; null while the hall has no manager account (the first one to act takes it).
  assigned_to text,
  -- The rating's day plus the hall's rectification_days working days (hall calendar).
  due_day date NOT NULL,
  appeal text NOT NULL DEFAULT 'none' CHECK (appeal IN ('none', 'pending', 'upheld', 'rejected')),
  appeal_reason text CHECK (length(appeal_reason) BETWEEN 1 AND 500),
  appealed_at timestamptz,
  appeal_decided_by text,
  appeal_decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  closed_at timestamptz,
  PRIMARY KEY (hall_id, order_id),
  UNIQUE (hall_id, rating_id),
  FOREIGN KEY (hall_id, rating_id) REFERENCES ratings (hall_id, rating_id),
  FOREIGN KEY (hall_id, service_id) REFERENCES services (hall_id, service_id),
  FOREIGN KEY (hall_id, counter_id) REFERENCES counters (hall_id, counter_id),
  FOREIGN KEY (hall_id, assigned_to) REFERENCES staff (hall_id, staff_id),
  FOREIGN KEY (hall_id, appeal_decided_by) REFERENCES staff (hall_id, staff_id),
  CHECK ((appeal = 'none') = (appeal_reason IS NULL) AND (appeal = 'none') = (appealed_at IS NULL)),
  CHECK ((appeal IN ('upheld', 'rejected')) = (appeal_decided_at IS NOT NULL)
         AND (appeal_decided_at IS NULL) = (appeal_decided_by IS NULL)),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
-- The hall's list in deadline order, and a manager's load when a new order is assigned.
CREATE INDEX rectification_orders_due ON rectification_orders (hall_id, status, due_day);
CREATE INDEX rectification_orders_assigned ON rectification_orders (hall_id, assigned_to) WHERE status <> 'closed';
CREATE INDEX rectification_orders_staff ON rectification_orders (hall_id, staff_id);

-- What was done about an order, in order: each advance, the appeal and its decision, with the
-- status the order had after it and who wrote it.
CREATE TABLE rectification_notes (
  hall_id text NOT NULL,
  order_id uuid NOT NULL,
  seq smallint NOT NULL CHECK (seq > 0),
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  staff_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('advance', 'appeal', 'decision')),
  status text NOT NULL CHECK (status IN ('open', 'contacted', 'rectified', 'explained', 'closed')),
  text text NOT NULL CHECK (length(text) BETWEEN 1 AND 500),
  PRIMARY KEY (hall_id, order_id, seq),
  FOREIGN KEY (hall_id, order_id) REFERENCES rectification_orders (hall_id, order_id),
  FOREIGN KEY (hall_id, staff_id) REFERENCES staff (hall_id, staff_id)
);

-- The push refuses a kiosk rating of a ticket it does not hold as served, or one rated already.
ALTER TABLE sync_events DROP CONSTRAINT sync_events_rejected_code_check;
ALTER TABLE sync_events ADD CONSTRAINT sync_events_rejected_code_check CHECK (rejected_code IN (
  'unknown-service', 'duplicate-number', 'invalid-event', 'wrong-prefix', 'foreign-series', 'number-not-leased',
  'number-not-allocated', 'wrong-business-day', 'priority-unproven', 'not-rateable', 'already-rated'
));

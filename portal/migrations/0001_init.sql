-- Hall Kiosk portal: the hall queue.
-- Every table has hall_id first in its primary key and every transaction touches one hall, so each
-- table can be distributed on hall_id (Citus create_distributed_table, co-located) unchanged.
-- Times are the portal's (database clock); kiosk times are kept for audit only.

CREATE TABLE halls (
  hall_id text NOT NULL CHECK (length(hall_id) BETWEEN 1 AND 64),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  time_zone text NOT NULL,
  -- Local hour at which the business day (and the number sequence) starts.
  business_day_start_hour smallint NOT NULL DEFAULT 0 CHECK (business_day_start_hour BETWEEN 0 AND 23),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (hall_id)
);

CREATE TABLE services (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  service_id text NOT NULL CHECK (service_id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
  prefix text NOT NULL CHECK (prefix ~ '^[A-Z]$'),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  description_zh text,
  description_en text,
  enabled boolean NOT NULL DEFAULT true,
  sort_order integer NOT NULL DEFAULT 0,
  PRIMARY KEY (hall_id, service_id),
  UNIQUE (hall_id, prefix),
  CHECK ((description_zh IS NULL) = (description_en IS NULL))
);

CREATE TABLE kiosks (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  kiosk_id text NOT NULL CHECK (length(kiosk_id) BETWEEN 1 AND 64),
  -- SHA-256 (hex) of the bearer token; the token itself is never stored.
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  -- The digit of the kiosk-marked series (A2-047): unique within the hall so those numbers are.
  kiosk_digit smallint NOT NULL CHECK (kiosk_digit BETWEEN 0 AND 9),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  revoked_at timestamptz,
  PRIMARY KEY (hall_id, kiosk_id),
  UNIQUE (hall_id, kiosk_digit)
);
-- The token decides the hall, so authentication looks up by hash alone (not unique: a unique
-- index without hall_id cannot be distributed; a collision of random tokens is refused at login).
CREATE INDEX kiosks_token_hash ON kiosks (token_hash);

CREATE TABLE staff_tokens (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  staff_id text NOT NULL CHECK (length(staff_id) BETWEEN 1 AND 64),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  revoked_at timestamptz,
  PRIMARY KEY (hall_id, token_hash)
);
CREATE INDEX staff_tokens_token_hash ON staff_tokens (token_hash);

-- Push cursor: the highest seq consumed per kiosk database epoch (ARCHITECTURE.md §5).
CREATE TABLE kiosk_cursors (
  hall_id text NOT NULL,
  kiosk_id text NOT NULL,
  db_epoch uuid NOT NULL,
  last_seq bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (hall_id, kiosk_id, db_epoch),
  FOREIGN KEY (hall_id, kiosk_id) REFERENCES kiosks (hall_id, kiosk_id)
);

-- Every event received once: the dedupe record of at-least-once delivery, and the audit trail.
CREATE TABLE sync_events (
  hall_id text NOT NULL,
  event_id uuid NOT NULL,
  kiosk_id text NOT NULL,
  db_epoch uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  type text NOT NULL,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  rejected_code text CHECK (rejected_code IN ('unknown-service', 'duplicate-number', 'invalid-event')),
  rejected_reason text,
  PRIMARY KEY (hall_id, event_id),
  FOREIGN KEY (hall_id, kiosk_id) REFERENCES kiosks (hall_id, kiosk_id)
);
CREATE INDEX sync_events_rejected ON sync_events (hall_id, received_at) WHERE rejected_code IS NOT NULL;

-- Daily sequence per service for numbers the portal allocates online.
CREATE TABLE number_counters (
  hall_id text NOT NULL,
  service_id text NOT NULL,
  business_day date NOT NULL,
  last_sequence integer NOT NULL CHECK (last_sequence >= 0),
  PRIMARY KEY (hall_id, service_id, business_day),
  FOREIGN KEY (hall_id, service_id) REFERENCES services (hall_id, service_id)
);

-- A number handed to a ticket id. Not a ticket: it becomes one only when ticket.issued arrives.
CREATE TABLE number_allocations (
  hall_id text NOT NULL,
  ticket_id uuid NOT NULL,
  service_id text NOT NULL,
  business_day date NOT NULL,
  number text NOT NULL,
  kiosk_id text NOT NULL,
  allocated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (hall_id, ticket_id),
  UNIQUE (hall_id, business_day, number),
  FOREIGN KEY (hall_id, service_id) REFERENCES services (hall_id, service_id)
);

CREATE TABLE tickets (
  hall_id text NOT NULL,
  ticket_id uuid NOT NULL,
  service_id text NOT NULL,
  business_day date NOT NULL,
  -- The printed number is the truth (ARCHITECTURE.md §4): stored exactly as the kiosk reports it.
  number text NOT NULL CHECK (number ~ '^[A-Z]([0-9]{3}|[0-9]-[0-9]{3,})$'),
  number_source text NOT NULL CHECK (number_source IN ('portal', 'band', 'kiosk-series')),
  priority text NOT NULL CHECK (priority IN ('appointment', 'elderly', 'green-channel', 'normal')),
  priority_rank smallint NOT NULL,
  citizen_hmac text CHECK (citizen_hmac ~ '^[0-9a-f]{64}$'),
  kiosk_id text NOT NULL,
  status text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'called', 'completed', 'no-show')),
  counter_id text,
  issued_at_kiosk timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  called_at timestamptz,
  finished_at timestamptz,
  PRIMARY KEY (hall_id, ticket_id),
  UNIQUE (hall_id, business_day, number),
  FOREIGN KEY (hall_id, service_id) REFERENCES services (hall_id, service_id),
  FOREIGN KEY (hall_id, kiosk_id) REFERENCES kiosks (hall_id, kiosk_id)
);
-- Calling order of the waiting line: exactly the ORDER BY of call-next.
CREATE INDEX tickets_waiting_line ON tickets (hall_id, business_day, priority_rank, received_at, ticket_id)
  WHERE status = 'waiting';
-- The queue view and waiting counts per service.
CREATE INDEX tickets_day_service ON tickets (hall_id, business_day, service_id, status);

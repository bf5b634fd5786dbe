-- Issue 3: number bands, the citizen HMAC key, appointments, the pull cursor's versions, and the
-- receive order of the calling queue. Same rules as 0001: hall_id first in every primary key, every
-- statement touches one hall. No extension is needed (pgcrypto may be missing or not allowed):
-- gen_random_uuid() and sha256() are core PostgreSQL (13+ and 11+).
--
-- Triggers below only ever touch rows of the same hall_id (co-located on Citus, where triggers on
-- distributed tables need citus.enable_unsafe_triggers; the statements stay shard-local).

-- Per hall: the key kiosks use to match citizens by HMAC (never by raw ID number), the catalog
-- version (bumped whenever the hall or its services change), and the appointment change counter.
ALTER TABLE halls
  ADD COLUMN citizen_hmac_key text,
  ADD COLUMN catalog_version bigint NOT NULL DEFAULT 1 CHECK (catalog_version > 0),
  -- A counter row, not a sequence: it is locked until commit, so within a hall change_seq values
  -- commit in order and a pull can never step over a change committed later with a lower value.
  ADD COLUMN appointment_seq bigint NOT NULL DEFAULT 0 CHECK (appointment_seq >= 0);

-- 32 bytes from the server's strong random source (gen_random_uuid), hashed to 64 hex digits.
-- Halls created later get theirs from the portal (seed) or, failing that, from this default.
UPDATE halls SET citizen_hmac_key = encode(sha256((gen_random_uuid()::text || gen_random_uuid()::text)::bytea), 'hex');
ALTER TABLE halls
  ALTER COLUMN citizen_hmac_key SET DEFAULT encode(sha256((gen_random_uuid()::text || gen_random_uuid()::text)::bytea), 'hex'),
  ALTER COLUMN citizen_hmac_key SET NOT NULL,
  ADD CONSTRAINT halls_citizen_hmac_key_hex CHECK (citizen_hmac_key ~ '^[0-9a-f]{64}$');

CREATE FUNCTION halls_bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.catalog_version := OLD.catalog_version + 1;
  RETURN NEW;
END $$;

-- Only what the kiosk's catalog shows; counters and keys changing are not a catalog change.
CREATE TRIGGER halls_catalog_version BEFORE UPDATE ON halls FOR EACH ROW
  WHEN ((OLD.name_zh, OLD.name_en, OLD.time_zone, OLD.business_day_start_hour)
        IS DISTINCT FROM (NEW.name_zh, NEW.name_en, NEW.time_zone, NEW.business_day_start_hour))
  EXECUTE FUNCTION halls_bump_catalog_version();

CREATE FUNCTION services_bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE halls SET catalog_version = catalog_version + 1
  WHERE hall_id = CASE WHEN TG_OP = 'DELETE' THEN OLD.hall_id ELSE NEW.hall_id END;
  RETURN NULL;
END $$;

CREATE TRIGGER services_catalog_version_insert_delete AFTER INSERT OR DELETE ON services FOR EACH ROW
  EXECUTE FUNCTION services_bump_catalog_version();
-- The demo seed rewrites every service with the same values: that is not a change.
CREATE TRIGGER services_catalog_version_update AFTER UPDATE ON services FOR EACH ROW
  WHEN (OLD.* IS DISTINCT FROM NEW.*)
  EXECUTE FUNCTION services_bump_catalog_version();

-- Numbers leased to one kiosk for one service and business day (ARCHITECTURE.md §4). They come
-- from the same number_counters row online allocation advances, so the portal never hands them out.
CREATE TABLE number_bands (
  hall_id text NOT NULL,
  band_id uuid NOT NULL,
  kiosk_id text NOT NULL,
  service_id text NOT NULL,
  business_day date NOT NULL,
  first_sequence integer NOT NULL CHECK (first_sequence BETWEEN 1 AND 999),
  last_sequence integer NOT NULL CHECK (last_sequence BETWEEN first_sequence AND 999),
  -- The kiosk's idempotency key: a retried lease returns the band already recorded.
  lease_id uuid NOT NULL,
  leased_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (hall_id, band_id),
  UNIQUE (hall_id, kiosk_id, lease_id),
  FOREIGN KEY (hall_id, kiosk_id) REFERENCES kiosks (hall_id, kiosk_id),
  FOREIGN KEY (hall_id, service_id) REFERENCES services (hall_id, service_id)
);
CREATE INDEX number_bands_kiosk_day ON number_bands (hall_id, kiosk_id, business_day);
CREATE INDEX number_bands_service_day ON number_bands (hall_id, service_id, business_day);

-- Appointments booked online. The citizen is held only as HMAC-SHA256(hall key, ID number):
-- the raw number never reaches a table. Cancel, never delete: a kiosk learns only of changes.
CREATE TABLE appointments (
  hall_id text NOT NULL,
  appointment_id uuid NOT NULL,
  reference text NOT NULL CHECK (reference ~ '^[A-Z0-9-]{6,32}$'),
  service_id text NOT NULL,
  business_day date NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  citizen_hmac text NOT NULL CHECK (citizen_hmac ~ '^[0-9a-f]{64}$'),
  status text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'checked-in', 'cancelled')),
  -- Set by the trigger below on every insert and update: the pull cursor's position.
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (hall_id, appointment_id),
  UNIQUE (hall_id, reference),
  CHECK (window_end > window_start),
  FOREIGN KEY (hall_id, service_id) REFERENCES services (hall_id, service_id)
);
CREATE INDEX appointments_day_change ON appointments (hall_id, business_day, change_seq);

CREATE FUNCTION appointments_next_change_seq() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE halls SET appointment_seq = appointment_seq + 1 WHERE hall_id = NEW.hall_id
  RETURNING appointment_seq INTO NEW.change_seq;
  IF NEW.change_seq IS NULL THEN
    RAISE EXCEPTION 'hall % not found', NEW.hall_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  NEW.updated_at := clock_timestamp();
  RETURN NEW;
END $$;

CREATE TRIGGER appointments_change_seq BEFORE INSERT OR UPDATE ON appointments FOR EACH ROW
  EXECUTE FUNCTION appointments_next_change_seq();

-- Receive order without ties: clock_timestamp() can repeat within one multi-row insert, and the
-- random ticket id is no order at all. Calling order is priority, received_at, receive_seq.
ALTER TABLE tickets ADD COLUMN receive_seq bigint GENERATED ALWAYS AS IDENTITY;
DROP INDEX tickets_waiting_line;
CREATE INDEX tickets_waiting_line ON tickets (hall_id, business_day, priority_rank, received_at, receive_seq)
  WHERE status = 'waiting';
-- (hall, day, service, status) began with the same two columns as the unique (hall, day, number):
-- on a table without fresh statistics (a new hall, the first minutes of a day) the planner took
-- it for a number lookup and scanned the whole day per ticket. Service first, it cannot compete;
-- the queue view of a day is served by the unique index instead.
DROP INDEX tickets_day_service;
CREATE INDEX tickets_service_day ON tickets (hall_id, service_id, business_day, status);
-- One waiting ticket per citizen per service (online allocation refuses a second one).
CREATE INDEX tickets_waiting_citizen ON tickets (hall_id, citizen_hmac, service_id, business_day)
  WHERE status = 'waiting' AND citizen_hmac IS NOT NULL;

-- An event refused because its occurredAt is not a real instant is still recorded (as consumed),
-- with the reason; its occurred_at is then unknown.
ALTER TABLE sync_events ALTER COLUMN occurred_at DROP NOT NULL;

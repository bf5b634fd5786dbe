-- Issue 10 §1: the hall manager configures the hall (portal/config/). Same rules as 0001-0012:
-- hall_id first in every primary key, every foreign key includes hall_id, every statement touches
-- one hall.
--
-- Every configured thing (a service, a counter, a kiosk's settings, the hall's settings) carries a
-- `version`: a write names the version it edited and is refused when the row moved on meanwhile
-- (optimistic concurrency), and every change makes it one higher. The change, the version and its
-- audit line (who, when, before, after) commit together.

ALTER TABLE services
  ADD COLUMN version bigint NOT NULL DEFAULT 1 CHECK (version > 0),
  -- Tickets the service issues per business day, whatever numbers them; NULL: no limit.
  ADD COLUMN daily_quota integer CHECK (daily_quota BETWEEN 1 AND 9999);

ALTER TABLE counters ADD COLUMN version bigint NOT NULL DEFAULT 1 CHECK (version > 0);

-- Who may sign in at a counter. None listed: any clerk of the hall (as before this migration);
-- managers and admins sign in anywhere.
CREATE TABLE counter_staff (
  hall_id text NOT NULL,
  counter_id text NOT NULL,
  staff_id text NOT NULL,
  PRIMARY KEY (hall_id, counter_id, staff_id),
  FOREIGN KEY (hall_id, counter_id) REFERENCES counters (hall_id, counter_id) ON DELETE CASCADE,
  FOREIGN KEY (hall_id, staff_id) REFERENCES staff (hall_id, staff_id)
);

-- What the manager sets for a kiosk, pushed with its pull; NULL leaves a value to the kiosk's own
-- configuration file. The technician PIN only as its scrypt hash: the PIN is never stored.
ALTER TABLE kiosks
  ADD COLUMN name text CHECK (length(name) BETWEEN 1 AND 64),
  ADD COLUMN version bigint NOT NULL DEFAULT 1 CHECK (version > 0),
  ADD COLUMN offered_service_ids text[] CHECK (cardinality(offered_service_ids) <= 100),
  ADD COLUMN idle_timeout_ms integer CHECK (idle_timeout_ms BETWEEN 5000 AND 600000),
  ADD COLUMN elderly_age smallint CHECK (elderly_age BETWEEN 50 AND 100),
  ADD COLUMN technician_pin_hash text CHECK (technician_pin_hash ~ '^scrypt\$');

-- A revoked kiosk gives its digit back: the digit is unique among the hall's active kiosks only
-- (a revoked token pushes nothing, and a number is unique in its day whoever printed it).
ALTER TABLE kiosks DROP CONSTRAINT kiosks_hall_id_kiosk_digit_key;
CREATE UNIQUE INDEX kiosks_active_digit ON kiosks (hall_id, kiosk_digit) WHERE revoked_at IS NULL;

ALTER TABLE halls
  ADD COLUMN config_version bigint NOT NULL DEFAULT 1 CHECK (config_version > 0),
  -- Walk-in tickets only in the service's opening hours. Off for the halls already here: they
  -- keep taking tickets as they did (the hours were shown, not enforced, before this migration).
  ADD COLUMN tickets_only_in_hours boolean NOT NULL DEFAULT false,
  -- Days the portal keeps personal data in this hall; NULL: the portal's own policy (its environment).
  ADD COLUMN personal_data_days smallint CHECK (personal_data_days BETWEEN 1 AND 3650),
  ADD COLUMN event_payload_days smallint CHECK (event_payload_days BETWEEN 1 AND 3650);

-- Kiosks refuse tickets outside hours by what they pulled: that switch is part of the catalog.
DROP TRIGGER halls_catalog_version ON halls;
CREATE TRIGGER halls_catalog_version BEFORE UPDATE ON halls FOR EACH ROW
  WHEN ((OLD.name_zh, OLD.name_en, OLD.time_zone, OLD.business_day_start_hour, OLD.calendar,
         OLD.check_in_before_minutes, OLD.check_in_after_minutes, OLD.tickets_only_in_hours)
        IS DISTINCT FROM (NEW.name_zh, NEW.name_en, NEW.time_zone, NEW.business_day_start_hour, NEW.calendar,
                          NEW.check_in_before_minutes, NEW.check_in_after_minutes, NEW.tickets_only_in_hours))
  EXECUTE FUNCTION halls_bump_catalog_version();

-- The daily quota counts a service's tickets and numbers of one day.
CREATE INDEX number_allocations_service_day ON number_allocations (hall_id, service_id, business_day);

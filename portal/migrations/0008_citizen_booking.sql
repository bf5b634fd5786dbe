-- Issue 9 §1-§3: the service guide (办事指南), opening hours and the hall calendar published with the
-- catalog, and online appointments (网上预约) booked against slots with a capacity, checked in at
-- the kiosk. Same rules as 0001-0007: hall_id first in every primary key, every foreign key
-- includes hall_id, every statement touches one hall.
--
-- Every JSON column holds a value of a common zod schema (common/domain/hall-calendar.ts,
-- slots.ts, common/contract/guide.ts); the portal parses it on write and on read. The checks
-- below only keep out what no schema accepts (the wrong JSON type), so a schema may grow without
-- a migration.

-- What a service publishes. Hours default to every day, all day: a service of a hall set up before
-- this migration keeps taking tickets as it did (an empty object would close it everywhere).
ALTER TABLE services
  ADD COLUMN hours jsonb NOT NULL DEFAULT
    '{"1":[{"opens":"00:00","closes":"24:00"}],"2":[{"opens":"00:00","closes":"24:00"}],"3":[{"opens":"00:00","closes":"24:00"}],"4":[{"opens":"00:00","closes":"24:00"}],"5":[{"opens":"00:00","closes":"24:00"}],"6":[{"opens":"00:00","closes":"24:00"}],"7":[{"opens":"00:00","closes":"24:00"}]}'::jsonb
    CHECK (jsonb_typeof(hours) = 'object'),
  -- NULL: the hall has not written a guide for it.
  ADD COLUMN guide jsonb CHECK (guide IS NULL OR jsonb_typeof(guide) = 'object'),
  -- Lowercase pinyin keys of the Chinese name (portal/queue/search-keys.ts); the portal computes
  -- them with pinyin-pro whenever the name is written, and search_keys_name says from which name,
  -- so a name written without them is found and keyed at the next start.
  ADD COLUMN search_keys text[] NOT NULL DEFAULT '{}' CHECK (cardinality(search_keys) <= 20),
  ADD COLUMN search_keys_name text,
  -- NULL: not booked online.
  ADD COLUMN booking_rules jsonb CHECK (booking_rules IS NULL OR jsonb_typeof(booking_rules) = 'object');

-- Hall settings: the calendar of holidays and adjusted workdays (调休), when a kiosk checks an
-- appointment in, and the working days a rectification order is given (issue 9 §6).
ALTER TABLE halls
  ADD COLUMN calendar jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(calendar) = 'array'),
  ADD COLUMN check_in_before_minutes smallint NOT NULL DEFAULT 30 CHECK (check_in_before_minutes BETWEEN 0 AND 240),
  ADD COLUMN check_in_after_minutes smallint NOT NULL DEFAULT 15 CHECK (check_in_after_minutes BETWEEN 0 AND 240),
  ADD COLUMN rectification_days smallint NOT NULL DEFAULT 5 CHECK (rectification_days BETWEEN 1 AND 60);

-- The hall's part of the catalog now includes the calendar and the check-in window: changing them
-- is a catalog change kiosks must pull. (Services bump on any change of their row already.)
DROP TRIGGER halls_catalog_version ON halls;
CREATE TRIGGER halls_catalog_version BEFORE UPDATE ON halls FOR EACH ROW
  WHEN ((OLD.name_zh, OLD.name_en, OLD.time_zone, OLD.business_day_start_hour, OLD.calendar,
         OLD.check_in_before_minutes, OLD.check_in_after_minutes)
        IS DISTINCT FROM (NEW.name_zh, NEW.name_en, NEW.time_zone, NEW.business_day_start_hour, NEW.calendar,
                          NEW.check_in_before_minutes, NEW.check_in_after_minutes))
  EXECUTE FUNCTION halls_bump_catalog_version();

-- Appointments booked online: a place is `held` for a few minutes while the citizen confirms
-- (hold_expires_at), then `booked`; a kiosk checks it in (`checked-in`, with the ticket it printed
-- and the portal's time of arrival); booked and never come by the end of its day: `no-show`.
ALTER TABLE appointments DROP CONSTRAINT appointments_status_check;
ALTER TABLE appointments
  ADD CONSTRAINT appointments_status_check CHECK (status IN ('held', 'booked', 'checked-in', 'cancelled', 'no-show')),
  ADD COLUMN hold_expires_at timestamptz,
  -- SHA-256 (hex) of the six-digit cancel code shown once at confirmation; NULL for bookings made by staff.
  ADD COLUMN cancel_code_hash text CHECK (cancel_code_hash ~ '^[0-9a-f]{64}$'),
  -- Wrong cancel codes tried against this booking: past a few, it is cancelled at the hall only.
  ADD COLUMN cancel_failures smallint NOT NULL DEFAULT 0,
  ADD COLUMN ticket_id uuid,
  ADD COLUMN arrived_at timestamptz,
  ADD CONSTRAINT appointments_hold_expiry CHECK (status <> 'held' OR hold_expires_at IS NOT NULL),
  ADD CONSTRAINT appointments_ticket FOREIGN KEY (hall_id, ticket_id) REFERENCES tickets (hall_id, ticket_id);

-- A hold is not something a kiosk will ever see (the pull leaves holds out), so writing one does
-- not take a change number: holds neither wait for nor hold up the hall's appointment counter.
-- Its confirmation is an update, and takes one then.
ALTER TABLE appointments ALTER COLUMN change_seq SET DEFAULT 0;
DROP TRIGGER appointments_change_seq_insert ON appointments;
CREATE TRIGGER appointments_change_seq_insert BEFORE INSERT ON appointments FOR EACH ROW
  WHEN (NEW.status <> 'held')
  EXECUTE FUNCTION appointments_next_change_seq();
-- Only what a kiosk holds of an appointment is a change it must pull: a wrong cancel code counted,
-- or the check-in's ticket noted with its status, are not changes of their own.
DROP TRIGGER appointments_change_seq_update ON appointments;
CREATE TRIGGER appointments_change_seq_update BEFORE UPDATE ON appointments FOR EACH ROW
  WHEN ((OLD.reference, OLD.service_id, OLD.business_day, OLD.window_start, OLD.window_end, OLD.status)
          IS DISTINCT FROM (NEW.reference, NEW.service_id, NEW.business_day, NEW.window_start, NEW.window_end, NEW.status)
        OR (OLD.citizen_hmac IS DISTINCT FROM NEW.citizen_hmac AND NEW.citizen_hmac IS NOT NULL))
  EXECUTE FUNCTION appointments_next_change_seq();
-- A hold that is released (expired, never confirmed) is deleted: nobody was told of it.

-- One active booking (held or booked) per citizen, service and day. Staff could book one citizen
-- twice before this: the earliest booking of such a pair stays, the later ones are cancelled.
UPDATE appointments a SET status = 'cancelled'
WHERE a.status = 'booked' AND a.citizen_hmac IS NOT NULL AND EXISTS (
  SELECT 1 FROM appointments b
  WHERE b.hall_id = a.hall_id AND b.citizen_hmac = a.citizen_hmac AND b.service_id = a.service_id
    AND b.business_day = a.business_day AND b.status = 'booked'
    AND (b.created_at, b.appointment_id) < (a.created_at, a.appointment_id));
CREATE UNIQUE INDEX appointments_one_active ON appointments (hall_id, citizen_hmac, service_id, business_day)
  WHERE status IN ('held', 'booked');

-- A hold is confirmed by its id alone (the confirmation URL carries nothing else). Not unique: a
-- unique index without hall_id cannot be distributed; ids are random UUIDs.
CREATE INDEX appointments_appointment_id ON appointments (appointment_id);
-- Holds of a slot, for releasing the expired ones when the slot is next touched, and for the sweep.
CREATE INDEX appointments_holds ON appointments (hall_id, service_id, window_start, hold_expires_at) WHERE status = 'held';
-- The booked appointments of past days, for the end-of-day no-show mark.
CREATE INDEX appointments_booked_day ON appointments (hall_id, business_day) WHERE status = 'booked';

-- The places taken in one slot of a service (held, booked or checked in), counted in one row that
-- every hold, confirmation, cancellation and release locks: the capacity check and the change it
-- guards are serialised per slot, never per hall. Rows are created on the first hold of a slot.
CREATE TABLE booking_slots (
  hall_id text NOT NULL,
  service_id text NOT NULL,
  slot_start timestamptz NOT NULL,
  business_day date NOT NULL,
  taken integer NOT NULL DEFAULT 0 CHECK (taken >= 0),
  PRIMARY KEY (hall_id, service_id, slot_start),
  FOREIGN KEY (hall_id, service_id) REFERENCES services (hall_id, service_id)
);
CREATE INDEX booking_slots_day ON booking_slots (hall_id, service_id, business_day);

-- The hall events that tell kiosks to pull at once (GET /v1/kiosk/stream).
ALTER TABLE hall_events DROP CONSTRAINT hall_events_kind_check;
ALTER TABLE hall_events ADD CONSTRAINT hall_events_kind_check CHECK (kind IN (
  'ticket.called', 'ticket.updated', 'queue.waiting', 'counter.updated', 'display.settings', 'appointments.changed', 'catalog.changed'
));

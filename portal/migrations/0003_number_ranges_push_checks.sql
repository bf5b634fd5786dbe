-- Issue 7: numbers as visitors expect, and a portal that checks every pushed ticket.
-- Same rules as 0001/0002: hall_id first in every key, every statement touches one hall.
--
-- Daily sequences run 1..9999 (`A001` … `A999`, `A1000` … `A9999`). Online allocation uses
-- 1..7999 without gaps; bands come from 8001..9999 with their own counter, so a band never takes
-- numbers from the online sequence. Bands leased before this migration (inside 1..999, off the
-- online counter) stay valid: online allocation still skips every leased number.

-- Four-digit hall numbers.
ALTER TABLE tickets DROP CONSTRAINT tickets_number_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_number_check CHECK (number ~ '^[A-Z]([0-9]{3,4}|[0-9]-[0-9]{3,})$');

-- The online counter stays within its range; the band counter is a column of the same row, so
-- one row lock still serialises everything that numbers a service's day.
ALTER TABLE number_counters
  ADD CONSTRAINT number_counters_online_range CHECK (last_sequence <= 7999),
  -- 8000: nothing leased yet; the first band starts at 8001.
  ADD COLUMN last_band_sequence integer NOT NULL DEFAULT 8000 CHECK (last_band_sequence BETWEEN 8000 AND 9999);

ALTER TABLE number_bands DROP CONSTRAINT number_bands_first_sequence_check;
-- PostgreSQL named the two-column check of 0002 after the table alone.
ALTER TABLE number_bands DROP CONSTRAINT number_bands_check;
ALTER TABLE number_bands
  ADD CONSTRAINT number_bands_first_sequence_check CHECK (first_sequence BETWEEN 1 AND 9999),
  ADD CONSTRAINT number_bands_last_sequence_check CHECK (last_sequence BETWEEN first_sequence AND 9999);

-- The rejection codes of the push rules.
ALTER TABLE sync_events DROP CONSTRAINT sync_events_rejected_code_check;
ALTER TABLE sync_events ADD CONSTRAINT sync_events_rejected_code_check CHECK (rejected_code IN (
  'unknown-service', 'duplicate-number', 'invalid-event', 'wrong-prefix', 'foreign-series', 'number-not-leased',
  'number-not-allocated', 'wrong-business-day', 'priority-unproven'
));

-- The latest business day of a ticket accepted from this kiosk database (epoch). A kiosk catching
-- up after an outage longer than a day pushes tickets older than the hall's yesterday; they are
-- accepted down to the day before the latest one it already delivered, never older: a kiosk with
-- a wrong clock (or a forged push) is still refused.
ALTER TABLE kiosk_cursors ADD COLUMN latest_business_day date;

-- Proof of an appointment priority: one probe per pushed `appointment` ticket.
CREATE INDEX appointments_citizen_service_day ON appointments (hall_id, citizen_hmac, service_id, business_day);
-- The bands of one kiosk, service and day: the push's band check and the lease cap.
CREATE INDEX number_bands_kiosk_service_day ON number_bands (hall_id, kiosk_id, service_id, business_day);

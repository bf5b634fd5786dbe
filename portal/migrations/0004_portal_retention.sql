-- Issue 7 §6: the portal purges personal data after a retention period, as the kiosk does
-- (portal/retention/). What goes: the citizen HMAC of tickets and appointments of past business
-- days, and the raw payload of sync events (it holds the same HMAC). What stays: every row, and in
-- sync_events the dedupe key (hall_id, event_id) with kiosk, epoch, seq, type, times and any
-- rejection, so a replayed push is still consumed once and answered as before.
-- Same rules as 0001-0003: hall_id first in every key, every statement touches one hall.

-- A purged row holds NULL where the personal data was.
ALTER TABLE appointments ALTER COLUMN citizen_hmac DROP NOT NULL;
ALTER TABLE sync_events ALTER COLUMN payload DROP NOT NULL;

-- What the purge looks for, and only that: each index shrinks as rows are purged, so a run over
-- a hall with nothing left to purge is one empty index probe per table.
CREATE INDEX tickets_citizen_retention ON tickets (hall_id, business_day) WHERE citizen_hmac IS NOT NULL;
CREATE INDEX appointments_citizen_retention ON appointments (hall_id, business_day) WHERE citizen_hmac IS NOT NULL;
CREATE INDEX sync_events_payload_retention ON sync_events (hall_id, received_at) WHERE payload IS NOT NULL;

-- Clearing an old appointment's HMAC is not a change a kiosk must learn of (it holds only today's
-- and tomorrow's): the change counter, and the hall row it lives in, are left alone, so a purge
-- batch never queues behind (or holds up) a booking in the same hall.
DROP TRIGGER appointments_change_seq ON appointments;
CREATE TRIGGER appointments_change_seq_insert BEFORE INSERT ON appointments FOR EACH ROW
  EXECUTE FUNCTION appointments_next_change_seq();
CREATE TRIGGER appointments_change_seq_update BEFORE UPDATE ON appointments FOR EACH ROW
  WHEN (NOT (OLD.citizen_hmac IS NOT NULL AND NEW.citizen_hmac IS NULL))
  EXECUTE FUNCTION appointments_next_change_seq();

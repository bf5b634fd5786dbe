-- Issue 9 §2: the 08:00 rush. A hold was a transaction of five to nine round trips (lock the slot,
-- release what expired, release the citizen's earlier hold, take the place), and the slot's row
-- lock was held while the portal sent the next statement: a hundred citizens in a second queued
-- one behind another for each slot's lock, and for the portal's connections. The same steps, under
-- the same locks and in the same order, now run inside PostgreSQL as one statement.
--
-- Same rules as 0001-0014: every statement of the function touches one hall (p_hall), rows of
-- booking_slots are locked in slot order (portal/booking/slot-counter.ts), and the one active
-- booking per citizen, service and day stays the unique index appointments_one_active (0008):
-- an insert that breaks it raises, and the portal answers `already-booked`.

-- Holds a place in the slot starting at p_slot for the citizen p_citizen, and answers
--   'stale'   the portal's idea of the hall and service (the slot, the capacity and the citizen's
--             HMAC come from it) is out of date: the hall's catalog_version is no longer
--             p_catalog_version, or its citizen key not the one p_key_tag (16 hex digits of its
--             SHA-256) names. Nothing is changed; the portal reads the hall again and retries.
--   'full'    no place left: read without a lock (as the portal's first read did), or under it,
--             holds expired by p_now released first (that much is kept), or
--   'held'    the appointment p_hold is held until p_expires under the reference p_reference,
--             its place taken. A reference taken already (random: a clash is rare) raises the
--             unique violation of (hall_id, reference), and nothing is changed: the portal tries
--             again with another.
-- The citizen's earlier hold of the service that day goes only if this one succeeds, or if it is
-- in this very slot (a new hold replaces it): trying a full slot keeps it.
--
-- The slot's row is created by its first hold, here, before any other lock is taken. A row this
-- transaction inserted stays locked by it until it ends, but nobody can be waiting for it while
-- holding a lock this transaction then asks for: a lock query does not see a row not yet
-- committed, and another first hold of the slot waits for it at this same first step, when it
-- holds nothing yet.
CREATE FUNCTION booking_hold(
  p_hall text, p_service text, p_catalog_version bigint, p_key_tag text,
  p_slot timestamptz, p_day date, p_end timestamptz, p_citizen text,
  p_now timestamptz, p_expires timestamptz, p_capacity integer, p_hold uuid, p_reference text
) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  v_locked timestamptz[];
  v_taken integer;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM halls h WHERE h.hall_id = p_hall AND h.catalog_version = p_catalog_version
                   AND left(encode(sha256(convert_to(h.citizen_hmac_key, 'UTF8')), 'hex'), 16) = p_key_tag) THEN
    RETURN 'stale';
  END IF;
  -- A full slot is refused from one unlocked read, a hold expired by now counting as free (what
  -- the slot list shows); a place is only ever taken under the lock, below.
  SELECT b.taken - (SELECT count(*)::int FROM appointments a
                    WHERE a.hall_id = b.hall_id AND a.service_id = b.service_id AND a.window_start = b.slot_start
                      AND a.status = 'held' AND a.hold_expires_at <= p_now)
  INTO v_taken
  FROM booking_slots b WHERE b.hall_id = p_hall AND b.service_id = p_service AND b.slot_start = p_slot;
  IF v_taken >= p_capacity THEN
    RETURN 'full';
  END IF;

  INSERT INTO booking_slots (hall_id, service_id, slot_start, business_day) VALUES (p_hall, p_service, p_slot, p_day)
  ON CONFLICT (hall_id, service_id, slot_start) DO NOTHING;
  -- The target and the slots where the citizen holds a place of this service that day, locked in
  -- slot order. Every statement below reads after the locks were granted (read committed takes a
  -- snapshot per statement): what it finds is what the holders of these locks committed.
  SELECT array_agg(l.slot_start ORDER BY l.slot_start) INTO v_locked FROM (
    SELECT b.slot_start FROM booking_slots b
    WHERE b.hall_id = p_hall AND b.service_id = p_service
      AND (b.slot_start = p_slot
           OR b.slot_start IN (SELECT a.window_start FROM appointments a
                               WHERE a.hall_id = p_hall AND a.citizen_hmac = p_citizen AND a.service_id = p_service
                                 AND a.business_day = p_day AND a.status = 'held'))
    ORDER BY b.slot_start
    FOR UPDATE OF b
  ) l;
  IF v_locked IS NULL OR NOT p_slot = ANY (v_locked) THEN
    RAISE EXCEPTION 'booking_slots row of % % % missing', p_hall, p_service, p_slot;
  END IF;

  -- Expired holds go back in every slot locked.
  WITH released AS (
    DELETE FROM appointments a
    WHERE a.hall_id = p_hall AND a.service_id = p_service AND a.window_start = ANY (v_locked)
      AND a.status = 'held' AND a.hold_expires_at <= p_now
    RETURNING a.window_start
  ), per_slot AS (
    SELECT window_start, count(*)::int AS n FROM released GROUP BY window_start
  )
  UPDATE booking_slots s SET taken = s.taken - p.n FROM per_slot p
  WHERE s.hall_id = p_hall AND s.service_id = p_service AND s.slot_start = p.window_start;

  SELECT b.taken INTO v_taken FROM booking_slots b WHERE b.hall_id = p_hall AND b.service_id = p_service AND b.slot_start = p_slot;

  -- The citizen's own holds: all of them when this hold will succeed, else only one in this slot.
  WITH released AS (
    DELETE FROM appointments a
    WHERE a.hall_id = p_hall AND a.service_id = p_service AND a.window_start = ANY (v_locked)
      AND (v_taken < p_capacity OR a.window_start = p_slot)
      AND a.status = 'held' AND a.citizen_hmac = p_citizen AND a.business_day = p_day
    RETURNING a.window_start
  ), per_slot AS (
    SELECT window_start, count(*)::int AS n FROM released GROUP BY window_start
  )
  UPDATE booking_slots s SET taken = s.taken - p.n FROM per_slot p
  WHERE s.hall_id = p_hall AND s.service_id = p_service AND s.slot_start = p.window_start;
  IF FOUND THEN
    SELECT b.taken INTO v_taken FROM booking_slots b WHERE b.hall_id = p_hall AND b.service_id = p_service AND b.slot_start = p_slot;
  END IF;

  IF v_taken >= p_capacity THEN
    RETURN 'full';
  END IF;

  INSERT INTO appointments (hall_id, appointment_id, reference, service_id, business_day, window_start, window_end,
                            citizen_hmac, status, hold_expires_at)
  VALUES (p_hall, p_hold, p_reference, p_service, p_day, p_slot, p_end, p_citizen, 'held', p_expires);
  UPDATE booking_slots SET taken = taken + 1 WHERE hall_id = p_hall AND service_id = p_service AND slot_start = p_slot;
  RETURN 'held';
END $$;

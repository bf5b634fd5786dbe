import type { Migration } from './migration.js';

const HMAC_CHECK = "length(citizen_hmac) = 64 AND citizen_hmac NOT GLOB '*[^0-9a-f]*'";

/**
 * Issue 9, the citizen journeys at the kiosk:
 * - a ticket remembers the appointment it checked in and the slot's start ("预约 09:30"), kept on
 *   the ticket because the appointment row goes with its day; one ticket per appointment here;
 * - appointments take the portal's new statuses (`held` is never sent, `no-show` is) and the
 *   ticket this kiosk checked them in with. SQLite cannot change a CHECK in place: rebuilt;
 * - the visitor's cases as the portal last answered them, by HMAC, with when (purged with the
 *   personal data);
 * - the hall's certificate verification keys, replaced by every pull;
 * - the tickets rated from this kiosk (一次一评 here, before the portal has heard of it).
 */
export const migration0007: Migration = {
  version: 7,
  name: 'citizen-journeys',
  up(db) {
    db.exec(`
      ALTER TABLE tickets ADD COLUMN appointment_id TEXT NULL;
      ALTER TABLE tickets ADD COLUMN appointment_start TEXT NULL;
      CREATE UNIQUE INDEX tickets_by_appointment ON tickets (appointment_id) WHERE appointment_id IS NOT NULL;

      CREATE TABLE appointments_next (
        appointment_id TEXT PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        service_id TEXT NOT NULL,
        business_day TEXT NOT NULL,
        window_start TEXT NOT NULL,
        window_end TEXT NOT NULL,
        citizen_hmac TEXT NOT NULL CHECK (${HMAC_CHECK}),
        status TEXT NOT NULL CHECK (status IN ('held', 'booked', 'checked-in', 'cancelled', 'no-show')),
        -- Set in the transaction that issued this kiosk's check-in ticket.
        ticket_id TEXT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO appointments_next (appointment_id, reference, service_id, business_day, window_start, window_end, citizen_hmac, status, ticket_id, updated_at)
        SELECT appointment_id, reference, service_id, business_day, window_start, window_end, citizen_hmac, status, NULL, updated_at FROM appointments;
      DROP TABLE appointments;
      ALTER TABLE appointments_next RENAME TO appointments;
      CREATE INDEX appointments_by_day ON appointments (business_day);
      CREATE INDEX appointments_by_citizen ON appointments (citizen_hmac, business_day);

      CREATE TABLE case_cache (
        citizen_hmac TEXT PRIMARY KEY CHECK (${HMAC_CHECK}),
        -- The portal's answer (CaseView[]) as it came, parsed again on read.
        body TEXT NOT NULL CHECK (json_valid(body)),
        fetched_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX case_cache_by_fetched ON case_cache (fetched_at);

      CREATE TABLE certificate_keys (
        key_id TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        pulled_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE ratings_given (
        ticket_id TEXT PRIMARY KEY,
        rating_id TEXT NOT NULL UNIQUE,
        rated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX ratings_given_by_time ON ratings_given (rated_at);
    `);
  },
};

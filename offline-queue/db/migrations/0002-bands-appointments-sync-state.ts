import type { Migration } from './migration.js';

/**
 * Issue 3: number bands leased by the portal, appointments pulled for today and tomorrow, the
 * pull cursor and kiosk identity, and what retention needs. STRICT like every table here.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'bands-appointments-sync-state',
  up(db) {
    db.exec(`
      -- A range of daily sequences the portal leased to this kiosk; next_sequence is taken in the
      -- same transaction as the ticket row, so a band number is never used twice, across crashes.
      CREATE TABLE number_bands (
        band_id TEXT PRIMARY KEY,
        service_id TEXT NOT NULL,
        business_day TEXT NOT NULL,
        first_sequence INTEGER NOT NULL CHECK (first_sequence BETWEEN 1 AND 999),
        last_sequence INTEGER NOT NULL CHECK (last_sequence BETWEEN first_sequence AND 999),
        next_sequence INTEGER NOT NULL CHECK (next_sequence BETWEEN first_sequence AND last_sequence + 1),
        leased_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX number_bands_by_service_day ON number_bands (service_id, business_day, first_sequence);

      -- A lease asked for but not yet answered: its id is stored before the request, so a retry
      -- after a lost answer sends the same id and the portal returns the same band.
      CREATE TABLE pending_leases (
        lease_id TEXT PRIMARY KEY,
        service_id TEXT NOT NULL,
        business_day TEXT NOT NULL,
        size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 999),
        created_at TEXT NOT NULL,
        UNIQUE (service_id, business_day)
      ) STRICT;

      -- The citizen only as an HMAC with the hall's key: never a raw ID number.
      CREATE TABLE appointments (
        appointment_id TEXT PRIMARY KEY,
        reference TEXT NOT NULL UNIQUE,
        service_id TEXT NOT NULL,
        business_day TEXT NOT NULL,
        window_start TEXT NOT NULL,
        window_end TEXT NOT NULL,
        citizen_hmac TEXT NOT NULL CHECK (length(citizen_hmac) = 64 AND citizen_hmac NOT GLOB '*[^0-9a-f]*'),
        status TEXT NOT NULL CHECK (status IN ('booked', 'checked-in', 'cancelled')),
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX appointments_by_day ON appointments (business_day);

      CREATE TABLE sync_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        pull_cursor TEXT NULL,
        citizen_key TEXT NULL CHECK (citizen_key IS NULL OR (length(citizen_key) = 64 AND citizen_key NOT GLOB '*[^0-9a-f]*')),
        kiosk_id TEXT NULL,
        kiosk_digit INTEGER NULL CHECK (kiosk_digit IS NULL OR kiosk_digit BETWEEN 0 AND 9),
        -- Portal clock minus kiosk clock at the last measurement.
        clock_offset_ms INTEGER NULL,
        last_pull_at TEXT NULL,
        last_push_at TEXT NULL
      ) STRICT;
      INSERT INTO sync_state (id) VALUES (1);

      -- Retention: tickets age out by issue time; "still in the outbox" is found by ticket id.
      CREATE INDEX tickets_by_issued_at ON tickets (issued_at);
      CREATE INDEX outbox_by_ticket ON outbox (json_extract(payload, '$.ticketId'));
      CREATE INDEX quarantine_by_time ON quarantine (quarantined_at);
      CREATE INDEX print_jobs_by_created ON print_jobs (created_at);
    `);
  },
};

import { randomUUID } from 'node:crypto';
import type { Migration } from './migration.js';

/**
 * The walking skeleton's schema. Every table is STRICT so a wrong type is an error, not a silent
 * coercion. Enum-valued columns carry CHECKs so a bad value never reaches disk.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE kiosk_meta (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        db_epoch TEXT NOT NULL,
        created_at TEXT NOT NULL,
        -- The outbox counter lives here, not in MAX(outbox.seq): trimming acked rows must never
        -- let a seq be handed out twice within an epoch.
        last_seq INTEGER NOT NULL DEFAULT 0 CHECK (last_seq >= 0)
      ) STRICT;

      CREATE TABLE catalog (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        body TEXT NOT NULL CHECK (json_valid(body)),
        pulled_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE tickets (
        ticket_id TEXT PRIMARY KEY,
        request_id TEXT NOT NULL UNIQUE,
        service_id TEXT NOT NULL,
        number TEXT NOT NULL,
        number_source TEXT NOT NULL CHECK (number_source IN ('portal', 'band', 'kiosk-series')),
        business_day TEXT NOT NULL,
        priority TEXT NOT NULL CHECK (priority IN ('appointment', 'elderly', 'green-channel', 'normal')),
        issued_at TEXT NOT NULL,
        people_ahead INTEGER NULL CHECK (people_ahead IS NULL OR people_ahead >= 0),
        people_ahead_approx INTEGER NOT NULL CHECK (people_ahead_approx IN (0, 1)),
        issued_offline INTEGER NOT NULL CHECK (issued_offline IN (0, 1)),
        print_state TEXT NOT NULL CHECK (print_state IN
          ('pending', 'printing', 'printed', 'failed', 'possibly-printed', 'on-screen-only')),
        -- HMAC of the ID number with the hall's key; the raw number is never stored.
        citizen_hmac TEXT NULL CHECK (citizen_hmac IS NULL OR (length(citizen_hmac) = 64 AND citizen_hmac NOT GLOB '*[^0-9a-f]*')),
        -- Two visitors must never hold the same printed number on the same day.
        UNIQUE (business_day, number)
      ) STRICT;
      CREATE INDEX tickets_by_service_day ON tickets (service_id, business_day);

      CREATE TABLE kiosk_series (
        service_id TEXT NOT NULL,
        business_day TEXT NOT NULL,
        last_sequence INTEGER NOT NULL CHECK (last_sequence >= 0),
        PRIMARY KEY (service_id, business_day)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY CHECK (seq > 0),
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        occurred_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NULL
      ) STRICT;

      CREATE TABLE quarantine (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        code TEXT NOT NULL,
        reason TEXT NOT NULL,
        quarantined_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE print_jobs (
        job_id TEXT PRIMARY KEY,
        ticket_id TEXT NOT NULL REFERENCES tickets (ticket_id),
        state TEXT NOT NULL CHECK (state IN ('recorded', 'sending', 'printed', 'failed', 'possibly-printed')),
        byte_length INTEGER NOT NULL CHECK (byte_length >= 0),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        error TEXT NULL
      ) STRICT;
      CREATE INDEX print_jobs_by_ticket ON print_jobs (ticket_id);
      CREATE INDEX print_jobs_unfinished ON print_jobs (state) WHERE state IN ('recorded', 'sending');
    `);
    // A new epoch whenever the file is created: the portal keeps one push cursor per epoch.
    db.prepare('INSERT INTO kiosk_meta (id, db_epoch, created_at, last_seq) VALUES (1, ?, ?, 0)').run(
      randomUUID(),
      new Date().toISOString(),
    );
  },
};

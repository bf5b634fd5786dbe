import type { Migration } from './migration.js';

/**
 * Issue 7: daily sequences run to 9999 and bands come from 8001..9999 (`A8001`), so a band's
 * bounds are no longer capped at 999. Bands leased before (inside 1..999) are kept as they are.
 * SQLite cannot change a CHECK in place, so `number_bands` is rebuilt with its index.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'four-digit-bands',
  up(db) {
    db.exec(`
      CREATE TABLE number_bands_next (
        band_id TEXT PRIMARY KEY,
        service_id TEXT NOT NULL,
        business_day TEXT NOT NULL,
        first_sequence INTEGER NOT NULL CHECK (first_sequence BETWEEN 1 AND 9999),
        last_sequence INTEGER NOT NULL CHECK (last_sequence BETWEEN first_sequence AND 9999),
        next_sequence INTEGER NOT NULL CHECK (next_sequence BETWEEN first_sequence AND last_sequence + 1),
        leased_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO number_bands_next (band_id, service_id, business_day, first_sequence, last_sequence, next_sequence, leased_at)
        SELECT band_id, service_id, business_day, first_sequence, last_sequence, next_sequence, leased_at FROM number_bands;
      DROP TABLE number_bands;
      ALTER TABLE number_bands_next RENAME TO number_bands;
      CREATE INDEX number_bands_by_service_day ON number_bands (service_id, business_day, first_sequence);
    `);
  },
};

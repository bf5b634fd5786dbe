import type { Migration } from './migration.js';

/**
 * Issue 10, the hall manager's settings for this kiosk (services offered, idle timeout, elderly
 * age, the technician PIN as its scrypt hash), as the last pull gave them: one row, replaced in
 * the pull's transaction when they change. The kiosk's JSON configuration stands wherever a value
 * is null or there is no row (a portal of before).
 */
export const migration0008: Migration = {
  version: 8,
  name: 'kiosk-settings',
  up(db) {
    db.exec(`
      CREATE TABLE kiosk_settings (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL CHECK (version > 0),
        -- The portal's KioskSettings as it came, parsed again on read.
        body TEXT NOT NULL CHECK (json_valid(body)),
        pulled_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};

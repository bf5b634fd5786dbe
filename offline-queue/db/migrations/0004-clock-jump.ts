import type { Migration } from './migration.js';

/**
 * Issue 7: a measured portal clock offset that jumps beyond the configured limit is held, not
 * used for the business day, until a technician confirms it; the confirmation is audited.
 * `clock_offset_ms` stays the offset in use (the accepted one); the held one survives a restart.
 * SQLite cannot change a CHECK in place, so `audit_log` is rebuilt with the new action.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'clock-jump',
  up(db) {
    db.exec(`
      -- The measured offset held back from numbering, while it waits for a technician; NULL: none.
      ALTER TABLE sync_state ADD COLUMN pending_clock_offset_ms INTEGER NULL;

      CREATE TABLE audit_log_next (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 64),
        action TEXT NOT NULL CHECK (action IN
          ('login', 'logout', 'view-diagnostics', 'self-test', 'export-logs', 'reprint', 'confirm-clock')),
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'refused')),
        detail TEXT NOT NULL CHECK (length(detail) <= 300)
      ) STRICT;
      INSERT INTO audit_log_next (id, at, actor, action, outcome, detail)
        SELECT id, at, actor, action, outcome, detail FROM audit_log;
      DROP TABLE audit_log;
      ALTER TABLE audit_log_next RENAME TO audit_log;
      CREATE INDEX audit_log_by_time ON audit_log (at);
    `);
  },
};

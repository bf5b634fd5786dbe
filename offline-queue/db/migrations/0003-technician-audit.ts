import type { Migration } from './migration.js';

/**
 * Issue 4: the technician's audit log (who did what, when) and the PIN lockout, which must
 * survive a restart: pulling the plug must not buy a fresh set of guesses.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'technician-audit',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        -- Rows are never deleted, so the rowid alias never hands an id out twice (no AUTOINCREMENT:
        -- its sqlite_sequence table could not be STRICT).
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL CHECK (length(actor) BETWEEN 1 AND 64),
        action TEXT NOT NULL CHECK (action IN
          ('login', 'logout', 'view-diagnostics', 'self-test', 'export-logs', 'reprint')),
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed', 'refused')),
        detail TEXT NOT NULL CHECK (length(detail) <= 300)
      ) STRICT;
      CREATE INDEX audit_log_by_time ON audit_log (at);

      CREATE TABLE technician_lockout (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        -- Wrong PINs in a row since the last success or the last lockout.
        failures INTEGER NOT NULL CHECK (failures >= 0),
        locked_until TEXT NULL
      ) STRICT;
      INSERT INTO technician_lockout (id, failures, locked_until) VALUES (1, 0, NULL);
    `);
  },
};

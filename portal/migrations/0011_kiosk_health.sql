-- Issue 10 §2: every kiosk's health, as it reported it with its sync (portal/health/). Same rules
-- as 0001-0010: hall_id first in the primary key, every foreign key includes hall_id, every
-- statement touches one hall.
--
-- One row per kiosk: the latest report, replaced by the next. The portal's clock says when it
-- arrived (received_at, the kiosk's "last seen"); the kiosk's own stamp is kept beside it only to
-- measure the kiosk's clock. The checks repeat the contract's bounds
-- (common/contract/kiosk-health-api.ts): a row the rules read is never out of range.

CREATE TABLE kiosk_health (
  hall_id text NOT NULL,
  kiosk_id text NOT NULL,
  -- Portal clock when the latest report arrived.
  received_at timestamptz NOT NULL,
  -- The kiosk's clock when it made the report (audit, and the clock measurement below).
  reported_at timestamptz NOT NULL,
  -- received_at minus reported_at: the kiosk clock as the portal sees it.
  observed_clock_offset_ms bigint NOT NULL CHECK (abs(observed_clock_offset_ms) <= 3162240000000),
  app_version text NOT NULL CHECK (app_version ~ '^[0-9A-Za-z][0-9A-Za-z.+_-]{0,39}$'),
  pull_interval_ms integer NOT NULL CHECK (pull_interval_ms BETWEEN 1000 AND 3600000),
  printer_state text NOT NULL CHECK (printer_state IN ('ready', 'paper-near-end', 'paper-out', 'cover-open', 'offline', 'error', 'unknown')),
  printer_errors integer NOT NULL CHECK (printer_errors BETWEEN 0 AND 10000000),
  reader_state text NOT NULL CHECK (reader_state IN ('ready', 'not-configured', 'connecting', 'disconnected', 'fault')),
  reader_errors integer NOT NULL CHECK (reader_errors BETWEEN 0 AND 10000000),
  scanner_state text NOT NULL CHECK (scanner_state IN ('ready', 'not-configured', 'connecting', 'disconnected', 'fault')),
  scanner_errors integer NOT NULL CHECK (scanner_errors BETWEEN 0 AND 10000000),
  backlog integer NOT NULL CHECK (backlog BETWEEN 0 AND 10000000),
  -- Reports in a row in which the backlog grew (common/domain/kiosk-health.ts).
  backlog_growth_reports integer NOT NULL DEFAULT 0 CHECK (backlog_growth_reports >= 0),
  quarantined integer NOT NULL CHECK (quarantined BETWEEN 0 AND 10000000),
  clock_offset_ms bigint CHECK (abs(clock_offset_ms) <= 3162240000000),
  held_clock_offset_ms bigint CHECK (abs(held_clock_offset_ms) <= 3162240000000),
  data_free_bytes bigint CHECK (data_free_bytes BETWEEN 0 AND 1125899906842624),
  PRIMARY KEY (hall_id, kiosk_id),
  FOREIGN KEY (hall_id, kiosk_id) REFERENCES kiosks (hall_id, kiosk_id),
  CHECK (held_clock_offset_ms IS NULL OR clock_offset_ms IS NOT NULL)
);

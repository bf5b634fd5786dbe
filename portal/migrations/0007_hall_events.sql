-- Issue 8 §4: what happened in a hall, for its live pages (hall display, counter consoles).
-- Events are numbered per hall without gaps (`seq`, the Server-Sent Events id) and committed with
-- the change they describe (portal/realtime/emit-hall-event.ts); a page that lost the network asks
-- for the events after the last one it has (Last-Event-ID). Same rules as 0001-0006: hall_id first
-- in every key, every statement touches one hall.

-- The hall's last event number. Its row is locked by the transaction that emits, until commit:
-- two transactions of one hall take their numbers one after the other and commit in that order,
-- so a reader that sees event N sees every event before it.
CREATE TABLE hall_event_counters (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  last_seq bigint NOT NULL CHECK (last_seq >= 0),
  PRIMARY KEY (hall_id)
);

CREATE TABLE hall_events (
  hall_id text NOT NULL REFERENCES halls (hall_id),
  seq bigint NOT NULL CHECK (seq > 0),
  -- Database clock, taken when the event is written: the last statement of its transaction.
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  kind text NOT NULL CHECK (kind IN ('ticket.called', 'ticket.updated', 'queue.waiting', 'counter.updated', 'display.settings')),
  -- The event's payload as the contract (common/contract/hall-events.ts) checked it. No personal
  -- data beyond the ticket number: the rows are purged after two days.
  payload jsonb NOT NULL,
  PRIMARY KEY (hall_id, seq)
);

-- The display's snapshot reads the day's calls, newest first.
CREATE INDEX hall_events_calls ON hall_events (hall_id, at DESC) WHERE kind = 'ticket.called';
-- The purge looks for the oldest events of a hall.
CREATE INDEX hall_events_at ON hall_events (hall_id, at);

import type Database from 'better-sqlite3';

/** What the kiosk remembers between syncs (the single `sync_state` row). */
export interface StoredSyncState {
  /** The cursor the portal issued at the last pull; null before the first. */
  pullCursor: string | null;
  /** Hex HMAC-SHA256 key for citizen matching, from the pull. */
  citizenKey: string | null;
  kioskId: string | null;
  /** Marks this kiosk's fallback series, as the portal assigned it. */
  kioskDigit: number | null;
  /**
   * Portal clock minus kiosk clock as accepted: the business day is read with it. Follows the
   * measurements while they move within the configured limit (see accepted-clock-offset.ts).
   */
  clockOffsetMs: number | null;
  /** A measured offset beyond the limit, held until a technician confirms it; null: none. */
  pendingClockOffsetMs: number | null;
  lastPullAt: string | null;
  lastPushAt: string | null;
}

interface Row {
  pull_cursor: string | null;
  citizen_key: string | null;
  kiosk_id: string | null;
  kiosk_digit: number | null;
  clock_offset_ms: number | null;
  pending_clock_offset_ms: number | null;
  last_pull_at: string | null;
  last_push_at: string | null;
}

/** Statements on the `sync_state` row; the store runs them inside its transactions. */
export class SyncStateRow {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      get: db.prepare<[], Row>(
        'SELECT pull_cursor, citizen_key, kiosk_id, kiosk_digit, clock_offset_ms, pending_clock_offset_ms, last_pull_at, last_push_at ' +
          'FROM sync_state WHERE id = 1',
      ),
      savePull: db.prepare<{ cursor: string; key: string; kioskId: string; digit: number; at: string }>(
        'UPDATE sync_state SET pull_cursor = @cursor, citizen_key = @key, kiosk_id = @kioskId, kiosk_digit = @digit, ' +
          'last_pull_at = @at WHERE id = 1',
      ),
      clearCursor: db.prepare('UPDATE sync_state SET pull_cursor = NULL WHERE id = 1'),
      // Accepting an offset ends any hold: one statement, so the two never disagree on disk.
      clockOffset: db.prepare<[number]>('UPDATE sync_state SET clock_offset_ms = ?, pending_clock_offset_ms = NULL WHERE id = 1'),
      holdClockOffset: db.prepare<[number]>('UPDATE sync_state SET pending_clock_offset_ms = ? WHERE id = 1'),
      lastPush: db.prepare<[string]>('UPDATE sync_state SET last_push_at = ? WHERE id = 1'),
    };
  }

  get(): StoredSyncState {
    const r = this.stmt.get.get();
    if (!r) {
      return {
        pullCursor: null,
        citizenKey: null,
        kioskId: null,
        kioskDigit: null,
        clockOffsetMs: null,
        pendingClockOffsetMs: null,
        lastPullAt: null,
        lastPushAt: null,
      };
    }
    return {
      pullCursor: r.pull_cursor,
      citizenKey: r.citizen_key,
      kioskId: r.kiosk_id,
      kioskDigit: r.kiosk_digit,
      clockOffsetMs: r.clock_offset_ms,
      pendingClockOffsetMs: r.pending_clock_offset_ms,
      lastPullAt: r.last_pull_at,
      lastPushAt: r.last_push_at,
    };
  }

  savePull(p: { cursor: string; citizenKey: string; kioskId: string; kioskDigit: number; at: string }): void {
    this.stmt.savePull.run({ cursor: p.cursor, key: p.citizenKey, kioskId: p.kioskId, digit: p.kioskDigit, at: p.at });
  }

  clearCursor(): void {
    this.stmt.clearCursor.run();
  }

  /** The offset numbering uses from now on; any held offset is dropped with it. */
  recordClockOffset(offsetMs: number): void {
    this.stmt.clockOffset.run(Math.round(offsetMs));
  }

  /** A measured offset beyond the limit: kept beside the accepted one, which stays in use. */
  holdClockOffset(offsetMs: number): void {
    this.stmt.holdClockOffset.run(Math.round(offsetMs));
  }

  recordPush(at: string): void {
    this.stmt.lastPush.run(at);
  }
}

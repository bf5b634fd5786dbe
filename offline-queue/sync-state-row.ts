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
  /** Portal clock minus kiosk clock at the last measurement. */
  clockOffsetMs: number | null;
  lastPullAt: string | null;
  lastPushAt: string | null;
}

interface Row {
  pull_cursor: string | null;
  citizen_key: string | null;
  kiosk_id: string | null;
  kiosk_digit: number | null;
  clock_offset_ms: number | null;
  last_pull_at: string | null;
  last_push_at: string | null;
}

/** Statements on the `sync_state` row; the store runs them inside its transactions. */
export class SyncStateRow {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      get: db.prepare<[], Row>(
        'SELECT pull_cursor, citizen_key, kiosk_id, kiosk_digit, clock_offset_ms, last_pull_at, last_push_at FROM sync_state WHERE id = 1',
      ),
      savePull: db.prepare<{ cursor: string; key: string; kioskId: string; digit: number; at: string }>(
        'UPDATE sync_state SET pull_cursor = @cursor, citizen_key = @key, kiosk_id = @kioskId, kiosk_digit = @digit, ' +
          'last_pull_at = @at WHERE id = 1',
      ),
      clearCursor: db.prepare('UPDATE sync_state SET pull_cursor = NULL WHERE id = 1'),
      clockOffset: db.prepare<[number]>('UPDATE sync_state SET clock_offset_ms = ? WHERE id = 1'),
      lastPush: db.prepare<[string]>('UPDATE sync_state SET last_push_at = ? WHERE id = 1'),
    };
  }

  get(): StoredSyncState {
    const r = this.stmt.get.get();
    if (!r) {
      return { pullCursor: null, citizenKey: null, kioskId: null, kioskDigit: null, clockOffsetMs: null, lastPullAt: null, lastPushAt: null };
    }
    return {
      pullCursor: r.pull_cursor,
      citizenKey: r.citizen_key,
      kioskId: r.kiosk_id,
      kioskDigit: r.kiosk_digit,
      clockOffsetMs: r.clock_offset_ms,
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

  recordClockOffset(offsetMs: number): void {
    this.stmt.clockOffset.run(Math.round(offsetMs));
  }

  recordPush(at: string): void {
    this.stmt.lastPush.run(at);
  }
}

import type Database from 'better-sqlite3';
import { KioskSettings } from '../common/contract/kiosk-settings.js';

/**
 * What the hall manager set for this kiosk, as the last pull gave it (the single `kiosk_settings`
 * row). Statements only, run inside the pull's transaction; the store parses on read.
 */
export class KioskSettingsRow {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      get: db.prepare<[], string>('SELECT body FROM kiosk_settings WHERE id = 1').pluck(),
      save: db.prepare<[number, string, string]>(
        'INSERT INTO kiosk_settings (id, version, body, pulled_at) VALUES (1, ?, ?, ?) ' +
          'ON CONFLICT (id) DO UPDATE SET version = excluded.version, body = excluded.body, pulled_at = excluded.pulled_at',
      ),
    };
  }

  /**
   * Stores the pulled settings unless they are the ones stored already; true when they changed.
   * Whatever the portal says now is stored, a lower version too: a portal restored from a backup
   * is still the hall's word on this kiosk.
   */
  save(settings: KioskSettings, at: string): boolean {
    const body = JSON.stringify(settings);
    if (this.stmt.get.get() === body) return false;
    this.stmt.save.run(settings.version, body, at);
    return true;
  }

  /** The stored settings, or null (none pulled yet, or no longer fitting the schema). */
  read(): KioskSettings | null {
    const body = this.stmt.get.get();
    if (body === undefined) return null;
    const parsed = KioskSettings.safeParse(JSON.parse(body));
    if (!parsed.success) {
      console.warn('kiosk store: stored kiosk settings do not match the schema; the configuration file stands until the next pull');
      return null;
    }
    return parsed.data;
  }
}

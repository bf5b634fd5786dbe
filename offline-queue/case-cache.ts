import type Database from 'better-sqlite3';
import { z } from 'zod';
import { CaseView } from '../common/contract/cases-api.js';

/** A visitor's cases as the portal last answered them, and when. */
export interface CachedCases {
  cases: CaseView[];
  fetchedAt: string;
}

const CachedBody = z.array(CaseView);

/**
 * The last case list the portal gave for each citizen HMAC, so a kiosk that cannot reach the
 * portal still shows the visitor their cases, with their age. Personal data: purged with it
 * (retention.ts). Statements only.
 */
export class CaseCache {
  private readonly stmt;

  constructor(db: Database.Database) {
    this.stmt = {
      save: db.prepare<[string, string, string]>(
        'INSERT INTO case_cache (citizen_hmac, body, fetched_at) VALUES (?, ?, ?) ' +
          'ON CONFLICT (citizen_hmac) DO UPDATE SET body = excluded.body, fetched_at = excluded.fetched_at',
      ),
      load: db.prepare<[string], { body: string; fetched_at: string }>('SELECT body, fetched_at FROM case_cache WHERE citizen_hmac = ?'),
    };
  }

  save(citizenHmac: string, cases: readonly CaseView[], fetchedAt: string): void {
    this.stmt.save.run(citizenHmac, JSON.stringify(cases), fetchedAt);
  }

  /** Null when nothing is cached, or what is cached no longer fits the contract (then it is as good as nothing). */
  load(citizenHmac: string): CachedCases | null {
    const row = this.stmt.load.get(citizenHmac);
    if (!row) return null;
    const parsed = CachedBody.safeParse(JSON.parse(row.body));
    return parsed.success ? { cases: parsed.data, fetchedAt: row.fetched_at } : null;
  }
}

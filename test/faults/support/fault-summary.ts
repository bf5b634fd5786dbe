import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Where fault tests leave their results; set by scripts/run-faults.ts, else by the global setup. */
export const FAULTS_RESULTS_ENV = 'FAULTS_RESULTS_DIR';

/** What one fault test proved, for the one-line summary of `npm run test:faults`. */
export const FaultResult = z.object({
  test: z.string().regex(/^[a-z0-9-]+$/),
  /** SIGKILLs delivered to kiosk processes. */
  kills: z.number().int().nonnegative(),
  /** Events (tickets) the kiosks issued and had to deliver. */
  events: z.number().int().nonnegative(),
  /** Computed: things that should exist and do not (receipts not in the store, events missing at the portal...). */
  lost: z.number().int().nonnegative(),
  /** Computed: things that exist more than once (tickets, numbers, receipts, seqs). */
  duplicated: z.number().int().nonnegative(),
  /** Anything else worth reading (fault counters, timings). */
  details: z.record(z.string(), z.unknown()).default({}),
});
export type FaultResult = z.infer<typeof FaultResult>;

export function readFaultResults(dir: string): FaultResult[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names.map((n) => FaultResult.parse(JSON.parse(readFileSync(path.join(dir, n), 'utf8'))));
}

/** The one line `npm run test:faults` ends with. */
export function faultsSummaryLine(results: readonly FaultResult[]): string {
  const sum = (key: 'kills' | 'events' | 'lost' | 'duplicated'): number => results.reduce((s, r) => s + r[key], 0);
  return `faults: kills=${sum('kills')} events=${sum('events')} lost=${sum('lost')} duplicated=${sum('duplicated')}`;
}

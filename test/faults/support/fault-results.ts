import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import type { z } from 'zod';
import { FAULTS_RESULTS_ENV, FaultResult } from './fault-summary.js';

declare module 'vitest' {
  export interface ProvidedContext {
    faultsResultsDir: string;
  }
}

function resultsDir(): string | null {
  const fromEnv = process.env[FAULTS_RESULTS_ENV];
  if (fromEnv) return fromEnv;
  try {
    return inject('faultsResultsDir') ?? null;
  } catch {
    return null; // not under vitest's runner, or no global setup
  }
}

/** Writes a fault test's result where the summary line will find it (nothing when nobody collects). */
export function recordFaultResult(result: z.input<typeof FaultResult>): void {
  const checked = FaultResult.parse(result);
  const dir = resultsDir();
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${checked.test}.json`), `${JSON.stringify(checked)}\n`);
}

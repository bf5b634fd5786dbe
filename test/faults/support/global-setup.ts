/**
 * Global setup of the vitest `faults` project: gives the tests a folder for their results and,
 * when nobody else will (scripts/run-faults.ts does it itself), prints the summary line at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { FAULTS_RESULTS_ENV, faultsSummaryLine, readFaultResults } from './fault-summary.js';

export default function setup(project: TestProject): () => void {
  const external = process.env[FAULTS_RESULTS_ENV];
  const dir = external || mkdtempSync(path.join(os.tmpdir(), 'hall-kiosk-faults-'));
  project.provide('faultsResultsDir', dir);
  return () => {
    if (external) return;
    console.log(faultsSummaryLine(readFaultResults(dir)));
    rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * `npm run test:faults`: runs the vitest `faults` project (power cut, network chaos, sync model,
 * long outage), passing its output and exit code through, then prints one last line aggregated
 * from the results the tests wrote: `faults: kills=N events=N lost=N duplicated=N`.
 * Extra arguments go to vitest (e.g. a file filter). FAULT_KILLS sets the power-cut test's kill
 * count (default 202; `FAULT_KILLS=1000 npm run test:faults` for a hall's scale); a bad value is
 * refused here, before anything starts.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { faultKills, FaultKillsError } from '../test/faults/support/fault-kills.js';
import { FAULTS_RESULTS_ENV, faultsSummaryLine, readFaultResults } from '../test/faults/support/fault-summary.js';

try {
  faultKills();
} catch (err) {
  if (!(err instanceof FaultKillsError)) throw err;
  console.error(`test:faults: ${err.message}`);
  process.exit(2);
}

const repoRoot = path.resolve(import.meta.dirname, '..');
const vitestBin = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'hall-kiosk-faults-'));

const child = spawn(process.execPath, [vitestBin, 'run', '--project', 'faults', ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: { ...process.env, [FAULTS_RESULTS_ENV]: resultsDir },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => child.kill(signal));
}

child.once('exit', (code, signal) => {
  let line: string;
  try {
    line = faultsSummaryLine(readFaultResults(resultsDir));
  } finally {
    rmSync(resultsDir, { recursive: true, force: true });
  }
  console.log(line);
  process.exit(code ?? (signal ? 1 : 0));
});

/**
 * Runs fuzz targets over numbered inputs and reports what broke (issue 7 §10). Input `i` of a
 * target is generated from (seed, target, i) alone, so a plan can be cut into shards run by
 * different workers and any finding replayed on its own. A crash is anything a runner throws
 * (the parser's own throw, an 'error' event, or a broken oracle); a hang is an input whose run
 * took longer than `hangMs`, measured, twice in a row (a second run on a fresh parser rules out a
 * pause of a busy machine). A run that never returns is the caller's to catch (scripts/run-fuzz.ts
 * watches its workers).
 */
import { inputRandom } from './fuzz-random.js';
import type { FuzzTarget } from './fuzz-target.js';
import { escPosStatusTarget } from './targets/escpos-status.js';
import { idCardTextTarget } from './targets/id-card-text.js';
import { samFrameTarget } from './targets/sam-frames.js';
import { scanLineTarget } from './targets/scan-lines.js';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  samFrameTarget('reply') as FuzzTarget,
  samFrameTarget('command') as FuzzTarget,
  idCardTextTarget as FuzzTarget,
  scanLineTarget as FuzzTarget,
  escPosStatusTarget as FuzzTarget,
];

export const DEFAULT_FUZZ_SEED = 7_10_2025;
export const DEFAULT_HANG_MS = 1_000;
/** Findings kept per shard with their reproducer (all are counted). */
const KEPT_FINDINGS = 20;

export interface FuzzShard {
  target: string;
  /** Input indexes [from, to). */
  from: number;
  to: number;
}

export interface FuzzFinding {
  kind: 'crash' | 'hang';
  target: string;
  seed: number;
  /** The input's index; null for a fault found when the long-lived parser was ended. */
  index: number | null;
  message: string;
  /** The input, as the target describes it (hex for bytes). */
  input: string;
  ms?: number;
}

export interface FuzzTargetReport {
  target: string;
  inputs: number;
  crashes: number;
  hangs: number;
  accepted: number;
  rejected: Record<string, number>;
  maxBufferBytes: number;
  slowestMs: number;
  slowestIndex: number | null;
  elapsedMs: number;
  findings: FuzzFinding[];
}

export interface FuzzRunOptions {
  seed: number;
  hangMs?: number;
  /** Called before each input (the worker's watchdog reads it). */
  onInput?: (index: number) => void;
  /** Where target names are looked up; default FUZZ_TARGETS (tests bring their own). */
  targets?: readonly FuzzTarget[];
}

export function fuzzTarget(name: string, targets: readonly FuzzTarget[] = FUZZ_TARGETS): FuzzTarget {
  const target = targets.find((t) => t.name === name);
  if (!target) throw new RangeError(`no fuzz target '${name}' (targets: ${targets.map((t) => t.name).join(', ')})`);
  return target;
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const frames = (err.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim());
  const cause = err.cause instanceof Error ? ` (cause: ${err.cause.name}: ${err.cause.message})` : '';
  return [`${err.name}: ${err.message}${cause}`, ...frames].join(' | ');
}

/** Runs one shard; never throws for what the inputs do. */
export function runShard(shard: FuzzShard, options: FuzzRunOptions): FuzzTargetReport {
  const target = fuzzTarget(shard.target, options.targets);
  const hangMs = options.hangMs ?? DEFAULT_HANG_MS;
  const runner = target.createRunner();
  const report: FuzzTargetReport = {
    target: target.name,
    inputs: 0,
    crashes: 0,
    hangs: 0,
    accepted: 0,
    rejected: {},
    maxBufferBytes: 0,
    slowestMs: 0,
    slowestIndex: null,
    elapsedMs: 0,
    findings: [],
  };
  const find = (finding: Omit<FuzzFinding, 'seed' | 'target'>): void => {
    if (finding.kind === 'crash') report.crashes++;
    else report.hangs++;
    if (report.findings.length < KEPT_FINDINGS) report.findings.push({ ...finding, target: target.name, seed: options.seed });
  };
  const started = performance.now();

  for (let index = shard.from; index < shard.to; index++) {
    options.onInput?.(index);
    const input = target.generate(inputRandom(options.seed, target.name, index));
    const t0 = performance.now();
    let failure: unknown = null;
    try {
      runner.run(input);
    } catch (err) {
      failure = err;
    }
    const ms = performance.now() - t0;
    report.inputs++;
    if (failure !== null) find({ kind: 'crash', index, message: describeError(failure), input: target.describe(input) });
    if (ms > report.slowestMs) {
      report.slowestMs = ms;
      report.slowestIndex = index;
    }
    if (ms > hangMs) {
      const again = performance.now();
      try {
        target.createRunner().run(input);
      } catch {
        // Already counted as a crash when it is one.
      }
      const msAgain = performance.now() - again;
      if (msAgain > hangMs) find({ kind: 'hang', index, message: `took ${Math.round(ms)} ms, then ${Math.round(msAgain)} ms on a fresh parser (limit ${hangMs} ms)`, input: target.describe(input), ms });
    }
  }
  try {
    runner.close();
  } catch (err) {
    find({ kind: 'crash', index: null, message: `ending the long-lived parser: ${describeError(err)}`, input: `inputs ${shard.from}..${shard.to - 1}` });
  }

  report.elapsedMs = performance.now() - started;
  report.accepted = runner.counters.accepted;
  report.rejected = { ...runner.counters.rejected };
  report.maxBufferBytes = runner.counters.maxBufferBytes;
  return report;
}

/** Replays one input on a fresh parser: what it throws (null if nothing) and how long it took. */
export function replayInput(
  targetName: string,
  seed: number,
  index: number,
  targets: readonly FuzzTarget[] = FUZZ_TARGETS,
): { input: string; error: string | null; ms: number } {
  const target = fuzzTarget(targetName, targets);
  const input = target.generate(inputRandom(seed, target.name, index));
  const t0 = performance.now();
  let error: string | null = null;
  try {
    target.createRunner().run(input);
  } catch (err) {
    error = describeError(err);
  }
  return { input: target.describe(input), error, ms: performance.now() - t0 };
}

/** Cuts `counts` (inputs per target) into `parts` contiguous shards per target. */
export function planShards(counts: Readonly<Record<string, number>>, parts: number): FuzzShard[][] {
  const plans: FuzzShard[][] = Array.from({ length: parts }, () => []);
  for (const [target, count] of Object.entries(counts)) {
    for (let p = 0; p < parts; p++) {
      const from = Math.floor((count * p) / parts);
      const to = Math.floor((count * (p + 1)) / parts);
      if (to > from) plans[p]?.push({ target, from, to });
    }
  }
  return plans;
}

export interface FuzzTotals {
  inputs: number;
  crashes: number;
  hangs: number;
  maxBufferBytes: number;
}

export function fuzzTotals(reports: readonly FuzzTargetReport[], extra: { crashes?: number; hangs?: number } = {}): FuzzTotals {
  return {
    inputs: reports.reduce((s, r) => s + r.inputs, 0),
    crashes: reports.reduce((s, r) => s + r.crashes, 0) + (extra.crashes ?? 0),
    hangs: reports.reduce((s, r) => s + r.hangs, 0) + (extra.hangs ?? 0),
    maxBufferBytes: reports.reduce((m, r) => Math.max(m, r.maxBufferBytes), 0),
  };
}

/** The one line `npm run test:fuzz` ends with. */
export function fuzzSummaryLine(t: FuzzTotals): string {
  return `fuzz: inputs=${t.inputs} crashes=${t.crashes} hangs=${t.hangs} max_buffer_bytes=${t.maxBufferBytes}`;
}

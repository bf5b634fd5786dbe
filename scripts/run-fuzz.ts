/**
 * `npm run test:fuzz` (issue 7 §10): drives the SAM frame parsers, the ID card text decoder, the
 * scanner's line parser and the ESC/POS status parser with 1,000,000 seeded random and mutated
 * inputs (test/fuzz/), on worker threads, and ends with exactly one line on stdout:
 *   fuzz: inputs=N crashes=N hangs=N max_buffer_bytes=N
 * Everything else (progress, per-target counts, reproducers) goes to stderr. Exits 1 on any crash
 * or hang, 2 on bad arguments.
 *
 * Options (flags win over the environment):
 *   --seed N        FUZZ_SEED     run seed (default 7102025); the same seed gives the same inputs
 *   --inputs N      FUZZ_INPUTS   total inputs, shared out in the default proportions
 *   --workers N     FUZZ_WORKERS  worker threads (default: 2, or 1 on a single core)
 *   --hang-ms N                   an input slower than this, twice, is a hang (default 1000)
 *   --stall-ms N                  a worker that starts no input for this long is stuck (default 20000)
 *   --replay T:I                  runs input I of target T alone and prints it (hex) and what it threw
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import {
  DEFAULT_FUZZ_SEED,
  DEFAULT_HANG_MS,
  FUZZ_TARGETS,
  fuzzSummaryLine,
  fuzzTarget,
  fuzzTotals,
  planShards,
  replayInput,
  type FuzzFinding,
  type FuzzShard,
  type FuzzTargetReport,
} from '../test/fuzz/fuzz-engine.js';
import { inputRandom } from '../test/fuzz/fuzz-random.js';
import {
  PROGRESS_CELLS,
  PROGRESS_INDEX,
  PROGRESS_SHARD,
  PROGRESS_STARTED,
  type FuzzWorkerData,
  type FuzzWorkerResult,
} from '../test/fuzz/fuzz-protocol.js';

/**
 * Inputs per target for the default million: the decoders are cheap per input, the framers cost
 * more (every input is a stream, ended and checked byte for byte), so they get fewer but longer ones.
 */
const DEFAULT_COUNTS: Readonly<Record<string, number>> = {
  'sam-reply': 220_000,
  'sam-command': 80_000,
  'id-card-text': 330_000,
  'scan-line': 150_000,
  'escpos-status': 220_000,
};
const DEFAULT_TOTAL = Object.values(DEFAULT_COUNTS).reduce((s, n) => s + n, 0);
const PROGRESS_EVERY_MS = 10_000;

const Count = z.coerce.number().int();
const Options = z.object({
  seed: Count.min(0).max(0xffff_ffff).default(DEFAULT_FUZZ_SEED),
  inputs: Count.min(FUZZ_TARGETS.length).max(100_000_000).default(DEFAULT_TOTAL),
  workers: Count.min(1).max(64).default(Math.min(2, os.availableParallelism())),
  hangMs: Count.min(1).default(DEFAULT_HANG_MS),
  stallMs: Count.min(1_000).default(20_000),
  replay: z
    .string()
    .regex(/^[a-z-]+:\d+$/, 'expected <target>:<index>')
    .optional(),
});
type Options = z.infer<typeof Options>;

function parseOptions(): Options {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      seed: { type: 'string' },
      inputs: { type: 'string' },
      workers: { type: 'string' },
      'hang-ms': { type: 'string' },
      'stall-ms': { type: 'string' },
      replay: { type: 'string' },
    },
    strict: true,
  });
  const env = process.env;
  return Options.parse({
    seed: values.seed ?? (env.FUZZ_SEED || undefined),
    inputs: values.inputs ?? (env.FUZZ_INPUTS || undefined),
    workers: values.workers ?? (env.FUZZ_WORKERS || undefined),
    hangMs: values['hang-ms'],
    stallMs: values['stall-ms'],
    replay: values.replay,
  });
}

/** The default proportions scaled to `total` (the rounding goes to the first target). */
function countsFor(total: number): Record<string, number> {
  const counts: Record<string, number> = {};
  let given = 0;
  for (const [target, n] of Object.entries(DEFAULT_COUNTS)) {
    counts[target] = Math.max(1, Math.floor((n * total) / DEFAULT_TOTAL));
    given += counts[target];
  }
  const first = Object.keys(DEFAULT_COUNTS)[0] ?? 'sam-reply';
  counts[first] = (counts[first] ?? 0) + Math.max(0, total - given);
  return counts;
}

function printFinding(f: FuzzFinding): void {
  console.error(`fuzz: ${f.kind.toUpperCase()} in ${f.target}, input ${f.index ?? '(long-lived parser)'} of seed ${f.seed}: ${f.message}`);
  console.error(`  input: ${f.input.length > 20_000 ? `${f.input.slice(0, 20_000)}… (${f.input.length} chars)` : f.input}`);
  if (f.index !== null) console.error(`  replay: npm run test:fuzz -- --seed ${f.seed} --replay ${f.target}:${f.index}`);
}

/** Starts a worker on a TypeScript entry (tsx's loader registered inside the thread). */
function startWorker(data: FuzzWorkerData): Worker {
  const entry = new URL('../test/fuzz/fuzz-worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const source = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(entry)});`;
  return new Worker(source, { eval: true, workerData: data });
}

interface WorkerRun {
  plan: FuzzShard[];
  cells: Int32Array;
  worker: Worker;
  done: Promise<FuzzTargetReport[] | null>;
  lastStarted: number;
  lastMovedAt: number;
  stuck: boolean;
}

async function fuzz(options: Options): Promise<number> {
  const plans = planShards(countsFor(options.inputs), options.workers).filter((p) => p.length > 0);
  const started = performance.now();
  console.error(`fuzz: ${options.inputs} inputs over ${FUZZ_TARGETS.map((t) => t.name).join(', ')}; seed ${options.seed}, ${plans.length} worker(s)`);

  const runs: WorkerRun[] = plans.map((plan) => {
    const progress = new SharedArrayBuffer(PROGRESS_CELLS * Int32Array.BYTES_PER_ELEMENT);
    const worker = startWorker({ seed: options.seed, hangMs: options.hangMs, shards: plan, progress });
    const done = new Promise<FuzzTargetReport[] | null>((resolve, reject) => {
      worker.once('message', (result: FuzzWorkerResult) => resolve(result.reports));
      worker.once('error', reject);
      // Terminated by the watchdog (or died without answering): its reports are lost.
      worker.once('exit', () => resolve(null));
    });
    return { plan, cells: new Int32Array(progress), worker, done, lastStarted: 0, lastMovedAt: performance.now(), stuck: false };
  });
  const stopAll = (): void => {
    for (const run of runs) void run.worker.terminate();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopAll();
      process.exit(130);
    });
  }

  // The watchdog: a worker whose input count stands still for stallMs is stuck inside one input.
  let lastProgress = performance.now();
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const run of runs) {
      const startedInputs = Atomics.load(run.cells, PROGRESS_STARTED);
      if (startedInputs !== run.lastStarted) {
        run.lastStarted = startedInputs;
        run.lastMovedAt = now;
      } else if (!run.stuck && startedInputs > 0 && now - run.lastMovedAt > options.stallMs) {
        run.stuck = true;
        const shard = run.plan[Atomics.load(run.cells, PROGRESS_SHARD)];
        const index = Atomics.load(run.cells, PROGRESS_INDEX);
        if (shard) {
          const target = fuzzTarget(shard.target);
          const input = target.describe(target.generate(inputRandom(options.seed, target.name, index)));
          printFinding({ kind: 'hang', target: target.name, seed: options.seed, index, message: `no progress for ${options.stallMs} ms: stuck in this input`, input });
        }
        void run.worker.terminate();
      }
    }
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      const done = runs.reduce((s, r) => s + Atomics.load(r.cells, PROGRESS_STARTED), 0);
      console.error(`fuzz: ${done}/${options.inputs} inputs, ${Math.round((now - started) / 1000)} s`);
    }
  }, 250);

  let results: (FuzzTargetReport[] | null)[];
  try {
    results = await Promise.all(runs.map((r) => r.done));
  } finally {
    clearInterval(watchdog);
  }

  const reports = results.flatMap((r) => r ?? []);
  // A stuck worker's inputs still count (its report is lost with it); so does the hang.
  const lost = runs.filter((_, i) => results[i] === null);
  const stuck = lost.filter((r) => r.stuck).length;
  const died = lost.length - stuck;
  const totals = fuzzTotals(reports, { hangs: stuck, crashes: died });
  totals.inputs += lost.reduce((s, r) => s + Atomics.load(r.cells, PROGRESS_STARTED), 0);
  if (died > 0) console.error(`fuzz: ${died} worker(s) ended without a report (a crash that took the thread down)`);

  for (const r of mergeByTarget(reports)) {
    console.error(
      `fuzz: ${JSON.stringify({ target: r.target, inputs: r.inputs, crashes: r.crashes, hangs: r.hangs, accepted: r.accepted, rejected: r.rejected, maxBufferBytes: r.maxBufferBytes, slowestMs: Math.round(r.slowestMs * 10) / 10, slowestIndex: r.slowestIndex, seconds: Math.round(r.elapsedMs / 100) / 10 })}`,
    );
  }
  for (const f of reports.flatMap((r) => r.findings)) printFinding(f);
  console.error(`fuzz: done in ${Math.round((performance.now() - started) / 100) / 10} s`);
  console.log(fuzzSummaryLine(totals));
  return totals.crashes > 0 || totals.hangs > 0 ? 1 : 0;
}

function mergeByTarget(reports: readonly FuzzTargetReport[]): FuzzTargetReport[] {
  const byTarget = new Map<string, FuzzTargetReport>();
  for (const r of reports) {
    const into = byTarget.get(r.target);
    if (!into) {
      byTarget.set(r.target, { ...r, rejected: { ...r.rejected }, findings: [...r.findings] });
      continue;
    }
    into.inputs += r.inputs;
    into.crashes += r.crashes;
    into.hangs += r.hangs;
    into.accepted += r.accepted;
    for (const [code, n] of Object.entries(r.rejected)) into.rejected[code] = (into.rejected[code] ?? 0) + n;
    into.maxBufferBytes = Math.max(into.maxBufferBytes, r.maxBufferBytes);
    into.elapsedMs += r.elapsedMs;
    if (r.slowestMs > into.slowestMs) {
      into.slowestMs = r.slowestMs;
      into.slowestIndex = r.slowestIndex;
    }
  }
  return [...byTarget.values()];
}

function replay(options: Options, spec: string): number {
  const [target = '', index = ''] = spec.split(':');
  const result = replayInput(target, options.seed, Number(index));
  console.error(`fuzz: ${target} input ${index} of seed ${options.seed}: ${result.input}`);
  console.error(result.error ? `fuzz: it throws: ${result.error}` : 'fuzz: it passes');
  console.error(`fuzz: ${Math.round(result.ms)} ms`);
  const hang = result.ms > options.hangMs ? 1 : 0;
  console.log(fuzzSummaryLine({ inputs: 1, crashes: result.error ? 1 : 0, hangs: hang, maxBufferBytes: 0 }));
  return result.error || hang ? 1 : 0;
}

let options: Options;
try {
  options = parseOptions();
  if (options.replay) fuzzTarget(options.replay.split(':')[0] ?? '');
} catch (err) {
  console.error(`test:fuzz: ${err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
process.exitCode = options.replay ? replay(options, options.replay) : await fuzz(options);

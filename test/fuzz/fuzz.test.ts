/**
 * The fuzzer in `npm test`: a small run of every target (20,000 inputs, the same seed as
 * `npm run test:fuzz`, whose million inputs are too slow for the unit project), and the engine
 * itself, shown to catch what it claims to catch.
 */
import { describe, expect, it } from 'vitest';
import { IdCardTextErrorCode } from '../../devices/id-card/id-card-text.js';
import { SamFrameErrorCode } from '../../devices/id-card/sam-frame-codec.js';
import { ScanErrorCode } from '../../devices/scanner/scan-line-parser.js';
import {
  DEFAULT_FUZZ_SEED,
  fuzzSummaryLine,
  fuzzTotals,
  planShards,
  replayInput,
  runShard,
  type FuzzTargetReport,
} from './fuzz-engine.js';
import { int, randomBytes } from './fuzz-random.js';
import { check, newCounters, type FuzzTarget } from './fuzz-target.js';
import { SAM_BUFFER_BOUND } from './targets/sam-frames.js';
import { SCAN_MAX_LENGTH } from './targets/scan-lines.js';

/** 20,000 in all, in about the proportions of the full run. */
const SMALL_RUN: Record<string, number> = {
  'sam-reply': 4_000,
  'sam-command': 1_500,
  'id-card-text': 7_000,
  'scan-line': 3_000,
  'escpos-status': 4_500,
};
/** A busy machine runs the small run slowly; the per-input hang limit stays the real one. */
const SMALL_RUN_TIMEOUT_MS = 180_000;

function run(target: string): FuzzTargetReport {
  const report = runShard({ target, from: 0, to: SMALL_RUN[target] ?? 0 }, { seed: DEFAULT_FUZZ_SEED });
  // The reproducers, should it fail: the same lines `npm run test:fuzz` prints.
  for (const f of report.findings) console.error(`${f.kind} in ${f.target} input ${f.index}: ${f.message}\n  input: ${f.input.slice(0, 2_000)}`);
  return report;
}

describe('fuzz (small run of npm run test:fuzz)', () => {
  it('SAM replies: no crash or hang, bounded, every fault kind met and frames found', () => {
    const r = run('sam-reply');
    expect(r.inputs).toBe(SMALL_RUN['sam-reply']);
    expect({ crashes: r.crashes, hangs: r.hangs }).toEqual({ crashes: 0, hangs: 0 });
    expect(r.maxBufferBytes).toBeGreaterThan(4_000);
    expect(r.maxBufferBytes).toBeLessThanOrEqual(SAM_BUFFER_BOUND);
    expect(r.accepted).toBeGreaterThan(r.inputs);
    for (const code of Object.values(SamFrameErrorCode)) expect(r.rejected[code] ?? 0, code).toBeGreaterThan(0);
  }, SMALL_RUN_TIMEOUT_MS);

  it('SAM commands: no crash or hang, bounded', () => {
    const r = run('sam-command');
    expect({ crashes: r.crashes, hangs: r.hangs }).toEqual({ crashes: 0, hangs: 0 });
    expect(r.maxBufferBytes).toBeLessThanOrEqual(SAM_BUFFER_BOUND);
    expect(r.accepted).toBeGreaterThan(0);
  }, SMALL_RUN_TIMEOUT_MS);

  it('ID card text: no crash, cards decoded and every rejection code met', () => {
    const r = run('id-card-text');
    expect({ crashes: r.crashes, hangs: r.hangs }).toEqual({ crashes: 0, hangs: 0 });
    expect(r.accepted).toBeGreaterThan(r.inputs / 20);
    for (const code of Object.values(IdCardTextErrorCode)) expect(r.rejected[code] ?? 0, code).toBeGreaterThan(0);
  }, SMALL_RUN_TIMEOUT_MS);

  it('scanner lines: no crash or hang, bounded by the code limit, both faults met', () => {
    const r = run('scan-line');
    expect({ crashes: r.crashes, hangs: r.hangs }).toEqual({ crashes: 0, hangs: 0 });
    expect(r.maxBufferBytes).toBe(SCAN_MAX_LENGTH);
    expect(r.accepted).toBeGreaterThan(r.inputs);
    for (const code of Object.values(ScanErrorCode)) expect(r.rejected[code] ?? 0, code).toBeGreaterThan(0);
  }, SMALL_RUN_TIMEOUT_MS);

  it('ESC/POS status: no crash, well-formed replies read and the others refused', () => {
    const r = run('escpos-status');
    expect({ crashes: r.crashes, hangs: r.hangs }).toEqual({ crashes: 0, hangs: 0 });
    expect(r.accepted).toBeGreaterThan(r.inputs / 3);
    expect(r.rejected['bad-frame'] ?? 0).toBeGreaterThan(r.inputs / 10);
  }, SMALL_RUN_TIMEOUT_MS);
});

/** A parser that breaks on purpose: throws on inputs starting 0xEE, is slow on 0xDD, lies on 0xCC. */
function brokenTarget(slowMs: number): FuzzTarget<Buffer> {
  const busy = (ms: number): void => {
    const until = performance.now() + ms;
    while (performance.now() < until) {
      // spinning: a hang the engine must measure
    }
  };
  return {
    name: 'broken',
    generate: (r) => Buffer.concat([Buffer.from([[0xee, 0xdd, 0xcc, 0x00][int(r, 0, 3)] ?? 0]), randomBytes(r, int(r, 0, 8))]),
    describe: (b) => b.toString('hex'),
    createRunner: () => ({
      counters: newCounters(),
      run(input) {
        if (input[0] === 0xee) throw new TypeError('cannot read properties of undefined');
        if (input[0] === 0xdd) busy(slowMs);
        check(input[0] !== 0xcc, () => 'emitted a frame that is not in the input');
      },
      close() {},
    }),
  };
}

describe('fuzz engine', () => {
  it('counts a throw and a broken oracle as crashes, with the input and how to replay it', () => {
    const targets = [brokenTarget(0)];
    const r = runShard({ target: 'broken', from: 0, to: 400 }, { seed: 1, targets });
    expect(r.inputs).toBe(400);
    // About a quarter each; the seeded draw makes it exact and stable.
    expect(r.crashes).toBeGreaterThan(150);
    expect(r.hangs).toBe(0);
    const typeError = r.findings.find((f) => f.message.startsWith('TypeError'));
    const oracle = r.findings.find((f) => f.message.startsWith('FuzzOracleError'));
    expect(typeError?.input.startsWith('ee')).toBe(true);
    expect(oracle?.input.startsWith('cc')).toBe(true);
    // The reproducer: the same (seed, target, index) gives the same input and the same failure.
    const again = replayInput('broken', 1, typeError?.index ?? -1, targets);
    expect(again.input).toBe(typeError?.input);
    expect(again.error).toMatch(/^TypeError: cannot read properties of undefined/);
  });

  it('counts an input over the time limit, twice, as a hang', () => {
    const r = runShard({ target: 'broken', from: 0, to: 40 }, { seed: 2, hangMs: 20, targets: [brokenTarget(40)] });
    expect(r.hangs).toBeGreaterThan(0);
    const hang = r.findings.find((f) => f.kind === 'hang');
    expect(hang?.input.startsWith('dd')).toBe(true);
    expect(hang?.message).toMatch(/took \d+ ms, then \d+ ms on a fresh parser \(limit 20 ms\)/);
  });

  it('draws the same inputs for the same seed and index, whatever ran before', () => {
    const a = replayInput('sam-reply', 5, 1_234);
    expect(replayInput('sam-reply', 5, 1_234).input).toBe(a.input);
    expect(replayInput('sam-reply', 5, 1_235).input).not.toBe(a.input);
    expect(replayInput('sam-reply', 6, 1_234).input).not.toBe(a.input);
  });

  it('cuts a plan into shards that cover every input once', () => {
    const plans = planShards({ a: 10, b: 3 }, 2);
    const covered = (t: string): number[] => plans.flat().filter((s) => s.target === t).flatMap((s) => Array.from({ length: s.to - s.from }, (_, i) => s.from + i));
    expect(covered('a').sort((x, y) => x - y)).toEqual([...Array(10).keys()]);
    expect(covered('b').sort((x, y) => x - y)).toEqual([0, 1, 2]);
  });

  it('ends with the one summary line', () => {
    const report = (maxBufferBytes: number, crashes: number): FuzzTargetReport => ({
      target: 't', inputs: 10, crashes, hangs: 0, accepted: 0, rejected: {}, maxBufferBytes, slowestMs: 0, slowestIndex: null, elapsedMs: 0, findings: [],
    });
    expect(fuzzSummaryLine(fuzzTotals([report(4_103, 0), report(2_048, 1)], { hangs: 1 }))).toBe('fuzz: inputs=20 crashes=1 hangs=1 max_buffer_bytes=4103');
  });
});

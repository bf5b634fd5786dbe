/** A worker thread of scripts/run-fuzz.ts: runs its shards, one after another, and answers their reports. */
import { parentPort, workerData } from 'node:worker_threads';
import { runShard } from './fuzz-engine.js';
import { PROGRESS_CELLS, PROGRESS_INDEX, PROGRESS_SHARD, PROGRESS_STARTED, type FuzzWorkerData, type FuzzWorkerResult } from './fuzz-protocol.js';

const data = workerData as FuzzWorkerData;
// The parsers' coded faults are events built as Errors whose stacks nobody reads: capturing ten
// frames each was half of a SAM input's cost. Four still place a crash (its report shows three).
Error.stackTraceLimit = 4;
const cells = new Int32Array(data.progress, 0, PROGRESS_CELLS);

const reports = data.shards.map((shard, s) =>
  runShard(shard, {
    seed: data.seed,
    hangMs: data.hangMs,
    onInput: (index) => {
      Atomics.store(cells, PROGRESS_SHARD, s);
      Atomics.store(cells, PROGRESS_INDEX, index);
      Atomics.add(cells, PROGRESS_STARTED, 1);
    },
  }),
);
const result: FuzzWorkerResult = { reports };
parentPort?.postMessage(result);

import type { FuzzShard, FuzzTargetReport } from './fuzz-engine.js';

/** What scripts/run-fuzz.ts hands a worker thread. */
export interface FuzzWorkerData {
  seed: number;
  hangMs: number;
  shards: FuzzShard[];
  /**
   * Int32 cells the worker writes before every input, the watchdog reads: the shard and input
   * index under way, and how many inputs it has started. A worker stuck in one input stops
   * moving them, and the parent can name that input without asking the stuck thread.
   */
  progress: SharedArrayBuffer;
}

export const PROGRESS_SHARD = 0;
export const PROGRESS_INDEX = 1;
export const PROGRESS_STARTED = 2;
export const PROGRESS_CELLS = 3;

/** What a worker answers when its shards are done. */
export interface FuzzWorkerResult {
  reports: FuzzTargetReport[];
}

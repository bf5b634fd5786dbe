import { LaneFull, type Lane } from './concurrency-lane.js';

/**
 * Lookups by key, gathered into batches that each take one slot of a lane: while a batch is in
 * the database the keys asked for meanwhile wait, and the next free slot looks all of them up in
 * one query. A lane of two slots behind a busy connection pool then still recognises hundreds of
 * kiosks a second (one at a time, each waiting its turn for a connection, it managed a handful),
 * and a flood of keys costs one query per batch, not one per key.
 *
 * At most `maxWaiting` keys wait: past that a lookup is refused at once (`LaneFull`).
 */
export interface BatchedLookupOptions {
  maxBatch: number;
  maxWaiting: number;
}

interface Waiter<V> {
  resolve: (value: V | null) => void;
  reject: (err: unknown) => void;
}

export function createBatchedLookup<V>(
  lane: Lane,
  findMany: (keys: string[]) => Promise<Map<string, V>>,
  options: BatchedLookupOptions,
): (key: string) => Promise<V | null> {
  const waiting = new Map<string, Waiter<V>[]>();
  let scheduled = false;

  const failAll = (err: unknown): void => {
    const all = [...waiting.values()].flat();
    waiting.clear();
    for (const w of all) w.reject(err);
  };

  // Runs in a lane slot: takes what is waiting now, so keys asked for until the slot came are in.
  const drain = async (): Promise<void> => {
    scheduled = false;
    const batch = [...waiting].slice(0, options.maxBatch);
    for (const [key] of batch) waiting.delete(key);
    if (waiting.size > 0) schedule();
    if (batch.length === 0) return;
    try {
      const found = await findMany(batch.map(([key]) => key));
      for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key) ?? null);
    } catch (err) {
      for (const [, waiters] of batch) for (const w of waiters) w.reject(err);
    }
  };

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    lane.run(drain).catch((err: unknown) => {
      // Only a full lane gets here (drain settles its own waiters): nobody waiting is served.
      scheduled = false;
      failAll(err);
    });
  }

  return (key) =>
    new Promise<V | null>((resolve, reject) => {
      const waiters = waiting.get(key);
      if (waiters) {
        waiters.push({ resolve, reject });
        return;
      }
      if (waiting.size >= options.maxWaiting) {
        reject(new LaneFull());
        return;
      }
      waiting.set(key, [{ resolve, reject }]);
      schedule();
    });
}

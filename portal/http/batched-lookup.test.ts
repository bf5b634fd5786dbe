import { describe, expect, it } from 'vitest';
import { createBatchedLookup } from './batched-lookup.js';
import { createLane, LaneFull } from './concurrency-lane.js';

/** A findMany whose queries stay open until released, recording the keys of each. */
function heldQueries(known: Record<string, string>) {
  const batches: string[][] = [];
  const releases: (() => void)[] = [];
  const findMany = (keys: string[]): Promise<Map<string, string>> => {
    batches.push(keys);
    return new Promise((resolve) => {
      releases.push(() => resolve(new Map(keys.filter((k) => k in known).map((k) => [k, known[k] ?? '']))));
    });
  };
  const releaseAll = async (): Promise<void> => {
    // Each release may start the next batch: keep going until nothing is held.
    while (releases.length > 0) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { batches, findMany, releaseAll };
}

describe('createBatchedLookup', () => {
  it('looks up the keys asked for while the lane is busy in one query each slot, not one per key', async () => {
    const db = heldQueries({ a: 'A', c: 'C', k7: 'K7' });
    const lookup = createBatchedLookup(createLane(1, 10), db.findMany, { maxBatch: 100, maxWaiting: 100 });
    const first = lookup('a');
    const rest = ['b', 'c', ...Array.from({ length: 20 }, (_, i) => `k${i}`), 'c'].map((k) => lookup(k));
    await new Promise((resolve) => setImmediate(resolve));
    // The lane's one slot is taken by the first query; everything else waits for it.
    expect(db.batches).toEqual([['a']]);
    await db.releaseAll();
    expect(await first).toBe('A');
    const answers = await Promise.all(rest);
    expect(answers.slice(0, 2)).toEqual([null, 'C']);
    expect(answers[2 + 7]).toBe('K7');
    expect(answers.at(-1)).toBe('C');
    // 23 lookups after the first (one key asked twice): one more query of 22 distinct keys.
    expect(db.batches).toHaveLength(2);
    expect(db.batches[1]).toHaveLength(22);
  });

  it('splits a long wait into batches of maxBatch, run side by side up to the lane width', async () => {
    const db = heldQueries({});
    const lookup = createBatchedLookup(createLane(2, 10), db.findMany, { maxBatch: 5, maxWaiting: 100 });
    const all = Array.from({ length: 12 }, (_, i) => lookup(`k${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    // Two free slots: the first two keys go at once, one query each; the other ten wait.
    expect(db.batches.map((b) => b.length)).toEqual([1, 1]);
    await db.releaseAll();
    expect(await Promise.all(all)).toEqual(Array.from({ length: 12 }, () => null));
    expect(db.batches.map((b) => b.length)).toEqual([1, 1, 5, 5]);
  });

  it('refuses a key at once past maxWaiting, and hands a failed query to each of its waiters', async () => {
    let fail = true;
    const lane = createLane(1, 10);
    let release: () => void = () => undefined;
    const blocker = lane.run(() => new Promise<void>((resolve) => (release = resolve)));
    const lookup = createBatchedLookup(
      lane,
      async (keys) => {
        if (fail) throw new Error('database down');
        return new Map(keys.map((k) => [k, k.toUpperCase()]));
      },
      { maxBatch: 10, maxWaiting: 2 },
    );
    const a = lookup('a');
    const b = lookup('b');
    await expect(lookup('c')).rejects.toBeInstanceOf(LaneFull);
    release();
    await blocker;
    await expect(a).rejects.toThrow('database down');
    await expect(b).rejects.toThrow('database down');
    fail = false;
    expect(await lookup('c')).toBe('C');
  });
});

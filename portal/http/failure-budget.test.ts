import { describe, expect, it } from 'vitest';
import { createLane, LaneFull } from './concurrency-lane.js';
import { FailureBudget } from './failure-budget.js';

describe('FailureBudget', () => {
  it('is over after `max` failures in a window, per address, and forgives at the next window', () => {
    const clock = { now: 0 };
    const budget = new FailureBudget({ max: 3, windowMs: 1_000, now: () => clock.now });
    expect([budget.fail('a'), budget.fail('a'), budget.fail('a')]).toEqual([false, false, true]);
    expect(budget.over('a')).toBe(true);
    expect(budget.over('b')).toBe(false);
    // Checks still running count as possible failures.
    budget.fail('b');
    expect(budget.over('b', 2)).toBe(true);
    clock.now = 400;
    expect(budget.remainingMs('a')).toBe(600);
    clock.now = 1_000;
    expect(budget.over('a')).toBe(false);
  });
});

describe('createLane', () => {
  it('runs at most `concurrency` tasks, queues `maxWaiting`, refuses the rest at once', async () => {
    const lane = createLane(1, 1);
    let release: () => void = () => undefined;
    const first = lane.run(() => new Promise<string>((resolve) => (release = () => resolve('first'))));
    const second = lane.run(async () => 'second');
    await expect(lane.run(async () => 'third')).rejects.toBeInstanceOf(LaneFull);
    release();
    expect(await Promise.all([first, second])).toEqual(['first', 'second']);
    expect(await lane.run(async () => 'again')).toBe('again');
  });
});

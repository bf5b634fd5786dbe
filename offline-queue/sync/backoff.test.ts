import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from './backoff.js';

describe('fullJitterDelay', () => {
  const policy = { baseMs: 500, maxMs: 30_000 };

  it('doubles the ceiling per failure up to the maximum', () => {
    const top = (failures: number): number => fullJitterDelay(policy, failures, () => 1);
    expect([1, 2, 3, 4, 6, 7, 8, 50, 2_000].map(top)).toEqual([500, 1_000, 2_000, 4_000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  });

  it('draws uniformly below the ceiling and is 0 before any failure', () => {
    expect(fullJitterDelay(policy, 3, () => 0)).toBe(0);
    expect(fullJitterDelay(policy, 3, () => 0.5)).toBe(1_000);
    expect(fullJitterDelay(policy, 0, () => 1)).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from './reconnect-backoff.js';

describe('reconnectDelayMs', () => {
  const policy = { initialMs: 100, maxMs: 1_000 };

  it('doubles per attempt up to the maximum', () => {
    const full = (attempt: number) => reconnectDelayMs(policy, attempt, () => 1);
    expect([0, 1, 2, 3, 4, 50].map(full)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('jitters between half and the whole delay', () => {
    expect(reconnectDelayMs(policy, 2, () => 0)).toBe(200);
    expect(reconnectDelayMs(policy, 2, () => 0.5)).toBe(300);
  });
});

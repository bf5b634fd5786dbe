import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCKOUT_POLICY, PhantomLockouts, lockoutMsAfter } from './lockout.js';

const MIN = 60_000;

describe('staff lockout policy', () => {
  it('locks at the fifth wrong password, then doubles with every further one, up to an hour', () => {
    const locks = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 1_000].map((n) => lockoutMsAfter(n, DEFAULT_LOCKOUT_POLICY) / MIN);
    expect(locks).toEqual([0, 0, 0, 0, 5, 10, 20, 40, 60, 60, 60]);
  });

  it('locks a username without an account the same way (no tell which names exist)', () => {
    const clock = { now: 0 };
    const phantoms = new PhantomLockouts(DEFAULT_LOCKOUT_POLICY, () => clock.now);
    expect([1, 2, 3, 4].map(() => phantoms.fail('h1', 'nobody'))).toEqual([0, 0, 0, 0]);
    expect(phantoms.fail('h1', 'nobody')).toBe(5 * MIN);
    expect(phantoms.lockedForMs('h1', 'nobody')).toBe(5 * MIN);
    expect(phantoms.lockedForMs('h2', 'nobody')).toBe(0);
    clock.now = 5 * MIN;
    expect(phantoms.lockedForMs('h1', 'nobody')).toBe(0);
    // The count goes on after the lock, as for a real account.
    expect(phantoms.fail('h1', 'nobody')).toBe(10 * MIN);
  });

  it('stays bounded', () => {
    const phantoms = new PhantomLockouts(DEFAULT_LOCKOUT_POLICY, () => 0, 3);
    for (const name of ['a', 'b', 'c', 'd']) for (let i = 0; i < 5; i += 1) phantoms.fail('h', name);
    expect(phantoms.lockedForMs('h', 'a')).toBe(0);
    expect(phantoms.lockedForMs('h', 'd')).toBe(5 * MIN);
  });
});

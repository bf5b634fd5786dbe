import { describe, expect, it } from 'vitest';
import { PrincipalCache } from './principal-cache.js';

/** A token table the test edits, a clock it moves, and a count of lookups. */
function setup(ttlMs = 1_000) {
  const valid = new Map<string, string>([['h1', 'kiosk-1']]);
  const clock = { now: 0 };
  const calls: string[] = [];
  const cache = new PrincipalCache<string>(
    async (hash) => {
      calls.push(hash);
      return valid.get(hash) ?? null;
    },
    { ttlMs, rememberMs: 10_000, now: () => clock.now },
  );
  return { valid, clock, calls, cache };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('PrincipalCache', () => {
  it('trusts a checked token for the TTL only', async () => {
    const { clock, calls, cache } = setup();
    expect(cache.fresh('h1')).toBeUndefined();
    expect(await cache.resolve('h1')).toBe('kiosk-1');
    clock.now = 400;
    expect(cache.fresh('h1')).toBe('kiosk-1');
    expect(calls).toEqual(['h1']);
    clock.now = 1_000;
    expect(cache.fresh('h1')).toBeUndefined();
    expect(cache.knownRecently('h1')).toBe(true);
  });

  it('checks again in the background past half the TTL, and drops a revoked token', async () => {
    const { valid, clock, calls, cache } = setup();
    await cache.resolve('h1');
    valid.delete('h1');
    clock.now = 600;
    // Still answered from memory (the kiosk does not wait), but the re-check has started.
    expect(cache.fresh('h1')).toBe('kiosk-1');
    await settle();
    expect(calls).toEqual(['h1', 'h1']);
    expect(cache.fresh('h1')).toBeUndefined();
    expect(cache.knownInvalid('h1')).toBe(true);
    expect(cache.knownRecently('h1')).toBe(false);
  });

  it('asks once for concurrent lookups of one hash, and remembers a bad one for the TTL', async () => {
    const { clock, calls, cache } = setup();
    expect(await Promise.all([cache.resolve('bad'), cache.resolve('bad'), cache.resolve('bad')])).toEqual([null, null, null]);
    expect(calls).toEqual(['bad']);
    expect(cache.knownInvalid('bad')).toBe(true);
    clock.now = 1_000;
    expect(cache.knownInvalid('bad')).toBe(false);
  });
});

describe('PrincipalCache.refreshInUse', () => {
  it('re-checks a token in use before it expires, so the next call is answered from memory, and drops it once revoked', async () => {
    const { valid, clock, calls, cache } = setup();
    await cache.resolve('h1');
    await cache.resolve('idle');
    clock.now = 300;
    expect(cache.fresh('h1')).toBe('kiosk-1');
    cache.refreshInUse(400);
    // Not yet past half the TTL: nothing asked.
    expect(calls).toEqual(['h1', 'idle']);
    clock.now = 600;
    cache.refreshInUse(400);
    await settle();
    // h1 was used 300 ms ago; 'idle' not within the window.
    expect(calls).toEqual(['h1', 'idle', 'h1']);
    // A call past the first check's TTL: answered from memory, nothing more asked.
    clock.now = 1_050;
    expect(cache.fresh('h1')).toBe('kiosk-1');
    expect(cache.fresh('idle')).toBeUndefined();
    expect(calls).toEqual(['h1', 'idle', 'h1']);
    // Revoked: the next sweep past half the TTL finds it gone; it is refused from then on.
    valid.delete('h1');
    clock.now = 1_100;
    cache.refreshInUse(400);
    await settle();
    expect(cache.fresh('h1')).toBeUndefined();
    expect(cache.knownInvalid('h1')).toBe(true);
  });

  it('leaves alone a token not used within the window', async () => {
    const { clock, calls, cache } = setup();
    await cache.resolve('h1');
    clock.now = 900;
    cache.refreshInUse(500);
    await settle();
    expect(calls).toEqual(['h1']);
  });
});

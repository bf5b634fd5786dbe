import { describe, expect, it } from 'vitest';
import { PortalReachability } from './portal-reachability.js';

describe('PortalReachability', () => {
  it('skips online numbering for a window that doubles per failure, and any answer ends it', () => {
    const mono = { ms: 1_000_000 };
    const r = new PortalReachability({ baseMs: 1_000, maxMs: 4_000, monoNow: () => mono.ms });
    expect(r.shouldTryOnline()).toBe(true);
    r.recordUnanswered();
    expect(r.knownOffline()).toBe(true);
    mono.ms += 999;
    expect(r.shouldTryOnline()).toBe(false);
    mono.ms += 1;
    expect(r.shouldTryOnline()).toBe(true);
    r.recordUnanswered(); // 2 s
    mono.ms += 1_999;
    expect(r.shouldTryOnline()).toBe(false);
    mono.ms += 1;
    r.recordUnanswered(); // 4 s
    r.recordUnanswered(); // capped at 4 s
    mono.ms += 3_999;
    expect(r.shouldTryOnline()).toBe(false);
    mono.ms += 1;
    expect(r.shouldTryOnline()).toBe(true);
    r.recordUnanswered();
    r.record(true);
    expect(r.shouldTryOnline()).toBe(true);
  });
});

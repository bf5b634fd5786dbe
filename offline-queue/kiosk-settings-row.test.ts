import { afterAll, describe, expect, it, vi } from 'vitest';
import type { KioskSettings } from '../common/contract/kiosk-settings.js';
import { openKioskStore, type PulledChange } from './kiosk-store.js';
import { testPull } from './testing/store-fixtures.js';
import { makeTempDir } from './testing/temp-dir.js';

const tmp = makeTempDir('kiosk-settings');
afterAll(() => tmp.remove());

const SETTINGS: KioskSettings = {
  version: 2,
  offeredServiceIds: ['social-insurance'],
  idleTimeoutMs: 30_000,
  elderlyAge: 65,
  technicianPinHash: 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0$SnL1wi+t0sPSeTzfQ9g0OrP/Kzhyll6ZGWONZ+A9r0g=',
};

describe('the hall manager’s settings in the kiosk store', () => {
  it('keeps what the pull brought across a restart, tells listeners after the commit what changed, and only then', () => {
    const file = tmp.file('settings');
    const store = openKioskStore({ path: file });
    const changes: PulledChange[] = [];
    const seen: (KioskSettings | null)[] = [];
    store.onPulledChange((change) => {
      changes.push(change);
      seen.push(store.kioskSettings());
    });
    expect(store.kioskSettings()).toBeNull();

    store.applyPull(testPull({ settings: SETTINGS }));
    expect(changes).toEqual([{ catalog: true, settings: true }]);
    expect(seen).toEqual([SETTINGS]);
    // The same settings and no catalog: nothing to tell.
    store.applyPull(testPull({ cursor: 'v2', catalog: null, settings: SETTINGS }));
    expect(changes).toHaveLength(1);
    // A portal of before sends none: what is stored stays.
    store.applyPull(testPull({ cursor: 'v3', catalog: null }));
    expect(store.kioskSettings()).toEqual(SETTINGS);
    expect(changes).toHaveLength(1);
    // Whatever the portal says now stands, a lower version too (a portal restored from a backup).
    const restored = { ...SETTINGS, version: 1, idleTimeoutMs: null };
    store.applyPull(testPull({ cursor: 'v4', catalog: null, settings: restored }));
    expect(changes.at(-1)).toEqual({ catalog: false, settings: true });
    store.close();

    const reopened = openKioskStore({ path: file });
    expect(reopened.kioskSettings()).toEqual(restored);
    reopened.close();
  });

  it('a listener that throws does not undo the pull nor stop the others', () => {
    const store = openKioskStore({ path: tmp.file('listeners') });
    const told: string[] = [];
    const stopThrowing = store.onPulledChange(() => {
      throw new Error('listener trouble');
    });
    const stop = store.onPulledChange(() => told.push('second'));
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      store.applyPull(testPull({ settings: SETTINGS }));
    } finally {
      quiet.mockRestore();
    }
    expect(told).toEqual(['second']);
    expect(store.syncState().pullCursor).toBe('v1');
    stop();
    stopThrowing();
    store.applyPull(testPull({ cursor: 'v2', settings: { ...SETTINGS, version: 3 } }));
    expect(told).toEqual(['second']);
    store.close();
  });
});

import type { WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { applyCrashPolicy, CrashAction, CrashCounter } from './crash-policy.js';
import { asElectron, fakeEvent, FakeWebContents } from './test-support/fake-electron.js';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('CrashCounter', () => {
  it('reloads for up to 3 crashes within 60 s, relaunches on the 4th', () => {
    const c = clock();
    const counter = new CrashCounter({ now: c.now });
    expect(counter.record()).toBe(CrashAction.Reload);
    c.advance(10_000);
    expect(counter.record()).toBe(CrashAction.Reload);
    c.advance(10_000);
    expect(counter.record()).toBe(CrashAction.Reload);
    c.advance(10_000);
    expect(counter.record()).toBe(CrashAction.Relaunch);
  });

  it('forgets crashes older than the window', () => {
    const c = clock();
    const counter = new CrashCounter({ now: c.now });
    counter.record();
    counter.record();
    counter.record();
    c.advance(60_000); // the first three are now exactly 60 s old: outside the window
    expect(counter.record()).toBe(CrashAction.Reload);
    c.advance(59_999);
    counter.record();
    expect(counter.record()).toBe(CrashAction.Reload);
    expect(counter.record()).toBe(CrashAction.Relaunch);
  });

  it('one crash a minute forever never relaunches', () => {
    const c = clock();
    const counter = new CrashCounter({ now: c.now });
    for (let i = 0; i < 20; i++) {
      expect(counter.record()).toBe(CrashAction.Reload);
      c.advance(20_001);
    }
  });

  it('honours its options', () => {
    const c = clock();
    const counter = new CrashCounter({ now: c.now, maxCrashes: 1, windowMs: 1_000 });
    expect(counter.record()).toBe(CrashAction.Reload);
    expect(counter.record()).toBe(CrashAction.Relaunch);
  });
});

describe('applyCrashPolicy', () => {
  function setup() {
    const c = clock();
    const wc = new FakeWebContents();
    const calls: string[] = [];
    const dispose = applyCrashPolicy(
      asElectron<WebContents>(wc),
      { reload: () => calls.push('reload'), relaunch: () => calls.push('relaunch') },
      new CrashCounter({ now: c.now }),
    );
    const gone = (reason: string) => wc.emit('render-process-gone', fakeEvent(), { reason, exitCode: 1 });
    return { wc, calls, dispose, gone };
  }

  it('reloads the page after a crash and relaunches after the 4th within a minute', () => {
    const { calls, gone } = setup();
    gone('crashed');
    gone('oom');
    gone('killed');
    expect(calls).toEqual(['reload', 'reload', 'reload']);
    gone('crashed');
    expect(calls).toEqual(['reload', 'reload', 'reload', 'relaunch']);
  });

  it('ignores a clean exit, and a crash of a destroyed webContents is not reloaded', () => {
    const { wc, calls, gone } = setup();
    gone('clean-exit');
    expect(calls).toEqual([]);
    wc.destroy();
    gone('crashed');
    expect(calls).toEqual([]);
  });

  it('stops when disposed', () => {
    const { wc, calls, dispose, gone } = setup();
    dispose();
    gone('crashed');
    expect(calls).toEqual([]);
    expect(wc.listenerCount('render-process-gone')).toBe(0);
  });
});

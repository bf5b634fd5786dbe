import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { characterForKeyCode } from './key-code-map.js';
import { attachKeyboardWedge, type WedgeEventTarget, type WedgeKeyEvent } from './keyboard-wedge-listener.js';
import { KeyboardWedgeDecoder, WEDGE_MAX_GAP_MS, WedgeVerdict } from './keyboard-wedge.js';

/** The physical key and Shift a US keyboard needs for `char`. */
function keyFor(char: string): { code: string; shiftKey: boolean } {
  const candidates: string[] = [
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').map((c) => `Key${c}`),
    ...'0123456789'.split('').map((d) => `Digit${d}`),
    'Minus', 'Equal', 'Semicolon', 'Period', 'Slash', 'Space',
  ];
  for (const code of candidates) {
    for (const shiftKey of [false, true]) if (characterForKeyCode(code, shiftKey) === char) return { code, shiftKey };
  }
  throw new Error(`no key types ${char}`);
}

interface FakeEvent extends WedgeKeyEvent {
  prevented: boolean;
}

function keyEvent(code: string, opts: { shiftKey?: boolean; key?: string; target?: unknown; repeat?: boolean } = {}): FakeEvent {
  return {
    code,
    key: opts.key ?? code,
    shiftKey: opts.shiftKey ?? false,
    ctrlKey: false,
    altKey: false,
    metaKey: false,
    repeat: opts.repeat ?? false,
    target: opts.target ?? { tagName: 'BODY' },
    prevented: false,
    preventDefault() {
      this.prevented = true;
    },
  };
}

/** A window stand-in: keydown listeners, dispatched by hand. */
function fakeWindow() {
  const listeners = new Set<(event: WedgeKeyEvent) => void>();
  const target: WedgeEventTarget = {
    addEventListener: (_type, listener, options) => {
      expect(options.capture).toBe(true);
      listeners.add(listener);
    },
    removeEventListener: (_type, listener) => void listeners.delete(listener),
  };
  return {
    target,
    listenerCount: () => listeners.size,
    dispatch(event: FakeEvent): FakeEvent {
      for (const l of listeners) l(event);
      return event;
    },
  };
}

describe('keyboard-wedge scanner', () => {
  let scans: string[];
  let win: ReturnType<typeof fakeWindow>;
  let detach: () => void;

  beforeEach(() => {
    vi.useFakeTimers();
    scans = [];
    win = fakeWindow();
    detach = attachKeyboardWedge(win.target, (code) => scans.push(code), { now: () => Date.now() });
  });

  afterEach(() => {
    detach();
    vi.useRealTimers();
  });

  /** Types `text` with `gapMs` between keys (Shift pressed as a scanner does), then `terminator`. */
  async function type(text: string, gapMs: number, opts: { terminator?: string; key?: (char: string) => string } = {}): Promise<FakeEvent> {
    for (const char of text) {
      const { code, shiftKey } = keyFor(char);
      if (shiftKey) win.dispatch(keyEvent('ShiftLeft', { shiftKey: true, key: 'Shift' }));
      win.dispatch(keyEvent(code, { shiftKey, key: opts.key ? opts.key(char) : char }));
      await vi.advanceTimersByTimeAsync(gapMs);
    }
    return win.dispatch(keyEvent(opts.terminator ?? 'Enter', { key: opts.terminator ?? 'Enter' }));
  }

  const ticketCode = 'HK1:0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6d:A023';

  it('reads a fast burst closed by Enter as one scan, case and colons intact, and stops the Enter', async () => {
    const enter = await type(ticketCode, 30);
    expect(scans).toEqual([ticketCode]);
    expect(enter.prevented).toBe(true);
  });

  it('accepts Tab as the suffix too', async () => {
    await type('HKA-7Q2M9XKD', 20, { terminator: 'Tab' });
    expect(scans).toEqual(['HKA-7Q2M9XKD']);
  });

  it('ignores slow typing: a person at the keyboard is not a scanner', async () => {
    const enter = await type('HKA-7Q2M9XKD', 150);
    expect(scans).toEqual([]);
    expect(enter.prevented).toBe(false);
  });

  it('ignores a burst that pauses before its Enter, and one too short to be a code', async () => {
    for (const char of 'HKA-7Q2M9XKD') {
      const { code, shiftKey } = keyFor(char);
      win.dispatch(keyEvent(code, { shiftKey }));
      await vi.advanceTimersByTimeAsync(25);
    }
    await vi.advanceTimersByTimeAsync(WEDGE_MAX_GAP_MS + 100);
    expect(win.dispatch(keyEvent('Enter')).prevented).toBe(false);
    await type('A12', 20);
    expect(scans).toEqual([]);
  });

  it('keeps only the fast tail when a person typed before the scanner', async () => {
    await type('zz', 400, { terminator: 'ShiftLeft' });
    await type('HKA-ABCDEF', 25);
    expect(scans).toEqual(['HKA-ABCDEF']);
  });

  it('decodes by key code with a Chinese IME on: `Process` keys still count, code-less IME events are skipped', async () => {
    // With the IME in Chinese mode every key reports key 'Process'; the text would be swallowed.
    const original = 'HKA-7Q2M9XKD';
    let i = 0;
    for (const char of original) {
      const { code, shiftKey } = keyFor(char);
      win.dispatch(keyEvent(code, { shiftKey, key: 'Process' }));
      // The IME's own composition events carry no physical key: they must neither type nor break the burst.
      if (i++ % 3 === 0) win.dispatch(keyEvent('', { key: 'Process' }));
      await vi.advanceTimersByTimeAsync(30);
    }
    win.dispatch(keyEvent('Enter', { key: 'Process' }));
    expect(scans).toEqual([original]);
  });

  it('leaves typing into a text field alone', async () => {
    const field = { tagName: 'INPUT' };
    for (const char of 'HKA-ABCDEF') {
      const { code, shiftKey } = keyFor(char);
      win.dispatch(keyEvent(code, { shiftKey, target: field }));
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(win.dispatch(keyEvent('Enter', { target: field })).prevented).toBe(false);
    expect(scans).toEqual([]);
  });

  it('drops auto-repeated keys, and stops listening when detached', async () => {
    win.dispatch(keyEvent('KeyA'));
    win.dispatch(keyEvent('KeyA', { repeat: true }));
    await type('BCDEFG', 10);
    expect(scans).toEqual(['BCDEFG']);
    detach();
    expect(win.listenerCount()).toBe(0);
    await type('HKA-ABCDEF', 10);
    expect(scans).toEqual(['BCDEFG']);
  });
});

describe('KeyboardWedgeDecoder', () => {
  it('refuses nonsense options', () => {
    expect(() => new KeyboardWedgeDecoder({ now: () => 0, maxGapMs: 0 })).toThrow(RangeError);
    expect(() => new KeyboardWedgeDecoder({ now: () => 0, minLength: 10, maxLength: 5 })).toThrow(RangeError);
  });

  it('drops a burst longer than maxLength', () => {
    let now = 0;
    const decoder = new KeyboardWedgeDecoder({ now: () => now, maxLength: 8, minLength: 2 });
    const scans: string[] = [];
    const key = (code: string) => ({ code, key: code, shiftKey: false, ctrlKey: false, altKey: false, metaKey: false, repeat: false });
    for (let i = 0; i < 9; i++) {
      now += 5;
      decoder.handle(key('Digit1'), (c) => scans.push(c));
    }
    now += 5;
    expect(decoder.handle(key('Enter'), (c) => scans.push(c))).toBe(WedgeVerdict.Ignored);
    expect(scans).toEqual([]);
  });
});

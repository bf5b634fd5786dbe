import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLongPress, TECHNICIAN_LONG_PRESS_MS } from './long-press.js';

describe('long press', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires once after the press is held for the full time', async () => {
    let fired = 0;
    const press = createLongPress(TECHNICIAN_LONG_PRESS_MS, () => fired++);
    press.onPointerDown();
    await vi.advanceTimersByTimeAsync(TECHNICIAN_LONG_PRESS_MS - 1);
    expect(fired).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toBe(1);
    press.onPointerUp();
    await vi.advanceTimersByTimeAsync(TECHNICIAN_LONG_PRESS_MS);
    expect(fired).toBe(1);
  });

  it('does nothing for taps, slides off or cancelled pointers', async () => {
    let fired = 0;
    const press = createLongPress(TECHNICIAN_LONG_PRESS_MS, () => fired++);
    for (const release of [press.onPointerUp, press.onPointerLeave, press.onPointerCancel]) {
      press.onPointerDown();
      await vi.advanceTimersByTimeAsync(TECHNICIAN_LONG_PRESS_MS - 10);
      release();
      await vi.advanceTimersByTimeAsync(TECHNICIAN_LONG_PRESS_MS);
    }
    expect(fired).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { ShutdownStack } from './shutdown-stack.js';

describe('ShutdownStack', () => {
  it('stops the last started first, once, past a step that fails or hangs', async () => {
    const stack = new ShutdownStack(50);
    const order: string[] = [];
    stack.push('portal', () => {
      order.push('portal');
    });
    stack.push('simulators', () => {
      order.push('simulators');
      throw new Error('socket already closed');
    });
    stack.push('kiosk', () => new Promise<void>(() => order.push('kiosk'))); // never settles
    stack.push('chromium', async () => {
      order.push('chromium');
    });
    const first = stack.stop();
    const second = stack.stop();
    expect(await first).toEqual(['kiosk', 'simulators']);
    expect(await second).toEqual(['kiosk', 'simulators']);
    expect(order).toEqual(['chromium', 'kiosk', 'simulators', 'portal']);
    expect(stack.isStopping).toBe(true);
  });

  it('stops at once a part that finished starting after the stop began', async () => {
    const stack = new ShutdownStack();
    const stopped: string[] = [];
    stack.push('portal', () => {
      stopped.push('portal');
    });
    await stack.stop();
    await new Promise<void>((resolve) => {
      stack.push('late', () => {
        stopped.push('late');
        resolve();
      });
    });
    expect(stopped).toEqual(['portal', 'late']);
  });
});

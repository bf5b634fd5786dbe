import type { App } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { closeRuntimeBeforeQuit } from './quit-lifecycle.js';
import { asElectron, createFakeElectron } from './test-support/fake-electron.js';

function deferred() {
  let resolve: () => void = () => undefined;
  let reject: (err: unknown) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('closeRuntimeBeforeQuit', () => {
  it('holds the quit until the runtime has closed, then quits once', async () => {
    const { app } = createFakeElectron();
    const closing = deferred();
    const runtime = { close: vi.fn(() => closing.promise) };
    closeRuntimeBeforeQuit(asElectron<App>(app), runtime);

    app.quit();
    expect(app.quitted).toBe(false);
    app.quit(); // a second request while closing neither quits nor closes twice
    expect(app.quitted).toBe(false);
    expect(runtime.close).toHaveBeenCalledTimes(1);

    closing.resolve();
    await vi.waitFor(() => expect(app.quitted).toBe(true));
    expect(runtime.close).toHaveBeenCalledTimes(1);
  });

  it('still quits when closing fails', async () => {
    const { app } = createFakeElectron();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      closeRuntimeBeforeQuit(asElectron<App>(app), { close: () => Promise.reject(new Error('device stuck')) });
      app.quit();
      await vi.waitFor(() => expect(app.quitted).toBe(true));
      expect(logged).toHaveBeenCalledTimes(1);
    } finally {
      logged.mockRestore();
    }
  });
});

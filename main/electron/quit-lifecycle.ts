import type { App } from 'electron';
import type { KioskRuntime } from '../core/kiosk-runtime.js';

/**
 * Electron does not wait for async work in 'before-quit', so the first quit is held back until
 * the runtime has closed (database, devices), then quit is asked for again.
 */
export function closeRuntimeBeforeQuit(app: App, runtime: Pick<KioskRuntime, 'close'>): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    runtime
      .close()
      .catch((err: unknown) => console.error('kiosk runtime failed to close', err))
      .finally(() => {
        state = 'closed';
        app.quit();
      });
  });
}

import type { KioskApi } from '../../../common/contract/kiosk-api.js';

/**
 * `window.kiosk` is defined by the Electron preload, or by the browser shell's WebSocket bridge
 * when no preload ran. Optional: code must not assume either shell.
 */
declare global {
  interface Window {
    kiosk?: KioskApi;
  }
}

export {};

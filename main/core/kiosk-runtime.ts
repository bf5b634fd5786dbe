import type { KioskBridgeTarget } from './kiosk-dispatcher.js';

/** A running kiosk core, as both shells see it. */
export interface KioskRuntime extends KioskBridgeTarget {
  close(): Promise<void>;
}

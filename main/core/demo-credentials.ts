import { KioskConfigError, type KioskConfig } from './kiosk-config.js';
import { DEMO_PIN, DEMO_PIN_HASH, verifyPin } from './technician-pin.js';

/** The kiosk token the demo portal is seeded with (`--seed-demo`); documented, so never a secret. */
export const DEMO_KIOSK_TOKEN = 'demo-kiosk-token';

/**
 * Refuses to start on a documented credential unless demo mode is explicit (`demoMode`,
 * `KIOSK_DEMO=1`, `--demo`). The PIN is checked by verifying the demo PIN against the configured
 * hash, so a hash of 135790 with a fresh salt is caught too. Throws KioskConfigError with one
 * line that says what to set.
 */
export async function refuseDemoCredentials(config: Pick<KioskConfig, 'demoMode' | 'portal' | 'technician'>): Promise<void> {
  if (config.demoMode) return;
  if (config.portal.token === DEMO_KIOSK_TOKEN) {
    throw new KioskConfigError(
      'kiosk config: portal.token is the demo kiosk token: set KIOSK_TOKEN to this kiosk\'s own token (or start in demo mode: --demo, KIOSK_DEMO=1)',
    );
  }
  const { pinHash } = config.technician;
  if (pinHash === DEMO_PIN_HASH || (await verifyPin(DEMO_PIN, pinHash))) {
    throw new KioskConfigError(
      'kiosk config: technician.pinHash is the demo PIN: set a PIN of your own (npx tsx scripts/hash-pin.ts) or start in demo mode (--demo, KIOSK_DEMO=1)',
    );
  }
}

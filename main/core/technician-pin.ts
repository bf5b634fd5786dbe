import { TechnicianPinHash } from '../../common/contract/kiosk-settings.js';

/**
 * The technician PIN as the configuration holds it: `scrypt$N$r$p$<salt b64>$<hash b64>`, never
 * the PIN itself. The hashing is shared with the portal, which pushes a PIN the hall manager set
 * as its hash only (common/node/technician-pin-hash.ts).
 */
export const PinHash = TechnicianPinHash;
export { hashPin, verifyPin, type ScryptCost } from '../../common/node/technician-pin-hash.js';

/** The demo PIN (documented in the README); a kiosk still using it raises a technician alert. */
export const DEMO_PIN = '135790';
/** `hashPin(DEMO_PIN)` with a fixed salt, so the default config needs no secret at build time. */
export const DEMO_PIN_HASH = 'scrypt$16384$8$1$ZGVtby1waW4tc2FsdC0x$SnL1wi+t0sPSeTzfQ9g0OrP/Kzhyll6ZGWONZ+A9r0g=';

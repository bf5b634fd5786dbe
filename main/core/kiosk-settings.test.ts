import { describe, expect, it } from 'vitest';
import { effectiveKioskSettings, offersService } from './kiosk-settings.js';
import { DEMO_PIN_HASH } from './technician-pin.js';

const CONFIG = { visitor: { idleTimeoutMs: 60_000, elderlyAge: 60 }, technician: { pinHash: DEMO_PIN_HASH, maxFailures: 5, lockoutMs: 300_000, sessionMs: 600_000, selfTestTimeoutMs: 20_000 } };
const PORTAL_HASH = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0$SnL1wi+t0sPSeTzfQ9g0OrP/Kzhyll6ZGWONZ+A9r0g=';

describe('effectiveKioskSettings', () => {
  it('is the configuration file before any pull', () => {
    expect(effectiveKioskSettings(CONFIG, null)).toEqual({ offeredServiceIds: null, idleTimeoutMs: 60_000, elderlyAge: 60, pinHash: DEMO_PIN_HASH, pinFromPortal: false });
  });

  it("takes the manager's values where set and the file's where null", () => {
    const pulled = { version: 3, offeredServiceIds: ['tax'], idleTimeoutMs: null, elderlyAge: 65, technicianPinHash: PORTAL_HASH };
    const settings = effectiveKioskSettings(CONFIG, pulled);
    expect(settings).toEqual({ offeredServiceIds: ['tax'], idleTimeoutMs: 60_000, elderlyAge: 65, pinHash: PORTAL_HASH, pinFromPortal: true });
    expect(offersService(settings, 'tax')).toBe(true);
    expect(offersService(settings, 'traffic')).toBe(false);
    expect(offersService(effectiveKioskSettings(CONFIG, { ...pulled, offeredServiceIds: null }), 'traffic')).toBe(true);
  });
});

import type { KioskSettings } from '../../common/contract/kiosk-settings.js';
import type { KioskConfig } from './kiosk-config.js';

/**
 * The settings the kiosk works with (issue 10 §1): the hall manager's, pulled from the portal,
 * wherever the manager set one; the kiosk's JSON configuration for the rest, and for everything
 * before the first pull (or with a portal of before). Read afresh at each use, so a pull takes
 * effect at the next visitor, login or ticket without a restart.
 */
export interface EffectiveKioskSettings {
  /** The services this kiosk offers; null: every enabled service of the catalog. */
  offeredServiceIds: readonly string[] | null;
  idleTimeoutMs: number;
  elderlyAge: number;
  pinHash: string;
  /** The PIN is the portal's (the manager set it), not the configuration file's. */
  pinFromPortal: boolean;
}

export function effectiveKioskSettings(config: Pick<KioskConfig, 'visitor' | 'technician'>, pulled: KioskSettings | null): EffectiveKioskSettings {
  return {
    offeredServiceIds: pulled?.offeredServiceIds ?? null,
    idleTimeoutMs: pulled?.idleTimeoutMs ?? config.visitor.idleTimeoutMs,
    elderlyAge: pulled?.elderlyAge ?? config.visitor.elderlyAge,
    pinHash: pulled?.technicianPinHash ?? config.technician.pinHash,
    pinFromPortal: (pulled?.technicianPinHash ?? null) !== null,
  };
}

/** Whether this kiosk offers a service (the manager's list; none: every one). */
export function offersService(settings: Pick<EffectiveKioskSettings, 'offeredServiceIds'>, serviceId: string): boolean {
  return settings.offeredServiceIds === null || settings.offeredServiceIds.includes(serviceId);
}

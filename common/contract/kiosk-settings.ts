import { z } from 'zod';
import { ServiceId } from './catalog.js';

/**
 * What the hall manager sets for one kiosk (issue 10 §1) and the kiosk pulls with everything else
 * (`PullResponse.settings`). A value left null is the kiosk's own: its JSON configuration decides.
 * A value set here overrides that configuration, so a hall changes a kiosk without anyone at it.
 */

/** The card data is wiped after this long without activity (the kiosk configuration's `visitor.idleTimeoutMs`). */
export const IdleTimeoutMs = z.number().int().min(5_000).max(600_000);
/** Age from which a card earns elderly priority (`visitor.elderlyAge`). */
export const ElderlyAge = z.number().int().min(50).max(100);

/**
 * The technician PIN as a kiosk keeps it and the portal pushes it: `scrypt$N$r$p$<salt b64>$<hash b64>`,
 * never the PIN itself (common/node/technician-pin-hash.ts makes and checks them).
 */
export const TechnicianPinHash = z
  .string()
  .max(300)
  .regex(/^scrypt\$\d{1,7}\$\d{1,3}\$\d{1,3}\$[A-Za-z0-9+/]+={0,2}\$[A-Za-z0-9+/]+={0,2}$/, 'scrypt$N$r$p$salt$hash');

/** The services a kiosk offers: at most this many (a hall has a few dozen). */
export const MAX_OFFERED_SERVICES = 100;

export const KioskSettings = z.object({
  /** Bumped by every change the manager makes to this kiosk: the kiosk stores the settings with it. */
  version: z.number().int().positive(),
  /** The services this kiosk issues tickets for, in the catalog's order; null: every enabled service. */
  offeredServiceIds: z.array(ServiceId).max(MAX_OFFERED_SERVICES).nullable(),
  idleTimeoutMs: IdleTimeoutMs.nullable(),
  elderlyAge: ElderlyAge.nullable(),
  technicianPinHash: TechnicianPinHash.nullable(),
});
export type KioskSettings = z.infer<typeof KioskSettings>;

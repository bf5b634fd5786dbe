import type pg from 'pg';
import type { CertificateKek } from '../cases/key-sealing.js';
import type { HallEventHub } from '../realtime/hall-event-hub.js';
import type { Authenticator, Principal } from './authenticate.js';
import type { PortalLimits } from './portal-limits.js';

/** What the shared base gives every domain plugin, as `app.portal`. */
export interface PortalContext {
  pool: pg.Pool;
  /** The portal's clock: business days and `serverTime`. Database timestamps use the database clock. */
  clock: () => Date;
  limits: PortalLimits;
  authenticator: Authenticator;
  /** The hall event fan-out of this process (its LISTEN connection and the live streams). */
  hallEvents: HallEventHub;
  /** Seals the halls' certificate signing keys at rest (portal/cases/key-sealing.ts); never logged. */
  certificateKek: CertificateKek;
}

declare module 'fastify' {
  interface FastifyInstance {
    portal: PortalContext;
  }
  interface FastifyRequest {
    /** Set by a contract route's onRequest hook; null on routes without auth. */
    principal: Principal | null;
    /** The caller's rate limit key (`kiosk:hall:id`, `staff:hall:id`); null before or without auth. */
    principalKey: string | null;
  }
}

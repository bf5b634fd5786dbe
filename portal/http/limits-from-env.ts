import { z } from 'zod';
import { DEFAULT_PORTAL_LIMITS, type PortalLimits } from './portal-limits.js';

/**
 * Overrides of the portal's limits (portal-limits.ts) from the environment, one variable per
 * limit: `PORTAL_LIMIT_` and the limit's name in capitals, e.g. PORTAL_LIMIT_AUTH_FAILURES_PER_WINDOW
 * for `authFailuresPerWindow`. The defaults suit a hall whose kiosks and consoles reach the
 * portal from their own addresses; a portal whose callers all arrive through one address (a
 * city's kiosks behind one NAT, a reverse proxy without trustProxy) raises the per-address ones.
 * An unknown PORTAL_LIMIT_ variable, or a value that is not a positive whole number, is refused:
 * a typo must not leave a limit silently at its default.
 */

export const LIMIT_ENV_PREFIX = 'PORTAL_LIMIT_';

/** `authFailuresPerWindow` -> `PORTAL_LIMIT_AUTH_FAILURES_PER_WINDOW`. */
export function limitEnvName(key: keyof PortalLimits): string {
  return `${LIMIT_ENV_PREFIX}${key.replace(/([A-Z])/g, '_$1').toUpperCase()}`;
}

const LimitValue = z.coerce.number().int().positive();

export function portalLimitsFromEnv(env: NodeJS.ProcessEnv): Partial<PortalLimits> {
  const keys = Object.keys(DEFAULT_PORTAL_LIMITS) as (keyof PortalLimits)[];
  const byName = new Map(keys.map((key) => [limitEnvName(key), key]));
  const overrides: Partial<PortalLimits> = {};
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(LIMIT_ENV_PREFIX) || raw === undefined || raw === '') continue;
    const key = byName.get(name);
    if (!key) throw new Error(`${name} is not a portal limit (known: ${[...byName.keys()].join(', ')})`);
    const parsed = LimitValue.safeParse(raw);
    if (!parsed.success) throw new Error(`${name} must be a positive whole number, got '${raw}'`);
    overrides[key] = parsed.data;
  }
  return overrides;
}

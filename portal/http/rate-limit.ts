import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { PortalError } from './portal-error.js';
import type { PortalLimits } from './portal-limits.js';

/**
 * Requests per window, one budget per caller: a kiosk or a member of staff once authenticated
 * (keyed by who they are, so kiosks behind one NAT, or an abuser on a kiosk's address, do not
 * share a budget), else the client address. Checked after auth (preParsing), so a refused
 * request's body is never read; failed authentications have their own per-address budget
 * (authenticate.ts), checked before any database work.
 */
export async function registerRateLimit(
  app: FastifyInstance,
  limits: PortalLimits,
  onExceeded: (key: string) => void,
): Promise<void> {
  const maxFor = (key: string): number => {
    if (key.startsWith('kiosk:')) return limits.kioskRequestsPerWindow;
    if (key.startsWith('staff:')) return limits.staffRequestsPerWindow;
    return limits.addressRequestsPerWindow;
  };
  const warned = new Set<string>();
  await app.register(fastifyRateLimit, {
    global: true,
    hook: 'preParsing',
    timeWindow: limits.rateLimitWindowMs,
    keyGenerator: (request: FastifyRequest) => request.principalKey ?? `address:${request.ip}`,
    max: (_request: FastifyRequest, key: string) => maxFor(key),
    // One log line per key and window, however long the flood.
    onExceeded: (_request: FastifyRequest, key: string) => {
      if (warned.has(key)) return;
      warned.add(key);
      setTimeout(() => warned.delete(key), limits.rateLimitWindowMs).unref();
      onExceeded(key);
    },
    errorResponseBuilder: (_request, context) =>
      new PortalError(PortalErrorCode.RateLimited, `rate limit exceeded, retry in ${context.after}`),
  });
}

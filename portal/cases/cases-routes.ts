import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { casesRoutes, CitizenCaseLookupRequest } from '../../common/contract/cases-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { registerContractRoutes, type ContractHandlers } from '../http/contract-routes.js';
import { PortalError } from '../http/portal-error.js';
import { getCase, listCases, updateCase } from './case-operations.js';
import { verifyCertificate } from './certificates.js';
import { caseLookupMiss, lookupCaseForCitizen } from './citizen-lookup.js';

const HOUR_MS = 3_600_000;

/** The misses of one case number, whoever asks: keyed by hall and number, read from the parsed body. */
function caseNumberKey(request: FastifyRequest): string {
  const body = CitizenCaseLookupRequest.pick({ hallId: true, caseNumber: true }).safeParse(request.body);
  return body.success ? `case-lookup:${body.data.hallId}:${body.data.caseNumber}` : 'case-lookup:(unparsed)';
}

/** One handler per entry of `casesRoutes`. */
export function createCasesHandlers(app: FastifyInstance): ContractHandlers<typeof casesRoutes> {
  const { pool, certificateKek, limits } = app.portal;
  const misses = app.createRateLimit({ max: limits.caseLookupMissesPerHour, timeWindow: HOUR_MS, keyGenerator: caseNumberKey });
  return {
    listCases: async ({ principal, query }) => ({ cases: await listCases(pool, principal.hallId, query.status ?? null) }),
    getCase: async ({ principal, params }) => ({ case: await getCase(pool, principal.hallId, params.caseNumber) }),
    updateCase: async ({ principal, params, body }) => ({
      case: await updateCase(pool, certificateKek, principal, params.caseNumber, body),
    }),
    citizenLookup: async ({ body, request }) => {
      // Checked before the lookup and counted on a miss only: a citizen who types their number
      // right is never held up by someone else's guesses beyond this bound.
      const spent = await misses(request, { increment: false });
      if (!spent.isAllowed && spent.remaining === 0) {
        throw new PortalError(PortalErrorCode.RateLimited, `too many failed lookups of this case number; try again in ${Math.ceil(spent.ttl / 60_000)} min`);
      }
      const found = await lookupCaseForCitizen(pool, body);
      if (!found) {
        await misses(request);
        throw caseLookupMiss();
      }
      return { case: found };
    },
    verifyCertificate: async ({ body }) => verifyCertificate(pool, body.code),
  };
}

/** The cases domain (办件进度, 电子证照) as a Fastify plugin: `casesRoutes` over the shared base of portal/http/. */
export async function casesDomain(app: FastifyInstance): Promise<void> {
  registerContractRoutes(app, casesRoutes, createCasesHandlers(app), {
    tags: ['cases'],
    // Per address, on top of the misses per case number above: each lookup is a guess at an ID number.
    rateLimits: { citizenLookup: app.portal.limits.caseLookupsPerWindow },
  });
}

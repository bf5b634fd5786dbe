import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { SESSION_COOKIE, staffRoutes, type SessionResponse } from '../../common/contract/staff-api.js';
import { verifyAgainstNothing } from '../auth/password-hash.js';
import type { StaffPrincipal } from '../auth/principals.js';
import { notFromForeignOrigin } from '../auth/same-origin.js';
import { findSession, revokeSession } from '../auth/staff-sessions.js';
import { withTransaction } from '../db/transaction.js';
import { createLane } from '../http/concurrency-lane.js';
import { registerContractRoutes, sessionOf, type ContractHandlers } from '../http/contract-routes.js';
import { PortalError } from '../http/portal-error.js';
import { recordAudit } from './audit.js';
import { DEFAULT_LOCKOUT_POLICY, PhantomLockouts, type LockoutPolicy } from './lockout.js';
import { listPublicHalls } from './public-halls.js';
import { signIn } from './sign-in.js';
import { loadStaffView } from './staff-accounts.js';

/** Password checks at once, and waiting: a morning's sign-ins queue briefly, a flood gets 503. */
const PASSWORD_CHECKS_AT_ONCE = 2;
const PASSWORD_CHECKS_WAITING = 64;

export interface StaffDomainOptions {
  lockoutPolicy?: LockoutPolicy;
}

/** The session cookie: never readable by scripts, never sent cross-site, Secure over https. */
function cookieOptions(request: FastifyRequest) {
  return { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/' } as const;
}

function noSession(): PortalError {
  return new PortalError(PortalErrorCode.BadRequest, 'a staff API key has no session: sign in with a password for one');
}

/** One handler per entry of `staffRoutes`. */
export function createStaffHandlers(app: FastifyInstance, options: StaffDomainOptions = {}): ContractHandlers<typeof staffRoutes> {
  const { pool, authenticator } = app.portal;
  const lockoutPolicy = options.lockoutPolicy ?? DEFAULT_LOCKOUT_POLICY;
  const deps = {
    pool,
    lockoutPolicy,
    sessionPolicy: authenticator.sessionPolicy,
    phantoms: new PhantomLockouts(lockoutPolicy),
    passwordLane: createLane(PASSWORD_CHECKS_AT_ONCE, PASSWORD_CHECKS_WAITING),
    countFailure: authenticator.countFailure,
  };

  const sessionResponse = async (principal: StaffPrincipal, request: FastifyRequest): Promise<SessionResponse> => {
    const session = sessionOf(request);
    if (principal.via !== 'session' || !session) throw noSession();
    const staff = await loadStaffView(pool, principal.hallId, principal.staffId);
    if (!staff) throw new PortalError(PortalErrorCode.Unauthorized, 'the account of this session has no sign-in any more');
    return { staff, csrfToken: session.csrfToken, expiresAt: session.endsAt.toISOString() };
  };

  /** A browser already signed in (any account) signs in again: its old session ends. */
  const endPreviousSession = async (request: FastifyRequest): Promise<void> => {
    const previous = request.cookies[SESSION_COOKIE];
    if (previous === undefined || !/^[A-Za-z0-9_-]{43}$/.test(previous)) return;
    const session = await findSession(pool, previous, authenticator.sessionPolicy);
    if (!session) return;
    await revokeSession(pool, session.principal.hallId, session.sessionHash);
    authenticator.forgetSession(session.sessionHash);
  };

  return {
    halls: async () => ({ halls: await listPublicHalls(pool) }),

    signIn: async ({ body, request, reply }) => {
      const origin = { protocol: request.protocol, host: request.host, origin: request.headers.origin, referer: request.headers.referer };
      if (!notFromForeignOrigin(origin)) {
        throw new PortalError(PortalErrorCode.Csrf, 'sign-in from another origin: sign in on the portal\'s own page');
      }
      await authenticator.refuseIfThrottled(request.ip);
      const signedIn = await signIn(deps, body, request.ip);
      await endPreviousSession(request);
      reply.setCookie(SESSION_COOKIE, signedIn.session.sessionId, cookieOptions(request));
      return { staff: signedIn.staff, csrfToken: signedIn.session.csrfToken, expiresAt: signedIn.session.endsAt.toISOString() };
    },

    session: ({ principal, request }) => sessionResponse(principal, request),

    signOut: async ({ principal, request, reply }) => {
      const session = sessionOf(request);
      if (principal.via !== 'session' || !session) throw noSession();
      await withTransaction(pool, async (client) => {
        await revokeSession(client, principal.hallId, session.sessionHash);
        await recordAudit(client, {
          hallId: principal.hallId,
          actor: { kind: 'staff', id: principal.staffId },
          action: 'staff.sign-out',
          target: null,
          detail: { address: request.ip },
          outcome: 'ok',
        });
      });
      authenticator.forgetSession(session.sessionHash);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
      return { signedOut: true as const };
    },
  };
}

/**
 * The staff domain as a Fastify plugin: the halls of the sign-in page, sign-in, the session and
 * sign-out (`staffRoutes`). Account management is portal/staff/staff-cli.ts for now.
 */
export async function staffDomain(app: FastifyInstance, options: StaffDomainOptions = {}): Promise<void> {
  registerContractRoutes(app, staffRoutes, createStaffHandlers(app, options), { tags: ['staff'] });
  // The first unknown-user check would otherwise also pay for making the dummy hash: it would be
  // the one slow refusal, and a tell.
  app.addHook('onReady', async () => {
    await verifyAgainstNothing('warm-up');
  });
}

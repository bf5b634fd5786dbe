import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { z } from 'zod';
import { RouteAuth, StaffRole, type RouteSpec } from '../../common/contract/route-spec.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../../common/contract/staff-api.js';
import { buildPortalApp, type PortalAppOptions } from '../http/build-portal-app.js';
import { registerContractRoutes } from '../http/contract-routes.js';

/**
 * Tests only: the portal app with a few extra routes of every auth mode, to drive the shared auth
 * (session + CSRF, API key, minRole, display token) the way the real domains use it.
 */
const Who = z.object({ hallId: z.string(), staffId: z.string(), role: z.enum(StaffRole), via: z.enum(['session', 'api-key']) });

export const authProbeRoutes = {
  whoami: { method: 'get', path: '/v1/test/whoami', auth: RouteAuth.Staff, summary: 'test', request: null, response: Who },
  write: {
    method: 'post', path: '/v1/test/write', auth: RouteAuth.Staff, summary: 'test',
    request: z.object({ n: z.number() }), response: Who.extend({ n: z.number() }),
  },
  managerOnly: {
    method: 'post', path: '/v1/test/manager-only', auth: RouteAuth.Staff, minRole: StaffRole.Manager, summary: 'test',
    request: z.object({ n: z.number() }), response: Who,
  },
  display: {
    method: 'get', path: '/v1/test/display', auth: RouteAuth.Display, summary: 'test',
    request: null, response: z.object({ hallId: z.string(), displayId: z.string() }),
  },
} as const satisfies Record<string, RouteSpec>;

export async function startProbeApp(pool: pg.Pool, options: Omit<PortalAppOptions, 'pool'> = {}): Promise<FastifyInstance> {
  const app = await buildPortalApp({ logLevel: process.env.PORTAL_TEST_LOG_LEVEL ?? 'error', ...options, pool });
  await app.register(async (scope) => {
    registerContractRoutes(scope, authProbeRoutes, {
      whoami: async ({ principal }) => principal,
      write: async ({ principal, body }) => ({ ...principal, n: body.n }),
      managerOnly: async ({ principal }) => principal,
      display: async ({ principal }) => principal,
    });
  });
  await app.ready();
  return app;
}

export interface SignInAnswer {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, unknown>;
  /** The session id the answer set, if any. */
  sessionId: string | undefined;
  setCookie: string | undefined;
}

export async function signInVia(
  app: FastifyInstance,
  credentials: { hallId: string; username: string; password: string },
  options: { headers?: Record<string, string>; remoteAddress?: string } = {},
): Promise<SignInAnswer> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/staff/sign-in',
    payload: credentials,
    headers: options.headers ?? {},
    ...(options.remoteAddress ? { remoteAddress: options.remoteAddress } : {}),
  });
  const raw = res.headers['set-cookie'];
  const setCookie = Array.isArray(raw) ? raw.find((c) => c.startsWith(`${SESSION_COOKIE}=`)) : raw;
  const sessionId = setCookie ? /^hk_session=([^;]*)/.exec(setCookie)?.[1] : undefined;
  return { status: res.statusCode, body: res.json(), headers: res.headers, sessionId: sessionId || undefined, setCookie };
}

/** The headers of a write a console page sends: its cookie, its CSRF token, its origin. */
export function sessionHeaders(sessionId: string, csrfToken?: string, origin: string | null = 'http://localhost'): Record<string, string> {
  return {
    cookie: `${SESSION_COOKIE}=${sessionId}`,
    ...(csrfToken !== undefined ? { [CSRF_HEADER]: csrfToken } : {}),
    ...(origin !== null ? { origin } : {}),
  };
}

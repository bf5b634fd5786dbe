import http from 'node:http';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Logger } from 'pino';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { bookingDomain } from '../booking/booking-routes.js';
import { casesDomain } from '../cases/cases-routes.js';
import { configDomain } from '../config/config-routes.js';
import { ephemeralCertificateKek, type CertificateKek } from '../cases/key-sealing.js';
import { counterDomain } from '../counter/counter-routes.js';
import { displayDomain } from '../display/display-routes.js';
import { healthDomain } from '../health/health-routes.js';
import { pagesDomain } from '../pages/pages-routes.js';
import { queueRoutes } from '../queue/queue-routes.js';
import { ratingsDomain } from '../ratings/ratings-routes.js';
import { createHallEventHub, type HallEventHub } from '../realtime/hall-event-hub.js';
import { staffDomain } from '../staff/staff-routes.js';
import { statsDomain } from '../stats/stats-routes.js';
import { createAuthenticator, type Authenticator } from './authenticate.js';
import { clientErrorHandler, frameworkErrorHandler, installErrorReplies } from './error-replies.js';
import { installJsonBodies, lastValueQueryString } from './json-body.js';
import { registerOpenApi } from './openapi.js';
import './portal-context.js';
import { PortalError } from './portal-error.js';
import { portalLimits, type PortalLimits } from './portal-limits.js';
import { createPortalLogger } from './portal-logger.js';
import { registerRateLimit } from './rate-limit.js';
import { guardThrottledRequests } from './throttle-guard.js';

export interface PortalAppOptions {
  pool: pg.Pool;
  /** The portal's clock: business days and `serverTime`. Database timestamps use the database clock. */
  clock?: () => Date;
  /** Errors that become a 500 (or a 503 of the database); default: logged at error level. */
  onInternalError?: (err: unknown) => void;
  /** The pino logger to use; default one on stderr at `logLevel`. */
  logger?: Logger;
  /** Level of the default logger (default `info`: no line per request; `debug` logs every request). */
  logLevel?: string;
  /** Overrides of DEFAULT_PORTAL_LIMITS. */
  limits?: Partial<PortalLimits>;
  /** Fastify's trustProxy: set it when the portal sits behind a reverse proxy, or every caller has the proxy's address. */
  trustProxy?: boolean | string | string[];
  /**
   * The process's hall event fan-out (portal/realtime/), owned by the caller, who closes it after
   * the app. Default: the app starts its own on the pool's database and closes it with the app.
   */
  hallEvents?: HallEventHub;
  /**
   * The key-encryption key of the halls' certificate signing keys (portal/cases/key-sealing.ts;
   * the CLI reads it from a file). Default: one for this app only, so after a restart the hall
   * signs with a new key (what the old one signed still verifies).
   */
  certificateKek?: CertificateKek;
}

/**
 * The portal's domains, each a Fastify plugin in its own folder that registers its routes over
 * the shared base (auth, errors, limits, OpenAPI) with `registerContractRoutes`. A new domain
 * (counter console, display, citizen pages, manager console) adds its plugin here.
 */
const DOMAINS = [queueRoutes, counterDomain, casesDomain, bookingDomain, displayDomain, staffDomain, ratingsDomain, healthDomain, statsDomain, configDomain, pagesDomain] as const;

/** Request lines at debug: at the default `info` level a flood leaves no trace per request. */
class QuietRequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.warn({ res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/**
 * The Node server under Fastify, with the timeouts and the connection cap that keep slow-loris
 * out, and the guard that answers a throttled address before Fastify does any work. The guard
 * knows the client address only from the socket, so it stands aside behind a proxy.
 */
function serverFactoryFor(limits: PortalLimits, authenticator: Authenticator, behindProxy: boolean) {
  return (fastifyHandler: http.RequestListener): http.Server => {
    const handler = behindProxy ? fastifyHandler : guardThrottledRequests(authenticator, fastifyHandler);
    const server = http.createServer(
      {
        requestTimeout: limits.requestTimeoutMs,
        headersTimeout: limits.headersTimeoutMs,
        keepAliveTimeout: limits.keepAliveTimeoutMs,
        connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
      },
      handler,
    );
    server.maxConnections = limits.maxConnections;
    server.setTimeout(limits.socketIdleTimeoutMs);
    return server;
  };
}

/**
 * The portal's HTTP app: Fastify 5 with the contract's zod schemas (`syncRoutes`) driving
 * routing, parsing, response checking and the OpenAPI document (`/openapi.json`, Swagger UI at
 * `/docs`). Errors leave as `{ code, message }` only, and `/v1/kiosk/*` answers byte for byte as
 * the portal always did (portal/http/kiosk-wire.test.ts). Not yet listening: call `listen`.
 */
export async function buildPortalApp(options: PortalAppOptions): Promise<FastifyInstance> {
  const limits = portalLimits(options.limits);
  const logger = options.logger ?? createPortalLogger({ level: options.logLevel ?? 'info' });
  const trustProxy = options.trustProxy ?? false;
  const authenticator = createAuthenticator({
    pool: options.pool,
    limits,
    onBudgetExhausted: (address) => logger.warn({ address }, 'address used up its failed-authentication budget'),
    onRefreshError: (err) => logger.debug({ err }, 'token re-check failed'),
  });
  const app = fastify({
    loggerInstance: logger as FastifyBaseLogger,
    logController: new QuietRequestLog(),
    serverFactory: serverFactoryFor(limits, authenticator, trustProxy !== false),
    bodyLimit: limits.bodyLimitBytes,
    // The hand-written router answered HEAD with 405 and decoded nothing it did not need to.
    exposeHeadRoutes: false,
    routerOptions: { querystringParser: lastValueQueryString },
    trustProxy,
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
    // While closing, a request already on a kept-alive socket is served (with Connection: close)
    // rather than given Fastify's uncoded 503 body; shutdown waits for it (portal/cli.ts).
    return503OnClosing: false,
  });

  const onInternalError =
    options.onInternalError ?? ((err: unknown) => logger.error({ err }, 'internal error'));
  const hallEvents = options.hallEvents ?? createHallEventHub({ pool: options.pool, onError: (err, what) => logger.warn({ err }, what) });
  if (!options.hallEvents) app.addHook('onClose', () => hallEvents.close());
  app.addHook('onClose', async () => authenticator.close());
  app.decorate('portal', {
    pool: options.pool,
    clock: options.clock ?? (() => new Date()),
    limits,
    authenticator,
    hallEvents,
    certificateKek: options.certificateKek ?? ephemeralCertificateKek(),
  });
  app.decorateRequest('principal', null);
  app.decorateRequest('principalKey', null);

  installJsonBodies(app);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(fastifyHelmet);
  // request.cookies for every domain: the staff session cookie (portal/http/contract-routes.ts).
  await app.register(fastifyCookie);
  await registerRateLimit(app, limits, (key) => logger.warn({ key }, 'rate limit exceeded'));
  installErrorReplies(app, { onInternalError: (err) => onInternalError(err), notFoundPreHandler: app.rateLimit() });
  // Every response is an answer of the moment: nothing may be cached on the way.
  app.addHook('onSend', async (_request, reply) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  await registerOpenApi(app);

  app.get('/healthz', { schema: { hide: true } }, async () => {
    try {
      await options.pool.query('SELECT 1');
    } catch (err) {
      onInternalError(err);
      throw new PortalError(PortalErrorCode.Internal, 'database unavailable', { status: 503 });
    }
    return { status: 'ok' };
  });

  for (const domain of DOMAINS) await app.register(domain);
  return app;
}

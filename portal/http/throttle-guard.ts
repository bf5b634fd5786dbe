import type http from 'node:http';
import { PortalErrorCode, type PortalErrorBody } from '../../common/contract/errors.js';
import { THROTTLED_MESSAGE, type Authenticator } from './authenticate.js';

const BODY = JSON.stringify({ code: PortalErrorCode.RateLimited, message: THROTTLED_MESSAGE } satisfies PortalErrorBody);
/** The API's prefix: only its routes take bearer tokens. */
const API_PREFIX = '/v1/';

/**
 * In front of Fastify: a request to the API from an address past its failed-authentication
 * budget, without a token known valid, is held back a while and answered 429 here, before any
 * routing, hook or serialisation. A flood of bad tokens then costs the portal little more than
 * Node's HTTP parsing, so it cannot take the event loop a kiosk's numbering needs. The same
 * refusal as the route hook gives (authenticate.ts), which does the rest.
 */
export function guardThrottledRequests(authenticator: Authenticator, next: http.RequestListener): http.RequestListener {
  return (req, res) => {
    const address = req.socket.remoteAddress;
    if (address === undefined || !req.url?.startsWith(API_PREFIX) || !authenticator.mustThrottle(req.headers.authorization, address, req.headers.cookie)) {
      next(req, res);
      return;
    }
    // Read and drop the body, so the connection can carry the next request.
    req.resume();
    setTimeout(() => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(429, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(BODY)),
        'cache-control': 'no-store',
        'retry-after': String(authenticator.retryAfterSeconds(address)),
        'x-content-type-options': 'nosniff',
      });
      res.end(BODY);
    }, authenticator.throttleDelayMs());
  };
}

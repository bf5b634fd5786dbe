/**
 * The Origin check of a write made with the session cookie: the page that sent it must be one of
 * the portal's own. With SameSite=Strict and the synchronizer token this is the third lock on the
 * door; it also catches a page on a sibling origin of the same site (another port, a subdomain),
 * which SameSite lets through.
 */
export interface RequestOrigin {
  /** `http` or `https`, as Fastify sees it (trustProxy-aware). */
  protocol: string;
  /** The Host the request was sent to (or X-Forwarded-Host behind a trusted proxy). */
  host: string;
  origin: string | undefined;
  referer: string | undefined;
}

function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** The portal's origin for this request (`https://hall.example`, default ports dropped). */
export function ownOrigin(request: Pick<RequestOrigin, 'protocol' | 'host'>): string | null {
  if (!request.host) return null;
  return originOf(`${request.protocol}://${request.host}`);
}

/**
 * Whether the request says it comes from the portal's own origin: its Origin header, or, when a
 * browser sent none, its Referer. Neither (or `Origin: null`): not shown, so refused. A page of
 * the console always sends Origin on a POST; only machines send neither, and they use API keys.
 */
export function fromOwnOrigin(request: RequestOrigin): boolean {
  const own = ownOrigin(request);
  if (own === null) return false;
  const claimed = request.origin !== undefined ? originOf(request.origin) : request.referer !== undefined ? originOf(request.referer) : null;
  return claimed !== null && claimed === own;
}

/**
 * For sign-in (no session yet): a browser's cross-site POST always carries Origin, so an Origin
 * from elsewhere is refused (login CSRF), and a request without one (a script) is let through.
 */
export function notFromForeignOrigin(request: RequestOrigin): boolean {
  if (request.origin === undefined) return true;
  const own = ownOrigin(request);
  return own !== null && originOf(request.origin) === own;
}

/**
 * DNS rebinding defence for the kiosk's local HTTP servers (the browser shell, the printer
 * simulator's receipts page). A web page on `evil.example` whose name an attacker re-points at
 * 127.0.0.1 reaches our port as a same-origin request of its own, but its requests still carry
 * `Host: evil.example:PORT`. So a local server answers only requests addressed to a loopback
 * name and its own port; anything else gets 421 Misdirected Request.
 */
export const MISDIRECTED_REQUEST = 421;

/**
 * Whether `host` (the request's Host header) names this server: `127.0.0.1:<port>` or
 * `localhost:<port>` (case-insensitive), or one of `extraNames` (a server bound to another
 * interface on purpose) with that port. HTTP/1.1 requires the header: a missing one fails.
 */
export function hostHeaderAllowed(host: string | undefined, port: number, extraNames: readonly string[] = []): boolean {
  if (host === undefined) return false;
  const names = ['127.0.0.1', 'localhost', ...extraNames].map((name) => name.toLowerCase());
  const value = host.trim().toLowerCase();
  // The default port may be left out; nothing here listens on 80, but a name alone must not pass otherwise.
  return names.some((name) => value === `${name}:${port}` || (port === 80 && value === name));
}

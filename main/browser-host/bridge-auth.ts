import { randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A fresh secret per launch. The page gets it by trading a one-time launch code (launch-codes.ts),
 * the operator from a 0600 file; it is never on a command line or in a log.
 */
export function newBridgeToken(): string {
  return randomBytes(32).toString('hex');
}

export function tokenMatches(expected: string, offered: string | null | undefined): boolean {
  if (!offered) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(offered);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Only the page this host served may talk to the bridge. Browsers always send Origin on a
 * WebSocket handshake, so a missing one means a non-browser client, which the token must stop.
 */
export function originAllowed(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return false;
  return origin === `http://127.0.0.1:${port}`;
}

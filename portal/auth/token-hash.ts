import { createHash } from 'node:crypto';

/** What the portal stores for a bearer token: SHA-256, hex. Tokens are random, so no salt is needed. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

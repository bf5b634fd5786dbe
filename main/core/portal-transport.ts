import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, fetch as undiciFetch } from 'undici';
import { KioskConfigError, type KioskConfig } from './kiosk-config.js';

/** How the kiosk reaches its portal: the fetch the portal client uses, and what to close at the end. */
export interface PortalTransport {
  /** Undefined: the runtime's own fetch (the system's trust store). */
  fetchImpl: typeof fetch | undefined;
  close(): Promise<void>;
}

/** Reads the hall's CA file; a file that is missing or holds no certificate is a config error. */
function readHallCa(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KioskConfigError(`kiosk config: portal.caFile: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    // Parses the first certificate: a key file or an empty one given by mistake is caught here, not at the first sync.
    new X509Certificate(pem);
  } catch {
    throw new KioskConfigError(`kiosk config: portal.caFile: ${file} holds no PEM certificate`);
  }
  return pem;
}

/**
 * The portal's transport (docs/architecture.md §7: `https:` outside loopback, checked by the config
 * schema). With `portal.caFile`, an undici Agent trusts that CA and nothing else: a hall portal
 * signed by the hall's own CA, and no other certificate, is accepted.
 */
export function createPortalTransport(portal: Pick<KioskConfig['portal'], 'caFile'>): PortalTransport {
  if (portal.caFile === null) return { fetchImpl: undefined, close: async () => undefined };
  const agent = new Agent({ connect: { ca: readHallCa(portal.caFile) } });
  // undici's own fetch with its own dispatcher; the portal client uses status, text() and the
  // abort signal only, which both fetches share, so the types are bridged here once.
  const fetchImpl = ((input: string, init?: RequestInit) =>
    undiciFetch(input, { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: agent })) as unknown as typeof fetch;
  return { fetchImpl, close: () => agent.close() };
}

import type { WebFrameMain } from 'electron';

/** The renderer is served from this privileged scheme, never from file:// (see app-protocol.ts). */
export const kioskScheme = 'app';
export const kioskHost = 'kiosk';
export const kioskOrigin = `${kioskScheme}://${kioskHost}`;
export const kioskEntryUrl = `${kioskOrigin}/index.html`;

/**
 * `scheme://host[:port]` of a URL, or null for an opaque origin (about:, data:, file:, garbage).
 * Not `URL.origin`: Node's URL reports 'null' for schemes it does not know, such as app://.
 */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.host === '') return null;
  return `${parsed.protocol}//${parsed.host}`;
}

/** A frame is the kiosk page when its document came from app://kiosk; anything else is foreign. */
export function isTrustedKioskFrame(frame: Pick<WebFrameMain, 'url'> | null | undefined): boolean {
  if (!frame) return false;
  try {
    return originOf(frame.url) === kioskOrigin;
  } catch {
    // A disposed WebFrameMain throws on property access: treat it as untrusted.
    return false;
  }
}

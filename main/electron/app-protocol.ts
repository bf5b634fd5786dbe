import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { kioskContentSecurityPolicy as contentSecurityPolicy } from '../../common/contract/content-security-policy.js';
import { kioskHost, kioskScheme } from './kiosk-origin.js';

/** The page may load only its own scripts and styles; no frames, plugins or foreign connections. */
export const kioskContentSecurityPolicy = contentSecurityPolicy();

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** Must run before app 'ready': standard gives app://kiosk a real origin, secure makes it a secure context. */
export function registerKioskSchemePrivileges(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: kioskScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves `rootDir` (renderer/dist, inside the asar when packaged) at app://kiosk/. */
export function registerKioskProtocol(protocol: Pick<Protocol, 'handle'>, rootDir: string): void {
  protocol.handle(kioskScheme, createKioskProtocolHandler(rootDir));
}

export interface KioskProtocolRequest {
  readonly url: string;
  readonly method: string;
}

export function createKioskProtocolHandler(rootDir: string): (request: KioskProtocolRequest) => Promise<Response> {
  const root = path.resolve(rootDir);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const file = resolveKioskAsset(root, request.url);
    if (file === null) return plain(404, 'not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      // Missing file or a directory: the same answer, no detail about the file system.
      return plain(404, 'not found');
    }
    const headers = securityHeaders(contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/**
 * The file under `root` that an app://kiosk/ URL names, or null when the URL is for another host
 * or tries to leave `root`. Each segment is decoded and checked on its own, so an encoded
 * separator (`..%2f`, `%5c`) cannot smuggle a `..` past URL normalisation.
 */
export function resolveKioskAsset(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${kioskScheme}:` || parsed.host !== kioskHost) return null;
  const segments: string[] = [];
  for (const raw of parsed.pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..' || /[/\\\0:]/.test(segment)) return null;
    segments.push(segment);
  }
  if (segments.length === 0) segments.push('index.html');
  const file = path.resolve(root, ...segments);
  return file.startsWith(root + path.sep) ? file : null;
}

function securityHeaders(contentType: string): Headers {
  return new Headers({
    'Content-Type': contentType,
    // On every response, not only HTML: an SVG or JSON opened as a document gets the same policy.
    'Content-Security-Policy': kioskContentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}

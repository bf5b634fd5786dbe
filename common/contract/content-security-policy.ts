/**
 * The kiosk page's Content-Security-Policy, one list for both shells: its own scripts and styles
 * only, no frames, plugins or foreign connections. `connectSrc` adds what the shell's bridge
 * needs beyond 'self' (the browser shell's WebSocket; nothing for Electron's IPC).
 */
export function kioskContentSecurityPolicy(connectSrc: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

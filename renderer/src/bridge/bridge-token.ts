/**
 * The browser shell passes its bridge token in the page URL's hash (`#token=<hex>`): a hash never
 * reaches a server log or a Referer. The page takes it once, removes it from the address bar, and
 * keeps it in sessionStorage only so that a renderer reload (after a crash) can reconnect.
 */

const TOKEN_PATTERN = /^[0-9a-f]{16,256}$/i;
const STORAGE_KEY = 'hall-kiosk.bridge-token';

export interface TokenLocation {
  readonly hash: string;
  readonly pathname: string;
  readonly search: string;
}

export interface TokenHistory {
  readonly state: unknown;
  replaceState(data: unknown, unused: string, url?: string | null): void;
}

export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function takeBridgeToken(location: TokenLocation, history: TokenHistory, storage?: TokenStorage): string | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash !== null) {
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  }
  if (fromHash !== null && TOKEN_PATTERN.test(fromHash)) {
    writeStorage(storage, fromHash);
    return fromHash;
  }
  const stored = readStorage(storage);
  return stored !== null && TOKEN_PATTERN.test(stored) ? stored : null;
}

// Storage access throws where it is disabled; the token then only lives for this page load.
function readStorage(storage: TokenStorage | undefined): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

function writeStorage(storage: TokenStorage | undefined, token: string): void {
  try {
    storage?.setItem(STORAGE_KEY, token);
  } catch {
    // Not fatal: see readStorage.
  }
}

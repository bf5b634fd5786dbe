import {
  BRIDGE_EXCHANGE_PATH,
  BRIDGE_LAUNCH_CODE_PARAM,
  BRIDGE_TOKEN_PARAM,
  LaunchCodeExchangeResponse,
} from '../../../common/contract/kiosk-api.js';

/**
 * How the page gets the browser shell's bridge token. Chromium is started with a one-time launch
 * code in the URL's hash (`#code=<hex>`: a command line is readable by every local user), which
 * the page trades once, with a same-origin POST, for the token; the operator's URL (from a file
 * only they can read) carries the token itself (`#token=<hex>`). Either way the page takes it
 * from the hash at once and removes it from the address bar (a hash never reaches a server log
 * or a Referer), and keeps the token in sessionStorage only so that a renderer reload (after a
 * crash) can reconnect.
 */

const SECRET_PATTERN = /^[0-9a-f]{16,256}$/i;
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

export type BridgeCredential = { kind: 'token'; token: string } | { kind: 'code'; code: string };

/**
 * The token or launch code from the URL's hash (removed from the address bar), else the token
 * this tab kept from before a reload; null when there is neither.
 */
export function takeBridgeCredential(location: TokenLocation, history: TokenHistory, storage?: TokenStorage): BridgeCredential | null {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = params.get(BRIDGE_TOKEN_PARAM);
  const code = params.get(BRIDGE_LAUNCH_CODE_PARAM);
  if (token !== null || code !== null) {
    params.delete(BRIDGE_TOKEN_PARAM);
    params.delete(BRIDGE_LAUNCH_CODE_PARAM);
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  }
  if (token !== null && SECRET_PATTERN.test(token)) {
    rememberBridgeToken(storage, token);
    return { kind: 'token', token };
  }
  // A fresh launch: its code wins over a token kept from an earlier one.
  if (code !== null && SECRET_PATTERN.test(code)) return { kind: 'code', code };
  const stored = readStorage(storage);
  return stored !== null && SECRET_PATTERN.test(stored) ? { kind: 'token', token: stored } : null;
}

/** Keeps the token for a reload of this tab. */
export function rememberBridgeToken(storage: TokenStorage | undefined, token: string): void {
  try {
    storage?.setItem(STORAGE_KEY, token);
  } catch {
    // Storage access throws where it is disabled; the token then only lives for this page load.
  }
}

function readStorage(storage: TokenStorage | undefined): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** The part of `fetch` the exchange uses, so tests can hand in a fake. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; cache: 'no-store'; credentials: 'omit' },
) => Promise<{ status: number; json(): Promise<unknown> }>;

/**
 * Trades a launch code for the token. Resolves null when the host refuses the code (used,
 * expired, unknown: trying again cannot help) and rejects when the host could not be asked (the
 * caller may try again: the code is still good).
 */
export async function exchangeLaunchCode(code: string, fetchFn: FetchLike): Promise<string | null> {
  const res = await fetchFn(BRIDGE_EXCHANGE_PATH, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ code }),
    cache: 'no-store',
    credentials: 'omit',
  });
  if (res.status >= 500) throw new Error(`launch code exchange: HTTP ${res.status}`);
  if (res.status !== 200) return null;
  const parsed = LaunchCodeExchangeResponse.safeParse(await res.json());
  return parsed.success ? parsed.data.token : null;
}

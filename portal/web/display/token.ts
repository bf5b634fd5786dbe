/** Where the display keeps its token: this machine's storage, never the address bar. */
export const DISPLAY_TOKEN_KEY = 'hall-display-token';

export interface TokenLocation {
  readonly hash: string;
  readonly pathname: string;
  readonly search: string;
}

/**
 * The display's bearer token. It arrives once in the URL fragment (`/display/#token=…`; a
 * fragment never reaches a server log or a Referer), is moved to localStorage and taken out of the
 * address, so it is not left on screen, in history or in a screenshot. Later loads read storage.
 */
export function takeDisplayToken(
  location: TokenLocation,
  storage: Pick<Storage, 'getItem' | 'setItem'>,
  replaceUrl: (url: string) => void,
): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token')?.trim();
  if (location.hash.length > 1) replaceUrl(`${location.pathname}${location.search}`);
  if (fromHash) {
    try {
      storage.setItem(DISPLAY_TOKEN_KEY, fromHash);
    } catch {
      // Storage off (a private window): the token still works for this page load.
    }
    return fromHash;
  }
  try {
    return storage.getItem(DISPLAY_TOKEN_KEY);
  } catch {
    return null;
  }
}

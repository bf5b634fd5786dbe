import { createContext } from 'react';
import type { CitizenRoute } from '../routing/citizen-route.js';

/** How a page links to another: a real address, and an in-page move (no reload) when clicked. */
export interface CitizenNav {
  href(route: CitizenRoute): string;
  go(route: CitizenRoute, options?: { replace?: boolean }): void;
}

/**
 * Whether a heading takes the focus when it appears: yes once the page has loaded (a move inside
 * the pages, a result shown: a screen reader then reads where the citizen is), no while it first
 * loads (the browser's own start of the page is right).
 */
export const FocusOnShowContext = createContext(false);

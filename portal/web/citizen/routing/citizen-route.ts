import { CitizenJourney } from '../../../../common/contract/citizen-pages.js';

/**
 * The citizen pages' addresses. One page (`/citizen/`) serves every journey; the journey is the
 * last path segment, so links are real links (bookmarkable, shareable, opened from a QR code) and
 * the page's assets stay one level up (`../assets/`) from each of them:
 *
 *   /citizen/                               the guide: the hall's services, with search
 *   /citizen/guide?hall=H&service=S         one service's guide (办事指南)
 *   /citizen/book?hall=H[&service=S]        online appointment (网上预约)
 *   /citizen/cancel?hall=H[&ref=R]          cancel an appointment
 *   /citizen/progress?hall=H                a case's progress (办件进度)
 *   /citizen/verify#<code>                  verify an e-certificate slip (no hall: the code names it)
 *   /citizen/rate?ticket=<uuid>&number=A001 好差评 (from the receipt's QR; no hall: the ticket names it)
 *
 * Pure: parses and builds URLs, never touches `window`. The segments are the contract's
 * (common/contract/citizen-pages.ts), which the portal serves and the kiosk prints.
 */

export enum CitizenPage {
  Guide = 'guide',
  Service = 'service',
  Book = 'book',
  Cancel = 'cancel',
  Progress = 'progress',
  Verify = 'verify',
  Rate = 'rate',
}

export interface CitizenRoute {
  page: CitizenPage;
  /** `?hall=`: the hall the citizen deals with; null until chosen. */
  hallId: string | null;
  /** `?service=` on the guide and booking pages. */
  serviceId: string | null;
  /** `?ref=` on the cancel page (from the confirmation's link). */
  reference: string | null;
  /** `?ticket=` and `?number=` on the rating page (from the receipt's QR). */
  ticketId: string | null;
  ticketNumber: string | null;
  /** `#<code>` on the verify page. */
  certificateCode: string | null;
}

/** The path segment (after `/citizen/`) of each page, as the portal serves them; the guide is the root. */
const SEGMENT: Readonly<Record<CitizenPage, CitizenJourney>> = {
  [CitizenPage.Guide]: CitizenJourney.Guide,
  [CitizenPage.Service]: CitizenJourney.Service,
  [CitizenPage.Book]: CitizenJourney.Book,
  [CitizenPage.Cancel]: CitizenJourney.Cancel,
  [CitizenPage.Progress]: CitizenJourney.Progress,
  [CitizenPage.Verify]: CitizenJourney.Verify,
  [CitizenPage.Rate]: CitizenJourney.Rate,
};

/** Journeys that are about one hall: without `?hall=` the citizen first chooses it. */
export const HALL_PAGES: ReadonlySet<CitizenPage> = new Set([CitizenPage.Guide, CitizenPage.Service, CitizenPage.Book, CitizenPage.Cancel, CitizenPage.Progress]);

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TICKET_NUMBER = /^[A-Z](\d{3,4}|\d-\d{3,})$/;
const REFERENCE = /^[A-Z0-9-]{6,32}$/;
/** What a slip's code may contain (base64url parts joined by dots); anything else is not a code. */
const CODE = /^[A-Za-z0-9._-]{1,2000}$/;

export function emptyRoute(page: CitizenPage, hallId: string | null = null): CitizenRoute {
  return { page, hallId, serviceId: null, reference: null, ticketId: null, ticketNumber: null, certificateCode: null };
}

function param(search: URLSearchParams, name: string, pattern: RegExp, transform: (v: string) => string = (v) => v): string | null {
  const raw = search.get(name);
  if (raw === null) return null;
  const value = transform(raw.trim());
  return pattern.test(value) ? value : null;
}

function decodeHash(hash: string): string | null {
  const raw = hash.replace(/^#/, '');
  if (raw === '') return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw).trim();
  } catch {
    return null;
  }
  return CODE.test(decoded) ? decoded : null;
}

/**
 * The route of a URL under `base` (the `/citizen/` folder, with its trailing slash). An unknown
 * segment or a malformed parameter is dropped (the guide, or the page without it), never trusted.
 */
export function parseCitizenRoute(url: URL, base: URL): CitizenRoute {
  const rest = url.pathname.startsWith(base.pathname) ? url.pathname.slice(base.pathname.length) : '';
  const segment = rest.replace(/\/+$/, '');
  const page = (Object.entries(SEGMENT).find(([, s]) => s === segment)?.[0] as CitizenPage | undefined) ?? CitizenPage.Guide;
  const search = url.searchParams;
  const route = emptyRoute(page, param(search, 'hall', SLUG));
  if (page === CitizenPage.Service || page === CitizenPage.Book) route.serviceId = param(search, 'service', SLUG);
  if (page === CitizenPage.Service && route.serviceId === null) route.page = CitizenPage.Guide;
  if (page === CitizenPage.Cancel) route.reference = param(search, 'ref', REFERENCE, (v) => v.toUpperCase());
  if (page === CitizenPage.Rate) {
    route.ticketId = param(search, 'ticket', UUID, (v) => v.toLowerCase());
    route.ticketNumber = param(search, 'number', TICKET_NUMBER, (v) => v.toUpperCase());
  }
  if (page === CitizenPage.Verify) route.certificateCode = decodeHash(url.hash);
  return route;
}

/** The address of a route, relative to `base`'s origin (`/citizen/book?hall=…`). */
export function citizenHref(route: CitizenRoute, base: URL): string {
  const search = new URLSearchParams();
  if (route.hallId) search.set('hall', route.hallId);
  if (route.serviceId && (route.page === CitizenPage.Service || route.page === CitizenPage.Book)) search.set('service', route.serviceId);
  if (route.reference && route.page === CitizenPage.Cancel) search.set('ref', route.reference);
  if (route.page === CitizenPage.Rate) {
    if (route.ticketId) search.set('ticket', route.ticketId);
    if (route.ticketNumber) search.set('number', route.ticketNumber);
  }
  const query = search.toString();
  const hash = route.page === CitizenPage.Verify && route.certificateCode ? `#${route.certificateCode}` : '';
  return `${base.pathname}${SEGMENT[route.page]}${query ? `?${query}` : ''}${hash}`;
}

/** Two routes show the same thing (a link to the current route is `aria-current`). */
export function sameRoute(a: CitizenRoute, b: CitizenRoute): boolean {
  return (Object.keys(a) as (keyof CitizenRoute)[]).every((key) => a[key] === b[key]);
}

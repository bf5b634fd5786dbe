/**
 * The addresses of the citizen pages (一网通办), one page at `/citizen/` with a journey per last
 * path segment. The portal serves the page at each of them; the page routes by them; whatever
 * prints or shows a link to them (the kiosk's receipt and certificate slip, the confirmation of a
 * booking) builds it here, so the three cannot drift apart.
 */
export const CITIZEN_PAGES_ROOT = '/citizen/';

export enum CitizenJourney {
  /** The hall's services, with search (the page's root). */
  Guide = '',
  /** One service's guide: `?hall=&service=`. */
  Service = 'guide',
  /** Online appointment: `?hall=[&service=]`. */
  Book = 'book',
  /** Cancel an appointment: `?hall=[&ref=]`. */
  Cancel = 'cancel',
  /** A case's progress: `?hall=`. */
  Progress = 'progress',
  /** Verify an e-certificate: `#<code>`. */
  Verify = 'verify',
  /** 好差评 of a served ticket: `?ticket=<uuid>&number=<A001>`. */
  Rate = 'rate',
}

/** The journeys served below the root (`/citizen/book`, …), without a trailing slash. */
export const CITIZEN_SUB_PATHS: readonly string[] = Object.values(CitizenJourney).filter((segment) => segment !== '');

/** `/citizen/rate?ticket=…&number=A001`: what a receipt's rating QR opens, relative to the portal's root. */
export function citizenRatePath(ticketId: string, number: string): string {
  return `${CITIZEN_PAGES_ROOT}${CitizenJourney.Rate}?ticket=${encodeURIComponent(ticketId)}&number=${encodeURIComponent(number)}`;
}

/** `/citizen/verify#HKC1.…`: the code after `#` never reaches a server log. */
export function certificateVerifyPath(code: string): string {
  return `${CITIZEN_PAGES_ROOT}${CitizenJourney.Verify}#${code}`;
}

import { z } from 'zod';

/** Where a printed number came from. The printed number is the truth either way. */
export enum NumberSource {
  /** Allocated by the portal online within the budget. */
  Portal = 'portal',
  /** From a band the portal leased to this kiosk in advance. */
  Band = 'band',
  /** Kiosk-marked series `<prefix><kiosk digit>-<seq>`, unique without the portal. */
  KioskSeries = 'kiosk-series',
}

export const ServicePrefix = z.string().regex(/^[A-Z]$/, 'one capital letter');

/** `A023`, `A1000` (portal or band) or `A2-047` (kiosk-marked series). */
export const TicketNumber = z.string().regex(/^[A-Z](\d{3,4}|\d-\d{3,})$/, 'ticket number like A023, A8001 or A2-047');
export type TicketNumber = z.infer<typeof TicketNumber>;

/** A hall's daily sequence per service runs 1..9999: `A001` … `A999`, `A1000` … `A9999`. */
export const MAX_DAILY_SEQUENCE = 9999;
/**
 * Online numbering uses 1..7999, without gaps from `A001`: bands never come off this range, so the
 * first visitor of the day gets `A001` whatever the kiosks leased.
 */
export const ONLINE_LAST_SEQUENCE = 7999;
/** Bands come from 8001..9999, with their own counter: the first band of a day is `A8001`-`A8050`. */
export const BAND_FIRST_SEQUENCE = 8001;
export const BAND_LAST_SEQUENCE = MAX_DAILY_SEQUENCE;
/** Numbers per band a kiosk may ask for. */
export const MIN_BAND_SIZE = 5;
export const MAX_BAND_SIZE = 200;
/**
 * Bands one kiosk may lease per service and business day (6 × 50 = 300 offline numbers); past it
 * the portal answers 409 `band-cap` and the kiosk numbers from its own series.
 */
export const MAX_BANDS_PER_KIOSK_SERVICE_DAY = 6;

/** Whether a daily sequence lies in the band range (8001..9999) rather than the online one. */
export function isBandSequence(sequence: number): boolean {
  return sequence >= BAND_FIRST_SEQUENCE && sequence <= BAND_LAST_SEQUENCE;
}

export function formatHallNumber(prefix: string, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_DAILY_SEQUENCE) {
    throw new RangeError(`sequence ${sequence} outside 1..${MAX_DAILY_SEQUENCE}`);
  }
  return `${ServicePrefix.parse(prefix)}${String(sequence).padStart(3, '0')}`;
}

export function formatKioskSeriesNumber(prefix: string, kioskDigit: number, sequence: number): string {
  if (!Number.isInteger(kioskDigit) || kioskDigit < 0 || kioskDigit > 9) {
    throw new RangeError(`kiosk digit ${kioskDigit} outside 0..9`);
  }
  if (!Number.isInteger(sequence) || sequence < 1) throw new RangeError(`sequence ${sequence} must be >= 1`);
  return `${ServicePrefix.parse(prefix)}${kioskDigit}-${String(sequence).padStart(3, '0')}`;
}

/** A printed number taken apart: a hall number (portal or band) or a kiosk-marked series number. */
export type ParsedTicketNumber =
  | { kind: 'hall'; prefix: string; sequence: number }
  | { kind: 'series'; prefix: string; kioskDigit: number; sequence: number };

/**
 * Takes a number apart, or null when it is not one. Only the canonical spelling counts
 * (`A0001` is not `A001`; `A1-0047` is not `A1-047`): two spellings of one number would not
 * collide in the portal's (day, number) key and the hall would call the same number twice.
 */
export function parseTicketNumber(number: string): ParsedTicketNumber | null {
  // Plain regexes, no zod: the portal runs this for every pushed ticket.
  const hall = /^([A-Z])(\d{3}|[1-9]\d{3})$/.exec(number);
  if (hall?.[1] && hall[2]) {
    const sequence = Number(hall[2]);
    return sequence < 1 ? null : { kind: 'hall', prefix: hall[1], sequence };
  }
  const series = /^([A-Z])(\d)-(\d{3}|[1-9]\d{3,})$/.exec(number);
  if (series?.[1] && series[2] && series[3]) {
    const sequence = Number(series[3]);
    if (!Number.isSafeInteger(sequence) || sequence < 1) return null;
    return { kind: 'series', prefix: series[1], kioskDigit: Number(series[2]), sequence };
  }
  return null;
}

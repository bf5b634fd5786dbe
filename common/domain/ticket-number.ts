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

/** `A023` (portal or band) or `A2-047` (kiosk-marked series). */
export const TicketNumber = z.string().regex(/^[A-Z](\d{3}|\d-\d{3,})$/, 'ticket number like A023 or A2-047');
export type TicketNumber = z.infer<typeof TicketNumber>;

export const MAX_DAILY_SEQUENCE = 999;

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

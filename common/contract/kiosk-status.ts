import { z } from 'zod';

/** Printer, print and connectivity states: shared by the visitor and technician parts of the contract. */

export enum PrintState {
  /** Recorded, not yet sent. */
  Pending = 'pending',
  Printing = 'printing',
  Printed = 'printed',
  /** Sending failed; the ticket stays valid and is shown on screen. */
  Failed = 'failed',
  /** The kiosk stopped while sending: never reprinted silently, a technician decides. */
  PossiblyPrinted = 'possibly-printed',
  /** The printer was not ready before issuance; the visitor got an on-screen ticket. */
  OnScreenOnly = 'on-screen-only',
}

export enum PrinterState {
  Ready = 'ready',
  PaperNearEnd = 'paper-near-end',
  PaperOut = 'paper-out',
  CoverOpen = 'cover-open',
  Offline = 'offline',
  Error = 'error',
  Unknown = 'unknown',
}

export enum ConnectivityState {
  Online = 'online',
  Offline = 'offline',
  Unknown = 'unknown',
}

export const PrinterStatus = z.object({
  state: z.enum(PrinterState),
  checkedAt: z.iso.datetime().nullable(),
});
export type PrinterStatus = z.infer<typeof PrinterStatus>;

export const Connectivity = z.object({
  state: z.enum(ConnectivityState),
  lastSyncAt: z.iso.datetime().nullable(),
  /** Outbox events not yet acknowledged by the portal. */
  backlog: z.number().int().nonnegative(),
  /** Portal clock minus kiosk clock as accepted for the business day; null before the first sync. */
  clockOffsetMs: z.number().int().nullable().default(null),
  /** Events the portal refused, kept for the technician; never blocking the queue. */
  quarantined: z.number().int().nonnegative().default(0),
});
export type Connectivity = z.infer<typeof Connectivity>;

import { z } from 'zod';
import { Priority } from '../domain/priority.js';

/**
 * The visitor identified by an ID card, as the screen may know them: masked only. The raw ID
 * number and the full name stay in the core's memory (docs/architecture.md §7); these schemas refuse
 * anything that is not visibly masked, so a slip in the core fails validation instead of leaking.
 */

/** The documents the reader decodes (docs/devices.md). */
export enum VisitorCardType {
  /** 居民身份证 */
  Mainland = 'mainland',
  /** 港澳台居民居住证 */
  HkMacauTaiwanResidence = 'hk-macau-taiwan-residence',
  /** 外国人永久居留身份证 (2017) */
  ForeignPermanentResidence2017 = 'foreign-permanent-residence-2017',
  /** 外国人永久居留身份证 (2023) */
  ForeignPermanentResidence2023 = 'foreign-permanent-residence-2023',
}

/** `张*三`: a name of two or more characters carries at least one `*`. */
export const MaskedName = z
  .string()
  .min(1)
  .max(64)
  .refine((name) => Array.from(name).length <= 1 || name.includes('*'), 'name must be masked');

/** `1101**********1234`: at most 4 characters either side of the stars. */
export const MaskedIdNumber = z.string().regex(/^[0-9A-Za-z]{0,4}\*+[0-9A-Za-z]{0,4}$/, 'ID number must be masked');

export const VisitorView = z.object({
  maskedName: MaskedName,
  maskedIdNumber: MaskedIdNumber,
  cardType: z.enum(VisitorCardType),
  /** Whole years on the hall's business day; null when the card's birth date is unusable. */
  age: z.number().int().min(0).max(150).nullable(),
  /** The queue priority the card earns (elderly by age), else normal. */
  priority: z.enum(Priority),
  identifiedAt: z.iso.datetime(),
  /** When the core forgets the card unless the visitor acts first. */
  expiresAt: z.iso.datetime(),
});
export type VisitorView = z.infer<typeof VisitorView>;

export enum VisitorClearReason {
  /** Done on the screen (endVisit). */
  Ended = 'ended',
  /** Nobody acted within the idle timeout. */
  Idle = 'idle',
  /** The ticket was issued and shown: the card data is no longer needed. */
  TicketIssued = 'ticket-issued',
}

export const VisitorCleared = z.object({ reason: z.enum(VisitorClearReason) });
export type VisitorCleared = z.infer<typeof VisitorCleared>;

export enum CardRejectReason {
  /** The card's validity ended before today. */
  Expired = 'expired',
  /** The card could not be read or its data failed validation; try again. */
  Unreadable = 'unreadable',
}

export const CardRejected = z.object({ reason: z.enum(CardRejectReason) });
export type CardRejected = z.infer<typeof CardRejected>;

export enum ScanKind {
  /** An appointment reference: the kiosk checks the visitor in. */
  Appointment = 'appointment',
  /** An e-certificate slip's code (`HKC1.…`): the kiosk verifies it. */
  Certificate = 'certificate',
  /** This system's own ticket QR `HK1:<ticket uuid>:<number>`. */
  Ticket = 'ticket',
  /** Well-formed text, but not a code this kiosk knows. */
  Unknown = 'unknown',
  /** Looks like one of our codes but is malformed, or is not printable text. */
  Invalid = 'invalid',
}

export enum ScanSource {
  /** The serial scanner, read by the core directly. */
  Serial = 'serial',
  /** A HID scanner typing into the page, decoded by the renderer. */
  KeyboardWedge = 'keyboard-wedge',
}

export const ScanResult = z.object({
  kind: z.enum(ScanKind),
  /** A short explanation for staff and logs; the visitor sees a translation of `kind`. */
  message: z.string().max(200),
  source: z.enum(ScanSource),
  /** The appointment reference or ticket number recognised; never personal data. */
  reference: z.string().max(64).nullable(),
  scannedAt: z.iso.datetime(),
  /** Kind `ticket`: the ticket's id from its QR (`HK1:<id>:<number>`), so the screen can rate that ticket. */
  ticketId: z.uuid().nullable().optional(),
  /** Kind `certificate`: the slip's whole code, which the screen hands to `verifyCertificate`. */
  certificateCode: z.string().max(2000).nullable().optional(),
});
export type ScanResult = z.infer<typeof ScanResult>;

/** What a keyboard-wedge scan may carry: printable ASCII, as a scanner types it (a certificate slip's code runs to 2000). */
export const ScannedCode = z.string().min(1).max(2000);

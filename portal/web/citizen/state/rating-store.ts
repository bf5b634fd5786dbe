import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RatingInput, RatingLevel, RatingView } from '../../../../common/contract/ratings-api.js';
import type { PortalClient } from '../../shared/api/portal-client.js';
import { toUiError, type UiError } from '../../shared/api/ui-error.js';
import { citizenRoutes } from '../api/citizen-routes.js';

export const COMMENT_MAX = 500;

export interface RatedTicket {
  ticketId: string;
  number: string;
}

export interface RatingState {
  ticket: RatedTicket | null;
  busy: boolean;
  error: UiError | null;
  /** A level is missing. */
  incomplete: boolean;
  rated: RatingView | null;
}

export type RatingChoices = Record<'overall' | 'efficiency' | 'expertise' | 'attitude', RatingLevel | null>;

export interface RatingActions {
  /** The ticket to rate (from the receipt's QR, or typed): a new one starts afresh. */
  setTicket(ticket: RatedTicket | null): void;
  submit(choices: RatingChoices, comment: string): Promise<boolean>;
  dismissError(): void;
}

export type RatingStore = StoreApi<RatingState & RatingActions>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NUMBER = /^[A-Z](\d{3,4}|\d-\d{3,})$/;

/**
 * The ticket a citizen typed: its number, and its code — the receipt QR's text `HK1:<id>:<number>`
 * pasted whole (its number must agree), or the bare ticket id. Null when either is not valid.
 */
export function parseTypedTicket(rawNumber: string, rawCode: string): { ticket: RatedTicket | null; numberOk: boolean; codeOk: boolean } {
  const code = rawCode.trim();
  const qr = /^HK1:([0-9a-fA-F-]{36}):(.+)$/.exec(code);
  const number = (rawNumber.trim() === '' && qr ? (qr[2] ?? '') : rawNumber).trim().toUpperCase();
  const ticketId = (qr ? (qr[1] ?? '') : code).toLowerCase();
  const numberOk = NUMBER.test(number) && (!qr || qr[2]?.toUpperCase() === number);
  const codeOk = UUID.test(ticketId);
  return { ticket: numberOk && codeOk ? { ticketId, number } : null, numberOk, codeOk };
}

/** 好差评 from the citizen page: once per served ticket; the portal refuses a second or an unserved one. */
export function createRatingStore(options: { client: PortalClient }): RatingStore {
  return createStore<RatingState & RatingActions>()((set, get) => ({
    ticket: null,
    busy: false,
    error: null,
    incomplete: false,
    rated: null,

    setTicket(ticket) {
      const current = get().ticket;
      if (current?.ticketId === ticket?.ticketId && current?.number === ticket?.number) return;
      set({ ticket, busy: false, error: null, incomplete: false, rated: null });
    },

    async submit(choices, comment) {
      const { ticket, busy } = get();
      if (!ticket || busy) return false;
      const { overall, efficiency, expertise, attitude } = choices;
      if (!overall || !efficiency || !expertise || !attitude) {
        set({ incomplete: true });
        return false;
      }
      const trimmed = comment.trim().slice(0, COMMENT_MAX);
      const input: RatingInput = { overall, efficiency, expertise, attitude, comment: trimmed === '' ? null : trimmed };
      set({ busy: true, error: null, incomplete: false });
      try {
        const { rating } = await options.client.call(citizenRoutes.rate, { body: { ...input, ticketId: ticket.ticketId, number: ticket.number } });
        set({ busy: false, rated: rating });
        return true;
      } catch (err) {
        set({ busy: false, error: toUiError(err) });
        return false;
      }
    },

    dismissError() {
      set({ error: null });
    },
  }));
}

import type { RateableTicket } from '../../../../common/contract/sync-api.js';
import type { RatingLevel } from '../../../../common/contract/ratings-api.js';
import { dictionaries, Language } from '../../i18n/index.js';
import { Screen } from '../screen.js';
import { toUiError, type UiError } from '../ui-error.js';
import type { JourneyContext } from './journey-context.js';
import { chooseLevel, EMPTY_DRAFT, toRatingInput, togglePhrase, type RatingDimension, type RatingDraft, type RatingPhrase } from './rating-draft.js';

/** 好差评 at the kiosk: find the served tickets (by card or a scanned ticket QR), rate one, thanks. */
export enum RatingPhase {
  /** "Swipe your ID card or scan the QR code on your ticket". */
  Waiting = 'waiting',
  Loading = 'loading',
  /** The tickets to choose from (possibly none). */
  Choose = 'choose',
  Form = 'form',
  Thanks = 'thanks',
  Failed = 'failed',
}

export enum RatingSource {
  Card = 'card',
  Ticket = 'ticket',
}

/** What was found: the tickets still to rate, and whether the kiosk could ask the portal. */
interface Found {
  source: RatingSource;
  tickets: readonly RateableTicket[];
  offline: boolean;
}

export type RatingState =
  | { phase: RatingPhase.Waiting }
  | { phase: RatingPhase.Loading; source: RatingSource }
  | ({ phase: RatingPhase.Choose } & Found)
  | ({
      phase: RatingPhase.Form;
      ticket: RateableTicket;
      draft: RatingDraft;
      /** One per ticket's form: a resubmitted rating is the same rating. */
      ratingId: string;
      submitting: boolean;
      error: UiError | null;
    } & Found)
  | ({ phase: RatingPhase.Thanks; number: string; queued: boolean } & Found)
  | { phase: RatingPhase.Failed; source: RatingSource; error: UiError; ticket: ScannedTicket | null };

/** The ticket a scanned QR names (either part may be unknown). */
export interface ScannedTicket {
  ticketId: string | null;
  number: string | null;
}

export const initialRating: RatingState = { phase: RatingPhase.Waiting };

/** How long the thank-you screen stays before the kiosk returns home. */
export const RATING_THANKS_MS = 15_000;

export interface RatingActions {
  /** The home button: the identified visitor's served tickets at once, else the card/QR prompt. */
  openRating(): void;
  /** Served tickets to rate: by the identified visitor's card (no argument), or the ticket a QR names. */
  findRateableTickets(ticket?: ScannedTicket | null): Promise<void>;
  chooseRatingTicket(ticketId: string): void;
  chooseRatingLevel(dimension: RatingDimension, level: RatingLevel): void;
  toggleRatingPhrase(phrase: RatingPhrase): void;
  submitRating(): Promise<void>;
  /** From the thanks screen: the next of the visitor's tickets still to rate. */
  rateNextTicket(): void;
}

/** Just the found tickets of a state, without its phase or anything else. */
function foundOf({ source, tickets, offline }: Found): Found {
  return { source, tickets, offline };
}

export function createRatingActions(ctx: JourneyContext): RatingActions {
  function formFor(found: Found, ticket: RateableTicket): RatingState {
    return { phase: RatingPhase.Form, ...foundOf(found), ticket, draft: EMPTY_DRAFT, ratingId: ctx.newId(), submitting: false, error: null };
  }

  /** One ticket found: straight to its form (one tap fewer); otherwise the list. */
  function chooseOrForm(found: Found): RatingState {
    const [only] = found.tickets;
    return found.tickets.length === 1 && only ? formFor(found, only) : { phase: RatingPhase.Choose, ...foundOf(found) };
  }

  function editDraft(edit: (draft: RatingDraft) => RatingDraft): void {
    const rating = ctx.get().rating;
    if (rating.phase !== RatingPhase.Form || rating.submitting) return;
    ctx.touch();
    ctx.set({ rating: { ...rating, draft: edit(rating.draft), error: null } });
  }

  return {
    openRating() {
      ctx.open(Screen.Rating, { rating: initialRating });
      if (ctx.get().visitor) void ctx.get().findRateableTickets();
    },

    async findRateableTickets(ticket) {
      const state = ctx.get();
      if (state.rating.phase === RatingPhase.Form && state.rating.submitting && state.screen === Screen.Rating) return;
      if (state.screen !== Screen.Rating) ctx.open(Screen.Rating, { rating: initialRating });
      else ctx.touch();
      const source = ticket ? RatingSource.Ticket : RatingSource.Card;
      if (!ticket && !ctx.get().visitor) {
        ctx.set({ rating: initialRating });
        return;
      }
      const current = ctx.stillCurrent(true);
      ctx.set({ rating: { phase: RatingPhase.Loading, source } });
      try {
        const request: { ticketId?: string; number?: string } = {};
        if (ticket?.ticketId) request.ticketId = ticket.ticketId;
        if (ticket?.number) request.number = ticket.number;
        const { tickets, offline } = await ctx.api.findRateableTickets(request);
        if (current()) ctx.set({ rating: chooseOrForm({ source, tickets, offline }) });
      } catch (err) {
        if (current()) ctx.set({ rating: { phase: RatingPhase.Failed, source, error: toUiError(err), ticket: ticket ?? null } });
      }
    },

    chooseRatingTicket(ticketId) {
      const rating = ctx.get().rating;
      if (rating.phase !== RatingPhase.Choose) return;
      const ticket = rating.tickets.find((t) => t.ticketId === ticketId);
      if (!ticket) return;
      ctx.touch();
      ctx.set({ rating: formFor(rating, ticket) });
    },

    chooseRatingLevel(dimension, level) {
      editDraft((draft) => chooseLevel(draft, dimension, level));
    },

    toggleRatingPhrase(phrase) {
      editDraft((draft) => togglePhrase(draft, phrase));
    },

    async submitRating() {
      const form = ctx.get().rating;
      if (form.phase !== RatingPhase.Form || form.submitting) return;
      const input = toRatingInput(form.draft, dictionaries[Language.Zh].rating.phrase);
      if (!input) return;
      ctx.touch();
      const current = ctx.stillCurrent();
      ctx.set({ rating: { ...form, submitting: true, error: null } });
      try {
        const { queued } = await ctx.api.submitRating({ ...input, ratingId: form.ratingId, ticketId: form.ticket.ticketId });
        if (!current()) return;
        const remaining = form.tickets.filter((t) => t.ticketId !== form.ticket.ticketId);
        ctx.set({
          rating: { phase: RatingPhase.Thanks, source: form.source, tickets: remaining, offline: form.offline, number: form.ticket.number, queued },
        });
        ctx.touch(RATING_THANKS_MS);
      } catch (err) {
        if (current()) ctx.set({ rating: { ...form, submitting: false, error: toUiError(err) } });
      }
    },

    rateNextTicket() {
      const rating = ctx.get().rating;
      if (rating.phase !== RatingPhase.Thanks || rating.tickets.length === 0) return;
      ctx.touch();
      ctx.set({ rating: chooseOrForm(rating) });
    },
  };
}

import { CitizenPage, type CitizenRoute } from '../routing/citizen-route.js';
import { createBookingStore, type BookingStore } from './booking-store.js';
import { createCancelStore, type CancelStore } from './cancel-store.js';
import type { CitizenShellStore } from './citizen-store.js';
import { createProgressStore, type ProgressStore } from './progress-store.js';
import { createRatingStore, type RatingStore } from './rating-store.js';
import { createVerifyStore, type VerifyStore } from './verify-store.js';
import type { PortalClient } from '../../shared/api/portal-client.js';

/** The journeys' stores; each is driven by the address (the shell's route) and by the citizen. */
export interface CitizenFlows {
  booking: BookingStore;
  cancel: CancelStore;
  progress: ProgressStore;
  verify: VerifyStore;
  rating: RatingStore;
}

export function createCitizenFlows(options: { client: PortalClient; now?: () => number }): CitizenFlows {
  const { client } = options;
  return {
    booking: createBookingStore({ client, ...(options.now ? { now: options.now } : {}) }),
    cancel: createCancelStore({ client }),
    progress: createProgressStore({ client }),
    verify: createVerifyStore({ client }),
    rating: createRatingStore({ client }),
  };
}

/** What a route asks of the journeys when it is shown. */
export function applyRoute(route: CitizenRoute, previous: CitizenRoute | null, flows: CitizenFlows): void {
  switch (route.page) {
    case CitizenPage.Book:
      if (route.hallId && route.serviceId) void flows.booking.getState().open(route.hallId, route.serviceId);
      break;
    case CitizenPage.Verify:
      // Opened from a link with the code after `#`: verified at once.
      if (route.certificateCode && flows.verify.getState().code !== route.certificateCode) void flows.verify.getState().verify(route.certificateCode);
      break;
    case CitizenPage.Rate:
      flows.rating.getState().setTicket(route.ticketId && route.ticketNumber ? { ticketId: route.ticketId, number: route.ticketNumber } : null);
      break;
    case CitizenPage.Cancel:
      if (previous?.page !== CitizenPage.Cancel) flows.cancel.getState().reset();
      break;
    case CitizenPage.Progress:
      if (previous && previous.hallId !== route.hallId) flows.progress.getState().clear();
      break;
    default:
      break;
  }
}

/** Keeps the journeys in step with the address; returns the unsubscribe. */
export function connectFlows(shell: CitizenShellStore, flows: CitizenFlows): () => void {
  applyRoute(shell.getState().route, null, flows);
  return shell.subscribe((state, previous) => {
    if (state.route !== previous.route) applyRoute(state.route, previous.route, flows);
  });
}

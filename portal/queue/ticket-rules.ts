import { SyncRejectCode, type TicketIssuedPayload } from '../../common/contract/sync-api.js';
import { addDays, type BusinessDay } from '../../common/domain/business-day.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource, isBandSequence, parseTicketNumber } from '../../common/domain/ticket-number.js';

/**
 * The push rules (issue 7 §1): what the portal accepts of a printed ticket a kiosk reports. Pure:
 * the set-based batch (apply-ticket-batch.ts) and the one-event-at-a-time fallback
 * (apply-ticket-issued.ts) both read the same facts (ticket-store.ts) and call `decideTickets`,
 * so the two paths cannot drift apart.
 *
 * The printed number is the truth for a ticket the kiosk was entitled to print: a number of its
 * own series, of a band leased to it, or one the portal allocated to that very ticket. Anything
 * else is refused with a code, and the kiosk quarantines the event and tells the technician.
 */

export interface EventRejection {
  code: SyncRejectCode;
  reason: string;
}

/** A `ticket.issued` event received for the first time, in seq order within its batch. */
export interface TicketEvent {
  eventId: string;
  payload: TicketIssuedPayload;
}

/** What the database holds about one event's ticket, read for the whole batch at once. */
export interface TicketFacts {
  /** The service's prefix; null when the hall does not offer the service. */
  servicePrefix: string | null;
  /** Ticket id the portal allocated this day and number to online, if any. */
  allocatedTo: string | null;
  /** A ticket with this id already exists (the same ticket sent again under a new event id). */
  ticketKnown: boolean;
  /** Ticket id already holding this day and number, if any. */
  numberHolder: string | null;
  /** The number lies in a band leased to the pushing kiosk for the ticket's service and day. */
  leasedToKiosk: boolean;
  /** The portal holds a booked or checked-in appointment for the ticket's citizen, service and day. */
  appointmentHeld: boolean;
}

/** Who pushes, and the hall's days at the portal's clock (see hall-day.ts `pushWindowOf`). */
export interface PushContext {
  kioskId: string;
  kioskDigit: number;
  /** The hall's business day now. */
  today: BusinessDay;
  /** Tomorrow while the portal clock is within the hour before the day boundary, else null. */
  tomorrowOpen: BusinessDay | null;
  /**
   * The latest business day of a ticket already accepted from this kiosk database (its epoch),
   * null for a new one. A kiosk catching up after an outage may push tickets from the day before
   * it down to today; without it, yesterday is the earliest day accepted.
   */
  latestAccepted: BusinessDay | null;
}

export interface TicketDecision {
  insert: TicketEvent[];
  rejections: Map<string, EventRejection>;
  /** `latestAccepted` after this batch: the cursor row stores it with the new last seq. */
  latestAccepted: BusinessDay | null;
}

const reject = (code: SyncRejectCode, reason: string): EventRejection => ({ code, reason });

/** The earliest business day a ticket may carry: yesterday, or the day before the latest one delivered. */
export function earliestDay(today: BusinessDay, latestAccepted: BusinessDay | null): BusinessDay {
  const yesterday = addDays(today, -1);
  if (latestAccepted === null) return yesterday;
  const beforeLatest = addDays(latestAccepted, -1);
  return beforeLatest < yesterday ? beforeLatest : yesterday;
}

function dayRejection(t: TicketIssuedPayload, context: PushContext, earliest: BusinessDay): EventRejection | null {
  // YYYY-MM-DD compares as text in calendar order.
  if (t.businessDay >= earliest && (t.businessDay <= context.today || t.businessDay === context.tomorrowOpen)) return null;
  return reject(
    SyncRejectCode.WrongBusinessDay,
    `business day ${t.businessDay} is outside ${earliest}..${context.tomorrowOpen ?? context.today} of the hall ` +
      `(today ${context.today} by the portal clock): is the kiosk clock wrong?`,
  );
}

/** Whether the number is one this kiosk was entitled to print under the source it names. */
function numberRejection(t: TicketIssuedPayload, f: TicketFacts, context: PushContext): EventRejection | null {
  const parsed = parseTicketNumber(t.number);
  if (!parsed) return reject(SyncRejectCode.InvalidEvent, `number ${t.number} is not written the way numbers are printed`);
  switch (t.numberSource) {
    case NumberSource.KioskSeries:
      if (parsed.kind === 'hall') {
        return isBandSequence(parsed.sequence)
          ? reject(SyncRejectCode.NumberNotLeased, `number ${t.number} is a band number, not a kiosk series number`)
          : reject(SyncRejectCode.NumberNotAllocated, `number ${t.number} is an online number, not a kiosk series number`);
      }
      if (parsed.kioskDigit !== context.kioskDigit) {
        return reject(
          SyncRejectCode.ForeignSeries,
          `number ${t.number} belongs to the series of kiosk digit ${parsed.kioskDigit}; ${context.kioskId} has digit ${context.kioskDigit}`,
        );
      }
      return null;
    case NumberSource.Band:
      if (parsed.kind === 'hall' && f.leasedToKiosk) return null;
      return reject(
        SyncRejectCode.NumberNotLeased,
        `number ${t.number} is not in a band leased to ${context.kioskId} for ${t.serviceId} on ${t.businessDay}`,
      );
    case NumberSource.Portal:
      if (parsed.kind === 'hall' && isBandSequence(parsed.sequence)) {
        return reject(SyncRejectCode.NumberNotLeased, `number ${t.number} is a band number; the portal never allocates those online`);
      }
      if (parsed.kind === 'hall' && f.allocatedTo === t.ticketId) return null;
      return reject(
        SyncRejectCode.NumberNotAllocated,
        `the portal did not allocate number ${t.number} on ${t.businessDay} to ticket ${t.ticketId}`,
      );
  }
}

function priorityRejection(t: TicketIssuedPayload, f: TicketFacts): EventRejection | null {
  switch (t.priority) {
    case Priority.Appointment:
      return f.appointmentHeld
        ? null
        : reject(SyncRejectCode.PriorityUnproven, `no booked appointment for this citizen, ${t.serviceId} and ${t.businessDay}`);
    case Priority.GreenChannel:
      return reject(SyncRejectCode.PriorityUnproven, 'green-channel priority is granted by staff, never by a kiosk');
    case Priority.Elderly:
      return t.citizenHmac === null ? reject(SyncRejectCode.PriorityUnproven, 'elderly priority without an identified citizen') : null;
    case Priority.Normal:
      return null;
  }
}

/**
 * The rules of one ticket that depend on nothing else in its batch, in the order their codes are
 * answered: prefix, business day (not before `earliest`, see earliestDay), number and source,
 * priority.
 */
export function ticketRejection(
  t: TicketIssuedPayload,
  f: TicketFacts & { servicePrefix: string },
  context: PushContext,
  earliest: BusinessDay,
): EventRejection | null {
  if (t.number.charAt(0) !== f.servicePrefix) {
    return reject(SyncRejectCode.WrongPrefix, `number ${t.number} does not carry the prefix ${f.servicePrefix} of ${t.serviceId}`);
  }
  return dayRejection(t, context, earliest) ?? numberRejection(t, f, context) ?? priorityRejection(t, f);
}

/**
 * Decides a batch in seq order from facts read at once: an unknown service is refused; the same
 * ticket again is a no-op; a ticket the rules above refuse is refused; a number allocated to or
 * held by another ticket that day is refused; anything else is inserted. Later events see the
 * ones decided before them, exactly as if applied one at a time.
 *
 * A citizen's second waiting ticket for a service is NOT refused here: a kiosk issued it offline,
 * it is printed, and the printed number is the truth; only online allocation refuses one.
 */
export function decideTickets(events: readonly TicketEvent[], facts: readonly TicketFacts[], context: PushContext): TicketDecision {
  const insert: TicketEvent[] = [];
  const rejections = new Map<string, EventRejection>();
  const ticketsInBatch = new Set<string>();
  const numbersInBatch = new Set<string>();
  let latest = context.latestAccepted;
  // Recomputed only when `latest` moves: calendar arithmetic per event would cost a batch dearly.
  let earliest = earliestDay(context.today, latest);
  events.forEach((event, i) => {
    const t = event.payload;
    const f = facts[i];
    if (!f) throw new Error(`no facts for event ${event.eventId}`);
    const dayNumber = `${t.businessDay} ${t.number}`;
    const servicePrefix = f.servicePrefix;
    if (servicePrefix === null) {
      rejections.set(event.eventId, reject(SyncRejectCode.UnknownService, `service ${t.serviceId} is not offered by this hall`));
      return;
    }
    if (f.ticketKnown || ticketsInBatch.has(t.ticketId)) return; // The same ticket again: already in the queue.
    const refused =
      ticketRejection(t, { ...f, servicePrefix }, context, earliest) ??
      (f.allocatedTo !== null && f.allocatedTo !== t.ticketId
        ? reject(SyncRejectCode.DuplicateNumber, `number ${t.number} on ${t.businessDay} was allocated to another ticket`)
        : null) ??
      ((f.numberHolder !== null && f.numberHolder !== t.ticketId) || numbersInBatch.has(dayNumber)
        ? reject(SyncRejectCode.DuplicateNumber, `number ${t.number} on ${t.businessDay} already belongs to another ticket`)
        : null);
    if (refused) {
      rejections.set(event.eventId, refused);
      return;
    }
    insert.push(event);
    ticketsInBatch.add(t.ticketId);
    numbersInBatch.add(dayNumber);
    if (latest === null || t.businessDay > latest) {
      latest = t.businessDay;
      earliest = earliestDay(context.today, latest);
    }
  });
  return { insert, rejections, latestAccepted: latest };
}

import { randomBytes } from 'node:crypto';
import type { Catalog } from '../../common/contract/catalog.js';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { PrintState, type PrinterState, type TicketView } from '../../common/contract/kiosk-api.js';
import { Priority } from '../../common/domain/priority.js';
import { uuidV7 } from '../../common/domain/uuid-v7.js';
import { AppointmentStatus } from '../../common/contract/sync-api.js';
import { describeRanges, ticketHoursAt } from '../../common/domain/ticket-hours.js';
import type { KioskStore, StoredAppointment, StoredTicket } from '../../offline-queue/kiosk-store.js';
import { hallBusinessDay } from '../../offline-queue/hall-clock.js';
import { StoreError } from '../../offline-queue/store-error.js';
import { PortalAttempt, type NumberAllocator, type NumberDecision } from './number-allocator.js';
import { isPrintable, type ReceiptPrinter } from '../../devices/printer/escpos-printer.js';
import type { PrinterMonitor } from './printer-monitor.js';
import { printTicketReceipt } from './receipt-printing.js';
import type { TicketHolder } from './ticket-holder.js';
import { toTicketView } from './ticket-view.js';

export interface TicketIssuerDeps {
  store: KioskStore;
  allocator: NumberAllocator;
  printer: ReceiptPrinter;
  printerMonitor: PrinterMonitor;
  now: () => Date;
  /** Called after the ticket is durable: wake the sync engine, tell the screen. */
  onIssued: (view: TicketView, portal: PortalAttempt) => void;
  onUpdated: (view: TicketView) => void;
  /** The visitor identified by a card, if any: HMAC, priority and masked name (issue 4). */
  holder?: () => TicketHolder | null;
  /** A ticket was issued to the identified visitor: the card data can go. */
  onHolderServed?: () => void;
  /** The printer could not print before issuance: the ticket went to the screen only. */
  onScreenOnly?: (view: TicketView, printerState: PrinterState) => void;
  /** Whether this kiosk offers a walk-in service (the hall manager's list, main/core/kiosk-settings.ts); default all. */
  offers?: (serviceId: string) => boolean;
}

/** Longest masked name the sync contract carries (TicketIssuedPayload.maskedName). */
const EVENT_NAME_MAX = 40;

/**
 * The masked name as the outbox event carries it: a long name (a foreign resident's) keeps its
 * first and last character and as many stars as fit; none when there is nothing to show.
 */
export function eventMaskedName(masked: string): string | null {
  if (masked.length === 0) return null;
  if (masked.length <= EVENT_NAME_MAX) return masked;
  const chars = Array.from(masked);
  const first = chars[0] ?? '';
  const last = chars[chars.length - 1] ?? '';
  return `${first}${'*'.repeat(EVENT_NAME_MAX - first.length - last.length)}${last}`;
}

function alreadyWaiting(number: string): KioskError {
  return new KioskError(KioskErrorCode.AlreadyWaiting, `this ID card already holds ticket ${number} for this service`);
}

/** What became of a check-in's issuance. */
export type CheckInIssued =
  | { kind: 'issued'; view: TicketView }
  /** Not booked when the ticket was to be written: checked in meanwhile (this kiosk's ticket, if any), cancelled, gone. */
  | { kind: 'not-booked'; appointment: StoredAppointment | null; ticket: TicketView | null };

/** The citizen a ticket is for, and how it was claimed. */
interface Claim {
  citizenHmac: string | null;
  /** The visitor identified by the card, when it is theirs: their masked name goes on the ticket. */
  holder: TicketHolder | null;
}

/** Storage failures: nothing was written (the transaction rolled back), no number exists. */
function storageRefusal(err: unknown): never {
  if (err instanceof StoreError) throw new KioskError(KioskErrorCode.StorageFailure, `ticket not issued: ${err.code}`, { cause: err });
  throw err;
}

/**
 * The ticket-issuance path (docs/architecture.md §4): printer checked first, number decided, ticket
 * and outbox event committed in one transaction, and only then printed. The promise resolves once
 * the ticket is durable; printing continues and reports through `onUpdated`.
 */
export class TicketIssuer {
  private readonly printing = new Set<Promise<unknown>>();
  /** Requests being issued: a doubled tap waits for the first instead of asking for a second number. */
  private readonly inFlight = new Map<string, Promise<TicketView>>();
  private readonly checkInsInFlight = new Map<string, Promise<CheckInIssued>>();
  /** The check-in running per appointment: a second scan of it waits, then finds it checked in. */
  private readonly appointmentTurns = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: TicketIssuerDeps) {}

  takeTicket(request: { serviceId: string; requestId: string }): Promise<TicketView> {
    const running = this.inFlight.get(request.requestId);
    if (running) return running;
    const issuing = this.issue(request)
      .catch(storageRefusal)
      .finally(() => this.inFlight.delete(request.requestId));
    this.inFlight.set(request.requestId, issuing);
    return issuing;
  }

  /**
   * Issues the check-in ticket of a booked appointment (the caller judged the window): priority
   * appointment, the appointment's citizen HMAC and id, its start on screen and paper; the
   * appointment is checked in by the transaction that writes the ticket. Idempotent by requestId;
   * one check-in per appointment at a time.
   */
  checkIn(request: { requestId: string; appointment: StoredAppointment }): Promise<CheckInIssued> {
    const running = this.checkInsInFlight.get(request.requestId);
    if (running) return running;
    const id = request.appointment.appointmentId;
    const previous = this.appointmentTurns.get(id) ?? Promise.resolve();
    const issuing = previous
      .catch(() => undefined)
      .then(() => this.issueCheckIn(request))
      .catch(storageRefusal)
      .finally(() => {
        this.checkInsInFlight.delete(request.requestId);
        if (this.appointmentTurns.get(id) === issuing) this.appointmentTurns.delete(id);
      });
    this.checkInsInFlight.set(request.requestId, issuing);
    this.appointmentTurns.set(id, issuing);
    return issuing;
  }

  private async issue(request: { serviceId: string; requestId: string }): Promise<TicketView> {
    const { store } = this.deps;
    const existing = store.findTicketByRequestId(request.requestId);
    if (existing) return toTicketView(existing, store.loadCatalog());
    const { catalog, service } = this.openService(request.serviceId);
    if (this.deps.offers && !this.deps.offers(service.id)) {
      throw new KioskError(KioskErrorCode.UnknownService, `${service.id} is not offered at this kiosk`);
    }

    // Read once, now: the card may be wiped (idle) while the number is being allocated.
    const holder = this.deps.holder?.() ?? null;
    const claim: Claim = { citizenHmac: holder?.citizenHmac ?? null, holder };
    const now = this.deps.now();
    this.refuseOutsideHours(catalog, service, now);
    this.refuseUnsyncedTicket(claim.citizenHmac, service.id, catalog, now);
    const printer = await this.deps.printerMonitor.fresh();
    const willPrint = isPrintable(printer.state);
    const ticketId = uuidV7(now.getTime(), randomBytes(16));
    // Online, the portal refuses a second waiting ticket for the card (409 -> already-waiting),
    // and one past the daily quota or outside the hours (quota-reached, service-closed).
    const decision = await this.deps.allocator.decide({ ticketId, service, hall: catalog.hall, now, citizenHmac: claim.citizenHmac });
    this.refuseSecondTicket(claim.citizenHmac, service.id, decision);
    this.refuseOverQuotaOffline(service, decision);

    const ticket = store.issueTicket({
      ticketId,
      requestId: request.requestId,
      serviceId: service.id,
      businessDay: decision.businessDay,
      priority: holder?.priority ?? Priority.Normal,
      number: decision.choice,
      peopleAhead: decision.peopleAhead,
      peopleAheadApproximate: decision.peopleAheadApproximate,
      issuedOffline: decision.issuedOffline,
      printState: willPrint ? PrintState.Pending : PrintState.OnScreenOnly,
      citizenHmac: claim.citizenHmac,
      maskedName: holder ? eventMaskedName(holder.maskedName) : null,
    });
    // Issued meanwhile under the same requestId (another process on the file): the store returned that ticket.
    if (ticket.ticketId !== ticketId) return toTicketView(ticket, catalog);
    return this.issued(ticket, catalog, claim, decision.portal, willPrint ? null : printer.state);
  }

  private async issueCheckIn(request: { requestId: string; appointment: StoredAppointment }): Promise<CheckInIssued> {
    const { store } = this.deps;
    const existing = store.findTicketByRequestId(request.requestId);
    if (existing) return { kind: 'issued', view: toTicketView(existing, store.loadCatalog()) };
    // Looked at again after waiting for its turn: a check-in just before this one took it.
    const appointment = store.findAppointmentById(request.appointment.appointmentId);
    if (appointment?.status !== AppointmentStatus.Booked) return this.notBooked(appointment);
    const { catalog, service } = this.openService(appointment.serviceId);

    const visitor = this.deps.holder?.() ?? null;
    // The ticket is the appointment's citizen's (the portal matches it by this HMAC); the card's
    // name goes on it only when the card is that citizen's.
    const claim: Claim = { citizenHmac: appointment.citizenHmac, holder: visitor?.citizenHmac === appointment.citizenHmac ? visitor : null };
    const now = this.deps.now();
    this.refuseUnsyncedTicket(claim.citizenHmac, service.id, catalog, now);
    const printer = await this.deps.printerMonitor.fresh();
    const willPrint = isPrintable(printer.state);
    const ticketId = uuidV7(now.getTime(), randomBytes(16));
    const decision = await this.deps.allocator.decide({ ticketId, service, hall: catalog.hall, now, citizenHmac: claim.citizenHmac });
    this.refuseSecondTicket(claim.citizenHmac, service.id, decision);

    const outcome = store.checkInTicket({
      ticketId,
      requestId: request.requestId,
      appointmentId: appointment.appointmentId,
      serviceId: service.id,
      businessDay: decision.businessDay,
      number: decision.choice,
      peopleAhead: decision.peopleAhead,
      peopleAheadApproximate: decision.peopleAheadApproximate,
      issuedOffline: decision.issuedOffline,
      printState: willPrint ? PrintState.Pending : PrintState.OnScreenOnly,
      maskedName: claim.holder ? eventMaskedName(claim.holder.maskedName) : null,
    });
    if (outcome.kind === 'not-booked') return this.notBooked(outcome.appointment, outcome.ticket);
    if (outcome.ticket.ticketId !== ticketId) return { kind: 'issued', view: toTicketView(outcome.ticket, catalog) };
    // A ticket issued during a visit ends it, whoever's appointment it was: the card goes.
    const view = this.issued(outcome.ticket, catalog, claim, decision.portal, willPrint ? null : printer.state, visitor !== null);
    return { kind: 'issued', view };
  }

  private notBooked(appointment: StoredAppointment | null, ticket?: StoredTicket | null): CheckInIssued {
    const mine = ticket ?? (appointment ? this.deps.store.ticketOfAppointment(appointment.appointmentId) : null);
    return { kind: 'not-booked', appointment, ticket: mine ? toTicketView(mine, this.deps.store.loadCatalog()) : null };
  }

  private openService(serviceId: string): { catalog: Catalog; service: Catalog['services'][number] } {
    const catalog = this.deps.store.loadCatalog();
    if (!catalog) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'service catalog not loaded yet');
    const service = catalog.services.find((s) => s.id === serviceId);
    if (!service) throw new KioskError(KioskErrorCode.UnknownService, `unknown service ${serviceId}`);
    if (!service.enabled) throw new KioskError(KioskErrorCode.ServiceUnavailable, `${serviceId} is closed`);
    return { catalog, service };
  }

  /**
   * Walk-in tickets only while the service is open, when the hall says so (`ticketsOnlyInHours`):
   * hours and calendar as pulled, read at the hall's time (kiosk clock plus the accepted offset).
   * A check-in is not held to them: the appointment's own window decides it.
   */
  private refuseOutsideHours(catalog: Catalog, service: Catalog['services'][number], now: Date): void {
    if (catalog.hall.ticketsOnlyInHours !== true) return;
    const hallNow = new Date(now.getTime() + (this.deps.store.syncState().clockOffsetMs ?? 0));
    const hours = ticketHoursAt(hallNow, catalog.hall.timeZone, service.hours, catalog.hall.calendar);
    if (hours.open) return;
    throw new KioskError(KioskErrorCode.ServiceClosed, `${service.id} takes tickets only in its opening hours; today: ${describeRanges(hours.ranges)}`);
  }

  /**
   * Offline, the kiosk cannot know the hall's count against the daily quota; what it issued itself
   * is a part of it, so once that alone reaches the quota it stops. (Online, the portal counts.)
   */
  private refuseOverQuotaOffline(service: Catalog['services'][number], decision: NumberDecision): void {
    const quota = service.dailyQuota ?? null;
    if (quota === null || !decision.issuedOffline) return;
    if (this.deps.store.countTicketsIssued(service.id, decision.businessDay) < quota) return;
    throw new KioskError(KioskErrorCode.QuotaReached, `${service.id} issued its ${quota} tickets of ${decision.businessDay}`);
  }

  /** A ticket the portal has not heard of yet: it could not refuse a second one itself. */
  private refuseUnsyncedTicket(citizenHmac: string | null, serviceId: string, catalog: Catalog, now: Date): void {
    if (!citizenHmac) return;
    const { store } = this.deps;
    // The stored offset is the accepted one, the same the allocator numbers with.
    const day = hallBusinessDay(now, store.syncState().clockOffsetMs, catalog.hall.timeZone, catalog.hall.businessDayStartHour);
    const unsynced = store.citizenTickets(citizenHmac, serviceId, day).find((t) => t.awaitingSync);
    if (unsynced) throw alreadyWaiting(unsynced.number);
  }

  /** After the number is decided; no await between this check and the insert: nothing can slip in between. */
  private refuseSecondTicket(citizenHmac: string | null, serviceId: string, decision: NumberDecision): void {
    if (!citizenHmac) return;
    const mine = this.deps.store.citizenTickets(citizenHmac, serviceId, decision.businessDay);
    const blocking = decision.portal === PortalAttempt.Allocated ? mine.find((t) => t.awaitingSync) : mine[0];
    // Offline the kiosk cannot know whether an earlier ticket was called already: one per day, to be safe.
    if (blocking) throw alreadyWaiting(blocking.number);
  }

  /** The ticket is durable: tell the screen and the sync engine, end the visit, print. */
  private issued(
    ticket: StoredTicket,
    catalog: Catalog,
    claim: Claim,
    portal: PortalAttempt,
    notPrintable: PrinterState | null,
    visitEnds = claim.holder !== null,
  ): TicketView {
    const stored = toTicketView(ticket, catalog);
    // The masked name travels with this reply and the outbox event (for the counter console)
    // only; the kiosk's tickets table never holds it.
    const view: TicketView = claim.holder ? { ...stored, holderName: claim.holder.maskedName } : stored;
    this.deps.onIssued(view, portal);
    if (visitEnds) this.deps.onHolderServed?.();
    if (notPrintable !== null) this.deps.onScreenOnly?.(view, notPrintable);
    else this.startPrinting(ticket, catalog, claim.holder?.maskedName ?? null);
    return view;
  }

  private startPrinting(ticket: StoredTicket, catalog: Catalog, holderName: string | null): void {
    const { store, printer } = this.deps;
    const job = printTicketReceipt({ store, printer, catalog, ticket, holderName })
      .then((printed) => this.deps.onUpdated(toTicketView(printed, catalog)))
      .catch((err: unknown) => {
        console.error('receipt printing failed unexpectedly', err);
      });
    this.printing.add(job);
    void job.finally(() => this.printing.delete(job));
    // Tell the screen the receipt is on its way.
    const sending = store.getTicket(ticket.ticketId);
    if (sending) this.deps.onUpdated(toTicketView(sending, catalog));
  }

  /**
   * Prints a ticket's receipt again as a new print job (a technician's decision for a receipt
   * possibly printed, failed or shown on screen only), and waits for the result. The holder's
   * name is not printed: it was never stored.
   */
  async reprint(ticketId: string): Promise<TicketView> {
    const { store, printer } = this.deps;
    const ticket = store.getTicket(ticketId);
    if (!ticket) throw new KioskError(KioskErrorCode.NotFound, 'no such ticket');
    const catalog = store.loadCatalog();
    if (!catalog) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'service catalog not loaded yet');
    const job = printTicketReceipt({ store, printer, catalog, ticket, holderName: null });
    this.printing.add(job);
    try {
      const view = toTicketView(await job, catalog);
      this.deps.onUpdated(view);
      return view;
    } finally {
      this.printing.delete(job);
    }
  }

  /** Waits for receipts in flight (shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.printing]);
  }
}

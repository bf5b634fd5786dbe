import { randomBytes } from 'node:crypto';
import type { Catalog } from '../../common/contract/catalog.js';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { PrintState, type PrinterState, type TicketView } from '../../common/contract/kiosk-api.js';
import { Priority } from '../../common/domain/priority.js';
import { uuidV7 } from '../../common/domain/uuid-v7.js';
import type { KioskStore, StoredTicket } from '../../offline-queue/kiosk-store.js';
import { hallBusinessDay } from '../../offline-queue/hall-clock.js';
import { StoreError } from '../../offline-queue/store-error.js';
import { PortalAttempt, type NumberAllocator } from './number-allocator.js';
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

/**
 * The ticket-issuance path (ARCHITECTURE.md §4): printer checked first, number decided, ticket
 * and outbox event committed in one transaction, and only then printed. The promise resolves once
 * the ticket is durable; printing continues and reports through `onUpdated`.
 */
export class TicketIssuer {
  private readonly printing = new Set<Promise<unknown>>();
  /** Requests being issued: a doubled tap waits for the first instead of asking for a second number. */
  private readonly inFlight = new Map<string, Promise<TicketView>>();

  constructor(private readonly deps: TicketIssuerDeps) {}

  takeTicket(request: { serviceId: string; requestId: string }): Promise<TicketView> {
    const running = this.inFlight.get(request.requestId);
    if (running) return running;
    const issuing = this.issue(request)
      .catch((err: unknown) => {
        // Nothing was written (the store's transaction rolled back): the visitor is told, no number exists.
        if (err instanceof StoreError) throw new KioskError(KioskErrorCode.StorageFailure, `ticket not issued: ${err.code}`, { cause: err });
        throw err;
      })
      .finally(() => this.inFlight.delete(request.requestId));
    this.inFlight.set(request.requestId, issuing);
    return issuing;
  }

  private async issue(request: { serviceId: string; requestId: string }): Promise<TicketView> {
    const { store } = this.deps;
    const existing = store.findTicketByRequestId(request.requestId);
    if (existing) return toTicketView(existing, store.loadCatalog());

    const catalog = store.loadCatalog();
    if (!catalog) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'service catalog not loaded yet');
    const service = catalog.services.find((s) => s.id === request.serviceId);
    if (!service) throw new KioskError(KioskErrorCode.UnknownService, `unknown service ${request.serviceId}`);
    if (!service.enabled) throw new KioskError(KioskErrorCode.ServiceUnavailable, `${request.serviceId} is closed`);

    // Read once, now: the card may be wiped (idle) while the number is being allocated.
    const holder = this.deps.holder?.() ?? null;
    const now = this.deps.now();
    if (holder?.citizenHmac) {
      // A ticket the portal has not heard of yet: it could not refuse a second one itself. The
      // stored offset is the accepted one, the same the allocator numbers with.
      const day = hallBusinessDay(now, store.syncState().clockOffsetMs, catalog.hall.timeZone, catalog.hall.businessDayStartHour);
      const unsynced = store.citizenTickets(holder.citizenHmac, service.id, day).find((t) => t.awaitingSync);
      if (unsynced) throw alreadyWaiting(unsynced.number);
    }

    const printer = await this.deps.printerMonitor.fresh();
    const willPrint = isPrintable(printer.state);
    const ticketId = uuidV7(now.getTime(), randomBytes(16));
    // Online, the portal refuses a second waiting ticket for the card (409 -> already-waiting).
    const decision = await this.deps.allocator.decide({ ticketId, service, hall: catalog.hall, now, citizenHmac: holder?.citizenHmac ?? null });

    if (holder?.citizenHmac) {
      // No await between this check and the insert below: nothing can slip in between.
      const mine = store.citizenTickets(holder.citizenHmac, service.id, decision.businessDay);
      const blocking = decision.portal === PortalAttempt.Allocated ? mine.find((t) => t.awaitingSync) : mine[0];
      // Offline the kiosk cannot know whether an earlier ticket was called already: one per day, to be safe.
      if (blocking) throw alreadyWaiting(blocking.number);
    }

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
      citizenHmac: holder?.citizenHmac ?? null,
      maskedName: holder ? eventMaskedName(holder.maskedName) : null,
    });

    const stored = toTicketView(ticket, catalog);
    // Issued meanwhile under the same requestId (another process on the file): the store returned that ticket.
    if (ticket.ticketId !== ticketId) return stored;
    // The masked name travels with this reply and the outbox event (for the counter console)
    // only; the kiosk's tickets table never holds it.
    const view: TicketView = holder ? { ...stored, holderName: holder.maskedName } : stored;
    this.deps.onIssued(view, decision.portal);
    if (holder) this.deps.onHolderServed?.();
    if (!willPrint) this.deps.onScreenOnly?.(view, printer.state);
    if (willPrint) this.startPrinting(ticket, catalog, holder?.maskedName ?? null);
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

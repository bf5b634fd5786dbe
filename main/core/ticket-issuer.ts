import { randomBytes } from 'node:crypto';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { PrintState, type TicketView } from '../../common/contract/kiosk-api.js';
import { Priority } from '../../common/domain/priority.js';
import { uuidV7 } from '../../common/domain/uuid-v7.js';
import type { ReceiptPrinter } from '../../devices/printer/escpos-printer.js';
import type { KioskStore, StoredTicket } from '../../offline-queue/kiosk-store.js';
import { StoreError } from '../../offline-queue/store-error.js';
import type { NumberAllocator } from './number-allocator.js';
import { canPrint, type PrinterMonitor } from './printer-monitor.js';
import { printTicketReceipt } from './receipt-printing.js';
import { toTicketView } from './ticket-view.js';

export interface TicketIssuerDeps {
  store: KioskStore;
  allocator: NumberAllocator;
  printer: ReceiptPrinter;
  printerMonitor: PrinterMonitor;
  now: () => Date;
  /** Called after the ticket is durable: wake the sync engine, tell the screen. */
  onIssued: (view: TicketView, portalAnswered: boolean) => void;
  onUpdated: (view: TicketView) => void;
}

/**
 * The ticket-issuance path (ARCHITECTURE.md §4): printer checked first, number decided, ticket
 * and outbox event committed in one transaction, and only then printed. The promise resolves once
 * the ticket is durable; printing continues and reports through `onUpdated`.
 */
export class TicketIssuer {
  private readonly printing = new Set<Promise<unknown>>();

  constructor(private readonly deps: TicketIssuerDeps) {}

  async takeTicket(request: { serviceId: string; requestId: string }): Promise<TicketView> {
    const { store } = this.deps;
    const existing = store.findTicketByRequestId(request.requestId);
    if (existing) return toTicketView(existing, store.loadCatalog());

    const catalog = store.loadCatalog();
    if (!catalog) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'service catalog not loaded yet');
    const service = catalog.services.find((s) => s.id === request.serviceId);
    if (!service) throw new KioskError(KioskErrorCode.UnknownService, `unknown service ${request.serviceId}`);
    if (!service.enabled) throw new KioskError(KioskErrorCode.ServiceUnavailable, `${request.serviceId} is closed`);

    const printer = await this.deps.printerMonitor.fresh();
    const willPrint = canPrint(printer.state);
    const now = this.deps.now();
    const ticketId = uuidV7(now.getTime(), randomBytes(16));
    const decision = await this.deps.allocator.decide({ ticketId, service, hall: catalog.hall, now });

    let ticket: StoredTicket;
    try {
      ticket = store.issueTicket({
        ticketId,
        requestId: request.requestId,
        serviceId: service.id,
        businessDay: decision.businessDay,
        priority: Priority.Normal,
        number: decision.choice,
        peopleAhead: decision.peopleAhead,
        peopleAheadApproximate: decision.peopleAheadApproximate,
        issuedOffline: decision.issuedOffline,
        printState: willPrint ? PrintState.Pending : PrintState.OnScreenOnly,
        citizenHmac: null,
      });
    } catch (err) {
      if (err instanceof StoreError) {
        throw new KioskError(KioskErrorCode.StorageFailure, `ticket not issued: ${err.code}`, { cause: err });
      }
      throw err;
    }

    const view = toTicketView(ticket, catalog);
    this.deps.onIssued(view, decision.portalAnswered);
    if (willPrint) this.startPrinting(ticket);
    return view;
  }

  private startPrinting(ticket: StoredTicket): void {
    const { store, printer } = this.deps;
    const catalog = store.loadCatalog();
    if (!catalog) return;
    const job = printTicketReceipt({ store, printer, catalog, ticket })
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

  /** Waits for receipts in flight (shutdown, tests). */
  async idle(): Promise<void> {
    await Promise.all([...this.printing]);
  }
}

import { PrintState } from '../../common/contract/kiosk-api.js';
import type { Catalog } from '../../common/contract/catalog.js';
import { composeTicketReceipt } from '../../devices/printer/ticket-receipt.js';
import type { ReceiptPrinter } from '../../devices/printer/escpos-printer.js';
import type { KioskStore, StoredTicket } from '../../offline-queue/kiosk-store.js';
import { serviceNameOf, ticketQrData } from './ticket-view.js';

/**
 * Prints one ticket's receipt. The job is recorded before a byte is sent (docs/architecture.md §4 (2)),
 * so a crash mid-send leaves a 'sending' job that the store turns into 'possibly printed' at the
 * next start instead of printing it again. A failure never invalidates the ticket: the screen
 * keeps showing it.
 */
export async function printTicketReceipt(deps: {
  store: KioskStore;
  printer: ReceiptPrinter;
  catalog: Catalog;
  ticket: StoredTicket;
  /** The identified visitor's masked name (`䶮*`), printed on the receipt; null for none. */
  holderName?: string | null;
}): Promise<StoredTicket> {
  const { store, printer, catalog, ticket } = deps;
  const bytes = composeTicketReceipt({
    hallName: catalog.hall.name,
    serviceName: serviceNameOf(catalog, ticket.serviceId),
    number: ticket.number,
    peopleAhead: ticket.peopleAhead,
    peopleAheadApproximate: ticket.peopleAheadApproximate,
    issuedAt: new Date(ticket.issuedAt),
    timeZone: catalog.hall.timeZone,
    issuedOffline: ticket.issuedOffline,
    qrData: ticketQrData(ticket),
    holderName: deps.holderName ?? null,
    appointmentStart: ticket.appointmentStart === null ? null : new Date(ticket.appointmentStart),
  });
  const jobId = store.recordPrintJob(ticket.ticketId, bytes.length);
  store.markPrintJob(jobId, 'sending');
  try {
    // print() checks DLE EOT before and after the job: paper out mid-job is a failure, not a receipt.
    await printer.print(bytes);
    store.markPrintJob(jobId, 'printed');
  } catch (err) {
    store.markPrintJob(jobId, 'failed', err instanceof Error ? err.message : String(err));
  }
  return store.getTicket(ticket.ticketId) ?? { ...ticket, printState: PrintState.Failed };
}

import type { Catalog } from '../../common/contract/catalog.js';
import type { TicketView } from '../../common/contract/kiosk-api.js';
import type { StoredTicket } from '../../offline-queue/kiosk-store.js';

/** What the visitor sees of a stored ticket: no citizen data, service names from the catalog. */
export function toTicketView(ticket: StoredTicket, catalog: Catalog | null): TicketView {
  const service = catalog?.services.find((s) => s.id === ticket.serviceId);
  return {
    ticketId: ticket.ticketId,
    number: ticket.number,
    numberSource: ticket.numberSource,
    serviceId: ticket.serviceId,
    serviceName: service ? service.name : { zh: ticket.serviceId, en: ticket.serviceId },
    issuedAt: ticket.issuedAt,
    peopleAhead: ticket.peopleAhead,
    peopleAheadApproximate: ticket.peopleAheadApproximate,
    issuedOffline: ticket.issuedOffline,
    printState: ticket.printState,
  };
}

/** The QR code on the receipt and the on-screen ticket: enough to find the ticket, nothing personal. */
export function ticketQrData(ticket: Pick<StoredTicket, 'ticketId' | 'number'>): string {
  return `HK1:${ticket.ticketId}:${ticket.number}`;
}

import type { Catalog, LocalizedText } from '../../common/contract/catalog.js';
import type { TicketView } from '../../common/contract/kiosk-api.js';
import type { StoredTicket } from '../../offline-queue/kiosk-store.js';

/** A service's names from the catalog; its id in both languages if the catalog no longer has it. */
export function serviceNameOf(catalog: Catalog | null, serviceId: string): LocalizedText {
  return catalog?.services.find((s) => s.id === serviceId)?.name ?? { zh: serviceId, en: serviceId };
}

/** What the visitor sees of a stored ticket: no citizen data, service names from the catalog. */
export function toTicketView(ticket: StoredTicket, catalog: Catalog | null): TicketView {
  return {
    ticketId: ticket.ticketId,
    number: ticket.number,
    numberSource: ticket.numberSource,
    serviceId: ticket.serviceId,
    serviceName: serviceNameOf(catalog, ticket.serviceId),
    issuedAt: ticket.issuedAt,
    peopleAhead: ticket.peopleAhead,
    peopleAheadApproximate: ticket.peopleAheadApproximate,
    issuedOffline: ticket.issuedOffline,
    printState: ticket.printState,
    appointmentStart: ticket.appointmentStart,
  };
}

/** The QR code on the receipt and the on-screen ticket: enough to find the ticket, nothing personal. */
export function ticketQrData(ticket: Pick<StoredTicket, 'ticketId' | 'number'>): string {
  return `HK1:${ticket.ticketId}:${ticket.number}`;
}

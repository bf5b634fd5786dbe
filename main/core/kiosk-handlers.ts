import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import type { KioskHandlers, PrinterStatus, Connectivity } from '../../common/contract/kiosk-api.js';
import type { KioskStore } from '../../offline-queue/kiosk-store.js';
import type { TicketIssuer } from './ticket-issuer.js';
import { toTicketView } from './ticket-view.js';

/** The contract's methods, one line of composition each; the work lives in the flows. */
export function createKioskHandlers(deps: {
  store: KioskStore;
  issuer: TicketIssuer;
  printerStatus: () => PrinterStatus;
  connectivity: () => Connectivity;
}): KioskHandlers {
  return {
    async listServices() {
      const catalog = deps.store.loadCatalog();
      if (!catalog) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'service catalog not loaded yet');
      const services = catalog.services
        .filter((s) => s.enabled)
        .sort((a, b) => a.sortOrder - b.sortOrder)
        .map(({ id, prefix, name, description }) => ({ id, prefix, name, description }));
      return { hall: catalog.hall, services };
    },
    takeTicket: (request) => deps.issuer.takeTicket(request),
    async getTicket({ ticketId }) {
      const ticket = deps.store.getTicket(ticketId);
      if (!ticket) throw new KioskError(KioskErrorCode.NotFound, 'no such ticket');
      return toTicketView(ticket, deps.store.loadCatalog());
    },
    async getStatus() {
      return { printer: deps.printerStatus(), connectivity: deps.connectivity() };
    },
  };
}

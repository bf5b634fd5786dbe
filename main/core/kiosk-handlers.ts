import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { ScanSource, type KioskHandlers, type PrinterStatus, type Connectivity } from '../../common/contract/kiosk-api.js';
import type { KioskStore } from '../../offline-queue/kiosk-store.js';
import type { TechnicianHandlers } from './technician-service.js';
import type { TicketIssuer } from './ticket-issuer.js';
import { toTicketView } from './ticket-view.js';
import type { VisitorFlow } from './visitor-flow.js';
import type { VisitorSession } from './visitor-session.js';

/** The contract's methods, one line of composition each; the work lives in the flows. */
export function createKioskHandlers(deps: {
  store: KioskStore;
  issuer: TicketIssuer;
  printerStatus: () => PrinterStatus;
  connectivity: () => Connectivity;
  visitors: VisitorFlow;
  session: VisitorSession;
  technician: TechnicianHandlers;
}): KioskHandlers {
  return {
    ...deps.technician,
    async listServices() {
      const catalog = deps.store.loadCatalog();
      if (!catalog) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'service catalog not loaded yet');
      const services = catalog.services
        .filter((s) => s.enabled)
        .sort((a, b) => a.sortOrder - b.sortOrder)
        .map(({ id, prefix, name, description }) => ({ id, prefix, name, description }));
      return { hall: catalog.hall, services };
    },
    takeTicket: (request) => {
      // A tap that reaches the core is activity: the identified visitor is not idle.
      deps.session.touch();
      return deps.issuer.takeTicket(request);
    },
    async getTicket({ ticketId }) {
      const ticket = deps.store.getTicket(ticketId);
      if (!ticket) throw new KioskError(KioskErrorCode.NotFound, 'no such ticket');
      return toTicketView(ticket, deps.store.loadCatalog());
    },
    async getStatus() {
      return { printer: deps.printerStatus(), connectivity: deps.connectivity() };
    },
    async getVisitor() {
      return { visitor: deps.session.current()?.view ?? null };
    },
    async endVisit() {
      return { cleared: deps.visitors.endVisit() };
    },
    async submitScan({ code }) {
      return deps.visitors.onScan(code, ScanSource.KeyboardWedge);
    },
  };
}

import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { ScanSource, type KioskHandlers, type PrinterStatus, type Connectivity } from '../../common/contract/kiosk-api.js';
import type { KioskStore } from '../../offline-queue/kiosk-store.js';
import type { CasesFlow } from './cases-flow.js';
import { checkCertificate } from './certificate-check.js';
import type { CheckInFlow } from './check-in-flow.js';
import type { RatingFlow } from './rating-flow.js';
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
  checkIns: CheckInFlow;
  cases: CasesFlow;
  ratings: RatingFlow;
  printGuide: (serviceId: string) => Promise<{ printed: boolean }>;
  /** Whether this kiosk offers a service (the hall manager's list; default all). */
  offers?: (serviceId: string) => boolean;
  /** One bounded pull when a slip names a certificate key this kiosk has not pulled (certificate-check.ts). */
  refreshCertificateKeys?: () => Promise<void>;
}): KioskHandlers {
  // Every journey a visitor starts is activity: the identified visitor is not idle.
  const active = <T>(work: () => Promise<T>): Promise<T> => {
    deps.session.touch();
    return work();
  };
  return {
    ...deps.technician,
    async listServices() {
      const catalog = deps.store.loadCatalog();
      if (!catalog) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'service catalog not loaded yet');
      const services = catalog.services
        .filter((s) => s.enabled && (deps.offers?.(s.id) ?? true))
        .sort((a, b) => a.sortOrder - b.sortOrder)
        .map(({ id, prefix, name, description, hours, guide, searchKeys, booking }) => ({ id, prefix, name, description, hours, guide, searchKeys, booking }));
      return { hall: catalog.hall, services };
    },
    takeTicket: (request) => active(() => deps.issuer.takeTicket(request)),
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
    checkIn: (request) => active(() => deps.checkIns.checkIn(request)),
    printGuide: ({ serviceId }) => active(() => deps.printGuide(serviceId)),
    lookupCases: () => active(() => deps.cases.lookup()),
    printCertificateSlip: ({ caseNumber }) => active(() => deps.cases.printCertificateSlip(caseNumber)),
    async verifyCertificate({ code }) {
      // Offline by design: the hall's public keys came with the last pull (one more for a key not seen yet).
      return checkCertificate(code, { keys: () => deps.store.certificateKeys(), refresh: deps.refreshCertificateKeys });
    },
    findRateableTickets: (request) => active(() => deps.ratings.find(request)),
    submitRating: (request) => active(() => deps.ratings.submit(request)),
  };
}

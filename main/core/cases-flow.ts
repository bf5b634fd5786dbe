import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import type { KioskCasesView } from '../../common/contract/kiosk-api.js';
import { composeCertificateSlip } from '../../devices/printer/certificate-slip.js';
import type { KioskStore } from '../../offline-queue/kiosk-store.js';
import { portalAnswered, type PortalClient } from '../../offline-queue/sync/portal-client.js';
import type { DocumentPrinter } from './document-printing.js';
import type { PortalReachability } from './portal-reachability.js';

export interface CasesFlowDeps {
  store: KioskStore;
  client: Pick<PortalClient, 'kioskCases'>;
  /** How long the visitor waits for the portal before the cached list is shown. */
  budgetMs: number;
  /** Skips the portal for a moment after it failed (the same gate online numbering uses). */
  reachability: PortalReachability;
  printer: DocumentPrinter;
  /** The identified visitor's citizen HMAC (null: nobody identified, or no hall key yet). */
  visitorHmac: () => string | null;
  visitorPresent: () => boolean;
  now: () => Date;
}

/**
 * 办件进度 at the kiosk (issue 9 §4): the identified visitor's cases, asked of the portal by HMAC
 * with a short budget and cached (with the time the portal answered) for when it cannot answer;
 * then the cached list with its age (`fromCache`), or an empty one. Looking does not end the visit.
 */
export class CasesFlow {
  constructor(private readonly deps: CasesFlowDeps) {}

  async lookup(): Promise<KioskCasesView> {
    this.requireVisitor();
    const hmac = this.deps.visitorHmac();
    // Without the hall key nothing can be asked or found: the portal has not been reached yet.
    if (hmac === null) return { cases: [], fetchedAt: null, fromCache: true };
    const { reachability } = this.deps;
    if (reachability.shouldTryOnline()) {
      try {
        const answer = await this.deps.client.kioskCases({ citizenHmac: hmac }, this.deps.budgetMs);
        reachability.recordAnswered();
        const fetchedAt = this.deps.now().toISOString();
        this.deps.store.saveCases(hmac, answer.cases, fetchedAt);
        return { cases: answer.cases, fetchedAt, fromCache: false };
      } catch (err) {
        reachability.record(portalAnswered(err));
      }
    }
    const cached = this.deps.store.cachedCases(hmac);
    return { cases: cached?.cases ?? [], fetchedAt: cached?.fetchedAt ?? null, fromCache: true };
  }

  /**
   * Prints the verification slip of a case's e-certificate from the visitor's list as last fetched
   * (lookupCases caches every answer), so it prints offline too.
   */
  async printCertificateSlip(caseNumber: string): Promise<{ printed: boolean }> {
    this.requireVisitor();
    const hmac = this.deps.visitorHmac();
    const found = hmac === null ? undefined : this.deps.store.cachedCases(hmac)?.cases.find((c) => c.caseNumber === caseNumber);
    if (!found) throw new KioskError(KioskErrorCode.NotFound, `case ${caseNumber} is not among the visitor's cases`);
    if (!found.certificate) throw new KioskError(KioskErrorCode.NotFound, `case ${caseNumber} has no e-certificate`);
    const catalog = this.deps.store.loadCatalog();
    const { payload, code } = found.certificate;
    const bytes = composeCertificateSlip({
      hallName: catalog?.hall.name ?? { zh: payload.hallId, en: payload.hallId },
      title: payload.title,
      holderName: payload.holderName,
      caseNumber: payload.caseNumber,
      issuedAt: new Date(payload.issuedAt),
      timeZone: catalog?.hall.timeZone ?? 'Asia/Shanghai',
      code,
    });
    return this.deps.printer.print(bytes, 'certificate slip');
  }

  /** Cases are the card holder's: without a card there is nobody to look up (the screen asks for one). */
  private requireVisitor(): void {
    if (!this.deps.visitorPresent()) throw new KioskError(KioskErrorCode.BadRequest, 'cases need an identified visitor');
  }
}

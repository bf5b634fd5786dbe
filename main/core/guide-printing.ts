import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { composeGuideReceipt } from '../../devices/printer/guide-receipt.js';
import type { KioskStore } from '../../offline-queue/kiosk-store.js';
import type { DocumentPrinter } from './document-printing.js';

/**
 * "Bring these" (办事指南): prints a service's materials list from the guide pulled with the
 * catalog, so it works offline. Only a service the kiosk offers (enabled) is printed.
 */
export async function printServiceGuide(
  deps: { store: KioskStore; printer: DocumentPrinter; now: () => Date },
  serviceId: string,
): Promise<{ printed: boolean }> {
  const catalog = deps.store.loadCatalog();
  if (!catalog) throw new KioskError(KioskErrorCode.ServiceUnavailable, 'service catalog not loaded yet');
  const service = catalog.services.find((s) => s.id === serviceId && s.enabled);
  if (!service) throw new KioskError(KioskErrorCode.UnknownService, `unknown service ${serviceId}`);
  if (!service.guide) throw new KioskError(KioskErrorCode.NotFound, `${serviceId} has no guide`);
  const bytes = composeGuideReceipt({
    hallName: catalog.hall.name,
    serviceName: service.name,
    materials: service.guide.materials,
    fees: service.guide.fees,
    location: service.guide.location,
    promisedTimeLimitDays: service.guide.promisedTimeLimitDays,
    printedAt: deps.now(),
    timeZone: catalog.hall.timeZone,
  });
  return deps.printer.print(bytes, 'materials list');
}

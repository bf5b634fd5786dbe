import { Catalog } from '../../../common/contract/catalog.js';
import { MaterialForm, ServiceChannel } from '../../../common/contract/guide.js';
import { VisitorClearReason, type TicketView } from '../../../common/contract/kiosk-api.js';
import type { PullResponse } from '../../../common/contract/sync-api.js';
import { NumberSource } from '../../../common/domain/ticket-number.js';
import { createEscPosPrinter, type ReceiptPrinter } from '../../../devices/printer/escpos-printer.js';
import type { PrinterSimulator } from '../../../devices/printer/simulator/printer-simulator.js';
import { createTcpPrinterTransport } from '../../../devices/printer/tcp-printer-transport.js';
import { openKioskStore, type KioskStore } from '../../../offline-queue/kiosk-store.js';
import { TEST_CITIZEN_KEY } from '../../../offline-queue/testing/fake-portal.js';
import { testPull } from '../../../offline-queue/testing/store-fixtures.js';
import { citizenHmacOf } from '../citizen-hmac.js';
import { DocumentPrinter } from '../document-printing.js';
import { PortalAttempt, type NumberAllocator } from '../number-allocator.js';
import { PrinterMonitor } from '../printer-monitor.js';
import { ticketHolderOf } from '../ticket-holder.js';
import { TicketIssuer } from '../ticket-issuer.js';
import { VisitorSession } from '../visitor-session.js';

/** 01:10Z: 09:10 in Shanghai on 2025-03-10, twenty minutes before a 09:30 slot. */
export const JOURNEY_NOW = '2025-03-10T01:10:00.000Z';
export const JOURNEY_DAY = '2025-03-10';

/** A hall with a guide and the default check-in window (30 min before, 15 after). */
export const journeyCatalog: Catalog = Catalog.parse({
  hall: { hallId: 'hall-1', name: { zh: '市民中心', en: 'Civic Centre' }, timeZone: 'Asia/Shanghai' },
  services: [
    {
      id: 'social-insurance',
      prefix: 'A',
      name: { zh: '社保', en: 'Social insurance' },
      description: null,
      enabled: true,
      sortOrder: 1,
      guide: {
        conditions: [{ zh: '本市参保人员', en: 'Insured in this city' }],
        materials: [
          { name: { zh: '居民身份证', en: 'Resident ID card' }, form: MaterialForm.Original, count: 1 },
          { name: { zh: '劳动合同', en: 'Employment contract' }, form: MaterialForm.Copy, count: 2 },
        ],
        fees: { zh: '不收费', en: 'Free of charge' },
        legalTimeLimitDays: 20,
        promisedTimeLimitDays: 5,
        location: { zh: '二楼 12 号窗口', en: 'Floor 2, window 12' },
        channel: ServiceChannel.Both,
      },
    },
    { id: 'housing-fund', prefix: 'C', name: { zh: '公积金', en: 'Housing fund' }, description: null, enabled: true, sortOrder: 2 },
  ],
});

/** The HMAC a card's number has with the test portal's citizen key. */
export function hmacOfCard(idNumber: string): string {
  return citizenHmacOf(TEST_CITIZEN_KEY, idNumber);
}

export interface JourneyKiosk {
  store: KioskStore;
  printer: ReceiptPrinter;
  monitor: PrinterMonitor;
  documents: DocumentPrinter;
  session: VisitorSession;
  issuer: TicketIssuer;
  /** The allocator answers online (A001, A002 …) while true, else the kiosk series. */
  online: { value: boolean };
  /** Portal clock minus kiosk clock, as accepted. */
  offsetMs: { value: number };
  cleared: VisitorClearReason[];
  issued: TicketView[];
  now: () => Date;
  hallNow: () => Date;
  close(): Promise<void>;
}

/**
 * The kiosk core's real parts for journey tests: a SQLite file, the printer simulator over TCP,
 * the printer monitor, a visitor session and the ticket issuer; only online numbering is faked.
 */
export function journeyKiosk(opts: { file: string; sim: PrinterSimulator; pull?: Partial<PullResponse>; now?: string }): JourneyKiosk {
  const at = new Date(opts.now ?? JOURNEY_NOW);
  const now = (): Date => at;
  const store = openKioskStore({ path: opts.file, now });
  store.applyPull(testPull({ catalog: journeyCatalog, ...opts.pull }));
  const printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: opts.sim.port }), { statusTimeoutMs: 1_000 });
  const monitor = new PrinterMonitor(printer, { pollIntervalMs: 60_000, freshMs: 0, now: () => new Date(), onChange: () => undefined });
  const online = { value: false };
  const offsetMs = { value: 0 };
  let onlineSeq = 0;
  const allocator: NumberAllocator = {
    async decide({ service }) {
      if (online.value) {
        onlineSeq += 1;
        return {
          choice: { source: NumberSource.Portal, number: `${service.prefix}${String(onlineSeq).padStart(3, '0')}` },
          businessDay: JOURNEY_DAY,
          peopleAhead: 0,
          peopleAheadApproximate: false,
          issuedOffline: false,
          portal: PortalAttempt.Allocated,
        };
      }
      return {
        choice: { source: NumberSource.KioskSeries, prefix: service.prefix, kioskDigit: 1 },
        businessDay: JOURNEY_DAY,
        peopleAhead: null,
        peopleAheadApproximate: true,
        issuedOffline: true,
        portal: PortalAttempt.Unanswered,
      };
    },
  };
  const cleared: VisitorClearReason[] = [];
  const issued: TicketView[] = [];
  const session = new VisitorSession({
    idleTimeoutMs: 60_000,
    elderlyAge: 60,
    now,
    today: () => JOURNEY_DAY,
    onIdentified: () => undefined,
    onCleared: (reason) => cleared.push(reason),
  });
  const issuer = new TicketIssuer({
    store,
    allocator,
    printer,
    printerMonitor: monitor,
    now,
    onIssued: (view) => issued.push(view),
    onUpdated: () => undefined,
    holder: () => ticketHolderOf(session.current(), store.syncState().citizenKey),
    onHolderServed: () => session.end(VisitorClearReason.TicketIssued),
  });
  return {
    store,
    printer,
    monitor,
    documents: new DocumentPrinter(printer, monitor),
    session,
    issuer,
    online,
    offsetMs,
    cleared,
    issued,
    now,
    hallNow: () => new Date(at.getTime() + offsetMs.value),
    async close() {
      session.close();
      await issuer.idle();
      await printer.close();
      store.close();
    },
  };
}

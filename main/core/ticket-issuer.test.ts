import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../common/contract/catalog.js';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { PrintState, type TicketView } from '../../common/contract/kiosk-api.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { createEscPosPrinter, type ReceiptPrinter } from '../../devices/printer/escpos-printer.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { createTcpPrinterTransport } from '../../devices/printer/tcp-printer-transport.js';
import { openKioskDatabase } from '../../offline-queue/db/open-database.js';
import { KioskStore } from '../../offline-queue/kiosk-store.js';
import { testBand } from '../../offline-queue/testing/store-fixtures.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { PortalAttempt, type NumberAllocator, type NumberDecision } from './number-allocator.js';
import { PrinterMonitor } from './printer-monitor.js';
import { TicketIssuer } from './ticket-issuer.js';

const tmp = makeTempDir('issuer');
const DAY = '2025-03-10';
const catalog: Catalog = Catalog.parse({
  hall: { hallId: 'hall-1', name: { zh: '市民中心', en: 'Civic Centre' }, timeZone: 'Asia/Shanghai' },
  services: [
    { id: 'social-insurance', prefix: 'A', name: { zh: '社保', en: 'Social insurance' }, description: null, enabled: true, sortOrder: 1 },
    { id: 'closed-desk', prefix: 'Z', name: { zh: '暂停', en: 'Closed' }, description: null, enabled: false, sortOrder: 2 },
  ],
});

let sim: PrinterSimulator;
let printer: ReceiptPrinter;
let file: string;
let db: Database.Database;
let store: KioskStore;
let issuer: TicketIssuer;
let decisions: number;
let issued: { view: TicketView; portal: PortalAttempt }[];
let updates: TicketView[];

beforeAll(async () => {
  sim = await PrinterSimulator.start({ port: 0 });
});
afterAll(async () => {
  await sim.stop();
  tmp.remove();
});

/** An allocator that always answers with a band number (offline), counting its calls. */
const bandAllocator: NumberAllocator = {
  async decide({ service }): Promise<NumberDecision> {
    decisions++;
    await new Promise((resolve) => setTimeout(resolve, 20)); // an online attempt takes a moment
    return {
      choice: { source: NumberSource.Band, prefix: service.prefix, kioskDigit: 3 },
      businessDay: DAY,
      peopleAhead: 4,
      peopleAheadApproximate: true,
      issuedOffline: true,
      portal: PortalAttempt.Unanswered,
    };
  },
};

beforeEach(() => {
  sim.setFaults({ paperOut: false, coverOpen: false, offline: false, paperNearEnd: false });
  file = tmp.file('issuer');
  db = openKioskDatabase(file);
  store = new KioskStore(db);
  store.saveCatalog(catalog);
  store.applyLease(store.pendingLease('social-insurance', DAY, 10).leaseId, testBand({ businessDay: DAY, firstSequence: 801, lastSequence: 810 }));
  printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: sim.port }), { statusTimeoutMs: 1_000 });
  decisions = 0;
  issued = [];
  updates = [];
  issuer = new TicketIssuer({
    store,
    allocator: bandAllocator,
    printer,
    // freshMs 0: every issuance reads the printer's status now.
    printerMonitor: new PrinterMonitor(printer, { pollIntervalMs: 60_000, freshMs: 0, now: () => new Date(), onChange: () => undefined }),
    now: () => new Date(),
    onIssued: (view, portal) => issued.push({ view, portal }),
    onUpdated: (view) => updates.push(view),
  });
});
afterEach(async () => {
  await issuer.idle();
  await printer.close();
  store.close();
});

function rows(table: string): number {
  return Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
}

async function kioskError(p: Promise<unknown>): Promise<KioskError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(KioskError);
    return err as KioskError;
  }
  throw new Error('expected a KioskError');
}

describe('TicketIssuer', () => {
  it('issues, commits, then prints: the receipt carries the band number and the ticket ends Printed', async () => {
    const view = await issuer.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() });
    expect(view).toMatchObject({ number: 'A801', numberSource: NumberSource.Band, issuedOffline: true, peopleAhead: 4, peopleAheadApproximate: true });
    expect(issued.map((i) => [i.view.number, i.portal])).toEqual([['A801', PortalAttempt.Unanswered]]);
    await issuer.idle();
    expect(store.getTicket(view.ticketId)?.printState).toBe(PrintState.Printed);
    expect(updates.at(-1)?.printState).toBe(PrintState.Printed);
    expect(sim.jobs().at(-1)?.receipt.text).toContain('A801');
    expect(store.backlog()).toBe(1);
  });

  it('when the printer is not ready before issuance: an on-screen ticket, no print job, nothing sent to the printer', async () => {
    sim.setFaults({ paperOut: true });
    const jobsBefore = sim.jobs().length;
    const view = await issuer.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() });
    await issuer.idle();
    expect(view.printState).toBe(PrintState.OnScreenOnly);
    expect(store.getTicket(view.ticketId)?.printState).toBe(PrintState.OnScreenOnly);
    expect(rows('print_jobs')).toBe(0);
    expect(sim.jobs()).toHaveLength(jobsBefore);
    expect(updates).toEqual([]);
    expect(store.backlog()).toBe(1); // still a real ticket, on its way to the portal
  });

  it('turns a storage failure into storage-failure with nothing half-written: no ticket, no event, no band number used', async () => {
    db.exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(FAIL, 'disk trouble'); END");
    const err = await kioskError(issuer.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() }));
    expect(err.code).toBe(KioskErrorCode.StorageFailure);
    expect(err.toPayload().message).not.toContain('disk trouble');
    expect([rows('tickets'), rows('outbox'), rows('print_jobs')]).toEqual([0, 0, 0]);
    expect(store.bandsRemaining('social-insurance', DAY)).toBe(10);
    expect(issued).toEqual([]);
    db.exec('DROP TRIGGER fail_outbox');
    expect((await issuer.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() })).number).toBe('A801');
  });

  it('is idempotent by requestId, for a retry and for a doubled tap in flight: one number, one event, one receipt', async () => {
    const requestId = randomUUID();
    const jobsBefore = sim.jobs().length;
    const [a, b] = await Promise.all([
      issuer.takeTicket({ serviceId: 'social-insurance', requestId }),
      issuer.takeTicket({ serviceId: 'social-insurance', requestId }),
    ]);
    const c = await issuer.takeTicket({ serviceId: 'social-insurance', requestId });
    await issuer.idle();
    expect(b.ticketId).toBe(a.ticketId);
    expect(c.ticketId).toBe(a.ticketId);
    expect(decisions).toBe(1);
    expect(issued).toHaveLength(1);
    expect(rows('tickets')).toBe(1);
    expect(store.backlog()).toBe(1);
    expect(sim.jobs().length - jobsBefore).toBe(1);
    expect(store.bandsRemaining('social-insurance', DAY)).toBe(9);
  });

  it('refuses an unknown service, a closed one, and any service before the catalog is known', async () => {
    expect((await kioskError(issuer.takeTicket({ serviceId: 'no-such-service', requestId: randomUUID() }))).code).toBe(KioskErrorCode.UnknownService);
    expect((await kioskError(issuer.takeTicket({ serviceId: 'closed-desk', requestId: randomUUID() }))).code).toBe(KioskErrorCode.ServiceUnavailable);
    expect(decisions).toBe(0);
    expect(rows('tickets')).toBe(0);

    const empty = new KioskStore(openKioskDatabase(tmp.file('no-catalog')));
    const fresh = new TicketIssuer({
      store: empty,
      allocator: bandAllocator,
      printer,
      printerMonitor: new PrinterMonitor(printer, { pollIntervalMs: 60_000, freshMs: 0, now: () => new Date(), onChange: () => undefined }),
      now: () => new Date(),
      onIssued: () => undefined,
      onUpdated: () => undefined,
    });
    expect((await kioskError(fresh.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() }))).code).toBe(
      KioskErrorCode.ServiceUnavailable,
    );
    empty.close();
  });

  it('passes an allocator refusal (already waiting) through and writes nothing', async () => {
    const refusing = new TicketIssuer({
      store,
      allocator: {
        decide: async () => {
          throw new KioskError(KioskErrorCode.AlreadyWaiting, 'already waiting');
        },
      },
      printer,
      printerMonitor: new PrinterMonitor(printer, { pollIntervalMs: 60_000, freshMs: 0, now: () => new Date(), onChange: () => undefined }),
      now: () => new Date(),
      onIssued: () => undefined,
      onUpdated: () => undefined,
    });
    expect((await kioskError(refusing.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() }))).code).toBe(KioskErrorCode.AlreadyWaiting);
    expect(rows('tickets')).toBe(0);
  });
});

describe('TicketIssuer and the hall manager’s limits (issue 10)', () => {
  it('offline, stops at the daily quota once its own tickets reach it (quota-reached), using no band number for the refusal', async () => {
    store.saveCatalog(Catalog.parse({ ...catalog, services: catalog.services.map((s) => (s.id === 'social-insurance' ? { ...s, dailyQuota: 2 } : s)) }));
    await issuer.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() });
    await issuer.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() });
    const err = await kioskError(issuer.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() }));
    expect(err.code).toBe(KioskErrorCode.QuotaReached);
    expect(rows('tickets')).toBe(2);
    expect(store.bandsRemaining('social-insurance', DAY)).toBe(8);
  });

  it('with tickets only in hours, refuses a walk-in ticket while the service is closed (service-closed) before asking for a number', async () => {
    const limited = Catalog.parse({
      hall: { ...catalog.hall, ticketsOnlyInHours: true },
      services: catalog.services.map((s) => (s.id === 'social-insurance' ? { ...s, hours: { '1': [{ opens: '14:00', closes: '17:00' }] } } : s)),
    });
    store.saveCatalog(limited);
    let now = new Date('2025-03-10T02:00:00.000Z'); // Monday 10:00 in Shanghai
    const monitor = new PrinterMonitor(printer, { pollIntervalMs: 60_000, freshMs: 0, now: () => new Date(), onChange: () => undefined });
    const atHallTime = new TicketIssuer({ store, allocator: bandAllocator, printer, printerMonitor: monitor, now: () => now, onIssued: () => undefined, onUpdated: () => undefined });
    const err = await kioskError(atHallTime.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() }));
    expect(err.code).toBe(KioskErrorCode.ServiceClosed);
    expect(err.message).toContain('14:00-17:00');
    expect(decisions).toBe(0);
    now = new Date('2025-03-10T06:30:00.000Z'); // 14:30
    expect((await atHallTime.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() })).number).toBe('A801');
    // The same hours, not enforced (a hall of before): a ticket at 10:00 as always.
    now = new Date('2025-03-10T02:00:00.000Z');
    store.saveCatalog(Catalog.parse({ ...limited, hall: { ...limited.hall, ticketsOnlyInHours: false } }));
    expect((await atHallTime.takeTicket({ serviceId: 'social-insurance', requestId: randomUUID() })).number).toBe('A802');
    await atHallTime.idle();
  });
});

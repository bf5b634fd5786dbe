import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../common/contract/catalog.js';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { PrinterState, PrintState, VisitorClearReason, type TicketView } from '../../common/contract/kiosk-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { createEscPosPrinter, type ReceiptPrinter } from '../../devices/printer/escpos-printer.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { createTcpPrinterTransport } from '../../devices/printer/tcp-printer-transport.js';
import { openKioskStore, type KioskStore } from '../../offline-queue/kiosk-store.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { citizenHmacOf } from './citizen-hmac.js';
import { PortalAttempt, type NumberAllocator } from './number-allocator.js';
import { PrinterMonitor } from './printer-monitor.js';
import { sampleCard } from './testing/sample-card.js';
import { ticketHolderOf } from './ticket-holder.js';
import { TicketIssuer, eventMaskedName } from './ticket-issuer.js';
import { VisitorSession } from './visitor-session.js';

const tmp = makeTempDir('issuer-visitor');
const KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';
const RARE = sampleCard({ name: '䶮华', idNumber: '110105195803040019', birthDate: '1958-03-04' });
const catalog: Catalog = Catalog.parse({
  hall: { hallId: 'hall-1', name: { zh: '市民中心', en: 'Civic Centre' }, timeZone: 'Asia/Shanghai' },
  services: [
    { id: 'social-insurance', prefix: 'A', name: { zh: '社保', en: 'Social insurance' }, description: null, enabled: true, sortOrder: 1 },
    { id: 'housing-fund', prefix: 'C', name: { zh: '公积金', en: 'Housing fund' }, description: null, enabled: true, sortOrder: 2 },
  ],
});

let sim: PrinterSimulator;
let printer: ReceiptPrinter;
let file: string;
let store: KioskStore;
let session: VisitorSession;
let issuer: TicketIssuer;
let citizenKey: string | null;
let online: boolean;
let onlineSeq: number;
let allocations: (string | null | undefined)[];
let onScreen: [TicketView, PrinterState][];

/** Online: the portal answers with the next A number; offline: a band / series number. */
const allocator: NumberAllocator = {
  async decide({ service, citizenHmac }) {
    allocations.push(citizenHmac);
    if (online) {
      onlineSeq += 1;
      return {
        choice: { source: NumberSource.Portal, number: `${service.prefix}${String(onlineSeq).padStart(3, '0')}` },
        businessDay: '2025-03-04',
        peopleAhead: 0,
        peopleAheadApproximate: false,
        issuedOffline: false,
        portal: PortalAttempt.Allocated,
      };
    }
    return {
      choice: { source: NumberSource.KioskSeries, prefix: service.prefix, kioskDigit: 1 },
      businessDay: '2025-03-04',
      peopleAhead: null,
      peopleAheadApproximate: true,
      issuedOffline: true,
      portal: PortalAttempt.Unanswered,
    };
  },
};

beforeAll(async () => {
  sim = await PrinterSimulator.start({ port: 0 });
});
afterAll(async () => {
  await sim.stop();
  tmp.remove();
});

beforeEach(() => {
  sim.setFaults({ paperOut: false });
  file = tmp.file('kiosk');
  // 06:00Z is 14:00 in Shanghai: business day 2025-03-04.
  store = openKioskStore({ path: file, now: () => new Date('2025-03-04T06:00:00.000Z') });
  store.saveCatalog(catalog);
  printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: sim.port }), { statusTimeoutMs: 1_000 });
  citizenKey = KEY;
  online = false;
  onlineSeq = 0;
  allocations = [];
  onScreen = [];
  session = new VisitorSession({
    idleTimeoutMs: 60_000,
    elderlyAge: 60,
    now: () => new Date('2025-03-04T06:00:00.000Z'),
    today: () => '2025-03-04',
    onIdentified: () => undefined,
    onCleared: () => undefined,
  });
  issuer = new TicketIssuer({
    store,
    allocator,
    printer,
    printerMonitor: new PrinterMonitor(printer, { pollIntervalMs: 60_000, freshMs: 0, now: () => new Date(), onChange: () => undefined }),
    now: () => new Date('2025-03-04T06:00:00.000Z'),
    onIssued: () => undefined,
    onUpdated: () => undefined,
    holder: () => ticketHolderOf(session.current(), citizenKey),
    onHolderServed: () => session.end(VisitorClearReason.TicketIssued),
    onScreenOnly: (view, state) => onScreen.push([view, state]),
  });
});

afterEach(async () => {
  session.close();
  await issuer.idle();
  await printer.close();
  store.close();
});

const take = (serviceId = 'social-insurance') => issuer.takeTicket({ serviceId, requestId: randomUUID() });

async function refusal(p: Promise<unknown>): Promise<KioskErrorCode> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KioskError) return err.code;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('TicketIssuer with an identified visitor', () => {
  it('stores the HMAC, never the number; gives the card’s priority; masks the name on screen and paper; wipes the card', async () => {
    session.identify(sampleCard(RARE));
    const view = await take();
    await issuer.idle();

    expect(view.holderName).toBe('䶮*');
    const stored = store.getTicket(view.ticketId);
    expect(stored?.citizenHmac).toBe(citizenHmacOf(KEY, '110105195803040019'));
    expect(stored?.priority).toBe(Priority.Elderly);
    expect(allocations).toEqual([citizenHmacOf(KEY, '110105195803040019')]);
    // The portal's counter console shows the masked name: the event carries it, the tickets table does not.
    expect(store.readOutbox(10)[0]?.payload).toMatchObject({ citizenHmac: stored?.citizenHmac, priority: Priority.Elderly, maskedName: '䶮*' });
    expect(session.current()).toBeNull();

    // Nothing at rest holds the raw number: not the database file, not its write-ahead log.
    store.close();
    for (const part of [file, `${file}-wal`]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(part);
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from('110105195803040019'))).toBe(false);
      expect(bytes.includes(Buffer.from('䶮华'))).toBe(false);
    }
    store = openKioskStore({ path: file });

    const receipt = sim.jobs().at(-1)?.receipt;
    expect(receipt?.text).toContain(view.number);
    expect(receipt?.rasters.length).toBeGreaterThanOrEqual(1);
    expect(receipt?.text).not.toContain('?');
    expect(store.getTicket(view.ticketId)?.printState).toBe(PrintState.Printed);
  });

  it('gives normal priority to a younger card and no HMAC before the hall key is known', async () => {
    citizenKey = null;
    session.identify(sampleCard({ name: '张三', birthDate: '1990-03-07', idNumber: '110101199003071230' }));
    const view = await take();
    expect(view.holderName).toBe('张*');
    expect(store.getTicket(view.ticketId)).toMatchObject({ priority: Priority.Normal, citizenHmac: null });
    expect(allocations).toEqual([null]);
  });

  it('does not claim elderly priority before the hall key is known (the portal would refuse the ticket)', async () => {
    citizenKey = null;
    session.identify(sampleCard(RARE));
    const view = await take();
    expect(store.getTicket(view.ticketId)).toMatchObject({ priority: Priority.Normal, citizenHmac: null });
    expect(store.readOutbox(10)[0]?.payload).toMatchObject({ priority: Priority.Normal, citizenHmac: null });
  });

  it('offline: one ticket per card per service and day; another service or another card is fine', async () => {
    session.identify(sampleCard(RARE));
    await take();
    session.identify(sampleCard(RARE));
    expect(await refusal(take())).toBe(KioskErrorCode.AlreadyWaiting);
    // Refused before any number was allocated for it.
    expect(allocations).toHaveLength(1);
    expect(session.current()).not.toBeNull();
    expect((await take('housing-fund')).number).toMatch(/^C1-/);
    session.identify(sampleCard({ name: '王五', idNumber: '110105199001010011', birthDate: '1990-01-01' }));
    expect((await take()).number).toMatch(/^A1-/);
  });

  it('online: refuses while the first ticket has not reached the portal, then lets the portal decide', async () => {
    online = true;
    session.identify(sampleCard(RARE));
    await take();
    session.identify(sampleCard(RARE));
    expect(await refusal(take())).toBe(KioskErrorCode.AlreadyWaiting);
    // The portal has the first ticket now; it answers for itself (here: served, a new number).
    store.acknowledge(store.lastSeq(), []);
    expect((await take()).number).toBe('A002');
    expect(allocations).toHaveLength(2);
  });

  it('without a visitor: normal priority, no HMAC, no holder name', async () => {
    const view = await take();
    expect(view.holderName).toBeUndefined();
    expect(store.getTicket(view.ticketId)).toMatchObject({ priority: Priority.Normal, citizenHmac: null });
    expect(store.readOutbox(10)[0]?.payload).not.toHaveProperty('maskedName');
  });

  it('fits a long masked name (a foreign resident’s) into the event: first and last character kept', async () => {
    session.identify(sampleCard({ name: 'WOLFESCHLEGELSTEINHAUSENBERGERDORFF HUBERT BLAINE', idNumber: '110105199001010011', birthDate: '1990-01-01' }));
    const view = await take();
    expect(view.holderName).toHaveLength(49);
    const sent = store.readOutbox(10)[0]?.payload as { maskedName?: string };
    expect(sent.maskedName).toBe(`W${'*'.repeat(38)}E`);
    expect(eventMaskedName('')).toBeNull();
    expect(eventMaskedName('张*三')).toBe('张*三');
  });

  it('reports an on-screen ticket when the printer cannot print before issuance', async () => {
    sim.setFaults({ paperOut: true });
    session.identify(sampleCard(RARE));
    const view = await take();
    expect(view.printState).toBe(PrintState.OnScreenOnly);
    expect(view.holderName).toBe('䶮*');
    expect(onScreen.map(([v, s]) => [v.number, s])).toEqual([[view.number, PrinterState.PaperOut]]);
  });

  it('reprints an on-screen ticket as a new job once the printer is back', async () => {
    sim.setFaults({ paperOut: true });
    const view = await take();
    sim.setFaults({ paperOut: false });
    const jobs = sim.jobs().length;
    const reprinted = await issuer.reprint(view.ticketId);
    expect(reprinted.printState).toBe(PrintState.Printed);
    expect(sim.jobs()).toHaveLength(jobs + 1);
    expect(sim.jobs().at(-1)?.receipt.text).toContain(view.number);
    expect(await refusal(issuer.reprint(randomUUID()))).toBe(KioskErrorCode.NotFound);
  });
});

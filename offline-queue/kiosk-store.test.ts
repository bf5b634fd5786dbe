import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { Catalog } from '../common/contract/catalog.js';
import { PrintState } from '../common/contract/kiosk-api.js';
import { SyncEventType, SyncRejectCode, TicketIssuedPayload } from '../common/contract/sync-api.js';
import { NumberSource } from '../common/domain/ticket-number.js';
import { openKioskDatabase } from './db/open-database.js';
import { KioskStore, openKioskStore } from './kiosk-store.js';
import { StoreError, StoreErrorCode } from './store-error.js';
import { makeTempDir } from './testing/temp-dir.js';
import { ticketInput } from './testing/ticket-input.js';

const tmp = makeTempDir('store');
afterAll(() => tmp.remove());

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

function expectStoreError(fn: () => unknown, code: StoreErrorCode): StoreError {
  const err = catchError(fn);
  expect(err).toBeInstanceOf(StoreError);
  expect((err as StoreError).code).toBe(code);
  return err as StoreError;
}

const catalog: Catalog = Catalog.parse({
  hall: { hallId: 'hall-1', name: { zh: '市民中心', en: 'Civic Centre' }, timeZone: 'Asia/Shanghai' },
  services: [
    { id: 'social-insurance', prefix: 'A', name: { zh: '社保', en: 'Social insurance' }, description: null, enabled: true, sortOrder: 1 },
  ],
});

describe('KioskStore catalog', () => {
  it('returns null before the first pull and the saved catalog after, across reopen', () => {
    const file = tmp.file('catalog');
    const store = openKioskStore({ path: file });
    expect(store.loadCatalog()).toBeNull();
    store.saveCatalog({ ...catalog, serverTime: new Date().toISOString() } as Catalog);
    store.close();
    const again = openKioskStore({ path: file });
    expect(again.loadCatalog()).toEqual(catalog);
    again.close();
  });
});

describe('KioskStore.issueTicket', () => {
  it('writes the ticket and a valid ticket.issued outbox event with seq 1, 2, ...', () => {
    const fixed = new Date('2025-03-10T01:02:03.004Z');
    const store = openKioskStore({ path: tmp.file('issue'), now: () => fixed });
    const input = ticketInput({ number: { source: NumberSource.Portal, number: 'A023' }, citizenHmac: 'ab'.repeat(32) });
    const ticket = store.issueTicket(input);
    expect(ticket).toMatchObject({
      ticketId: input.ticketId,
      requestId: input.requestId,
      number: 'A023',
      numberSource: NumberSource.Portal,
      issuedAt: fixed.toISOString(),
      peopleAheadApproximate: true,
      issuedOffline: true,
      printState: PrintState.Pending,
      citizenHmac: 'ab'.repeat(32),
    });
    expect(store.getTicket(input.ticketId)).toEqual(ticket);
    expect(store.findTicketByRequestId(input.requestId)).toEqual(ticket);
    store.issueTicket(ticketInput({ number: { source: NumberSource.Band, prefix: 'A', kioskDigit: 2 } }));

    const events = store.readOutbox(10);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    const first = events[0];
    expect(first?.type).toBe(SyncEventType.TicketIssued);
    expect(first?.occurredAt).toBe(fixed.toISOString());
    expect(TicketIssuedPayload.parse(first?.payload)).toEqual({
      ticketId: input.ticketId,
      serviceId: input.serviceId,
      number: 'A023',
      numberSource: NumberSource.Portal,
      businessDay: input.businessDay,
      priority: input.priority,
      issuedAt: fixed.toISOString(),
      citizenHmac: 'ab'.repeat(32),
    });
    // UUIDv7: version nibble 7, time-ordered by the injected clock.
    expect(first?.eventId).toMatch(/^0195[0-9a-f]{4}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.backlog()).toBe(2);
    store.close();
  });

  it('is idempotent by requestId: a repeat returns the first ticket and adds no event', () => {
    const store = openKioskStore({ path: tmp.file('idem') });
    const input = ticketInput();
    const first = store.issueTicket(input);
    const again = store.issueTicket({ ...input, ticketId: randomUUID() });
    expect(again).toEqual(first);
    expect(store.backlog()).toBe(1);
    expect(store.countTicketsIssued(input.serviceId, input.businessDay)).toBe(1);
    store.close();
  });

  it('numbers the kiosk series A2-001, A2-002 per service and day, resetting on a new business day', () => {
    const store = openKioskStore({ path: tmp.file('series') });
    const issue = (serviceId: string, businessDay: string, prefix = 'A'): string =>
      store.issueTicket(ticketInput({ serviceId, businessDay, number: { source: NumberSource.KioskSeries, prefix, kioskDigit: 2 } })).number;
    expect(issue('social-insurance', '2025-03-10')).toBe('A2-001');
    expect(issue('social-insurance', '2025-03-10')).toBe('A2-002');
    expect(issue('tax', '2025-03-10', 'B')).toBe('B2-001');
    expect(issue('social-insurance', '2025-03-11')).toBe('A2-001');
    expect(issue('social-insurance', '2025-03-10')).toBe('A2-003');
    expect(store.countTicketsIssued('social-insurance', '2025-03-10')).toBe(3);
    expect(store.countTicketsIssued('social-insurance', '2025-03-11')).toBe(1);
    store.close();
  });

  it('commits the ticket and its outbox event atomically: a failing outbox insert leaves no ticket, no series step, no seq', () => {
    const file = tmp.file('atomic');
    const db = openKioskDatabase(file);
    db.exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'injected outbox failure'); END");
    const store = new KioskStore(db);
    const input = ticketInput();
    const err = expectStoreError(() => store.issueTicket(input), StoreErrorCode.Constraint);
    expect(err.message).toContain('injected outbox failure');
    expect(store.getTicket(input.ticketId)).toBeNull();
    expect(db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM kiosk_series').pluck().get()).toBe(0);
    expect(store.lastSeq()).toBe(0);

    db.exec('DROP TRIGGER fail_outbox');
    const ticket = store.issueTicket(input);
    expect(ticket.number).toBe('A2-001');
    expect(store.readOutbox(10).map((e) => e.seq)).toEqual([1]);
    store.close();
  });

  it('refuses invalid input before touching the disk', () => {
    const store = openKioskStore({ path: tmp.file('invalid') });
    expectStoreError(() => store.issueTicket(ticketInput({ citizenHmac: '110101199003071234' })), StoreErrorCode.Constraint);
    expectStoreError(() => store.issueTicket(ticketInput({ number: { source: NumberSource.Portal, number: 'A23' } })), StoreErrorCode.Constraint);
    expectStoreError(() => store.issueTicket(ticketInput({ businessDay: '10/03/2025' })), StoreErrorCode.Constraint);
    expect(store.backlog()).toBe(0);
    store.close();
  });

  it('refuses a second ticket with the same printed number on the same day', () => {
    const store = openKioskStore({ path: tmp.file('dup-number') });
    store.issueTicket(ticketInput({ number: { source: NumberSource.Portal, number: 'A001' } }));
    expectStoreError(() => store.issueTicket(ticketInput({ number: { source: NumberSource.Portal, number: 'A001' } })), StoreErrorCode.Constraint);
    expect(store.backlog()).toBe(1);
    store.close();
  });
});

describe('KioskStore outbox', () => {
  it('keeps seq gapless across reopen and after acknowledge trims every row', () => {
    const file = tmp.file('seq');
    const a = openKioskStore({ path: file });
    const epoch = a.dbEpoch;
    for (let i = 0; i < 3; i++) a.issueTicket(ticketInput());
    a.acknowledge(3, []);
    expect(a.backlog()).toBe(0);
    a.close();

    const b = openKioskStore({ path: file });
    expect(b.dbEpoch).toBe(epoch);
    b.issueTicket(ticketInput());
    b.issueTicket(ticketInput());
    expect(b.readOutbox(10).map((e) => e.seq)).toEqual([4, 5]);
    b.acknowledge(4, []);
    expect(b.readOutbox(10).map((e) => e.seq)).toEqual([5]);
    expect(b.lastSeq()).toBe(5);
    b.close();
  });

  it('reads in seq order up to the limit', () => {
    const store = openKioskStore({ path: tmp.file('limit') });
    for (let i = 0; i < 5; i++) store.issueTicket(ticketInput());
    expect(store.readOutbox(2).map((e) => e.seq)).toEqual([1, 2]);
    expect(store.readOutbox(0)).toEqual([]);
    store.close();
  });

  it('moves rejected events to quarantine in the same transaction as the trim', () => {
    const store = openKioskStore({ path: tmp.file('quarantine') });
    for (let i = 0; i < 4; i++) store.issueTicket(ticketInput());
    const [, second, , fourth] = store.readOutbox(10);
    if (!second || !fourth) throw new Error('expected four events');
    store.acknowledge(3, [
      { seq: 2, eventId: second.eventId, code: SyncRejectCode.UnknownService, reason: 'service retired' },
      // Beyond lastSeq: not consumed yet, so it stays in the outbox.
      { seq: 4, eventId: fourth.eventId, code: SyncRejectCode.InvalidEvent, reason: 'too early' },
    ]);
    expect(store.readOutbox(10).map((e) => e.seq)).toEqual([4]);
    const q = store.quarantined();
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ seq: 2, eventId: second.eventId, code: SyncRejectCode.UnknownService, reason: 'service retired' });
    // A repeated answer changes nothing.
    store.acknowledge(3, [{ seq: 2, eventId: second.eventId, code: SyncRejectCode.UnknownService, reason: 'service retired' }]);
    expect(store.quarantined()).toHaveLength(1);
    store.close();
  });

  it('records a push failure on the head event', () => {
    const file = tmp.file('push-failure');
    const store = openKioskStore({ path: file });
    store.issueTicket(ticketInput());
    store.issueTicket(ticketInput());
    store.recordPushFailure(1, 'timeout');
    store.recordPushFailure(1, 'HTTP 503');
    store.close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT seq, attempts, last_error FROM outbox ORDER BY seq').all();
    db.close();
    expect(rows).toEqual([
      { seq: 1, attempts: 2, last_error: 'HTTP 503' },
      { seq: 2, attempts: 0, last_error: null },
    ]);
  });
});

describe('KioskStore print jobs', () => {
  it('moves a job recorded -> sending -> printed and the ticket Printing -> Printed', () => {
    const store = openKioskStore({ path: tmp.file('print') });
    const t = store.issueTicket(ticketInput());
    const job = store.recordPrintJob(t.ticketId, 512);
    expect(store.getTicket(t.ticketId)?.printState).toBe(PrintState.Pending);
    store.markPrintJob(job, 'sending');
    expect(store.getTicket(t.ticketId)?.printState).toBe(PrintState.Printing);
    store.markPrintJob(job, 'printed');
    expect(store.getTicket(t.ticketId)?.printState).toBe(PrintState.Printed);
    expectStoreError(() => store.markPrintJob(job, 'sending'), StoreErrorCode.Constraint);
    expectStoreError(() => store.markPrintJob(randomUUID(), 'printed'), StoreErrorCode.NotFound);
    expectStoreError(() => store.recordPrintJob(randomUUID(), 1), StoreErrorCode.NotFound);
    expect(store.setPrintState(t.ticketId, PrintState.OnScreenOnly).printState).toBe(PrintState.OnScreenOnly);
    expectStoreError(() => store.setPrintState(randomUUID(), PrintState.Printed), StoreErrorCode.NotFound);
    store.close();
  });

  it('after a stop mid-send, recovery marks the job and ticket possibly printed and never lets it be sent again', () => {
    const file = tmp.file('recover');
    const a = openKioskStore({ path: file });
    const sending = a.issueTicket(ticketInput());
    const notSent = a.issueTicket(ticketInput());
    const done = a.issueTicket(ticketInput());
    // Committed, then the power went before its print job was recorded.
    const neverQueued = a.issueTicket(ticketInput({ printState: PrintState.Pending }));
    const onScreen = a.issueTicket(ticketInput({ printState: PrintState.OnScreenOnly }));
    const sendingJob = a.recordPrintJob(sending.ticketId, 300);
    a.markPrintJob(sendingJob, 'sending');
    a.recordPrintJob(notSent.ticketId, 300);
    const doneJob = a.recordPrintJob(done.ticketId, 300);
    a.markPrintJob(doneJob, 'sending');
    a.markPrintJob(doneJob, 'printed');
    a.close(); // the process "stops" here without completing the first two jobs

    const b = openKioskStore({ path: file });
    expect(b.getTicket(sending.ticketId)?.printState).toBe(PrintState.Printing);
    expect(b.recoverInterruptedPrintJobs()).toBe(1);
    expect(b.getTicket(sending.ticketId)?.printState).toBe(PrintState.PossiblyPrinted);
    expect(b.getTicket(notSent.ticketId)?.printState).toBe(PrintState.Failed);
    expect(b.getTicket(done.ticketId)?.printState).toBe(PrintState.Printed);
    // Not on paper, so failed (shown to the technician for a reprint), never left pending forever.
    expect(b.getTicket(neverQueued.ticketId)?.printState).toBe(PrintState.Failed);
    expect(b.getTicket(onScreen.ticketId)?.printState).toBe(PrintState.OnScreenOnly);
    expectStoreError(() => b.markPrintJob(sendingJob, 'sending'), StoreErrorCode.Constraint);
    expectStoreError(() => b.markPrintJob(sendingJob, 'printed'), StoreErrorCode.Constraint);
    expect(b.recoverInterruptedPrintJobs()).toBe(0);
    // A technician's reprint is a new job.
    const reprint = b.recordPrintJob(sending.ticketId, 300);
    b.markPrintJob(reprint, 'sending');
    b.markPrintJob(reprint, 'printed');
    expect(b.getTicket(sending.ticketId)?.printState).toBe(PrintState.Printed);
    b.close();
  });
});

describe('KioskStore storage failures', () => {
  it('throws StoreError(ReadOnly) when the file is opened read-only, and still reads', () => {
    const file = tmp.file('readonly');
    const rw = openKioskStore({ path: file });
    const t = rw.issueTicket(ticketInput());
    rw.close();

    const store = new KioskStore(new Database(file, { readonly: true }));
    expect(store.getTicket(t.ticketId)?.number).toBe('A2-001');
    expectStoreError(() => store.issueTicket(ticketInput()), StoreErrorCode.ReadOnly);
    expectStoreError(() => store.recordPrintJob(t.ticketId, 10), StoreErrorCode.ReadOnly);
    expect(store.backlog()).toBe(1);
    store.close();
  });

  it('throws StoreError(DiskFull) when the disk fills up, and the database stays consistent', () => {
    const file = tmp.file('full');
    const db = openKioskDatabase(file);
    const pages = db.pragma('page_count', { simple: true });
    db.pragma(`max_page_count = ${Number(pages)}`);
    const store = new KioskStore(db);

    let issued = 0;
    let failure: unknown = null;
    let failedInput = ticketInput();
    for (let i = 0; i < 500 && failure === null; i++) {
      failedInput = ticketInput({ number: { source: NumberSource.KioskSeries, prefix: 'A', kioskDigit: 2 } });
      try {
        store.issueTicket(failedInput);
        issued++;
      } catch (err) {
        failure = err;
      }
    }
    expect(issued).toBeGreaterThan(0);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).code).toBe(StoreErrorCode.DiskFull);
    expect(store.getTicket(failedInput.ticketId)).toBeNull();
    expect(db.prepare('SELECT count(*) FROM tickets').pluck().get()).toBe(issued);
    expect(store.lastSeq()).toBe(issued);
    expect(store.backlog()).toBe(issued);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');

    // Space again: the next ticket continues both sequences without a gap.
    db.pragma('max_page_count = 1000000');
    const next = store.issueTicket(ticketInput());
    expect(next.number).toBe(`A2-${String(issued + 1).padStart(3, '0')}`);
    expect(store.readOutbox(1000).map((e) => e.seq)).toEqual(Array.from({ length: issued + 1 }, (_, i) => i + 1));
    store.close();
  });
});

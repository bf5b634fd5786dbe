import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AppointmentStatus, TicketIssuedPayload } from '../common/contract/sync-api.js';
import { NumberSource } from '../common/domain/ticket-number.js';
import Database from 'better-sqlite3';
import { migrate } from './db/migrate.js';
import { migrations } from './db/migrations/index.js';
import { openKioskDatabase } from './db/open-database.js';
import { KioskStore, openKioskStore } from './kiosk-store.js';
import { StoreError, StoreErrorCode } from './store-error.js';
import { TEST_CITIZEN_KEY, testAppointment, testCatalog } from './testing/fake-portal.js';
import { testBand, testPull } from './testing/store-fixtures.js';
import { makeTempDir } from './testing/temp-dir.js';
import { ticketInput } from './testing/ticket-input.js';

const tmp = makeTempDir('bands');
const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  tmp.remove();
});

const DAY = '2025-03-10';
const bandChoice = { source: NumberSource.Band, prefix: 'A', kioskDigit: 2 } as const;

function storeCode(fn: () => unknown): StoreErrorCode | null {
  try {
    fn();
  } catch (err) {
    if (err instanceof StoreError) return err.code;
    throw err;
  }
  return null;
}

/** Leases a band into the store the way the sync engine does: pending lease, then its answer. */
function lease(store: KioskStore, first: number, last: number, businessDay = DAY): void {
  const pending = store.pendingLease('social-insurance', businessDay, last - first + 1);
  store.applyLease(pending.leaseId, testBand({ firstSequence: first, lastSequence: last, businessDay }));
}

describe('KioskStore band numbers', () => {
  it('takes band numbers in order inside the issuance, lowest band first, then falls back to the kiosk series', () => {
    const store = openKioskStore({ path: tmp.file('band-order') });
    lease(store, 8011, 8012);
    lease(store, 8001, 8002);
    expect(store.bandsRemaining('social-insurance', DAY)).toBe(4);

    const issued = Array.from({ length: 6 }, () => store.issueTicket(ticketInput({ number: bandChoice })));
    expect(issued.map((t) => [t.number, t.numberSource])).toEqual([
      ['A8001', NumberSource.Band],
      ['A8002', NumberSource.Band],
      ['A8011', NumberSource.Band],
      ['A8012', NumberSource.Band],
      ['A2-001', NumberSource.KioskSeries],
      ['A2-002', NumberSource.KioskSeries],
    ]);
    expect(store.bandsRemaining('social-insurance', DAY)).toBe(0);
    // The events carry the number and the source that were really used.
    const payloads = store.readOutbox(10).map((e) => TicketIssuedPayload.parse(e.payload));
    expect(payloads.map((p) => [p.number, p.numberSource])).toEqual(issued.map((t) => [t.number, t.numberSource]));
    // Bands are per service and day: another day has none.
    expect(store.issueTicket(ticketInput({ number: bandChoice, businessDay: '2025-03-11' })).number).toBe('A2-001');
    store.close();
  });

  it('rolls the band step back with a failed issuance: the number is used by the next ticket, never lost or doubled', () => {
    const file = tmp.file('band-atomic');
    const db = openKioskDatabase(file);
    const store = new KioskStore(db);
    lease(store, 8001, 8010);
    db.exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'injected'); END");
    expect(storeCode(() => store.issueTicket(ticketInput({ number: bandChoice })))).toBe(StoreErrorCode.Constraint);
    expect(store.bandsRemaining('social-insurance', DAY)).toBe(10);
    db.exec('DROP TRIGGER fail_outbox');
    expect(store.issueTicket(ticketInput({ number: bandChoice })).number).toBe('A8001');
    store.close();
    const again = openKioskStore({ path: file });
    expect(again.issueTicket(ticketInput({ number: bandChoice })).number).toBe('A8002');
    expect(again.listBands()[0]).toMatchObject({ firstSequence: 8001, lastSequence: 8010, nextSequence: 8003 });
    again.close();
  });

  it('skips a band number this kiosk already holds instead of failing the issuance', () => {
    const store = openKioskStore({ path: tmp.file('band-skip') });
    store.issueTicket(ticketInput({ number: { source: NumberSource.Portal, number: 'A8001' } }));
    lease(store, 8001, 8003);
    expect(store.issueTicket(ticketInput({ number: bandChoice })).number).toBe('A8002');
    store.close();
  });

  it('prints four-digit band numbers up to A9999, and still takes a band leased in the old three-digit range', () => {
    const store = openKioskStore({ path: tmp.file('band-digits') });
    lease(store, 9998, 9999);
    lease(store, 51, 51);
    const numbers = Array.from({ length: 4 }, () => store.issueTicket(ticketInput({ number: bandChoice })).number);
    expect(numbers).toEqual(['A051', 'A9998', 'A9999', 'A2-001']);
    const payloads = store.readOutbox(10).map((e) => TicketIssuedPayload.parse(e.payload));
    expect(payloads.map((p) => p.number)).toEqual(numbers);
    store.close();
  });

  it('never hands out a band number twice across SIGKILLs: the numbers issued are exactly A8001, A8002, ... without a gap', async () => {
    const file = tmp.file('band-crash');
    const seed = openKioskStore({ path: file });
    lease(seed, 8001, 8499);
    seed.close();
    const reported: string[] = [];
    const script = fileURLToPath(new URL('./testing/band-crash-child.ts', import.meta.url));
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      child.stdout.setEncoding('utf8');
      let buffered = '';
      const enough = 5 + round * 7;
      let seen = 0;
      await new Promise<void>((resolve, reject) => {
        child.once('exit', () => reject(new Error(`child exited early after ${seen} tickets`)));
        child.stdout.on('data', (chunk: string) => {
          buffered += chunk;
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          reported.push(...lines);
          seen += lines.length;
          if (seen >= enough) resolve();
        });
      });
      child.removeAllListeners('exit');
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }

    const store = openKioskStore({ path: file });
    const tickets = store.readOutbox(1_000).map((e) => TicketIssuedPayload.parse(e.payload));
    const numbers = tickets.map((t) => t.number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers).toEqual(numbers.map((_, i) => `A${8001 + i}`));
    // Every number a child reported as issued is in the file (it was committed before it was reported).
    expect(reported.every((n) => numbers.includes(n))).toBe(true);
    expect(store.listBands()[0]?.nextSequence).toBe(8001 + numbers.length);
    expect(store.bandsRemaining('social-insurance', DAY)).toBe(8499 - 8000 - numbers.length);
    store.close();
  });
});

describe('schema 5: four-digit bands', () => {
  it('keeps a band leased under schema 4 with its next number, and then takes bands up to 9999', () => {
    const file = tmp.file('band-upgrade');
    const old = new Database(file);
    migrate(old, migrations.slice(0, 4));
    old.prepare(
      "INSERT INTO number_bands (band_id, service_id, business_day, first_sequence, last_sequence, next_sequence, leased_at) VALUES ('b-old', 'social-insurance', ?, 801, 850, 812, '2025-03-10T00:00:00.000Z')",
    ).run(DAY);
    expect(() =>
      old.prepare("INSERT INTO number_bands VALUES ('b-new', 'social-insurance', ?, 8001, 8050, 8001, '2025-03-10T00:00:00.000Z')").run(DAY),
    ).toThrow(/CHECK/);
    old.close();

    const store = openKioskStore({ path: file });
    expect(store.listBands()).toMatchObject([{ bandId: 'b-old', firstSequence: 801, lastSequence: 850, nextSequence: 812 }]);
    expect(store.issueTicket(ticketInput({ number: bandChoice })).number).toBe('A812');
    lease(store, 8001, 8050);
    expect(store.bandsRemaining('social-insurance', DAY)).toBe(38 + 50);
    store.close();
  });
});

describe('KioskStore leases', () => {
  it('keeps one pending lease id per service and day until its answer is applied, across reopen', () => {
    const file = tmp.file('lease');
    const a = openKioskStore({ path: file });
    const first = a.pendingLease('social-insurance', DAY, 50);
    expect(a.pendingLease('social-insurance', DAY, 50)).toEqual(first);
    expect(a.pendingLease('social-insurance', '2025-03-11', 50).leaseId).not.toBe(first.leaseId);
    a.close();

    const b = openKioskStore({ path: file });
    expect(b.pendingLease('social-insurance', DAY, 50)).toEqual(first); // a retry after a lost answer reuses it
    const band = testBand();
    b.applyLease(first.leaseId, band);
    b.applyLease(first.leaseId, band); // the same answer again changes nothing
    expect(b.listBands()).toHaveLength(1);
    expect(b.pendingLeases().map((l) => l.businessDay)).toEqual(['2025-03-11']);
    expect(b.pendingLease('social-insurance', DAY, 50).leaseId).not.toBe(first.leaseId);
    b.close();
  });

  it('refuses a band for another service than the lease asked for, and a reversed range', () => {
    const store = openKioskStore({ path: tmp.file('lease-mismatch') });
    const pending = store.pendingLease('social-insurance', DAY, 50);
    expect(storeCode(() => store.applyLease(pending.leaseId, testBand({ serviceId: 'tax' })))).toBe(StoreErrorCode.Constraint);
    expect(storeCode(() => store.applyLease(pending.leaseId, testBand({ firstSequence: 600, lastSequence: 599 })))).toBe(
      StoreErrorCode.Constraint,
    );
    expect(store.listBands()).toEqual([]);
    expect(store.pendingLeases()).toHaveLength(1);
    store.dropLease(pending.leaseId);
    expect(store.pendingLeases()).toEqual([]);
    store.close();
  });
});

describe('KioskStore.applyPull', () => {
  it('stores cursor, catalog, identity, citizen key, bands and appointments; a repeated band keeps its next sequence', () => {
    const store = openKioskStore({ path: tmp.file('pull'), now: () => new Date('2025-03-10T01:00:00.000Z') });
    const band = testBand({ firstSequence: 701, lastSequence: 720 });
    const appointment = testAppointment();
    store.applyPull(testPull({ bands: [band], appointments: [appointment] }));
    expect(store.syncState()).toEqual({
      pullCursor: 'v1',
      citizenKey: TEST_CITIZEN_KEY,
      kioskId: 'kiosk-test',
      kioskDigit: 7,
      clockOffsetMs: null,
      pendingClockOffsetMs: null,
      lastPullAt: '2025-03-10T01:00:00.000Z',
      lastPushAt: null,
    });
    expect(store.loadCatalog()).toEqual(testCatalog);
    expect(store.findAppointment(appointment.reference)).toEqual({ ...appointment, ticketId: null, updatedAt: '2025-03-10T01:00:00.000Z' });

    store.issueTicket(ticketInput({ number: bandChoice }));
    const renamed = { ...testCatalog, hall: { ...testCatalog.hall, name: { zh: '新大厅', en: 'New hall' } } };
    store.applyPull(testPull({ cursor: 'v2', catalog: renamed, bands: [band], appointments: [{ ...appointment, status: AppointmentStatus.Cancelled }] }));
    expect(store.listBands()).toMatchObject([{ bandId: band.bandId, nextSequence: 702 }]);
    expect(store.findAppointment(appointment.reference)?.status).toBe(AppointmentStatus.Cancelled);
    expect(store.loadCatalog()?.hall.name.en).toBe('New hall');

    // A reference the portal moved to a new appointment id replaces the old row instead of failing the pull.
    const rebooked = testAppointment({ reference: appointment.reference });
    store.applyPull(testPull({ cursor: 'v2b', catalog: null, appointments: [rebooked] }));
    expect(store.findAppointment(appointment.reference)?.appointmentId).toBe(rebooked.appointmentId);

    // Catalog null: unchanged since the cursor, the cached one stays.
    store.applyPull(testPull({ cursor: 'v3', catalog: null }));
    expect(store.loadCatalog()?.hall.name.en).toBe('New hall');
    expect(store.syncState().pullCursor).toBe('v3');
    store.close();
  });

  it('stores all of a pull or none of it: a failure mid-way leaves the old cursor, bands and appointments', () => {
    const db = openKioskDatabase(tmp.file('pull-atomic'));
    const store = new KioskStore(db);
    store.applyPull(testPull({ cursor: 'v1' }));
    db.exec("CREATE TRIGGER fail_appointment BEFORE INSERT ON appointments BEGIN SELECT RAISE(ABORT, 'injected'); END");
    expect(storeCode(() => store.applyPull(testPull({ cursor: 'v2', bands: [testBand()], appointments: [testAppointment()] })))).toBe(
      StoreErrorCode.Constraint,
    );
    expect(store.syncState().pullCursor).toBe('v1');
    expect(store.listBands()).toEqual([]);
    // A pull that breaks the contract is refused before the transaction.
    expect(storeCode(() => store.applyPull(testPull({ cursor: 'v2', bands: [testBand({ firstSequence: 9, lastSequence: 1 })] })))).toBe(
      StoreErrorCode.Constraint,
    );
    expect(storeCode(() => store.applyPull(testPull({ appointments: [testAppointment({ citizenHmac: '110101199003071234' })] })))).toBe(
      StoreErrorCode.Constraint,
    );
    expect(store.syncState().pullCursor).toBe('v1');
    store.close();
  });

  it('keeps appointments only as an HMAC: the table has no column a raw ID number could go in', () => {
    const db = openKioskDatabase(tmp.file('pull-columns'));
    const columns = db.prepare<[], string>("SELECT name FROM pragma_table_info('appointments')").pluck().all();
    expect(columns).toEqual([
      'appointment_id',
      'reference',
      'service_id',
      'business_day',
      'window_start',
      'window_end',
      'citizen_hmac',
      'status',
      'ticket_id',
      'updated_at',
    ]);
    expect(() =>
      db
        .prepare("INSERT INTO appointments VALUES ('a', 'REF123', 's', '2025-03-10', 'x', 'y', '110101199003071234', 'booked', NULL, 'z')")
        .run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});

describe('KioskStore sync state', () => {
  it('records the clock offset and the last push, and forgets the cursor on request', () => {
    const store = openKioskStore({ path: tmp.file('sync-state'), now: () => new Date('2025-03-10T02:00:00.000Z') });
    store.recordClockOffset(-1234.4);
    store.issueTicket(ticketInput());
    store.acknowledge(1, []);
    store.applyPull(testPull({ cursor: 'v9' }));
    store.resetPullCursor();
    expect(store.syncState()).toMatchObject({ clockOffsetMs: -1234, lastPushAt: '2025-03-10T02:00:00.000Z', pullCursor: null });
    expect(storeCode(() => store.recordClockOffset(Number.NaN))).toBe(StoreErrorCode.Constraint);
    store.close();
  });
});

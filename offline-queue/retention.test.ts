import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { PrintState } from '../common/contract/kiosk-api.js';
import { SyncRejectCode } from '../common/contract/sync-api.js';
import { businessDayOf } from '../common/domain/business-day.js';
import { NumberSource } from '../common/domain/ticket-number.js';
import { openKioskStore, type KioskStore } from './kiosk-store.js';
import { StoreError } from './store-error.js';
import { testAppointment } from './testing/fake-portal.js';
import { testBand, testPull } from './testing/store-fixtures.js';
import { makeTempDir } from './testing/temp-dir.js';
import { ticketInput } from './testing/ticket-input.js';

const tmp = makeTempDir('retention');
afterAll(() => tmp.remove());

const DAY_MS = 86_400_000;
const HMAC = 'ab'.repeat(32);
const policy = { personalDataDays: 7, keepDays: 30 };
const ZONE = 'Asia/Shanghai';

/** A store on a clock the test moves by hand. */
function clockedStore(file: string, startIso: string): { store: KioskStore; clock: { ms: number } } {
  const clock = { ms: Date.parse(startIso) };
  const store = openKioskStore({ path: file, now: () => new Date(clock.ms) });
  store.applyPull(testPull());
  return { store, clock };
}

function dayOf(ms: number): string {
  return businessDayOf(new Date(ms), ZONE);
}

/** Issues a ticket with personal data on the store's clock, and prints it unless told not to. */
function issue(
  store: KioskStore,
  ms: number,
  source: NumberSource.Band | NumberSource.KioskSeries = NumberSource.KioskSeries,
  print = true,
): string {
  const ticket = store.issueTicket(
    ticketInput({ businessDay: dayOf(ms), citizenHmac: HMAC, maskedName: '张*三', number: { source, prefix: 'A', kioskDigit: 2 } }),
  );
  if (!print) return ticket.ticketId;
  const job = store.recordPrintJob(ticket.ticketId, 200);
  store.markPrintJob(job, 'sending');
  store.markPrintJob(job, 'printed');
  return ticket.ticketId;
}

function ackAll(store: KioskStore): void {
  store.acknowledge(store.lastSeq(), []);
}

function count(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return Number(db.prepare(`SELECT count(*) FROM ${table}`).pluck().get());
  } finally {
    db.close();
  }
}

describe('KioskStore.purgeExpired', () => {
  it('clears personal data of synced tickets after personalDataDays and deletes them after keepDays; unsynced ones stay whole', () => {
    const file = tmp.file('policy');
    const { store, clock } = clockedStore(file, '2025-03-01T02:00:00.000Z');
    const synced = issue(store, clock.ms);
    ackAll(store);
    const unsynced = issue(store, clock.ms);

    clock.ms += 6 * DAY_MS;
    expect(store.purgeExpired(new Date(clock.ms), policy).citizenDataCleared).toBe(0);
    clock.ms += 2 * DAY_MS;
    const week = store.purgeExpired(new Date(clock.ms), policy);
    expect(week).toMatchObject({ citizenDataCleared: 1, ticketsDeleted: 0 });
    expect(store.getTicket(synced)?.citizenHmac).toBeNull();
    expect(store.getTicket(unsynced)?.citizenHmac).toBe(HMAC); // the portal still needs it

    clock.ms += 23 * DAY_MS;
    const month = store.purgeExpired(new Date(clock.ms), policy);
    expect(month).toMatchObject({ ticketsDeleted: 1, printJobsDeleted: 1 });
    expect(store.getTicket(synced)).toBeNull();
    expect(store.getTicket(unsynced)?.printState).toBe(PrintState.Printed);
    expect(store.readOutbox(10)).toHaveLength(1);
    // The kiosk series counter of a day with a ticket left is kept: a clock set back cannot restart it.
    expect(count(file, 'kiosk_series')).toBe(1);

    ackAll(store);
    expect(store.purgeExpired(new Date(clock.ms), policy)).toMatchObject({ ticketsDeleted: 1, seriesDeleted: 1 });
    expect(count(file, 'tickets')).toBe(0);
    store.close();
  });

  it('deletes bands, pending leases and appointments of past business days, and ages quarantine out', () => {
    const file = tmp.file('days');
    const { store, clock } = clockedStore(file, '2025-03-10T02:00:00.000Z');
    store.applyPull(
      testPull({
        cursor: 'v2',
        bands: [testBand({ businessDay: '2025-03-09' }), testBand({ businessDay: '2025-03-10', firstSequence: 601, lastSequence: 650 })],
        appointments: [
          testAppointment({ businessDay: '2025-03-09', reference: 'OLD-000001' }),
          testAppointment({ businessDay: '2025-03-10', reference: 'NOW-000001' }),
        ],
      }),
    );
    store.pendingLease('social-insurance', '2025-03-09', 50);
    store.pendingLease('social-insurance', '2025-03-11', 50);
    issue(store, clock.ms);
    const [event] = store.readOutbox(1);
    if (!event) throw new Error('expected an event');
    store.acknowledge(1, [{ seq: 1, eventId: event.eventId, code: SyncRejectCode.UnknownService, reason: 'retired' }]);

    const today = store.purgeExpired(new Date(clock.ms), policy);
    expect(today).toMatchObject({ bandsDeleted: 1, pendingLeasesDeleted: 1, appointmentsDeleted: 1, quarantineCleared: 0 });
    expect(store.listBands().map((b) => b.businessDay)).toEqual(['2025-03-10']);
    expect(store.pendingLeases().map((l) => l.businessDay)).toEqual(['2025-03-11']);
    expect(store.findAppointment('OLD-000001')).toBeNull();
    expect(store.findAppointment('NOW-000001')).not.toBeNull();

    clock.ms += 8 * DAY_MS;
    expect(store.purgeExpired(new Date(clock.ms), policy)).toMatchObject({ quarantineCleared: 1, quarantineDeleted: 0 });
    const db = new Database(file, { readonly: true });
    const payload = JSON.parse(String(db.prepare('SELECT payload FROM quarantine').pluck().get())) as { citizenHmac: unknown; number: unknown };
    db.close();
    expect(payload.citizenHmac).toBeNull();
    // The masked name goes with the HMAC.
    expect(payload).not.toHaveProperty('maskedName');
    expect(payload.number).toBe('A2-001');
    clock.ms += 23 * DAY_MS;
    expect(store.purgeExpired(new Date(clock.ms), policy)).toMatchObject({ quarantineDeleted: 1 });
    expect(store.quarantinedCount()).toBe(0);
    store.close();
  });

  it('refuses a policy that keeps rows for less time than their personal data', () => {
    const store = openKioskStore({ path: tmp.file('bad-policy') });
    expect(() => store.purgeExpired(new Date(), { personalDataDays: 10, keepDays: 5 })).toThrow(StoreError);
    expect(() => store.purgeExpired(new Date(), { personalDataDays: 0, keepDays: 5 })).toThrow(StoreError);
    store.close();
  });

  it('keeps the database bounded over 90 simulated days of issue, sync and daily purge', () => {
    const file = tmp.file('ninety-days');
    const { store, clock } = clockedStore(file, '2025-01-01T01:00:00.000Z');
    const perDay = 20;
    const pages: number[] = [];
    const sizes: number[] = [];
    const db = new Database(file, { readonly: true });
    for (let day = 0; day < 90; day++) {
      const open = clock.ms;
      const pending = store.pendingLease('social-insurance', dayOf(open), 30);
      store.applyLease(pending.leaseId, testBand({ businessDay: dayOf(open), firstSequence: 501, lastSequence: 530 }));
      store.applyPull(testPull({ cursor: `d${day}`, catalog: null, appointments: [testAppointment({ businessDay: dayOf(open), reference: `REF-${1000 + day}` })] }));
      for (let i = 0; i < perDay; i++) {
        // Every few minutes through the hall's day; band numbers first, then the kiosk series.
        clock.ms = open + i * 20 * 60_000;
        issue(store, clock.ms, NumberSource.Band, i % 5 === 0);
        if (i % 10 === 9) ackAll(store);
      }
      ackAll(store);
      clock.ms = open + 12 * 3_600_000; // 21:00 in the hall: the daily purge
      const report = store.purgeExpired(new Date(clock.ms), policy);
      pages.push(Number(db.pragma('page_count', { simple: true })));
      sizes.push(statSync(file).size);
      expect(Number(db.pragma('freelist_count', { simple: true })), `free pages after the purge of day ${day}`).toBe(0);
      if (day >= policy.keepDays) expect(report.ticketsDeleted).toBe(perDay);
      clock.ms = open + DAY_MS;
    }
    db.close();

    // Rows: at most keepDays (+ the current day) of tickets; personal data only for the last week.
    expect(count(file, 'tickets')).toBeLessThanOrEqual((policy.keepDays + 1) * perDay);
    expect(count(file, 'print_jobs') * 5).toBe(count(file, 'tickets'));
    expect(count(file, 'number_bands')).toBe(1);
    expect(count(file, 'appointments')).toBe(1);
    expect(count(file, 'outbox')).toBe(0);
    const check = new Database(file, { readonly: true });
    const withHmac = Number(check.prepare('SELECT count(*) FROM tickets WHERE citizen_hmac IS NOT NULL').pluck().get());
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    expect(withHmac).toBeLessThanOrEqual((policy.personalDataDays + 1) * perDay);

    // Size: once retention is in force (day 31 on) the file stops growing.
    const steady = Math.max(...pages.slice(policy.keepDays + 1, 60));
    expect(Math.max(...pages.slice(60))).toBeLessThanOrEqual(steady + 2);
    expect(Math.max(...sizes.slice(60))).toBeLessThanOrEqual(Math.max(...sizes.slice(policy.keepDays + 1, 60)) + 8_192);
    // ... and it is far below what 90 days without purging would need.
    expect(Math.max(...pages.slice(60))).toBeLessThan(pages[policy.keepDays] as number * 1.2);
    store.close();
  });
});

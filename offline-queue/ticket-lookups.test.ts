import { afterAll, describe, expect, it } from 'vitest';
import { PrintState } from '../common/contract/kiosk-api.js';
import { NumberSource } from '../common/domain/ticket-number.js';
import { openKioskStore, type KioskStore } from './kiosk-store.js';
import { makeTempDir } from './testing/temp-dir.js';
import { ticketInput } from './testing/ticket-input.js';

const tmp = makeTempDir('lookups');
const stores: KioskStore[] = [];
afterAll(() => {
  for (const s of stores) s.close();
  tmp.remove();
});

const HMAC = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

describe('ticket lookups', () => {
  it('finds a citizen’s tickets per service and day, and whether the portal has them yet', () => {
    let clock = Date.parse('2025-03-04T06:00:00.000Z');
    const store = openKioskStore({ path: tmp.file('citizen'), now: () => new Date((clock += 1_000)) });
    stores.push(store);
    const first = store.issueTicket(ticketInput({ serviceId: 'social-insurance', citizenHmac: HMAC, number: { source: NumberSource.Portal, number: 'A001' } }));
    store.issueTicket(ticketInput({ serviceId: 'social-insurance', citizenHmac: OTHER, number: { source: NumberSource.Portal, number: 'A002' } }));
    store.issueTicket(ticketInput({ serviceId: 'housing-fund', citizenHmac: HMAC, number: { source: NumberSource.Portal, number: 'C001' } }));
    const day = first.businessDay;

    expect(store.citizenTickets(HMAC, 'social-insurance', day)).toEqual([{ ticketId: first.ticketId, number: 'A001', awaitingSync: true }]);
    expect(store.citizenTickets(HMAC, 'social-insurance', '2099-01-01')).toEqual([]);
    store.acknowledge(store.lastSeq(), []);
    expect(store.citizenTickets(HMAC, 'social-insurance', day)).toEqual([{ ticketId: first.ticketId, number: 'A001', awaitingSync: false }]);
  });

  it('lists recent tickets whose receipt may be missing, newest first', () => {
    let clock = Date.parse('2025-03-04T06:00:00.000Z');
    const store = openKioskStore({ path: tmp.file('reprint'), now: () => new Date((clock += 60_000)) });
    stores.push(store);
    const onScreen = store.issueTicket(ticketInput({ printState: PrintState.OnScreenOnly, number: { source: NumberSource.Portal, number: 'A001' } }));
    const printed = store.issueTicket(ticketInput({ number: { source: NumberSource.Portal, number: 'A002' } }));
    const job = store.recordPrintJob(printed.ticketId, 10);
    store.markPrintJob(job, 'sending');
    store.markPrintJob(job, 'printed');
    const failed = store.issueTicket(ticketInput({ number: { source: NumberSource.Portal, number: 'A003' } }));
    const failedJob = store.recordPrintJob(failed.ticketId, 10);
    store.markPrintJob(failedJob, 'failed', 'paper out');

    expect(store.reprintableTickets('2025-03-04T00:00:00.000Z', 10).map((t) => [t.number, t.printState])).toEqual([
      ['A003', PrintState.Failed],
      ['A001', PrintState.OnScreenOnly],
    ]);
    expect(store.reprintableTickets(failed.issuedAt, 10).map((t) => t.number)).toEqual(['A003']);
    expect(store.reprintableTickets('2025-03-04T00:00:00.000Z', 1)).toHaveLength(1);
    expect(onScreen.number).toBe('A001');
  });
});

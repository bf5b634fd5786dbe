import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SyncRejectCode } from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { ticketIssuedEvent, ticketPayload } from '../test-support/portal-harness.js';
import { consumableRun } from './push-events.js';
import { decideTickets, earliestDay, type PushContext, type TicketEvent, type TicketFacts } from './ticket-rules.js';

const clean: TicketFacts = {
  servicePrefix: 'A',
  allocatedTo: null,
  ticketKnown: false,
  numberHolder: null,
  leasedToKiosk: false,
  appointmentHeld: false,
};
/** kiosk-1 (digit 1) pushing at 10:00 on 2025-03-10. */
const context: PushContext = { kioskId: 'kiosk-1', kioskDigit: 1, today: '2025-03-10', tomorrowOpen: null, latestAccepted: null };

function event(payload: Parameters<typeof ticketPayload>[0] = {}): TicketEvent {
  return { eventId: randomUUID(), payload: ticketPayload(payload) };
}

/** The code one event alone gets with the given facts and context, or null when it goes in. */
function codeOf(payload: Parameters<typeof ticketPayload>[0], facts: Partial<TicketFacts> = {}, ctx: Partial<PushContext> = {}) {
  const e = event(payload);
  const decision = decideTickets([e], [{ ...clean, ...facts }], { ...context, ...ctx });
  return decision.rejections.get(e.eventId)?.code ?? (decision.insert.length === 1 ? null : 'no-op');
}

describe('consumableRun', () => {
  const seqs = (lastSeq: number, order: number[]) =>
    consumableRun(order.map((seq) => ticketIssuedEvent(seq)), lastSeq).map((e) => e.seq);

  it('takes the events right after the cursor in seq order, up to the first gap', () => {
    expect(seqs(0, [3, 1, 2])).toEqual([1, 2, 3]);
    expect(seqs(0, [1, 3])).toEqual([1]);
    expect(seqs(2, [1, 2, 3, 4, 6])).toEqual([3, 4]);
    expect(seqs(0, [2, 3])).toEqual([]);
    expect(seqs(5, [1, 2])).toEqual([]);
  });

  it('takes a seq carried twice only once', () => {
    expect(seqs(0, [1, 1, 2, 2])).toEqual([1, 2]);
  });
});

describe('decideTickets', () => {
  it('inserts clean tickets in order', () => {
    const events = [event({ number: 'A1-001' }), event({ number: 'A1-002' })];
    const decision = decideTickets(events, [clean, clean], context);
    expect(decision.insert).toEqual(events);
    expect(decision.rejections.size).toBe(0);
    expect(decision.latestAccepted).toBe('2025-03-10');
  });

  it('refuses an unknown service and a number allocated to another ticket', () => {
    const unknown = event();
    const allocated = event({ number: 'A005', numberSource: NumberSource.Portal });
    const mine = event({ number: 'A006', numberSource: NumberSource.Portal });
    const decision = decideTickets(
      [unknown, allocated, mine],
      [
        { ...clean, servicePrefix: null },
        { ...clean, allocatedTo: randomUUID() },
        { ...clean, allocatedTo: mine.payload.ticketId },
      ],
      context,
    );
    expect(decision.insert).toEqual([mine]);
    expect(decision.rejections.get(unknown.eventId)?.code).toBe(SyncRejectCode.UnknownService);
    expect(decision.rejections.get(allocated.eventId)?.code).toBe(SyncRejectCode.NumberNotAllocated);
  });

  it('treats a ticket already known, in the database or earlier in the batch, as a no-op', () => {
    const known = event();
    const first = event({ number: 'A1-010' });
    const retry = { eventId: randomUUID(), payload: { ...first.payload, number: 'A1-011' } };
    const decision = decideTickets([known, first, retry], [{ ...clean, ticketKnown: true }, clean, clean], context);
    expect(decision.insert).toEqual([first]);
    expect(decision.rejections.size).toBe(0);
  });

  it('refuses a number held by another ticket, in the database or earlier in the batch', () => {
    const heldInDb = event({ number: 'A1-020' });
    const first = event({ number: 'A1-021' });
    const clash = event({ number: 'A1-021' });
    const otherDay = event({ number: 'A1-021', businessDay: '2025-03-09' });
    const decision = decideTickets([heldInDb, first, clash, otherDay], [{ ...clean, numberHolder: randomUUID() }, clean, clean, clean], context);
    expect(decision.insert).toEqual([first, otherDay]);
    expect([...decision.rejections.keys()]).toEqual([heldInDb.eventId, clash.eventId]);
    expect(decision.rejections.get(clash.eventId)?.reason).toContain('already belongs to another ticket');
  });

  it('lets a later event of a refused ticket go in, as one-by-one application would', () => {
    const refused = event({ number: 'A1-030' });
    const sameTicketLater = { eventId: randomUUID(), payload: { ...refused.payload, number: 'A1-031' } };
    const decision = decideTickets([refused, sameTicketLater], [{ ...clean, numberHolder: randomUUID() }, clean], context);
    expect(decision.insert).toEqual([sameTicketLater]);
  });
});

describe('push rules', () => {
  it('refuses a prefix that is not the service’s', () => {
    expect(codeOf({ number: 'B1-001' })).toBe(SyncRejectCode.WrongPrefix);
    expect(codeOf({ number: 'B8001', numberSource: NumberSource.Band }, { leasedToKiosk: true })).toBe(SyncRejectCode.WrongPrefix);
  });

  it("refuses another kiosk's series", () => {
    expect(codeOf({ number: 'A2-001' })).toBe(SyncRejectCode.ForeignSeries);
    expect(codeOf({ number: 'A1-001' })).toBeNull();
  });

  it('takes a band number only inside a band leased to this kiosk', () => {
    expect(codeOf({ number: 'A8001', numberSource: NumberSource.Band }, { leasedToKiosk: true })).toBeNull();
    expect(codeOf({ number: 'A8001', numberSource: NumberSource.Band })).toBe(SyncRejectCode.NumberNotLeased);
    // The example: A999 pushed as a band number by any kiosk token.
    expect(codeOf({ number: 'A999', numberSource: NumberSource.Band })).toBe(SyncRejectCode.NumberNotLeased);
    expect(codeOf({ number: 'A1-001', numberSource: NumberSource.Band }, { leasedToKiosk: true })).toBe(SyncRejectCode.NumberNotLeased);
  });

  it('refuses band-range numbers claimed as another source, and online numbers claimed as the series', () => {
    expect(codeOf({ number: 'A8001', numberSource: NumberSource.Portal }, { allocatedTo: null })).toBe(SyncRejectCode.NumberNotLeased);
    expect(codeOf({ number: 'A8001', numberSource: NumberSource.KioskSeries })).toBe(SyncRejectCode.NumberNotLeased);
    expect(codeOf({ number: 'A042', numberSource: NumberSource.KioskSeries })).toBe(SyncRejectCode.NumberNotAllocated);
  });

  it('takes a portal number only for the ticket the portal allocated it to', () => {
    const ticketId = randomUUID();
    expect(codeOf({ ticketId, number: 'A001', numberSource: NumberSource.Portal }, { allocatedTo: ticketId })).toBeNull();
    expect(codeOf({ number: 'A001', numberSource: NumberSource.Portal }, { allocatedTo: ticketId })).toBe(SyncRejectCode.NumberNotAllocated);
    expect(codeOf({ number: 'A002', numberSource: NumberSource.Portal })).toBe(SyncRejectCode.NumberNotAllocated);
    expect(codeOf({ number: 'A1-002', numberSource: NumberSource.Portal })).toBe(SyncRejectCode.NumberNotAllocated);
  });

  it('refuses numbers not spelled as printed (A0001 would not collide with A001)', () => {
    expect(codeOf({ number: 'A0001', numberSource: NumberSource.Band }, { leasedToKiosk: true })).toBe(SyncRejectCode.InvalidEvent);
  });

  it("takes the hall's yesterday and today; tomorrow only within the hour before the boundary", () => {
    expect(codeOf({ businessDay: '2025-03-10' })).toBeNull();
    expect(codeOf({ businessDay: '2025-03-09' })).toBeNull();
    expect(codeOf({ businessDay: '2025-03-08' })).toBe(SyncRejectCode.WrongBusinessDay);
    expect(codeOf({ businessDay: '2025-03-11' })).toBe(SyncRejectCode.WrongBusinessDay);
    expect(codeOf({ businessDay: '2025-03-11' }, {}, { tomorrowOpen: '2025-03-11' })).toBeNull();
    expect(codeOf({ businessDay: '2024-03-10' })).toBe(SyncRejectCode.WrongBusinessDay);
  });

  it('takes older days from a kiosk catching up, down to the day before the latest it delivered', () => {
    expect(earliestDay('2025-03-10', null)).toBe('2025-03-09');
    expect(earliestDay('2025-03-10', '2025-03-03')).toBe('2025-03-02');
    expect(earliestDay('2025-03-10', '2025-03-10')).toBe('2025-03-09');
    expect(codeOf({ businessDay: '2025-03-02' }, {}, { latestAccepted: '2025-03-03' })).toBeNull();
    expect(codeOf({ businessDay: '2025-03-01' }, {}, { latestAccepted: '2025-03-03' })).toBe(SyncRejectCode.WrongBusinessDay);
    // Within a batch the latest day moves on with each ticket accepted.
    const week = ['2025-03-03', '2025-03-04', '2025-03-05', '2025-03-04', '2025-03-02'].map((businessDay, i) =>
      event({ businessDay, number: `A1-${String(100 + i)}` }),
    );
    const decision = decideTickets(week, week.map(() => clean), { ...context, latestAccepted: '2025-03-03' });
    expect(decision.insert).toEqual(week.slice(0, 4));
    expect(decision.rejections.get(week[4]?.eventId ?? '')?.code).toBe(SyncRejectCode.WrongBusinessDay);
    expect(decision.latestAccepted).toBe('2025-03-05');
  });

  it('refuses a priority the kiosk cannot prove', () => {
    const citizenHmac = 'ab'.repeat(32);
    expect(codeOf({ priority: Priority.Appointment, citizenHmac }, { appointmentHeld: true })).toBeNull();
    expect(codeOf({ priority: Priority.Appointment, citizenHmac })).toBe(SyncRejectCode.PriorityUnproven);
    expect(codeOf({ priority: Priority.GreenChannel, citizenHmac })).toBe(SyncRejectCode.PriorityUnproven);
    expect(codeOf({ priority: Priority.Elderly, citizenHmac: null })).toBe(SyncRejectCode.PriorityUnproven);
    expect(codeOf({ priority: Priority.Elderly, citizenHmac })).toBeNull();
  });

  it('answers the first rule broken: prefix, day, number, priority, then a clash', () => {
    const all = { number: 'B2-001', businessDay: '2025-03-01', priority: Priority.GreenChannel };
    expect(codeOf(all, { numberHolder: randomUUID() })).toBe(SyncRejectCode.WrongPrefix);
    expect(codeOf({ ...all, number: 'A2-001' })).toBe(SyncRejectCode.WrongBusinessDay);
    expect(codeOf({ ...all, number: 'A2-001', businessDay: '2025-03-10' })).toBe(SyncRejectCode.ForeignSeries);
    expect(codeOf({ ...all, number: 'A1-001', businessDay: '2025-03-10' })).toBe(SyncRejectCode.PriorityUnproven);
    expect(codeOf({ number: 'A1-001' }, { numberHolder: randomUUID() })).toBe(SyncRejectCode.DuplicateNumber);
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SyncRejectCode } from '../../common/contract/sync-api.js';
import { ticketIssuedEvent, ticketPayload } from '../test-support/portal-harness.js';
import { decideTickets, type TicketEvent, type TicketFacts } from './apply-ticket-batch.js';
import { consumableRun } from './push-events.js';

const clean: TicketFacts = { serviceKnown: true, allocatedTo: null, ticketKnown: false, numberHolder: null };

function event(payload: Parameters<typeof ticketPayload>[0] = {}): TicketEvent {
  return { eventId: randomUUID(), payload: ticketPayload(payload) };
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
    const events = [event({ number: 'A001' }), event({ number: 'A002' })];
    const decision = decideTickets(events, [clean, clean]);
    expect(decision.insert).toEqual(events);
    expect(decision.rejections.size).toBe(0);
  });

  it('refuses an unknown service and a number allocated to another ticket', () => {
    const unknown = event();
    const allocated = event({ number: 'A005' });
    const mine = event({ number: 'A006' });
    const decision = decideTickets(
      [unknown, allocated, mine],
      [
        { ...clean, serviceKnown: false },
        { ...clean, allocatedTo: randomUUID() },
        { ...clean, allocatedTo: mine.payload.ticketId },
      ],
    );
    expect(decision.insert).toEqual([mine]);
    expect(decision.rejections.get(unknown.eventId)?.code).toBe(SyncRejectCode.UnknownService);
    expect(decision.rejections.get(allocated.eventId)?.code).toBe(SyncRejectCode.DuplicateNumber);
  });

  it('treats a ticket already known, in the database or earlier in the batch, as a no-op', () => {
    const known = event();
    const first = event({ number: 'A010' });
    const retry = { eventId: randomUUID(), payload: { ...first.payload, number: 'A011' } };
    const decision = decideTickets([known, first, retry], [{ ...clean, ticketKnown: true }, clean, clean]);
    expect(decision.insert).toEqual([first]);
    expect(decision.rejections.size).toBe(0);
  });

  it('refuses a number held by another ticket, in the database or earlier in the batch', () => {
    const heldInDb = event({ number: 'A020' });
    const first = event({ number: 'A021' });
    const clash = event({ number: 'A021' });
    const otherDay = event({ number: 'A021', businessDay: '2025-03-11' });
    const decision = decideTickets([heldInDb, first, clash, otherDay], [{ ...clean, numberHolder: randomUUID() }, clean, clean, clean]);
    expect(decision.insert).toEqual([first, otherDay]);
    expect([...decision.rejections.keys()]).toEqual([heldInDb.eventId, clash.eventId]);
    expect(decision.rejections.get(clash.eventId)?.reason).toContain('already belongs to another ticket');
  });

  it('lets a later event of a refused ticket go in, as one-by-one application would', () => {
    const refused = event({ number: 'A030' });
    const sameTicketLater = { eventId: randomUUID(), payload: { ...refused.payload, number: 'A031' } };
    const decision = decideTickets([refused, sameTicketLater], [{ ...clean, numberHolder: randomUUID() }, clean]);
    expect(decision.insert).toEqual([sameTicketLater]);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { RatingChannel, RatingLevel, RatingResponse } from '../../common/contract/ratings-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { RateableTicketsResponse, SyncEventType, SyncRejectCode } from '../../common/contract/sync-api.js';
import { addStaffKey, auditLines } from '../counter/counter-test-kit.js';
import { seedDemoHall } from '../seed/demo-hall.js';
import { DEMO_HALL_ID, KIOSK_TOKEN, startPortalHarness, type PortalHarness } from '../test-support/portal-harness.js';
import { CITIZEN_RATINGS_PER_WINDOW } from './ratings-routes.js';
import { KioskPusher, POOR, SATISFIED, ratingPayload, serve, signIn } from './ratings-test-kit.js';

/**
 * 好差评 through its three channels — the kiosk outbox, the citizen page, the counter console —
 * on a real portal and PostgreSQL: each applies once, the first rating of a ticket stands whatever
 * the channel (一次一评), and only a served ticket of the caller's hall is rateable.
 */

const CLERK = 'ratings-clerk-key';
const OTHER_CLERK = 'ratings-other-clerk-key';
const HALL_2 = 'ratings-hall-two';
const HALL_2_KIOSK = 'ratings-hall-two-kiosk';
const HALL_2_STAFF = 'ratings-hall-two-staff';
const HMAC = 'a'.repeat(64);

let h: PortalHarness;
let kiosk: KioskPusher;
let number = 100;
const nextNumber = () => `A1-${++number}`;

/** A ticket pushed by kiosk-1 and served to the end at window-1 by CLERK. */
async function servedTicket(overrides: { citizenHmac?: string } = {}): Promise<{ ticketId: string; number: string }> {
  const ticket = await kiosk.ticket({ number: nextNumber(), citizenHmac: overrides.citizenHmac ?? null });
  await serve(h, CLERK, 'window-1', ticket.ticketId);
  return { ticketId: ticket.ticketId, number: ticket.number };
}

async function ratingsOf(ticketId: string): Promise<{ rating_id: string; channel: string; counter_id: string | null; staff_id: string | null; service_id: string }[]> {
  const result = await h.db.pool.query(
    'SELECT rating_id::text AS rating_id, channel, counter_id, staff_id, service_id FROM ratings WHERE ticket_id = $1',
    [ticketId],
  );
  return result.rows as never;
}

const citizenRate = (ticketId: string, ticketNumber: string, input = SATISFIED) =>
  h.request('POST', '/v1/citizen/ratings', { body: { ...input, ticketId, number: ticketNumber } });
const counterRate = (token: string, ticketId: string, input = SATISFIED) =>
  h.request('POST', `/v1/counter/tickets/${ticketId}/rating`, { token, body: input });

beforeAll(async () => {
  h = await startPortalHarness();
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'clerk-wang', StaffRole.Clerk, CLERK);
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'clerk-li', StaffRole.Clerk, OTHER_CLERK);
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'duty-manager', StaffRole.Manager, 'ratings-manager-key');
  await seedDemoHall(h.db.pool, { hallId: HALL_2, kioskTokens: [{ kioskId: 'kiosk-1', token: HALL_2_KIOSK, kioskDigit: 1 }], staffToken: HALL_2_STAFF });
  kiosk = new KioskPusher(h);
  await signIn(h, CLERK, 'window-1');
  await signIn(h, OTHER_CLERK, 'window-2');
});

afterAll(async () => {
  await h.close();
});

describe('a kiosk rating through the outbox', () => {
  it('is applied once, naming the counter, clerk and service of the ticket’s last serving segment', async () => {
    const ticket = await servedTicket();
    const event = kiosk.event(SyncEventType.RatingSubmitted, ratingPayload(ticket.ticketId));
    expect((await kiosk.push([event])).rejected).toEqual([]);
    expect(await ratingsOf(ticket.ticketId)).toEqual([
      { rating_id: (event.payload as { ratingId: string }).ratingId, channel: 'kiosk', counter_id: 'window-1', staff_id: 'clerk-wang', service_id: 'social-insurance' },
    ]);
    // Resent as is (the answer was lost): consumed again, applied once.
    const again = await kiosk.push([event]);
    expect(again.rejected).toEqual([]);
    // The same event from a restored kiosk database (a new epoch): still applied once.
    const restored = await kiosk.push([{ ...event, seq: 1 }], randomUUID());
    expect(restored.rejected).toEqual([]);
    expect(await ratingsOf(ticket.ticketId)).toHaveLength(1);
    const lines = (await auditLines(h.db.pool, DEMO_HALL_ID, ticket.ticketId)).filter((l) => l.action === 'rating.submit');
    expect(lines).toEqual([expect.objectContaining({ actor_id: 'kiosk-1', outcome: 'ok' })]);
  });

  it('is a no-op when the same rating comes again under a new event id, and already-rated when it is a new one', async () => {
    const ticket = await servedTicket();
    const first = ratingPayload(ticket.ticketId);
    const sameRating = kiosk.event(SyncEventType.RatingSubmitted, first);
    const resentRating = kiosk.event(SyncEventType.RatingSubmitted, first);
    const secondRating = kiosk.event(SyncEventType.RatingSubmitted, ratingPayload(ticket.ticketId, POOR));
    const answer = await kiosk.push([sameRating, resentRating, secondRating]);
    expect(answer.rejected).toEqual([expect.objectContaining({ eventId: secondRating.eventId, code: SyncRejectCode.AlreadyRated })]);
    expect(await ratingsOf(ticket.ticketId)).toEqual([expect.objectContaining({ rating_id: first.ratingId })]);
    // The first rating stands: the poor one opened no order.
    const orders = await h.db.pool.query('SELECT 1 FROM rectification_orders WHERE rating_id = $1', [first.ratingId]);
    expect(orders.rows).toHaveLength(0);
    // A rating id reused for another ticket is not a rating of that ticket.
    const other = await servedTicket();
    const reused = kiosk.event(SyncEventType.RatingSubmitted, ratingPayload(other.ticketId, SATISFIED, first.ratingId));
    expect((await kiosk.push([reused])).rejected).toEqual([expect.objectContaining({ code: SyncRejectCode.InvalidEvent })]);
    expect(await ratingsOf(other.ticketId)).toEqual([]);
  });

  it('is not-rateable for an unknown ticket, a waiting one, a called one and another hall’s', async () => {
    const waiting = await kiosk.ticket({ number: nextNumber() });
    const called = await kiosk.ticket({ number: nextNumber() });
    expect((await h.request('POST', `/v1/counter/tickets/${called.ticketId}/call`, { token: OTHER_CLERK, body: { counterId: 'window-2' } })).status).toBe(200);
    const hall2 = new KioskPusher(h, HALL_2_KIOSK);
    const foreign = await hall2.ticket({ number: 'A1-901' });
    await signIn(h, HALL_2_STAFF, 'window-1');
    await serve(h, HALL_2_STAFF, 'window-1', foreign.ticketId);

    const events = [randomUUID(), waiting.ticketId, called.ticketId, foreign.ticketId].map((id) =>
      kiosk.event(SyncEventType.RatingSubmitted, ratingPayload(id)),
    );
    const answer = await kiosk.push(events);
    expect(answer.rejected.map((r) => [r.eventId, r.code])).toEqual(events.map((e) => [e.eventId, SyncRejectCode.NotRateable]));
    expect(answer.lastSeq).toBe(events[events.length - 1]?.seq);
    const stored = await h.db.pool.query('SELECT count(*)::int AS n FROM ratings WHERE ticket_id = ANY($1::uuid[])', [
      [waiting.ticketId, called.ticketId, foreign.ticketId],
    ]);
    expect(stored.rows[0]).toEqual({ n: 0 });
    // The refusal is kept: a retry of the batch is told again.
    expect((await kiosk.push(events)).rejected.map((r) => r.code)).toEqual(events.map(() => SyncRejectCode.NotRateable));
    await h.request('POST', `/v1/counter/tickets/${called.ticketId}/no-show`, { token: OTHER_CLERK });
  });

  it('refuses a comment PostgreSQL cannot store as an invalid event, without failing the batch', async () => {
    const ticket = await servedTicket();
    const good = await servedTicket();
    const bad = kiosk.event(SyncEventType.RatingSubmitted, ratingPayload(ticket.ticketId, { ...SATISFIED, comment: 'x\ud800y' }));
    const fine = kiosk.event(SyncEventType.RatingSubmitted, ratingPayload(good.ticketId));
    const answer = await kiosk.push([bad, fine]);
    expect(answer.rejected).toEqual([expect.objectContaining({ eventId: bad.eventId, code: SyncRejectCode.InvalidEvent })]);
    expect(await ratingsOf(good.ticketId)).toHaveLength(1);
  });
});

describe('the citizen page and the counter console', () => {
  it('rate a served ticket once: any second rating, from any channel, is already-rated', async () => {
    const byPage = await servedTicket();
    const answer = await citizenRate(byPage.ticketId, byPage.number);
    expect(answer.status).toBe(200);
    const rating = RatingResponse.parse(answer.body).rating;
    expect(rating).toMatchObject({ channel: RatingChannel.Web, number: byPage.number, counterId: 'window-1', staffId: 'clerk-wang', serviceId: 'social-insurance' });
    expect((await citizenRate(byPage.ticketId, byPage.number)).body).toMatchObject({ code: PortalErrorCode.AlreadyRated });
    expect((await counterRate(CLERK, byPage.ticketId)).body).toMatchObject({ code: PortalErrorCode.AlreadyRated });
    const late = kiosk.event(SyncEventType.RatingSubmitted, ratingPayload(byPage.ticketId));
    expect((await kiosk.push([late])).rejected).toEqual([expect.objectContaining({ code: SyncRejectCode.AlreadyRated })]);

    const byCounter = await servedTicket();
    const counter = await counterRate(CLERK, byCounter.ticketId, { ...SATISFIED, overall: RatingLevel.VerySatisfied, comment: '很好' });
    expect(counter.status).toBe(200);
    expect(RatingResponse.parse(counter.body).rating).toMatchObject({ channel: RatingChannel.Counter, comment: '很好', overall: RatingLevel.VerySatisfied });
    const page = await citizenRate(byCounter.ticketId, byCounter.number);
    expect([page.status, page.body]).toEqual([409, expect.objectContaining({ code: PortalErrorCode.AlreadyRated })]);

    const byKiosk = await servedTicket();
    expect((await kiosk.push([kiosk.event(SyncEventType.RatingSubmitted, ratingPayload(byKiosk.ticketId))])).rejected).toEqual([]);
    expect((await citizenRate(byKiosk.ticketId, byKiosk.number)).status).toBe(409);
    expect((await counterRate(CLERK, byKiosk.ticketId)).status).toBe(409);
    expect(await ratingsOf(byKiosk.ticketId)).toEqual([expect.objectContaining({ channel: 'kiosk' })]);
  });

  it('the page needs the ticket id and its number to match a served ticket', async () => {
    const served = await servedTicket();
    const waiting = await kiosk.ticket({ number: nextNumber() });
    for (const [ticketId, ticketNumber] of [
      [served.ticketId, 'A1-999'],
      [randomUUID(), served.number],
      [waiting.ticketId, waiting.number],
    ] as const) {
      const answer = await citizenRate(ticketId, ticketNumber);
      expect([answer.status, answer.body]).toEqual([409, expect.objectContaining({ code: PortalErrorCode.NotRateable })]);
    }
    expect(await ratingsOf(served.ticketId)).toEqual([]);
    // The refusal of a known ticket is audited for its hall.
    const refused = await auditLines(h.db.pool, DEMO_HALL_ID, waiting.ticketId);
    expect(refused).toEqual([expect.objectContaining({ action: 'rating.submit', outcome: 'refused', actor_id: 'citizen-page' })]);
  });

  it('the console posts the rating only for the clerk of the counter that served the ticket', async () => {
    const ticket = await servedTicket();
    const answer = await counterRate(OTHER_CLERK, ticket.ticketId);
    expect([answer.status, answer.body]).toEqual([403, expect.objectContaining({ code: PortalErrorCode.Forbidden })]);
    expect((await counterRate('ratings-manager-key', ticket.ticketId)).status).toBe(403);
    const waiting = await kiosk.ticket({ number: nextNumber() });
    expect((await counterRate(CLERK, waiting.ticketId)).body).toMatchObject({ code: PortalErrorCode.NotRateable });
    expect((await counterRate(CLERK, ticket.ticketId)).status).toBe(200);
    const lines = (await auditLines(h.db.pool, DEMO_HALL_ID, ticket.ticketId)).filter((l) => l.action === 'rating.submit');
    expect(lines.map((l) => [l.actor_id, l.outcome])).toEqual([
      ['clerk-li', 'refused'],
      ['duty-manager', 'refused'],
      ['clerk-wang', 'ok'],
    ]);
  });

  it('keeps one rating per ticket when the three channels race for the same tickets', async () => {
    const tickets = [];
    for (let i = 0; i < 8; i++) tickets.push(await servedTicket());
    const events = tickets.map((t) => kiosk.event(SyncEventType.RatingSubmitted, ratingPayload(t.ticketId)));
    const [pushed, ...answers] = await Promise.all([
      kiosk.push(events),
      ...tickets.map((t) => citizenRate(t.ticketId, t.number, POOR)),
      ...tickets.map((t) => counterRate(CLERK, t.ticketId, POOR)),
    ]);
    const refusedByKiosk = new Set(pushed.rejected.map((r) => r.eventId));
    for (const [i, t] of tickets.entries()) {
      const page = answers[i];
      const counter = answers[tickets.length + i];
      const wins = [!refusedByKiosk.has(events[i]?.eventId ?? ''), page?.status === 200, counter?.status === 200].filter(Boolean);
      expect(wins, t.number).toHaveLength(1);
      for (const loser of [page, counter].filter((a) => a?.status !== 200)) expect(loser?.body).toMatchObject({ code: PortalErrorCode.AlreadyRated });
      expect(await ratingsOf(t.ticketId)).toHaveLength(1);
    }
    expect(pushed.rejected.every((r) => r.code === SyncRejectCode.AlreadyRated)).toBe(true);
  });

  it('limits ratings from the citizen page per address', async () => {
    const limited = await startPortalHarness();
    try {
      let last = 0;
      for (let i = 0; i <= CITIZEN_RATINGS_PER_WINDOW; i++) {
        last = (await limited.request('POST', '/v1/citizen/ratings', { body: { ...SATISFIED, ticketId: randomUUID(), number: 'A001' } })).status;
        if (i < CITIZEN_RATINGS_PER_WINDOW) expect(last).toBe(409);
      }
      expect(last).toBe(429);
    } finally {
      await limited.close();
    }
  });
});

describe('POST /v1/kiosk/tickets/rateable', () => {
  it('offers today’s served, unrated tickets of a card, or one ticket by id, of the kiosk’s hall only', async () => {
    const hmac = HMAC;
    const a = await servedTicket({ citizenHmac: hmac });
    const b = await servedTicket({ citizenHmac: hmac });
    await kiosk.ticket({ number: nextNumber(), citizenHmac: hmac });
    const rated = await servedTicket({ citizenHmac: hmac });
    expect((await counterRate(CLERK, rated.ticketId)).status).toBe(200);

    const byCard = await h.request('POST', '/v1/kiosk/tickets/rateable', { token: KIOSK_TOKEN, body: { citizenHmac: hmac } });
    expect(byCard.status).toBe(200);
    const tickets = RateableTicketsResponse.parse(byCard.body).tickets;
    expect(tickets.map((t) => t.ticketId).sort()).toEqual([a.ticketId, b.ticketId].sort());
    expect(tickets[0]).toMatchObject({ serviceId: 'social-insurance', counterNumber: 1, businessDay: '2025-03-10' });

    const byId = await h.request('POST', '/v1/kiosk/tickets/rateable', { token: KIOSK_TOKEN, body: { ticketId: a.ticketId } });
    expect(RateableTicketsResponse.parse(byId.body).tickets.map((t) => t.number)).toEqual([a.number]);
    const ratedById = await h.request('POST', '/v1/kiosk/tickets/rateable', { token: KIOSK_TOKEN, body: { ticketId: rated.ticketId } });
    expect(RateableTicketsResponse.parse(ratedById.body).tickets).toEqual([]);
    // Another hall's kiosk sees none of them.
    const foreign = await h.request('POST', '/v1/kiosk/tickets/rateable', { token: HALL_2_KIOSK, body: { ticketId: a.ticketId } });
    expect(RateableTicketsResponse.parse(foreign.body).tickets).toEqual([]);
    // Exactly one of the two.
    expect((await h.request('POST', '/v1/kiosk/tickets/rateable', { token: KIOSK_TOKEN, body: {} })).status).toBe(400);
  });
});

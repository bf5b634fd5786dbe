import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { QueueTicket, TicketTransitionResponse } from '../../common/contract/counter-api.js';
import { OrdersResponse, RatingLevel, type RatingInput, type RectificationOrder } from '../../common/contract/ratings-api.js';
import { PushResponse, SyncEventType, type OutboxEvent, type RatingSubmittedPayload, type TicketIssuedPayload } from '../../common/contract/sync-api.js';
import { KIOSK_TOKEN, TEST_NOW, ticketPayload, type HttpAnswer, type PortalHarness } from '../test-support/portal-harness.js';

/**
 * Helpers of the ratings domain's tests (not used by the portal): a kiosk pushing in seq order,
 * tickets served through the real counter routes, and ratings through each channel.
 */

export const SATISFIED: RatingInput = {
  overall: RatingLevel.Satisfied,
  efficiency: RatingLevel.Satisfied,
  expertise: RatingLevel.VerySatisfied,
  attitude: RatingLevel.Satisfied,
  comment: null,
};

export const POOR: RatingInput = {
  overall: RatingLevel.Dissatisfied,
  efficiency: RatingLevel.BasicallySatisfied,
  expertise: RatingLevel.Satisfied,
  attitude: RatingLevel.VeryDissatisfied,
  comment: '等了很久，窗口态度差',
};

/** One kiosk database (its epoch), pushing events with consecutive seqs. */
export class KioskPusher {
  private seq = 0;
  readonly dbEpoch = randomUUID();
  constructor(
    private readonly h: PortalHarness,
    private readonly token: string = KIOSK_TOKEN,
  ) {}

  event(type: SyncEventType.TicketIssued, payload: TicketIssuedPayload): OutboxEvent;
  event(type: SyncEventType.RatingSubmitted, payload: RatingSubmittedPayload): OutboxEvent;
  event(type: SyncEventType, payload: TicketIssuedPayload | RatingSubmittedPayload): OutboxEvent {
    this.seq += 1;
    return { seq: this.seq, eventId: randomUUID(), occurredAt: TEST_NOW.toISOString(), type, payload } as OutboxEvent;
  }

  /** Pushes events (as built by `event`, or resent ones); the portal's answer. */
  async push(events: OutboxEvent[], dbEpoch = this.dbEpoch): Promise<PushResponse> {
    const answer = await this.h.request('POST', '/v1/kiosk/events', { token: this.token, body: { dbEpoch, events } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return PushResponse.parse(answer.body);
  }

  /** Pushes one new ticket and expects it accepted. */
  async ticket(overrides: Partial<TicketIssuedPayload> = {}): Promise<TicketIssuedPayload> {
    const payload = ticketPayload(overrides);
    const event = this.event(SyncEventType.TicketIssued, payload);
    const answer = await this.push([event]);
    expect(answer).toMatchObject({ rejected: [], lastSeq: event.seq });
    return payload;
  }
}

export function ratingPayload(ticketId: string, input: RatingInput = SATISFIED, ratingId: string = randomUUID()): RatingSubmittedPayload {
  return { ...input, ratingId, ticketId, ratedAt: TEST_NOW.toISOString() };
}

async function ok(answer: Promise<HttpAnswer>): Promise<unknown> {
  const a = await answer;
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  return a.body;
}

/** Takes a counter with a staff API key (idempotent for the same key). */
export async function signIn(h: PortalHarness, staffToken: string, counterId: string): Promise<void> {
  await ok(h.request('POST', `/v1/counter/counters/${counterId}/sign-in`, { token: staffToken, body: {} }));
}

/** Calls, starts and completes a waiting ticket at a counter the key signed in at: it is done. */
export async function serve(h: PortalHarness, staffToken: string, counterId: string, ticketId: string): Promise<QueueTicket> {
  await ok(h.request('POST', `/v1/counter/tickets/${ticketId}/call`, { token: staffToken, body: { counterId } }));
  await ok(h.request('POST', `/v1/counter/tickets/${ticketId}/start`, { token: staffToken }));
  const done = await ok(h.request('POST', `/v1/counter/tickets/${ticketId}/complete`, { token: staffToken, body: {} }));
  return TicketTransitionResponse.parse(done).ticket;
}

export async function ordersAs(h: PortalHarness, staffToken: string, query = ''): Promise<RectificationOrder[]> {
  return OrdersResponse.parse(await ok(h.request('GET', `/v1/rectifications${query}`, { token: staffToken }))).orders;
}

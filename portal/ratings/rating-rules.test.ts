import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TicketStatus } from '../../common/contract/counter-api.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { AppealStatus, RectificationStatus } from '../../common/contract/ratings-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { SyncRejectCode } from '../../common/contract/sync-api.js';
import { CalendarDayKind } from '../../common/domain/hall-calendar.js';
import { decideRatings, type RatingEvent, type RatingFacts } from './rating-rules.js';
import { ratingPayload } from './ratings-test-kit.js';
import { dueDayOf } from './rectification-clock.js';
import { advanceRefusal, appealRefusal, decisionRefusal, isOverdue, orderScope, type OrderState } from './rectification-workflow.js';
import { isStorablePayload, isStorableText } from './storable-text.js';

const done: RatingFacts = { ticketStatus: TicketStatus.Done, number: 'A001', ratingOfTicket: null, ticketOfRating: null };
const event = (ticketId: string, ratingId = randomUUID()): RatingEvent => ({ eventId: randomUUID(), payload: ratingPayload(ticketId, undefined, ratingId) });

describe('decideRatings (一次一评)', () => {
  it('takes a served ticket’s first rating and refuses the second in the same batch', () => {
    const ticket = randomUUID();
    const [first, second] = [event(ticket), event(ticket)];
    const decision = decideRatings([first, second], [done, done]);
    expect(decision.insert).toEqual([first]);
    expect(decision.rejections.get(second.eventId)?.code).toBe(SyncRejectCode.AlreadyRated);
  });

  it('is a no-op for the same rating again, and refuses a rating id reused for another ticket', () => {
    const ticket = randomUUID();
    const ratingId = randomUUID();
    const stored = event(ticket, ratingId);
    const decision = decideRatings([stored], [{ ...done, ratingOfTicket: ratingId, ticketOfRating: ticket }]);
    expect(decision).toMatchObject({ insert: [], replays: [stored] });
    expect(decision.rejections.size).toBe(0);
    const twice = [event(ticket, ratingId), event(ticket, ratingId), event(randomUUID(), ratingId)];
    const batch = decideRatings(twice, [done, done, done]);
    expect(batch.insert).toEqual([twice[0]]);
    expect(batch.replays).toEqual([twice[1]]);
    expect(batch.rejections.get(twice[2]?.eventId ?? '')?.code).toBe(SyncRejectCode.InvalidEvent);
  });

  it('refuses a ticket the hall does not hold as done, and one already rated by another channel', () => {
    const events = [event(randomUUID()), event(randomUUID()), event(randomUUID()), event(randomUUID())];
    const facts: RatingFacts[] = [
      { ...done, ticketStatus: null },
      { ...done, ticketStatus: TicketStatus.Waiting },
      { ...done, ticketStatus: TicketStatus.Cancelled },
      { ...done, ratingOfTicket: randomUUID() },
    ];
    const decision = decideRatings(events, facts);
    expect(decision.insert).toEqual([]);
    expect(events.map((e) => decision.rejections.get(e.eventId)?.code)).toEqual([
      SyncRejectCode.NotRateable,
      SyncRejectCode.NotRateable,
      SyncRejectCode.NotRateable,
      SyncRejectCode.AlreadyRated,
    ]);
  });
});

describe('rectification rules', () => {
  const order = (over: Partial<OrderState> = {}): OrderState => ({
    orderId: 'o1',
    status: RectificationStatus.Open,
    appeal: AppealStatus.None,
    staffId: 'clerk-a',
    ...over,
  });

  it('moves one step at a time, never back, and never closes over a waiting appeal', () => {
    expect(advanceRefusal(order(), RectificationStatus.Contacted)).toBeNull();
    expect(advanceRefusal(order(), RectificationStatus.Closed)?.code).toBe(PortalErrorCode.InvalidTransition);
    expect(advanceRefusal(order({ status: RectificationStatus.Contacted }), RectificationStatus.Explained)).toBeNull();
    expect(advanceRefusal(order({ status: RectificationStatus.Rectified }), RectificationStatus.Contacted)?.code).toBe(PortalErrorCode.InvalidTransition);
    expect(advanceRefusal(order({ status: RectificationStatus.Rectified }), RectificationStatus.Closed)).toBeNull();
    expect(advanceRefusal(order({ status: RectificationStatus.Rectified, appeal: AppealStatus.Pending }), RectificationStatus.Closed)?.message).toMatch(/appeal/);
    expect(advanceRefusal(order({ status: RectificationStatus.Closed }), RectificationStatus.Closed)?.code).toBe(PortalErrorCode.InvalidTransition);
  });

  it('lets the rated clerk appeal once before closing, and another manager decide', () => {
    expect(appealRefusal(order(), 'clerk-a')).toBeNull();
    expect(appealRefusal(order(), 'clerk-b')?.code).toBe(PortalErrorCode.Forbidden);
    expect(appealRefusal(order({ staffId: null }), 'clerk-a')?.code).toBe(PortalErrorCode.Forbidden);
    expect(appealRefusal(order({ appeal: AppealStatus.Rejected }), 'clerk-a')?.code).toBe(PortalErrorCode.InvalidTransition);
    expect(appealRefusal(order({ status: RectificationStatus.Closed }), 'clerk-a')?.code).toBe(PortalErrorCode.InvalidTransition);
    const pending = order({ appeal: AppealStatus.Pending });
    expect(decisionRefusal(pending, 'boss', StaffRole.Manager)).toBeNull();
    expect(decisionRefusal(pending, 'clerk-a', StaffRole.Manager)?.code).toBe(PortalErrorCode.Forbidden);
    expect(decisionRefusal(pending, 'clerk-b', StaffRole.Clerk)?.code).toBe(PortalErrorCode.Forbidden);
    expect(decisionRefusal(order(), 'boss', StaffRole.Admin)?.code).toBe(PortalErrorCode.InvalidTransition);
    expect([orderScope('clerk-a', StaffRole.Clerk), orderScope('boss', StaffRole.Manager)]).toEqual(['clerk-a', null]);
  });

  it('flags an order overdue from the day after its due day, until it is rectified or explained', () => {
    expect(isOverdue(RectificationStatus.Open, '2025-03-17', '2025-03-17')).toBe(false);
    expect(isOverdue(RectificationStatus.Contacted, '2025-03-17', '2025-03-18')).toBe(true);
    expect(isOverdue(RectificationStatus.Explained, '2025-03-17', '2025-04-01')).toBe(false);
    expect(isOverdue(RectificationStatus.Closed, '2025-03-17', '2025-04-01')).toBe(false);
  });

  it('counts the due day in working days of the hall calendar', () => {
    // Friday + 2 working days: Monday is a holiday, so Wednesday; a worked Saturday counts.
    const calendar = [{ day: '2025-03-17', kind: CalendarDayKind.Holiday }];
    expect(dueDayOf('2025-03-14', { calendar, rectificationDays: 2 })).toBe('2025-03-19');
    const withSaturday = [...calendar, { day: '2025-03-15', kind: CalendarDayKind.Workday }];
    expect(dueDayOf('2025-03-14', { calendar: withSaturday, rectificationDays: 2 })).toBe('2025-03-18');
  });
});

describe('storable text', () => {
  it('refuses NUL and lone surrogates, keeps Chinese and emoji', () => {
    expect(isStorableText('服务很好 👍')).toBe(true);
    expect(isStorableText(null)).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('a\ud83d')).toBe(false);
    expect(isStorableText('\udc4db')).toBe(false);
    expect(isStorablePayload({ comment: 'ok', n: 1, c: null })).toBe(true);
    expect(isStorablePayload({ comment: 'x\u0000' })).toBe(false);
  });
});

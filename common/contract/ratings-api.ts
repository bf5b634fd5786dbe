import { z } from 'zod';
import { TicketNumber } from '../domain/ticket-number.js';
import { BusinessDay } from '../domain/business-day.js';
import { ServiceId } from './catalog.js';
import { CounterId, StaffId } from './counter-api.js';
import { RouteAuth, StaffRole, type RouteSpec } from './route-spec.js';

/**
 * 好差评: the national five-level rating of a served visit, with the on-site dimensions, one
 * rating per served ticket (一次一评), from the kiosk (queued offline through its outbox), the
 * citizen page or the counter console. A poor rating opens a rectification work order.
 */
export enum RatingLevel {
  /** 非常满意 */
  VerySatisfied = 'very-satisfied',
  /** 满意 */
  Satisfied = 'satisfied',
  /** 基本满意 */
  BasicallySatisfied = 'basically-satisfied',
  /** 不满意 */
  Dissatisfied = 'dissatisfied',
  /** 非常不满意 */
  VeryDissatisfied = 'very-dissatisfied',
}

/** 5 = 非常满意 … 1 = 非常不满意. */
export const RATING_SCORE: Readonly<Record<RatingLevel, number>> = {
  [RatingLevel.VerySatisfied]: 5,
  [RatingLevel.Satisfied]: 4,
  [RatingLevel.BasicallySatisfied]: 3,
  [RatingLevel.Dissatisfied]: 2,
  [RatingLevel.VeryDissatisfied]: 1,
};

/**
 * The five levels as the national standard names them, in both languages: every screen (kiosk,
 * counter console, citizen page) shows these words, so a citizen reads the same scale everywhere.
 */
export const RATING_LEVEL_NAMES: Readonly<Record<RatingLevel, Readonly<{ zh: string; en: string }>>> = {
  [RatingLevel.VerySatisfied]: { zh: '非常满意', en: 'Very satisfied' },
  [RatingLevel.Satisfied]: { zh: '满意', en: 'Satisfied' },
  [RatingLevel.BasicallySatisfied]: { zh: '基本满意', en: 'Basically satisfied' },
  [RatingLevel.Dissatisfied]: { zh: '不满意', en: 'Dissatisfied' },
  [RatingLevel.VeryDissatisfied]: { zh: '非常不满意', en: 'Very dissatisfied' },
};

/** RATING_LEVEL_NAMES in one language, for a screen's dictionary. */
export function ratingLevelNames(language: 'zh' | 'en'): Record<RatingLevel, string> {
  const names = {} as Record<RatingLevel, string>;
  for (const level of Object.values(RatingLevel)) names[level] = RATING_LEVEL_NAMES[level][language];
  return names;
}

/** 不满意 and 非常不满意 open a rectification order. */
export function isPoorRating(level: RatingLevel): boolean {
  return RATING_SCORE[level] <= 2;
}

export enum RatingChannel {
  Kiosk = 'kiosk',
  Web = 'web',
  Counter = 'counter',
}

/** The overall level plus the on-site dimensions: 效率, 水平, 态度. */
export const RatingInput = z.object({
  overall: z.enum(RatingLevel),
  efficiency: z.enum(RatingLevel),
  expertise: z.enum(RatingLevel),
  attitude: z.enum(RatingLevel),
  comment: z.string().max(500).nullable().default(null),
});
export type RatingInput = z.infer<typeof RatingInput>;

export const RatingView = RatingInput.extend({
  ratingId: z.uuid(),
  ticketId: z.uuid(),
  number: TicketNumber,
  businessDay: BusinessDay,
  serviceId: ServiceId,
  counterId: CounterId.nullable(),
  staffId: StaffId.nullable(),
  channel: z.enum(RatingChannel),
  ratedAt: z.iso.datetime(),
});
export type RatingView = z.infer<typeof RatingView>;

export enum RectificationStatus {
  Open = 'open',
  Contacted = 'contacted',
  Rectified = 'rectified',
  Explained = 'explained',
  Closed = 'closed',
}

export enum AppealStatus {
  None = 'none',
  Pending = 'pending',
  Upheld = 'upheld',
  Rejected = 'rejected',
}

export const RectificationOrder = z.object({
  orderId: z.uuid(),
  rating: RatingView,
  status: z.enum(RectificationStatus),
  assignedTo: StaffId.nullable(),
  /** Working days of the hall calendar after the rating. */
  dueDay: BusinessDay,
  overdue: z.boolean(),
  appeal: z.enum(AppealStatus),
  appealReason: z.string().max(500).nullable(),
  notes: z.array(z.object({ at: z.iso.datetime(), staffId: StaffId, status: z.enum(RectificationStatus), text: z.string().max(500) })),
});
export type RectificationOrder = z.infer<typeof RectificationOrder>;

export const CitizenRatingRequest = RatingInput.extend({
  /** From the receipt's QR code: both must match, so a number alone cannot be rated by a stranger. */
  ticketId: z.uuid(),
  number: TicketNumber,
});
export const CounterRatingRequest = RatingInput;
export const RatingResponse = z.object({ rating: RatingView });
export const TicketRatingParams = z.object({ ticketId: z.uuid() });

export const OrderParams = z.object({ orderId: z.uuid() });
export const OrdersQuery = z.object({ status: z.enum(RectificationStatus).optional() });
export const OrdersResponse = z.object({ orders: z.array(RectificationOrder) });
export const AdvanceOrderRequest = z.object({ status: z.enum(RectificationStatus), note: z.string().min(1).max(500) });
export const AppealRequest = z.object({ reason: z.string().min(1).max(500) });
export const DecideAppealRequest = z.object({ upheld: z.boolean(), note: z.string().min(1).max(500) });
export const OrderResponse = z.object({ order: RectificationOrder });

export const ratingsRoutes = {
  citizenRate: {
    method: 'post', path: '/v1/citizen/ratings', auth: RouteAuth.None,
    summary: 'Rate a served ticket (once) from the citizen page', request: CitizenRatingRequest, response: RatingResponse,
  },
  counterRate: {
    method: 'post', path: '/v1/counter/tickets/{ticketId}/rating', auth: RouteAuth.Staff,
    summary: "The visitor's rating given on the counter console's prompt", request: CounterRatingRequest, response: RatingResponse,
    params: TicketRatingParams,
  },
  listOrders: {
    method: 'get', path: '/v1/rectifications', auth: RouteAuth.Staff,
    summary: 'Rectification orders of the hall (a clerk sees the ones about their own tickets)', request: null, response: OrdersResponse,
    query: OrdersQuery,
  },
  advanceOrder: {
    method: 'post', path: '/v1/rectifications/{orderId}/advance', auth: RouteAuth.Staff, minRole: StaffRole.Manager,
    summary: 'Move an order: open → contacted → rectified or explained → closed', request: AdvanceOrderRequest, response: OrderResponse,
    params: OrderParams,
  },
  appeal: {
    method: 'post', path: '/v1/rectifications/{orderId}/appeal', auth: RouteAuth.Staff,
    summary: 'The rated clerk appeals (申诉复核)', request: AppealRequest, response: OrderResponse, params: OrderParams,
  },
  decideAppeal: {
    method: 'post', path: '/v1/rectifications/{orderId}/appeal/decide', auth: RouteAuth.Staff, minRole: StaffRole.Manager,
    summary: 'A manager decides an appeal', request: DecideAppealRequest, response: OrderResponse, params: OrderParams,
  },
} as const satisfies Record<string, RouteSpec>;

import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingConfirmation, HoldResponse } from '../../common/contract/booking-api.js';
import { CaseResponse, CaseStatus } from '../../common/contract/cases-api.js';
import { DeviceState } from '../../common/contract/device-status.js';
import { KIOSK_HEALTH_PATH, type KioskHealthReport } from '../../common/contract/kiosk-health-api.js';
import { PrinterState } from '../../common/contract/kiosk-status.js';
import { QueueTicket, TicketTransitionResponse } from '../../common/contract/counter-api.js';
import { OrdersResponse } from '../../common/contract/ratings-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { StatsBy } from '../../common/contract/stats-api.js';
import { CSRF_HEADER, SESSION_COOKIE, SessionResponse } from '../../common/contract/staff-api.js';
import { LeaseBandResponse, PullResponse, SyncEventType } from '../../common/contract/sync-api.js';
import { decodeBase64Url, encodeBase64Url, encodeUtf8 } from '../../common/domain/base64url.js';
import { hashPassword } from '../auth/password-hash.js';
import { validIdNumber } from '../booking/test-id-numbers.js';
import { citizenHmacOf } from '../citizen/citizen-hmac.js';
import { addStaffKey } from '../counter/counter-test-kit.js';
import { withTransaction } from '../db/transaction.js';
import { KioskPusher, POOR, SATISFIED, ratingPayload } from '../ratings/ratings-test-kit.js';
import { openSse } from '../realtime/test-sse-reader.js';
import { DEMO_STAFF_ACCOUNTS, DEMO_STAFF_PASSWORD } from '../seed/demo-credentials.js';
import { seedDemoHall } from '../seed/demo-hall.js';
import { issueDisplayTokenIn } from '../staff/display-tokens.js';
import {
  DEMO_HALL_ID,
  ID_NUMBER,
  KIOSK_ID_2,
  KIOSK_TOKEN,
  KIOSK_TOKEN_2,
  STAFF_TOKEN,
  TEST_NOW,
  TEST_DAY,
  bookAppointment,
  startPortalHarness,
  ticketPayload,
  type HttpAnswer,
  type PortalHarness,
} from '../test-support/portal-harness.js';

/**
 * Several halls on one portal (issue 10 §4, docs/architecture.md §1): every route of the OpenAPI
 * document, called by every role of hall B (kiosk, display, staff API keys, clerk, manager and
 * admin sessions, an anonymous citizen) with the ids of hall A, reads and changes nothing of
 * hall A. The routes are enumerated from the app itself, so a route added later fails this test
 * until it has a case in ROUTE_CASES.
 *
 * Each answer must be a coded refusal (401 for a role the route does not take; otherwise
 * 403/404/409/410, or the refusals a case names), or a 200 the case allows because it is about
 * hall B's own rows (hall B is the demo hall again: the same service, counter, kiosk and staff
 * ids, so those ids alone decide nothing). No answer may carry anything of hall A that the request
 * did not carry itself, and every row of hall A, in every table, is the same after the run as
 * before it. The last test runs the reads as hall A's own callers, to show the checks do fail.
 *
 * Two public routes name no hall and take a secret instead, so they are probed only with what
 * hall A would refuse anyway: confirming a hold (its id is the citizen's capability) and rating a
 * ticket from its receipt (id and number together).
 */

const HALL_B = 'hall-b-isolation';
const B_KIOSK_TOKEN = 'hall-b-kiosk-token';
const B_DISPLAY_TOKEN = 'hall-b-display-token';
const B_CLERK_KEY = 'hall-b-clerk-api-key';
const B_ADMIN_KEY = 'hall-b-admin-api-key';

const A_DISPLAY_TOKEN = 'hall-a-display-token';
const A_MANAGER_KEY = 'hall-a-manager-api-key';
const A_ONLY_PASSWORD = 'hall-a-only-password';
/** Ids hall A has and hall B has not. */
const A_ONLY_SERVICE = 'a-only-service';
const A_ONLY_COUNTER = 'a-only-window';
const A_ONLY_STAFF = 'a-only-clerk';
const A_NOTICE = { zh: '甲厅专用公告', en: 'Hall-A-only notice' };
const A_NAME = { zh: '甲厅政务服务中心', en: 'Hall Alpha Service Centre' };
const A_MASKED_NAME = '欧阳*甲';
const A_CASE = 'HALLA-CASE-1';

/** 09:30 Shanghai on Tuesday 2025-03-11: a bookable slot of social-insurance (booked 1-14 days ahead). */
const SLOT_START = '2025-03-11T01:30:00.000Z';

enum Role {
  Kiosk = 'kiosk',
  Display = 'display',
  ClerkKey = 'clerk-api-key',
  AdminKey = 'admin-api-key',
  Clerk = 'clerk-session',
  Manager = 'manager-session',
  Admin = 'admin-session',
  Anonymous = 'anonymous',
}

/** The OpenAPI security scheme each role's credentials satisfy (portal/http/openapi.ts). */
const SCHEME: Readonly<Record<Role, string | null>> = {
  [Role.Kiosk]: 'kioskToken',
  [Role.Display]: 'displayToken',
  [Role.ClerkKey]: 'staffToken',
  [Role.AdminKey]: 'staffToken',
  [Role.Clerk]: 'staffSession',
  [Role.Manager]: 'staffSession',
  [Role.Admin]: 'staffSession',
  [Role.Anonymous]: null,
};

interface Credentials {
  bearer?: string;
  session?: { id: string; csrf: string };
}

/** Hall A's ids, as the run uses them. */
interface HallA {
  waiting: string;
  called: string;
  serving: string;
  held: string;
  noShow: string;
  /** Done with a case, rated poorly: it opened a rectification order. */
  rated: string;
  /** Done, not rated. */
  done: string;
  ratingId: string;
  orderId: string;
  bandId: string;
  leaseId: string;
  staffAppointmentId: string;
  staffReference: string;
  citizenAppointmentId: string;
  citizenReference: string;
  cancelCode: string;
  certificateCode: string;
  certificateId: string;
  certificateKeyId: string;
  citizenKey: string;
  citizenHmac: string;
  cursor: string;
}

/** Hall B's counter each member of staff of hall B is signed in at (setUpHallB): theirs to call at. */
const COUNTER_OF: Readonly<Partial<Record<Role, string>>> = {
  [Role.ClerkKey]: 'window-4',
  [Role.AdminKey]: 'window-5',
  [Role.Clerk]: 'window-6',
  [Role.Manager]: 'window-7',
  [Role.Admin]: 'window-8',
};

/** A body naming the caller's own counter of hall B, so the ticket id is all that can be refused. */
const atOwnCounter = (role: Role): unknown => ({ counterId: COUNTER_OF[role] ?? 'window-1' });

interface Probe {
  /** Path and query, with hall A's ids (and hall B's hall id where the route takes one). */
  path: string;
  /** The JSON body, or one per role. */
  body?: unknown;
  /** A 200 is a fine answer: the route acted on hall B's own rows (the same id exists in both halls), or on none. */
  ownHall?: true;
  /** The refusals that prove the point for a role the route takes (default 403, 404, 409, 410). */
  refusals?: readonly number[];
  /** A live stream (text/event-stream): read up to its `ready` frame. */
  stream?: true;
  /** What hall A published itself and may therefore appear (the public list of halls, a certificate's own payload). */
  published?: readonly string[];
  /** More checks of a 200 answer. */
  check?: (body: unknown) => void;
}

type RouteCases = Readonly<Record<string, (a: HallA) => Probe[]>>;

/** Configuration bodies (common/contract/config-api.ts) valid in any hall: only the ids in them differ per probe. */
const CONFIG_SERVICE = {
  name: { zh: '乙厅新事项', en: 'Hall B new service' },
  description: null,
  enabled: true,
  sortOrder: 500,
  hours: {},
  dailyQuota: null,
  guide: null,
  booking: null,
};
const CONFIG_COUNTER = { number: 42, name: { zh: '42 号窗口', en: 'Counter 42' }, enabled: true, services: [], allowedStaffIds: [] };
const CONFIG_KIOSK = { name: null, offeredServiceIds: null, idleTimeoutMs: null, elderlyAge: null, technicianPin: null };
const CONFIG_HALL = {
  version: 1,
  name: { zh: '乙厅', en: 'Hall B' },
  timeZone: 'Asia/Shanghai',
  businessDayStartHour: 3,
  calendar: [],
  checkInWindow: { beforeMinutes: 30, afterMinutes: 15 },
  ticketsOnlyInHours: false,
  displayNotice: null,
  voice: { repeat: 2, english: false },
  noShowAfterCalls: 3,
  retention: { personalDataDays: null, eventPayloadDays: null },
  rectificationDays: 5,
};

const ticketIdsOf = (a: HallA): string[] => [a.waiting, a.called, a.serving, a.held, a.noShow, a.rated, a.done];

/** A hall A ticket, by hall B, through one counter action: no ticket of hall B has these ids. */
const ticketCase = (action: string, body?: unknown | ((role: Role) => unknown)) => (a: HallA): Probe[] =>
  ticketIdsOf(a).map((id) => ({ path: `/v1/counter/tickets/${id}/${action}`, ...(body === undefined ? {} : { body }), refusals: [404] }));

const emptyList = (key: string) => (body: unknown): void => {
  expect((body as Record<string, unknown>)[key]).toEqual([]);
};

/**
 * One entry per route of the OpenAPI document, keyed `METHOD /path` as the document names it:
 * the calls hall B makes with hall A's ids. A route without an entry fails the test.
 */
const ROUTE_CASES: RouteCases = {
  // Kiosk sync (common/contract/sync-api.ts).
  'GET /v1/kiosk/catalog': () => [{ path: '/v1/kiosk/catalog', ownHall: true }],
  'POST /v1/kiosk/events': (a) => [
    {
      path: '/v1/kiosk/events',
      body: {
        dbEpoch: randomUUID(),
        events: [
          { seq: 1, eventId: randomUUID(), occurredAt: new Date().toISOString(), type: SyncEventType.RatingSubmitted, payload: ratingPayload(a.done) },
          {
            seq: 2,
            eventId: randomUUID(),
            occurredAt: new Date().toISOString(),
            type: SyncEventType.TicketIssued,
            payload: ticketPayload({ serviceId: A_ONLY_SERVICE, number: 'Z1-801' }),
          },
        ],
      },
      ownHall: true,
      check: (body) => expect((body as { rejected: { code: string }[] }).rejected.map((r) => r.code)).toEqual(['not-rateable', 'unknown-service']),
    },
  ],
  'POST /v1/kiosk/numbers': (a) => [
    { path: '/v1/kiosk/numbers', body: { ticketId: randomUUID(), serviceId: A_ONLY_SERVICE } },
    // Hall A's ticket id as hall B's idempotency key: a number of hall B's own.
    { path: '/v1/kiosk/numbers', body: { ticketId: a.waiting, serviceId: 'social-insurance' }, ownHall: true },
  ],
  'GET /v1/kiosk/pull': (a) => [
    { path: '/v1/kiosk/pull', ownHall: true, check: (body) => expect(PullResponse.parse(body).citizenKey).not.toBe(a.citizenKey) },
    { path: `/v1/kiosk/pull?cursor=${encodeURIComponent(a.cursor)}`, ownHall: true },
  ],
  'POST /v1/kiosk/bands': (a) => [
    { path: '/v1/kiosk/bands', body: { leaseId: a.leaseId, serviceId: A_ONLY_SERVICE, businessDay: TEST_DAY, size: 20 } },
    {
      path: '/v1/kiosk/bands',
      body: { leaseId: a.leaseId, serviceId: 'social-insurance', businessDay: TEST_DAY, size: 20 },
      ownHall: true,
      check: (body) => expect(LeaseBandResponse.parse(body).band.bandId).not.toBe(a.bandId),
    },
  ],
  'POST /v1/kiosk/cases/lookup': (a) => [
    { path: '/v1/kiosk/cases/lookup', body: { citizenHmac: a.citizenHmac }, ownHall: true, check: emptyList('cases') },
  ],
  'POST /v1/kiosk/tickets/rateable': (a) => [
    { path: '/v1/kiosk/tickets/rateable', body: { ticketId: a.done }, ownHall: true, check: emptyList('tickets') },
    { path: '/v1/kiosk/tickets/rateable', body: { citizenHmac: a.citizenHmac }, ownHall: true, check: emptyList('tickets') },
  ],
  'GET /v1/kiosk/stream': () => [{ path: '/v1/kiosk/stream?lastEventId=0', stream: true, ownHall: true }],
  'POST /v1/hall/appointments': () => [
    {
      path: '/v1/hall/appointments',
      body: { serviceId: A_ONLY_SERVICE, windowStart: '2025-03-10T06:00:00.000Z', windowEnd: '2025-03-10T06:30:00.000Z', idNumber: ID_NUMBER },
    },
  ],

  // The counter (common/contract/counter-api.ts, console-api.ts, ratings-api.ts).
  'GET /v1/counter/catalog': () => [{ path: '/v1/counter/catalog', ownHall: true }],
  'GET /v1/counter/counters': () => [{ path: '/v1/counter/counters', ownHall: true }],
  'POST /v1/counter/counters/{counterId}/sign-in': () => [{ path: `/v1/counter/counters/${A_ONLY_COUNTER}/sign-in`, body: {}, refusals: [404] }],
  'POST /v1/counter/counters/{counterId}/sign-out': () => [{ path: `/v1/counter/counters/${A_ONLY_COUNTER}/sign-out`, refusals: [404] }],
  'POST /v1/counter/counters/{counterId}/pause': () => [{ path: `/v1/counter/counters/${A_ONLY_COUNTER}/pause`, refusals: [404] }],
  'POST /v1/counter/counters/{counterId}/resume': () => [{ path: `/v1/counter/counters/${A_ONLY_COUNTER}/resume`, refusals: [404] }],
  'POST /v1/counter/call-next': () => [
    { path: '/v1/counter/call-next', body: { counterId: A_ONLY_COUNTER, serviceIds: [] }, refusals: [404] },
    // Hall B's own counter of the same id, asked for hall A's only service.
    { path: '/v1/counter/call-next', body: { counterId: 'window-8', serviceIds: [A_ONLY_SERVICE] }, ownHall: true },
  ],
  'GET /v1/counter/queue': () => [
    { path: '/v1/counter/queue', ownHall: true, check: emptyList('active') },
    { path: `/v1/counter/queue?counterId=${A_ONLY_COUNTER}`, ownHall: true },
  ],
  'POST /v1/counter/tickets/{ticketId}/call': ticketCase('call', atOwnCounter),
  'POST /v1/counter/tickets/{ticketId}/recall': ticketCase('recall'),
  'POST /v1/counter/tickets/{ticketId}/start': ticketCase('start'),
  'POST /v1/counter/tickets/{ticketId}/complete': ticketCase('complete', { caseNumber: 'HALLB-CASE-9' }),
  'POST /v1/counter/tickets/{ticketId}/no-show': ticketCase('no-show'),
  'POST /v1/counter/tickets/{ticketId}/requeue': ticketCase('requeue'),
  'POST /v1/counter/tickets/{ticketId}/hold': ticketCase('hold'),
  'POST /v1/counter/tickets/{ticketId}/call-back': ticketCase('call-back', atOwnCounter),
  'POST /v1/counter/tickets/{ticketId}/transfer': (a) => [
    ...ticketCase('transfer', { serviceId: 'medical-insurance' })(a),
    ...ticketCase('transfer', { counterId: A_ONLY_COUNTER })(a),
    ...ticketCase('transfer', { serviceId: A_ONLY_SERVICE })(a),
  ],
  'POST /v1/counter/tickets/{ticketId}/cancel': ticketCase('cancel', {}),
  'POST /v1/counter/tickets/{ticketId}/rating': (a) => [
    { path: `/v1/counter/tickets/${a.done}/rating`, body: SATISFIED },
    { path: `/v1/counter/tickets/${a.rated}/rating`, body: SATISFIED },
  ],
  'POST /v1/counter/sweep': () => [{ path: '/v1/counter/sweep', ownHall: true }],
  'GET /v1/counter/events': () => [{ path: '/v1/counter/events?lastEventId=0', stream: true, ownHall: true }],

  // Cases and certificates (common/contract/cases-api.ts).
  'GET /v1/cases': () => [
    { path: '/v1/cases', ownHall: true, check: emptyList('cases') },
    { path: `/v1/cases?status=${CaseStatus.Concluded}`, ownHall: true, check: emptyList('cases') },
  ],
  'GET /v1/cases/{caseNumber}': () => [{ path: `/v1/cases/${A_CASE}`, refusals: [404] }],
  'POST /v1/cases/{caseNumber}/status': () => [
    { path: `/v1/cases/${A_CASE}/status`, body: { status: CaseStatus.ReadyForPickup }, refusals: [404] },
    { path: `/v1/cases/${A_CASE}/status`, body: { status: CaseStatus.PickedUp, note: 'hall B' }, refusals: [404] },
  ],
  'POST /v1/citizen/cases/lookup': () => [
    { path: '/v1/citizen/cases/lookup', body: { hallId: HALL_B, caseNumber: A_CASE, idNumber: ID_NUMBER }, refusals: [404] },
  ],
  'POST /v1/public/certificates/verify': (a) => [
    // Anyone may verify a slip they hold: the answer is what the code itself carries.
    {
      path: '/v1/public/certificates/verify',
      body: { code: a.certificateCode },
      ownHall: true,
      published: [DEMO_HALL_ID, A_CASE, a.certificateId, A_MASKED_NAME],
      check: (body) => expect(body).toMatchObject({ verdict: 'valid' }),
    },
    // Hall A's signature over a payload that names hall B: not hall B's certificate.
    {
      path: '/v1/public/certificates/verify',
      body: { code: rehomedCertificate(a.certificateCode, HALL_B) },
      ownHall: true,
      check: (body) => expect(body).toMatchObject({ verdict: expect.not.stringMatching(/^valid$/) as unknown, certificate: null }),
    },
  ],

  // Online booking (common/contract/booking-api.ts): hall B's path, hall A's ids.
  'GET /v1/citizen/halls/{hallId}/catalog': () => [{ path: `/v1/citizen/halls/${HALL_B}/catalog`, ownHall: true }],
  'GET /v1/citizen/halls/{hallId}/services/{serviceId}/slots': () => [
    { path: `/v1/citizen/halls/${HALL_B}/services/${A_ONLY_SERVICE}/slots`, refusals: [404] },
  ],
  'POST /v1/citizen/bookings/hold': () => [
    { path: '/v1/citizen/bookings/hold', body: { hallId: HALL_B, serviceId: A_ONLY_SERVICE, slotStart: SLOT_START, idNumber: ID_NUMBER }, refusals: [404] },
  ],
  'POST /v1/citizen/bookings/{holdId}/confirm': (a) => [
    // Booked by staff: never confirmable (the id alone names the hall; see the report of issue 10 §4).
    { path: `/v1/citizen/bookings/${a.staffAppointmentId}/confirm`, refusals: [404, 409] },
  ],
  'POST /v1/citizen/bookings/cancel': (a) => [
    // Hall A's reference with its right cancel code, through hall B's hall id.
    { path: '/v1/citizen/bookings/cancel', body: { hallId: HALL_B, reference: a.citizenReference, cancelCode: a.cancelCode }, refusals: [404] },
    { path: '/v1/citizen/bookings/cancel', body: { hallId: HALL_B, reference: a.staffReference, cancelCode: '000000' }, refusals: [404] },
  ],

  // Ratings and rectification (common/contract/ratings-api.ts).
  'POST /v1/citizen/ratings': (a) => [
    // The receipt's QR carries id and number together: hall A's id with another number is no rating.
    { path: '/v1/citizen/ratings', body: { ...SATISFIED, ticketId: a.done, number: 'A1-999' }, refusals: [409] },
  ],
  'GET /v1/rectifications': () => [{ path: '/v1/rectifications', ownHall: true, check: emptyList('orders') }],
  'POST /v1/rectifications/{orderId}/advance': (a) => [
    { path: `/v1/rectifications/${a.orderId}/advance`, body: { status: 'contacted', note: 'hall B' }, refusals: [403, 404] },
  ],
  'POST /v1/rectifications/{orderId}/appeal': (a) => [
    { path: `/v1/rectifications/${a.orderId}/appeal`, body: { reason: 'hall B' }, refusals: [403, 404] },
  ],
  'POST /v1/rectifications/{orderId}/appeal/decide': (a) => [
    { path: `/v1/rectifications/${a.orderId}/appeal/decide`, body: { upheld: true, note: 'hall B' }, refusals: [403, 404] },
  ],

  // The hall display (common/contract/display-api.ts).
  'GET /v1/display/state': () => [{ path: '/v1/display/state', ownHall: true }],
  'GET /v1/display/events': () => [{ path: '/v1/display/events?lastEventId=0', stream: true, ownHall: true }],

  // Kiosk health (common/contract/kiosk-health-api.ts): hall A has a kiosk-2, hall B has not.
  'POST /v1/kiosk/health': () => [
    { path: KIOSK_HEALTH_PATH, body: healthReport(KIOSK_ID_2), refusals: [400] },
    { path: KIOSK_HEALTH_PATH, body: healthReport('kiosk-1'), ownHall: true },
  ],
  'GET /v1/manager/kiosks/health': () => [
    { path: '/v1/manager/kiosks/health', ownHall: true, check: (body) => expect(JSON.stringify(body)).not.toContain(KIOSK_ID_2) },
  ],

  // Statistics (common/contract/stats-api.ts): hall A's own service, counter and clerk are in its figures only.
  'GET /v1/manager/stats': () =>
    Object.values(StatsBy).map((by) => ({ path: `/v1/manager/stats?from=2025-03-01&to=${TEST_DAY}&by=${by}`, ownHall: true as const })),
  'GET /v1/manager/stats.csv': () =>
    Object.values(StatsBy).map((by) => ({ path: `/v1/manager/stats.csv?from=2025-03-01&to=${TEST_DAY}&by=${by}&lang=en`, ownHall: true as const })),

  // Configuration (common/contract/config-api.ts): hall A's service, counter, kiosk and staff ids
  // are not found in hall B; what hall B creates or changes is its own.
  'GET /v1/manager/services': () => [
    { path: '/v1/manager/services', ownHall: true, check: (body) => expect(JSON.stringify(body)).not.toContain(A_ONLY_SERVICE) },
  ],
  'POST /v1/manager/services': () => [
    // Hall A's prefix of its own service is free in hall B (first caller: 200; the next: 409, the id exists).
    { path: '/v1/manager/services', body: { ...CONFIG_SERVICE, serviceId: 'hall-b-extra', prefix: 'Z' }, ownHall: true },
  ],
  'PUT /v1/manager/services/{serviceId}': () => [
    { path: `/v1/manager/services/${A_ONLY_SERVICE}`, body: { ...CONFIG_SERVICE, prefix: 'Y', version: 1 }, refusals: [404] },
  ],
  'GET /v1/manager/counters': () => [
    { path: '/v1/manager/counters', ownHall: true, check: (body) => expect(JSON.stringify(body)).not.toContain(A_ONLY_COUNTER) },
  ],
  'POST /v1/manager/counters': () => [
    { path: '/v1/manager/counters', body: { ...CONFIG_COUNTER, counterId: 'hall-b-window', services: [{ serviceId: A_ONLY_SERVICE, weight: 1 }] }, refusals: [404] },
    { path: '/v1/manager/counters', body: { ...CONFIG_COUNTER, counterId: 'hall-b-window', allowedStaffIds: [A_ONLY_STAFF] }, refusals: [404] },
  ],
  'PUT /v1/manager/counters/{counterId}': () => [
    { path: `/v1/manager/counters/${A_ONLY_COUNTER}`, body: { ...CONFIG_COUNTER, version: 1 }, refusals: [404] },
  ],
  'GET /v1/manager/kiosks': () => [
    { path: '/v1/manager/kiosks', ownHall: true, check: (body) => expect(JSON.stringify(body)).not.toContain(KIOSK_ID_2) },
  ],
  'POST /v1/manager/kiosks': () => [
    { path: '/v1/manager/kiosks', body: { ...CONFIG_KIOSK, kioskId: KIOSK_ID_2, kioskDigit: 6, offeredServiceIds: [A_ONLY_SERVICE] }, refusals: [404] },
  ],
  'PUT /v1/manager/kiosks/{kioskId}': () => [
    { path: `/v1/manager/kiosks/${KIOSK_ID_2}`, body: { ...CONFIG_KIOSK, kioskDigit: 2, version: 1 }, refusals: [404] },
  ],
  'POST /v1/manager/kiosks/{kioskId}/revoke': () => [{ path: `/v1/manager/kiosks/${KIOSK_ID_2}/revoke`, body: { version: 1 }, refusals: [404] }],
  'POST /v1/manager/kiosks/{kioskId}/token': () => [{ path: `/v1/manager/kiosks/${KIOSK_ID_2}/token`, body: { version: 1 }, refusals: [404] }],
  'GET /v1/manager/hall': () => [
    { path: '/v1/manager/hall', ownHall: true, check: (body) => expect(body).toMatchObject({ hall: { hallId: HALL_B } }) },
  ],
  'PUT /v1/manager/hall': () => [
    // Hall B's own settings at its first version (first caller: 200; the next: 409 stale-version).
    { path: '/v1/manager/hall', body: CONFIG_HALL, ownHall: true, check: (body) => expect(body).toMatchObject({ hall: { hallId: HALL_B } }) },
  ],
  'GET /v1/manager/staff': () => [
    { path: '/v1/manager/staff', ownHall: true, check: (body) => expect(JSON.stringify(body)).not.toContain(A_ONLY_STAFF) },
  ],
  'GET /v1/manager/config-audit': () => [
    { path: '/v1/manager/config-audit', ownHall: true },
    { path: `/v1/manager/config-audit?target=service:${A_ONLY_SERVICE}`, ownHall: true, check: emptyList('entries') },
  ],

  // Staff (common/contract/staff-api.ts). Sign-in and sign-out run last (LAST_ROUTES).
  'GET /v1/public/halls': () => [{ path: '/v1/public/halls', ownHall: true, published: [DEMO_HALL_ID, A_NAME.zh, A_NAME.en] }],
  'GET /v1/staff/session': () => [{ path: '/v1/staff/session', ownHall: true, refusals: [400] }],
  'POST /v1/staff/sign-in': () => [
    { path: '/v1/staff/sign-in', body: { hallId: HALL_B, username: A_ONLY_STAFF, password: A_ONLY_PASSWORD }, refusals: [401, 423] },
  ],
  'POST /v1/staff/sign-out': () => [{ path: '/v1/staff/sign-out', ownHall: true, refusals: [400] }],
};

/** Sign-in with a session cookie ends that session on success, sign-out always: both run after the rest. */
const LAST_ROUTES = ['POST /v1/staff/sign-in', 'POST /v1/staff/sign-out'];

/** A kiosk's health report: all well. */
function healthReport(kioskId: string): KioskHealthReport {
  return {
    kioskId,
    reportedAt: TEST_NOW.toISOString(),
    appVersion: '0.1.0',
    pullIntervalMs: 30_000,
    printer: { state: PrinterState.Ready, errors: 0 },
    reader: { state: DeviceState.Ready, errors: 0 },
    scanner: { state: DeviceState.NotConfigured, errors: 0 },
    backlog: 0,
    quarantined: 0,
    clockOffsetMs: 0,
    heldClockOffsetMs: null,
    dataFreeBytes: 1024 ** 3,
  };
}

/** The same certificate code with another hall named in its payload, signature unchanged. */
function rehomedCertificate(code: string, hallId: string): string {
  const [prefix, keyId, payload, signature] = code.split('.');
  if (!prefix || !keyId || !payload || !signature) throw new Error(`not a certificate code: ${code}`);
  const json = JSON.parse(new TextDecoder().decode(decodeBase64Url(payload))) as Record<string, unknown>;
  return [prefix, keyId, encodeBase64Url(encodeUtf8(JSON.stringify({ ...json, hallId }))), signature].join('.');
}

interface OpenApiOperation {
  operationId?: string;
  security?: Record<string, string[]>[];
}

/** `METHOD /path` of every operation of the OpenAPI document, with the schemes it accepts (empty: public). */
function documentedRoutes(app: FastifyInstance): Map<string, Set<string>> {
  const document = app.swagger() as { paths?: Record<string, Record<string, OpenApiOperation>> };
  const routes = new Map<string, Set<string>>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      routes.set(`${method.toUpperCase()} ${path}`, new Set((operation.security ?? []).flatMap((s) => Object.keys(s))));
    }
  }
  return routes;
}

/**
 * Every route Fastify has, from its printed tree (`printRoutes`), as `METHOD /path` with
 * OpenAPI-style parameters: the API routes the document does not list would escape the cases.
 */
function registeredRoutes(app: FastifyInstance): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = `${depth > 0 ? (stack[depth - 1] ?? '') : ''}${match[2] ?? ''}`;
    stack.length = depth;
    stack.push(path);
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) {
      routes.push(`${method} ${path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')}`);
    }
  }
  return routes;
}

type CallerSet = ReadonlyMap<Role, Credentials>;

let h: PortalHarness;
let a: HallA;
/** Hall B's callers, one per role. */
const hallB = new Map<Role, Credentials>();

async function ok(answer: Promise<HttpAnswer>): Promise<unknown> {
  const got = await answer;
  expect(got.status, JSON.stringify(got.body)).toBe(200);
  return got.body;
}

/** Hall A's own staff at work, through its own API key. */
const asA = (method: 'GET' | 'POST', path: string, body?: unknown, token = STAFF_TOKEN): Promise<unknown> =>
  ok(h.request(method, path, { token, ...(body === undefined ? {} : { body }) }));

async function ticketTo(ticketId: string, action: string, body?: unknown): Promise<QueueTicket> {
  return TicketTransitionResponse.parse(await asA('POST', `/v1/counter/tickets/${ticketId}/${action}`, body)).ticket;
}

/** Hall A with something in every table: tickets in every state, a case with a certificate, a rating and its order, bookings, bands. */
async function setUpHallA(): Promise<HallA> {
  const pool = h.db.pool;
  await withTransaction(pool, async (client) => {
    await client.query('UPDATE halls SET name_zh = $2, name_en = $3, display_notice_zh = $4, display_notice_en = $5 WHERE hall_id = $1', [
      DEMO_HALL_ID,
      A_NAME.zh,
      A_NAME.en,
      A_NOTICE.zh,
      A_NOTICE.en,
    ]);
    await client.query(
      `INSERT INTO services (hall_id, service_id, prefix, name_zh, name_en, sort_order) VALUES ($1, $2, 'Z', '甲厅专办', 'Hall A only', 999)`,
      [DEMO_HALL_ID, A_ONLY_SERVICE],
    );
    await client.query(`INSERT INTO counters (hall_id, counter_id, number, name_zh, name_en) VALUES ($1, $2, 99, '甲厅 99 号窗口', 'Hall A counter 99')`, [
      DEMO_HALL_ID,
      A_ONLY_COUNTER,
    ]);
    await client.query(
      `INSERT INTO staff (hall_id, staff_id, username, display_name, role, password_hash) VALUES ($1, $2, $2, '甲厅专员', 'clerk', $3)`,
      [DEMO_HALL_ID, A_ONLY_STAFF, await hashPassword(A_ONLY_PASSWORD)],
    );
    await issueDisplayTokenIn(client, { hallId: DEMO_HALL_ID, displayId: 'hall-a-display', name: 'Hall A display', token: A_DISPLAY_TOKEN });
  });
  await addStaffKey(pool, DEMO_HALL_ID, 'a-boss', StaffRole.Manager, A_MANAGER_KEY);
  const key = await pool.query<{ citizen_hmac_key: string }>('SELECT citizen_hmac_key FROM halls WHERE hall_id = $1', [DEMO_HALL_ID]);
  const citizenKey = key.rows[0]?.citizen_hmac_key ?? '';
  const citizenHmac = citizenHmacOf(citizenKey, ID_NUMBER);

  const kiosk = new KioskPusher(h, KIOSK_TOKEN);
  const visitor = { citizenHmac, maskedName: A_MASKED_NAME };
  const [rated, done, noShow, held, serving, called, waiting] = [
    await kiosk.ticket({ number: 'A1-801', ...visitor }),
    // The hall's own service, served at its own counter by its own manager: in its statistics only.
    await kiosk.ticket({ number: 'Z1-802', serviceId: A_ONLY_SERVICE }),
    await kiosk.ticket({ number: 'A1-803' }),
    await kiosk.ticket({ number: 'A1-804' }),
    await kiosk.ticket({ number: 'A1-805' }),
    await kiosk.ticket({ number: 'A1-806' }),
    await kiosk.ticket({ number: 'A1-807', ...visitor }),
  ].map((t) => t.ticketId) as [string, string, string, string, string, string, string];

  await asA('POST', '/v1/counter/counters/window-8/sign-in', {});
  await ticketTo(rated, 'call', { counterId: 'window-8' });
  await ticketTo(rated, 'start');
  await ticketTo(rated, 'complete', { caseNumber: A_CASE });
  await asA('POST', `/v1/counter/tickets/${rated}/rating`, POOR);
  await asA('POST', `/v1/counter/counters/${A_ONLY_COUNTER}/sign-in`, {}, A_MANAGER_KEY);
  await asA('POST', `/v1/counter/tickets/${done}/call`, { counterId: A_ONLY_COUNTER }, A_MANAGER_KEY);
  await asA('POST', `/v1/counter/tickets/${done}/complete`, {}, A_MANAGER_KEY);
  await ticketTo(noShow, 'call', { counterId: 'window-8' });
  await ticketTo(noShow, 'no-show');
  await ticketTo(held, 'call', { counterId: 'window-8' });
  await ticketTo(held, 'hold');
  await asA('POST', '/v1/counter/counters/window-2/sign-in', {});
  await ticketTo(serving, 'call', { counterId: 'window-2' });
  await ticketTo(serving, 'start');
  await asA('POST', '/v1/counter/counters/window-1/sign-in', {});
  await ticketTo(called, 'call', { counterId: 'window-1' });

  await asA('POST', `/v1/cases/${A_CASE}/status`, { status: CaseStatus.Processing });
  const concluded = CaseResponse.parse(
    await asA('POST', `/v1/cases/${A_CASE}/status`, { status: CaseStatus.Concluded, certificateTitle: { zh: '参保证明', en: 'Enrolment certificate' } }),
  ).case;
  if (!concluded.certificate) throw new Error('hall A case concluded without a certificate');
  const [order] = OrdersResponse.parse(await asA('GET', '/v1/rectifications', undefined, A_MANAGER_KEY)).orders;
  if (!order) throw new Error('the poor rating opened no order');

  const leaseId = randomUUID();
  const band = LeaseBandResponse.parse(
    await ok(h.request('POST', '/v1/kiosk/bands', { token: KIOSK_TOKEN, body: { leaseId, serviceId: 'social-insurance', businessDay: TEST_DAY, size: 20 } })),
  ).band;
  const staffAppointment = await bookAppointment(h);
  const hold = HoldResponse.parse(
    await ok(
      h.request('POST', '/v1/citizen/bookings/hold', {
        body: { hallId: DEMO_HALL_ID, serviceId: 'social-insurance', slotStart: SLOT_START, idNumber: validIdNumber(7) },
      }),
    ),
  );
  const confirmation = BookingConfirmation.parse(await ok(h.request('POST', `/v1/citizen/bookings/${hold.holdId}/confirm`)));
  const pulled = PullResponse.parse(await ok(h.request('GET', '/v1/kiosk/pull', { token: KIOSK_TOKEN })));
  await ok(h.request('POST', KIOSK_HEALTH_PATH, { token: KIOSK_TOKEN_2, body: healthReport(KIOSK_ID_2) }));

  return {
    waiting,
    called,
    serving,
    held,
    noShow,
    rated,
    done,
    ratingId: order.rating.ratingId,
    orderId: order.orderId,
    bandId: band.bandId,
    leaseId,
    staffAppointmentId: staffAppointment.appointmentId,
    staffReference: staffAppointment.reference,
    citizenAppointmentId: hold.holdId,
    citizenReference: confirmation.reference,
    cancelCode: confirmation.cancelCode,
    certificateCode: concluded.certificate.code,
    certificateId: concluded.certificate.payload.certificateId,
    certificateKeyId: concluded.certificate.code.split('.')[1] ?? '',
    citizenKey,
    citizenHmac,
    cursor: pulled.cursor,
  };
}

/** Hall B: the demo hall again under another id, with every kind of caller. */
async function setUpHallB(): Promise<void> {
  await seedDemoHall(h.db.pool, {
    hallId: HALL_B,
    kioskTokens: [{ kioskId: 'kiosk-1', token: B_KIOSK_TOKEN, kioskDigit: 1 }],
    staffToken: B_CLERK_KEY,
    staffAccounts: DEMO_STAFF_ACCOUNTS,
    displayToken: B_DISPLAY_TOKEN,
  });
  await addStaffKey(h.db.pool, HALL_B, 'b-admin-key', StaffRole.Admin, B_ADMIN_KEY);
  hallB.set(Role.Kiosk, { bearer: B_KIOSK_TOKEN });
  hallB.set(Role.Display, { bearer: B_DISPLAY_TOKEN });
  hallB.set(Role.ClerkKey, { bearer: B_CLERK_KEY });
  hallB.set(Role.AdminKey, { bearer: B_ADMIN_KEY });
  hallB.set(Role.Anonymous, {});
  for (const [role, username] of [[Role.Clerk, 'clerk1'], [Role.Manager, 'manager'], [Role.Admin, 'admin']] as const) {
    const res = await fetch(`${h.baseUrl}/v1/staff/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hallId: HALL_B, username, password: DEMO_STAFF_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const id = /^hk_session=([^;]*)/.exec(res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '')?.[1];
    if (!id) throw new Error(`no session cookie for ${username}`);
    hallB.set(role, { session: { id, csrf: SessionResponse.parse(await res.json()).csrfToken } });
  }
  for (const [role, counterId] of Object.entries(COUNTER_OF) as [Role, string][]) {
    const answer = await send(hallB, role, 'POST', { path: `/v1/counter/counters/${counterId}/sign-in`, body: {} });
    expect(answer.status, answer.text).toBe(200);
  }
}

/** Every row of every table that has a hall_id, for one hall, as text. */
async function snapshotHall(hallId: string): Promise<Record<string, string[]>> {
  const tables = await h.db.pool.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'hall_id' ORDER BY table_name`,
  );
  const snapshot: Record<string, string[]> = {};
  for (const { table_name: table } of tables.rows) {
    const rows = await h.db.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t WHERE hall_id = $1`, [hallId]);
    snapshot[table] = rows.rows.map((r) => r.row).sort();
  }
  return snapshot;
}

/** What hall A holds that no answer to hall B may carry (unless hall B sent it, or hall A published it). */
function secretsOf(hallA: HallA): string[] {
  const { cancelCode: _code, certificateCode: _certificate, ...ids } = hallA;
  return [
    ...Object.values(ids),
    DEMO_HALL_ID,
    A_ONLY_SERVICE,
    A_ONLY_COUNTER,
    A_ONLY_STAFF,
    KIOSK_ID_2,
    'a-boss',
    'hall-a-display',
    A_NOTICE.zh,
    A_NOTICE.en,
    A_NAME.zh,
    A_NAME.en,
    A_MASKED_NAME,
    A_CASE,
  ];
}

interface Answer {
  status: number;
  code: string | null;
  text: string;
  body: unknown;
}

async function send(callers: CallerSet, role: Role, method: string, probe: Probe): Promise<Answer> {
  const cred = callers.get(role) ?? {};
  const headers: Record<string, string> = {};
  if (cred.bearer) headers.authorization = `Bearer ${cred.bearer}`;
  if (cred.session) {
    headers.cookie = `${SESSION_COOKIE}=${cred.session.id}`;
    headers[CSRF_HEADER] = cred.session.csrf;
    headers.origin = h.baseUrl;
  }
  const url = `${h.baseUrl}${probe.path}`;
  if (probe.stream) {
    const reader = await openSse(url, { headers });
    try {
      if (reader.status === 200) await reader.waitFor((frame) => frame.event === 'ready', 5_000);
      else await reader.ended;
    } finally {
      reader.close();
    }
    return answerOf(reader.status, reader.raw());
  }
  const body = bodyOf(probe, role);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return answerOf(res.status, await res.text());
}

function bodyOf(probe: Probe, role: Role): unknown {
  return typeof probe.body === 'function' ? (probe.body as (role: Role) => unknown)(role) : probe.body;
}

function answerOf(status: number, text: string): Answer {
  let body: unknown = text;
  try {
    body = text.length > 0 ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // A stream: the raw frames.
  }
  const code = typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string' ? (body as { code: string }).code : null;
  return { status, code, text, body };
}

const DEFAULT_REFUSALS: readonly number[] = [403, 404, 409, 410];

beforeAll(async () => {
  h = await startPortalHarness({
    // Hundreds of calls from one address, most with a token the route does not take: the limits
    // are not the subject here (portal/http/abuse.test.ts).
    limits: {
      authFailuresPerWindow: 1_000_000,
      addressRequestsPerWindow: 1_000_000,
      staffRequestsPerWindow: 1_000_000,
      kioskRequestsPerWindow: 1_000_000,
      bookingRequestsPerWindow: 1_000_000,
      citizenReadsPerWindow: 1_000_000,
      caseLookupsPerWindow: 1_000_000,
      caseLookupMissesPerHour: 1_000_000,
    },
  });
  a = await setUpHallA();
  await setUpHallB();
});

afterAll(async () => {
  await h?.close();
});

/**
 * Calls every case of the routes `include` keeps as every role of `callers`, and says what is
 * wrong with the answers: a 200 for another hall's id, an uncoded or unexpected refusal, or
 * anything of hall A the request did not carry.
 */
async function runCases(callers: CallerSet, include: (route: string) => boolean): Promise<{ problems: string[]; calls: number }> {
  const secrets = secretsOf(a);
  const documented = documentedRoutes(h.app);
  const last = (route: string): number => LAST_ROUTES.indexOf(route);
  const routes = [...documented.keys()].filter(include).sort((x, y) => last(x) - last(y));
  const problems: string[] = [];
  let calls = 0;
  for (const route of routes) {
    const cases = ROUTE_CASES[route];
    if (!cases) continue; // The first test names it.
    const method = route.split(' ')[0] ?? 'GET';
    const schemes = documented.get(route) ?? new Set<string>();
    let reachedHandler = false;
    for (const probe of cases(a)) {
      for (const role of Object.values(Role)) {
        const answer = await send(callers, role, method, probe);
        calls += 1;
        const where = `${route} as ${role} (${probe.path}): ${answer.status} ${answer.text.slice(0, 300)}`;
        const scheme = SCHEME[role];
        if (!(schemes.size === 0 || (scheme !== null && schemes.has(scheme)))) {
          // A caller the route does not take.
          if (answer.status !== 401 || answer.code !== 'unauthorized') problems.push(`not refused with 401: ${where}`);
        } else if (answer.status === 200) {
          reachedHandler = true;
          if (!probe.ownHall) problems.push(`hall A's id answered with 200: ${where}`);
          try {
            probe.check?.(answer.body);
          } catch (err) {
            problems.push(`${where}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
          }
        } else {
          if (answer.status !== 401 && answer.status !== 403) reachedHandler = true;
          const refusals = probe.refusals ?? DEFAULT_REFUSALS;
          // A clerk on a manager's route is refused for the role, before any id is looked at.
          const roleRefusal = answer.status === 403 && answer.code === 'forbidden';
          if (!(refusals.includes(answer.status) || roleRefusal) || answer.code === null) {
            problems.push(`not a coded refusal in ${refusals.join('/')}: ${where}`);
          }
        }
        const sent = `${probe.path} ${JSON.stringify(bodyOf(probe, role) ?? null)}`;
        const leaked = secrets.filter((s) => answer.text.includes(s) && !sent.includes(s) && !(probe.published ?? []).includes(s));
        if (leaked.length > 0) problems.push(`carries hall A's ${leaked.join(', ')}: ${where}`);
      }
    }
    if (!reachedHandler) problems.push(`${route}: no role got past authentication, so nothing was proven`);
  }
  return { problems, calls };
}

describe('hall isolation: every route, every role of hall B, hall A’s ids', () => {
  it('lists every API route in the OpenAPI document, and every documented route has a case', () => {
    const documented = documentedRoutes(h.app);
    const api = registeredRoutes(h.app).filter((r) => r.split(' ')[1]?.startsWith('/v1/'));
    expect(api.length).toBeGreaterThanOrEqual(documented.size);
    expect(api.filter((r) => !documented.has(r))).toEqual([]);
    expect([...documented.keys()].filter((r) => !Object.hasOwn(ROUTE_CASES, r))).toEqual([]);
    expect(Object.keys(ROUTE_CASES).filter((r) => !documented.has(r))).toEqual([]);
  });

  it('refuses or answers with hall B’s own data, and leaves every row of hall A as it was', async () => {
    const before = await snapshotHall(DEMO_HALL_ID);
    const tables = ['tickets', 'ticket_segments', 'ticket_legs', 'cases', 'certificates', 'ratings', 'rectification_orders', 'appointments'];
    for (const table of [...tables, 'number_bands', 'display_tokens', 'kiosk_health', 'staff', 'audit_log', 'hall_events']) {
      expect(before[table]?.length ?? 0, table).toBeGreaterThan(0);
    }
    const { problems, calls } = await runCases(hallB, () => true);
    expect.soft(problems).toEqual([]);
    expect(calls).toBeGreaterThan(500);
    expect(await snapshotHall(DEMO_HALL_ID)).toEqual(before);
  });

  it('finds hall A’s data when hall A’s own callers read it: the checks can fail', async () => {
    const hallA = new Map<Role, Credentials>([
      [Role.Kiosk, { bearer: KIOSK_TOKEN }],
      [Role.Display, { bearer: A_DISPLAY_TOKEN }],
      [Role.ClerkKey, { bearer: STAFF_TOKEN }],
      [Role.AdminKey, { bearer: A_MANAGER_KEY }],
    ]);
    // Reads only: hall A's callers would change hall A through the writes.
    const { problems } = await runCases(hallA, (route) => route.startsWith('GET '));
    const found = (route: string, role: Role, what: string): boolean => problems.some((p) => p.includes(what) && p.includes(`${route} as ${role} `));
    expect(found('GET /v1/cases/{caseNumber}', Role.ClerkKey, "hall A's id answered with 200")).toBe(true);
    expect(found('GET /v1/kiosk/pull', Role.Kiosk, "carries hall A's")).toBe(true);
    expect(found('GET /v1/display/state', Role.Display, A_NOTICE.en)).toBe(true);
    expect(found('GET /v1/counter/events', Role.ClerkKey, "carries hall A's")).toBe(true);
    expect(found('GET /v1/manager/stats', Role.AdminKey, A_ONLY_SERVICE)).toBe(true);
    expect(found('GET /v1/manager/kiosks/health', Role.AdminKey, KIOSK_ID_2)).toBe(true);
  });
});

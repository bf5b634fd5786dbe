import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import {
  CreateAppointmentResponse,
  SyncEventType,
  type Appointment,
  type CreateAppointmentRequest,
  type OutboxEvent,
  type TicketIssuedPayload,
} from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { buildPortalApp, type PortalAppOptions } from '../http/build-portal-app.js';
import { DEMO_HALL_ID, seedDemoHall } from '../seed/demo-hall.js';
import { startTestPostgres, type TestPostgres } from './test-postgres.js';

export const KIOSK_TOKEN = 'test-kiosk-token-one';
export const KIOSK_TOKEN_2 = 'test-kiosk-token-two';
export const STAFF_TOKEN = 'test-staff-token';
export const KIOSK_ID = 'kiosk-1';
export const KIOSK_ID_2 = 'kiosk-2';

/** 10:00 in Shanghai on 2025-03-10: the demo hall's business day is 2025-03-10. */
export const TEST_NOW = new Date('2025-03-10T02:00:00.000Z');
export const TEST_DAY = '2025-03-10';

export interface HttpAnswer {
  status: number;
  body: unknown;
}

export interface PortalHarness {
  readonly db: TestPostgres;
  readonly app: FastifyInstance;
  readonly baseUrl: string;
  /** The clock the server reads; tests may move it. */
  now: Date;
  request(method: 'GET' | 'POST', path: string, options?: { token?: string | null; body?: unknown }): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/** What a test may change about the portal app; the pool and the clock are the harness's. */
export type PortalHarnessOptions = Omit<PortalAppOptions, 'pool' | 'clock'>;

/**
 * A real PostgreSQL, migrated and seeded with the demo hall, and the portal on a free port.
 * Quiet: the app logs nothing below `error` unless PORTAL_TEST_LOG_LEVEL says otherwise.
 */
export async function startPortalHarness(options: PortalHarnessOptions = {}): Promise<PortalHarness> {
  const db = await startTestPostgres();
  await seedDemoHall(db.pool, {
    kioskTokens: [
      { kioskId: KIOSK_ID, token: KIOSK_TOKEN, kioskDigit: 1 },
      { kioskId: KIOSK_ID_2, token: KIOSK_TOKEN_2, kioskDigit: 2 },
    ],
    staffToken: STAFF_TOKEN,
  });
  const harness = { now: TEST_NOW } as { now: Date };
  const app = await buildPortalApp({
    logLevel: process.env.PORTAL_TEST_LOG_LEVEL ?? 'error',
    ...options,
    pool: db.pool,
    clock: () => harness.now,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  return Object.assign(harness, {
    db,
    app,
    baseUrl,
    async request(method: 'GET' | 'POST', path: string, options: { token?: string | null; body?: unknown } = {}) {
      const headers: Record<string, string> = {};
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text.length > 0 ? (JSON.parse(text) as unknown) : undefined };
    },
    async close() {
      app.server.closeAllConnections();
      await app.close();
      await db.close();
    },
  });
}

/** A ticket kiosk-1 may push without a lease or an allocation: a number of its own series (digit 1). */
export function ticketPayload(overrides: Partial<TicketIssuedPayload> = {}): TicketIssuedPayload {
  return {
    ticketId: randomUUID(),
    serviceId: 'social-insurance',
    number: 'A1-801',
    numberSource: NumberSource.KioskSeries,
    businessDay: TEST_DAY,
    priority: Priority.Normal,
    issuedAt: TEST_NOW.toISOString(),
    citizenHmac: null,
    ...overrides,
  };
}

export function ticketIssuedEvent(
  seq: number,
  payload: Partial<TicketIssuedPayload> = {},
): Extract<OutboxEvent, { type: SyncEventType.TicketIssued }> {
  return {
    seq,
    eventId: randomUUID(),
    occurredAt: TEST_NOW.toISOString(),
    type: SyncEventType.TicketIssued,
    payload: ticketPayload(payload),
  };
}

/** The example of GB 11643-1999 itself; valid check character X. */
export const ID_NUMBER = '11010519491231002X';
export const ID_NUMBER_2 = '440304199001011233';

export function appointmentRequest(overrides: Partial<CreateAppointmentRequest> = {}): CreateAppointmentRequest {
  return {
    serviceId: 'social-insurance',
    // 14:00-14:30 in Shanghai on TEST_DAY.
    windowStart: '2025-03-10T06:00:00.000Z',
    windowEnd: '2025-03-10T06:30:00.000Z',
    idNumber: ID_NUMBER,
    ...overrides,
  };
}

/** Books an appointment as staff; fails the test unless the portal answers 200. */
export async function bookAppointment(h: PortalHarness, overrides: Partial<CreateAppointmentRequest> = {}): Promise<Appointment> {
  const answer = await h.request('POST', '/v1/hall/appointments', { token: STAFF_TOKEN, body: appointmentRequest(overrides) });
  if (answer.status !== 200) throw new Error(`booking failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return CreateAppointmentResponse.parse(answer.body).appointment;
}

export { DEMO_HALL_ID };

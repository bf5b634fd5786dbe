import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BookingConfirmation,
  CitizenCatalogResponse,
  HoldResponse,
  SlotsResponse,
  type SlotView,
} from '../../common/contract/booking-api.js';
import { PortalErrorBody, PortalErrorCode } from '../../common/contract/errors.js';
import { PullResponse } from '../../common/contract/sync-api.js';
import { searchServices } from '../../common/domain/guide-search.js';
import { withTransaction } from '../db/transaction.js';
import { buildPortalApp } from '../http/build-portal-app.js';
import { writeServiceConfig } from '../queue/service-config.js';
import { DEMO_SERVICE_CONFIG } from '../seed/demo-guides.js';
import { DEMO_HALL_ID, KIOSK_TOKEN, TEST_NOW, startPortalHarness, type HttpAnswer, type PortalHarness } from '../test-support/portal-harness.js';
import { validIdNumber } from './test-id-numbers.js';

/**
 * Online booking against a real PostgreSQL and the portal over HTTP. The demo hall (Asia/Shanghai)
 * at TEST_NOW, Monday 2025-03-10 10:00: social-insurance is booked 1–14 days ahead in 30-minute
 * slots of 4 places, Mon–Fri 09:00–12:00 and 13:30–17:00.
 */

let h: PortalHarness;
const logLines: string[] = [];
const HALL = DEMO_HALL_ID;
const SERVICE = 'social-insurance';
let citizen = 0;
const nextIdNumber = (): string => validIdNumber(100 + citizen++);

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  // Every request logged (debug): the ID number must not be in any line.
  h = await startPortalHarness({ logger: pino({ level: 'debug' }, sink) });
});

afterAll(async () => {
  await h?.close();
});

const slotsPath = (service = SERVICE, query = ''): string => `/v1/citizen/halls/${HALL}/services/${service}/slots${query}`;

async function slots(service = SERVICE, query = ''): Promise<SlotView[]> {
  const answer = await h.request('GET', slotsPath(service, query));
  expect(answer.status).toBe(200);
  return SlotsResponse.parse(answer.body).slots;
}

/** 09:00 Shanghai of a day, as the slot start instant. */
const at = (day: string, time = '09:00'): string => new Date(`${day}T${time}:00+08:00`).toISOString();

function hold(slotStart: string, idNumber = nextIdNumber(), service = SERVICE): Promise<HttpAnswer> {
  return h.request('POST', '/v1/citizen/bookings/hold', { body: { hallId: HALL, serviceId: service, slotStart, idNumber } });
}

async function held(slotStart: string, idNumber = nextIdNumber(), service = SERVICE): Promise<string> {
  const answer = await hold(slotStart, idNumber, service);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return HoldResponse.parse(answer.body).holdId;
}

async function confirm(holdId: string): Promise<BookingConfirmation> {
  const answer = await h.request('POST', `/v1/citizen/bookings/${holdId}/confirm`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return BookingConfirmation.parse(answer.body);
}

function codeOf(answer: HttpAnswer): PortalErrorCode {
  return PortalErrorBody.parse(answer.body).code;
}

async function available(slotStart: string, service = SERVICE): Promise<number | undefined> {
  return (await slots(service)).find((s) => s.start === slotStart)?.available;
}

describe('the citizen catalog', () => {
  it('publishes hours, guides, booking rules and pinyin keys: gjj finds 住房公积金', async () => {
    const answer = await h.request('GET', `/v1/citizen/halls/${HALL}/catalog`);
    expect(answer.status).toBe(200);
    const catalog = CitizenCatalogResponse.parse(answer.body);
    expect(catalog.hall.timeZone).toBe('Asia/Shanghai');
    expect(catalog.hall.calendar.some((d) => d.day === '2025-04-27' && d.kind === 'workday')).toBe(true);
    expect(catalog.hall.checkInWindow).toEqual({ beforeMinutes: 30, afterMinutes: 15 });
    const found = searchServices(catalog.services, 'gjj');
    expect(found.map((s) => s.id)).toEqual(['housing-fund']);
    const fund = found[0];
    expect(fund?.searchKeys).toEqual(expect.arrayContaining(['zhufanggongjijin', 'zfgjj', 'gongjijin', 'gjj']));
    expect(fund?.hours['1']).toEqual([{ opens: '09:00', closes: '12:00' }, { opens: '13:30', closes: '17:00' }]);
    expect(fund?.guide?.materials.length).toBeGreaterThan(2);
    expect(fund?.booking).toMatchObject({ slotMinutes: 30, capacity: 3 });
    expect(catalog.services.every((s) => s.guide !== null)).toBe(true);
  });

  it('leaves disabled services out, and answers 404 for a hall that does not exist', async () => {
    await h.db.pool.query(`UPDATE services SET enabled = false WHERE hall_id = $1 AND service_id = 'tax'`, [HALL]);
    try {
      const catalog = CitizenCatalogResponse.parse((await h.request('GET', `/v1/citizen/halls/${HALL}/catalog`)).body);
      expect(catalog.services.map((s) => s.id)).not.toContain('tax');
    } finally {
      await h.db.pool.query(`UPDATE services SET enabled = true WHERE hall_id = $1 AND service_id = 'tax'`, [HALL]);
    }
    expect((await h.request('GET', '/v1/citizen/halls/no-such-hall/catalog')).status).toBe(404);
  });

  it('gives the kiosk the same catalog with the pull', async () => {
    const pull = PullResponse.parse((await h.request('GET', '/v1/kiosk/pull', { token: KIOSK_TOKEN })).body);
    const fund = pull.catalog?.services.find((s) => s.id === 'housing-fund');
    expect(fund?.searchKeys).toContain('gjj');
    expect(fund?.guide?.location.zh).toContain('市民中心');
    expect(pull.catalog?.hall.calendar.length).toBeGreaterThan(20);
  });
});

describe('slots', () => {
  it('cuts the opening hours into slots for the days of the booking window', async () => {
    const answer = SlotsResponse.parse((await h.request('GET', slotsPath())).body);
    expect(answer).toMatchObject({ firstDay: '2025-03-11', lastDay: '2025-03-24', timeZone: 'Asia/Shanghai' });
    const days = new Set(answer.slots.map((s) => s.day));
    // Mon 11th .. Mon 24th, weekends closed.
    expect([...days]).toEqual(['2025-03-11', '2025-03-12', '2025-03-13', '2025-03-14', '2025-03-17', '2025-03-18',
      '2025-03-19', '2025-03-20', '2025-03-21', '2025-03-24']);
    const tuesday = answer.slots.filter((s) => s.day === '2025-03-11');
    // 09:00-12:00: 6 slots; 13:30-17:00: 7.
    expect(tuesday.length).toBe(13);
    expect(tuesday[0]).toMatchObject({ opens: '09:00', closes: '09:30', start: '2025-03-11T01:00:00.000Z', capacity: 4, available: 4 });
    expect(tuesday[6]).toMatchObject({ opens: '13:30', closes: '14:00' });
    expect((await slots(SERVICE, '?from=2025-03-12&to=2025-03-12')).every((s) => s.day === '2025-03-12')).toBe(true);
  });

  it('skips holidays and opens adjusted workdays (调休): 劳动节 2025', async () => {
    h.now = new Date('2025-04-20T02:00:00.000Z');
    try {
      const days = new Set((await slots('exit-entry')).map((s) => s.day));
      // Sunday 27 April is worked (with Monday's hours); Saturday 26 April has the Saturday morning.
      expect(days.has('2025-04-27')).toBe(true);
      expect(days.has('2025-04-26')).toBe(true);
      // 1-5 May is the holiday, Saturday 3 May included.
      for (const day of ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04']) expect(days.has(day)).toBe(false);
      const holiday = await hold(at('2025-05-02'), nextIdNumber(), 'exit-entry');
      expect([holiday.status, codeOf(holiday)]).toEqual([409, PortalErrorCode.ClosedDay]);
      const workday = await hold(at('2025-04-27', '13:30'), nextIdNumber(), 'exit-entry');
      expect(workday.status).toBe(200);
    } finally {
      h.now = TEST_NOW;
    }
  });

  it('refuses with a code a day outside the window, a time that is no slot, a service not booked online', async () => {
    const today = await hold(at('2025-03-10', '15:00'));
    expect([today.status, codeOf(today)]).toEqual([409, PortalErrorCode.OutsideBookingWindow]);
    const tooFar = await hold(at('2025-03-25'));
    expect([tooFar.status, codeOf(tooFar)]).toEqual([409, PortalErrorCode.OutsideBookingWindow]);
    const between = await hold(at('2025-03-11', '09:10'));
    expect([between.status, codeOf(between)]).toEqual([404, PortalErrorCode.NoSuchSlot]);
    const lunch = await hold(at('2025-03-11', '12:00'));
    expect([lunch.status, codeOf(lunch)]).toEqual([404, PortalErrorCode.NoSuchSlot]);
    const saturday = await hold(at('2025-03-15'));
    expect([saturday.status, codeOf(saturday)]).toEqual([409, PortalErrorCode.ClosedDay]);
    const notOnline = await hold(at('2025-03-11'), nextIdNumber(), 'tax');
    expect([notOnline.status, codeOf(notOnline)]).toEqual([409, PortalErrorCode.NotBookable]);
    const unknown = await hold(at('2025-03-11'), nextIdNumber(), 'no-such-service');
    expect([unknown.status, codeOf(unknown)]).toEqual([404, PortalErrorCode.UnknownService]);
    const badNumber = await hold(at('2025-03-11'), '110105194912310021');
    expect([badNumber.status, codeOf(badNumber)]).toEqual([400, PortalErrorCode.BadRequest]);
    expect(JSON.stringify(badNumber.body)).not.toContain('110105194912310021');
  });
});

describe('hold, confirm, cancel', () => {
  it('holds a place, confirms it with a reference and a cancel code, and cancelling frees it', async () => {
    const start = at('2025-03-11', '09:30');
    const holdId = await held(start);
    expect(await available(start)).toBe(3);
    // Held: not the kiosk's yet.
    const before = PullResponse.parse((await h.request('GET', '/v1/kiosk/pull', { token: KIOSK_TOKEN })).body);
    expect(before.appointments.some((a) => a.windowStart === start)).toBe(false);

    const booking = await confirm(holdId);
    expect(booking.reference).toMatch(/^HKA-[2-9A-HJKMNP-TW-Z]{8}$/);
    expect(booking.qrText).toBe(booking.reference);
    expect(booking.cancelCode).toMatch(/^\d{6}$/);
    expect(booking.slot).toEqual({ day: '2025-03-11', opens: '09:30', closes: '10:00', start, end: at('2025-03-11', '10:00') });
    expect(booking.checkInFrom).toBe(at('2025-03-11', '09:00'));
    expect(booking.checkInUntil).toBe(at('2025-03-11', '09:45'));
    expect(booking.serviceName.zh).toBe('社会保障');
    expect(await available(start)).toBe(3);
    // Tomorrow's booking: the kiosk gets it.
    const after = PullResponse.parse((await h.request('GET', '/v1/kiosk/pull', { token: KIOSK_TOKEN })).body);
    expect(after.appointments.find((a) => a.reference === booking.reference)).toMatchObject({ status: 'booked', windowStart: start });

    const wrongCode = booking.cancelCode === '000000' ? '111111' : '000000';
    const wrong = await h.request('POST', '/v1/citizen/bookings/cancel', { body: { hallId: HALL, reference: booking.reference, cancelCode: wrongCode } });
    expect([wrong.status, codeOf(wrong)]).toEqual([404, PortalErrorCode.NotFound]);
    expect(await available(start)).toBe(3);
    const body = { hallId: HALL, reference: booking.reference, cancelCode: booking.cancelCode };
    const cancelled = await h.request('POST', '/v1/citizen/bookings/cancel', { body });
    expect([cancelled.status, cancelled.body]).toEqual([200, { cancelled: true }]);
    expect(await available(start)).toBe(4);
    // Twice: the same answer, and the place is not given back twice.
    expect((await h.request('POST', '/v1/citizen/bookings/cancel', { body })).status).toBe(200);
    expect(await available(start)).toBe(4);
    const status = await h.db.pool.query('SELECT status FROM appointments WHERE hall_id = $1 AND reference = $2', [HALL, booking.reference]);
    expect(status.rows[0]).toEqual({ status: 'cancelled' });
  });

  it('answers a confirmation again (with a new cancel code) while the hold would still run, not after', async () => {
    const start = at('2025-03-11', '10:00');
    const holdId = await held(start);
    const first = await confirm(holdId);
    const again = await confirm(holdId);
    expect(again.reference).toBe(first.reference);
    expect(await available(start)).toBe(3);
    // The first code was replaced.
    const old = await h.request('POST', '/v1/citizen/bookings/cancel', { body: { hallId: HALL, reference: first.reference, cancelCode: first.cancelCode } });
    if (first.cancelCode !== again.cancelCode) expect(old.status).toBe(404);
    h.now = new Date(TEST_NOW.getTime() + 6 * 60_000);
    try {
      const late = await h.request('POST', `/v1/citizen/bookings/${holdId}/confirm`);
      expect([late.status, codeOf(late)]).toEqual([409, PortalErrorCode.Conflict]);
    } finally {
      h.now = TEST_NOW;
    }
  });

  it('refuses a confirmation after the hold ran out, and gives the place back', async () => {
    const start = at('2025-03-11', '10:30');
    const holdId = await held(start);
    expect(await available(start)).toBe(3);
    h.now = new Date(TEST_NOW.getTime() + 5 * 60_000);
    try {
      // Listed free as soon as it expired, before anyone released it.
      expect(await available(start)).toBe(4);
      const late = await h.request('POST', `/v1/citizen/bookings/${holdId}/confirm`);
      expect([late.status, codeOf(late)]).toEqual([410, PortalErrorCode.HoldExpired]);
      const counter = await h.db.pool.query('SELECT taken FROM booking_slots WHERE hall_id = $1 AND service_id = $2 AND slot_start = $3', [HALL, SERVICE, start]);
      expect(counter.rows[0]).toEqual({ taken: 0 });
      const unknown = await h.request('POST', '/v1/citizen/bookings/8f9d5a4e-1111-4a2b-9c3d-2e1f0a9b8c7d/confirm');
      expect([unknown.status, codeOf(unknown)]).toEqual([404, PortalErrorCode.NotFound]);
    } finally {
      h.now = TEST_NOW;
    }
  });

  it('never gives a slot more places than its capacity: the fifth citizen gets slot-full', async () => {
    const start = at('2025-03-12', '09:00');
    const answers = await Promise.all(Array.from({ length: 8 }, () => hold(start)));
    expect(answers.filter((a) => a.status === 200).length).toBe(4);
    expect(answers.filter((a) => a.status === 409).map(codeOf)).toEqual(Array(4).fill(PortalErrorCode.SlotFull));
    expect(await available(start)).toBe(0);
  });
});

describe('one active booking per citizen, service and day', () => {
  it('refuses a second booking of the same day (409 already-booked); another day is fine', async () => {
    const idNumber = nextIdNumber();
    await confirm(await held(at('2025-03-13', '09:00'), idNumber));
    const again = await hold(at('2025-03-13', '14:00'), idNumber);
    expect([again.status, codeOf(again)]).toEqual([409, PortalErrorCode.AlreadyBooked]);
    expect(await available(at('2025-03-13', '14:00'))).toBe(4);
    expect((await hold(at('2025-03-14', '09:00'), idNumber)).status).toBe(200);
  });

  it('lets a new hold replace the same citizen\'s earlier hold of that day', async () => {
    const idNumber = nextIdNumber();
    const first = at('2025-03-17', '09:00');
    const second = at('2025-03-17', '09:30');
    const firstHold = await held(first, idNumber);
    await held(second, idNumber);
    expect(await available(first)).toBe(4);
    expect(await available(second)).toBe(3);
    const stale = await h.request('POST', `/v1/citizen/bookings/${firstHold}/confirm`);
    expect(stale.status).toBeGreaterThanOrEqual(400);
  });

  it('keeps the citizen\'s hold when the slot they try next is full', async () => {
    const full = at('2025-03-18', '09:00');
    for (let i = 0; i < 4; i += 1) await held(full);
    const idNumber = nextIdNumber();
    const mine = at('2025-03-18', '10:00');
    const holdId = await held(mine, idNumber);
    const refused = await hold(full, idNumber);
    expect(codeOf(refused)).toBe(PortalErrorCode.SlotFull);
    expect(await available(mine)).toBe(3);
    await confirm(holdId);
  });
});

describe('the hall and service a hold goes by', () => {
  it('are the ones in force: a capacity lowered or booking stopped since the last hold counts at once', async () => {
    const config = DEMO_SERVICE_CONFIG[SERVICE];
    if (!config?.booking) throw new Error('no demo booking rules');
    const start = at('2025-03-20', '09:00');
    const write = (booking: typeof config.booking | null): Promise<boolean> =>
      withTransaction(h.db.pool, (client) => writeServiceConfig(client, HALL, SERVICE, { ...config, booking }));
    try {
      // The portal now knows the service with 4 places a slot.
      await held(start);
      await write({ ...config.booking, capacity: 1 });
      const refused = await hold(start);
      expect([refused.status, codeOf(refused)]).toEqual([409, PortalErrorCode.SlotFull]);
      await write(null);
      const closed = await hold(at('2025-03-20', '10:00'));
      expect([closed.status, codeOf(closed)]).toEqual([409, PortalErrorCode.NotBookable]);
    } finally {
      await write(config.booking);
    }
    expect((await hold(start)).status).toBe(200);
  });
});

describe('per-address limits', () => {
  let limited: FastifyInstance;
  let base: string;

  beforeAll(async () => {
    limited = await buildPortalApp({ pool: h.db.pool, clock: () => h.now, logLevel: 'silent', limits: { bookingRequestsPerWindow: 3 } });
    await limited.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(limited.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await limited?.close();
  });

  it('answers 429 past the booking budget of an address, configured through the portal limits', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const res = await fetch(`${base}/v1/citizen/bookings/hold`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ hallId: HALL, serviceId: SERVICE, slotStart: at('2025-03-19', '09:00'), idNumber: nextIdNumber() }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Reading slots has its own budget.
    expect((await fetch(`${base}${slotsPath()}`)).status).toBe(200);
  });
});

describe('the ID number', () => {
  it('is in no table and no log line, only its HMAC', async () => {
    const idNumber = nextIdNumber();
    const booking = await confirm(await held(at('2025-03-20', '09:00'), idNumber));
    await h.request('POST', '/v1/citizen/bookings/hold', { body: { hallId: HALL, serviceId: SERVICE, slotStart: at('2025-03-20', '09:00'), idNumber } });
    const tables = await h.db.pool.query<{ name: string }>(
      `SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    expect(tables.rows.length).toBeGreaterThan(10);
    let rows = 0;
    for (const { name } of tables.rows) {
      const content = await h.db.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM ${name} t`);
      rows += content.rows.length;
      for (const { row } of content.rows) {
        expect(row.toUpperCase()).not.toContain(idNumber.toUpperCase());
        // Not even its birth date and sequence (the last 12 characters) in another form.
        expect(row.toUpperCase()).not.toContain(idNumber.slice(6).toUpperCase());
      }
    }
    expect(rows).toBeGreaterThan(0);
    const stored = await h.db.pool.query('SELECT citizen_hmac FROM appointments WHERE hall_id = $1 AND reference = $2', [HALL, booking.reference]);
    expect(stored.rows[0]?.citizen_hmac).toMatch(/^[0-9a-f]{64}$/);
    expect(logLines.length).toBeGreaterThan(10);
    for (const line of logLines) expect(line.toUpperCase()).not.toContain(idNumber.slice(6).toUpperCase());
  });
});

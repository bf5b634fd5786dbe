import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingConfirmation, HoldResponse } from '../../common/contract/booking-api.js';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { KIOSK_EVENTS_PATH, PushResponse, type OutboxEvent } from '../../common/contract/sync-api.js';
import { CalendarDayKind } from '../../common/domain/hall-calendar.js';
import { Priority } from '../../common/domain/priority.js';
import { citizenHmacOf } from '../citizen/citizen-hmac.js';
import { sweepEndOfDay } from '../counter/end-of-day.js';
import { withTransaction } from '../db/transaction.js';
import { catalogVersion, emitCatalogChanged, writeHallSettings, writeServiceConfig } from '../queue/service-config.js';
import { lastHallEventSeq } from '../realtime/hall-event-store.js';
import { openSse, type SseReader } from '../realtime/test-sse-reader.js';
import { seedDemoHall } from '../seed/demo-hall.js';
import { DEMO_CALENDAR, DEMO_SERVICE_CONFIG } from '../seed/demo-guides.js';
import { DEMO_HALL_ID, KIOSK_TOKEN, TEST_NOW, startPortalHarness, ticketIssuedEvent, type PortalHarness } from '../test-support/portal-harness.js';
import { APPOINTMENTS_NOTIFY_DELAY_MS, createAppointmentsNotifier } from './booking-events.js';
import { validIdNumber } from './test-id-numbers.js';

/**
 * The portal's side of check-in (issue 9 §3) and the kiosk's live channel: a pushed ticket that
 * names its appointment marks it checked in exactly once; booked appointments nobody came for
 * become no-shows at the end of the day; a kiosk following GET /v1/kiosk/stream hears of its
 * hall's appointment and catalog changes within a second, and of nothing else.
 */

let h: PortalHarness;
const HALL = DEMO_HALL_ID;
const OTHER_HALL = 'other-hall';
const OTHER_KIOSK_TOKEN = 'other-hall-kiosk-token';
const SERVICE = 'social-insurance';
/** Tuesday 2025-03-11, the day after TEST_NOW: 09:10 in Shanghai. */
const TOMORROW = '2025-03-11';
const TOMORROW_0910 = new Date('2025-03-11T01:10:00.000Z');
let citizen = 0;
let hallKey = '';

beforeAll(async () => {
  h = await startPortalHarness();
  await seedDemoHall(h.db.pool, {
    hallId: OTHER_HALL,
    kioskTokens: [{ kioskId: 'kiosk-other', token: OTHER_KIOSK_TOKEN, kioskDigit: 1 }],
    staffToken: 'other-hall-staff-token',
  });
  const key = await h.db.pool.query<{ k: string }>('SELECT citizen_hmac_key AS k FROM halls WHERE hall_id = $1', [HALL]);
  hallKey = key.rows[0]?.k ?? '';
});

afterAll(async () => {
  await h?.close();
});

const at = (day: string, time: string): string => new Date(`${day}T${time}:00+08:00`).toISOString();

interface Booked {
  reference: string;
  appointmentId: string;
  citizenHmac: string;
  cancelCode: string;
}

/** Books a place online at `h.now`, as a citizen would. */
async function book(slotStart: string, hallId = HALL): Promise<Booked> {
  const idNumber = validIdNumber(500 + citizen++);
  const hold = await h.request('POST', '/v1/citizen/bookings/hold', { body: { hallId, serviceId: SERVICE, slotStart, idNumber } });
  expect(hold.status, JSON.stringify(hold.body)).toBe(200);
  const { holdId } = HoldResponse.parse(hold.body);
  const confirmed = await h.request('POST', `/v1/citizen/bookings/${holdId}/confirm`);
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  const booking = BookingConfirmation.parse(confirmed.body);
  return { reference: booking.reference, appointmentId: holdId, citizenHmac: citizenHmacOf(hallKey, idNumber), cancelCode: booking.cancelCode };
}

interface AppointmentRow {
  status: string;
  ticket_id: string | null;
  arrived_at: Date | null;
}

async function appointment(appointmentId: string): Promise<AppointmentRow> {
  const result = await h.db.pool.query<AppointmentRow>('SELECT status, ticket_id, arrived_at FROM appointments WHERE hall_id = $1 AND appointment_id = $2', [
    HALL,
    appointmentId,
  ]);
  const row = result.rows[0];
  if (!row) throw new Error(`no appointment ${appointmentId}`);
  return row;
}

const epoch = randomUUID();
let seq = 0;
let number = 800;

function checkInEvent(b: Booked, overrides: { ticketId?: string } = {}): OutboxEvent {
  number += 1;
  seq += 1;
  return ticketIssuedEvent(seq, {
    ticketId: overrides.ticketId ?? randomUUID(),
    number: `A1-${number}`,
    businessDay: TOMORROW,
    priority: Priority.Appointment,
    citizenHmac: b.citizenHmac,
    appointmentId: b.appointmentId,
    issuedAt: TOMORROW_0910.toISOString(),
  });
}

async function push(events: OutboxEvent[]): Promise<PushResponse> {
  const answer = await h.request('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: { dbEpoch: epoch, events } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return PushResponse.parse(answer.body);
}

describe('check-in on the portal', () => {
  let first: Booked;
  let second: Booked;
  let stranger: Booked;
  let ticketOne: string;

  beforeAll(async () => {
    h.now = TEST_NOW;
    first = await book(at(TOMORROW, '09:00'));
    second = await book(at(TOMORROW, '09:30'));
    stranger = await book(at(TOMORROW, '10:00'));
    h.now = TOMORROW_0910;
  });

  afterAll(() => {
    h.now = TEST_NOW;
  });

  it('marks the appointment checked in with the ticket and the time it arrived', async () => {
    const event = checkInEvent(first);
    ticketOne = event.payload.ticketId;
    const answer = await push([event]);
    expect(answer.rejected).toEqual([]);
    const row = await appointment(first.appointmentId);
    expect(row).toMatchObject({ status: 'checked-in', ticket_id: ticketOne });
    const ticket = await h.db.pool.query<{ received_at: Date; appointment_at: Date }>(
      'SELECT received_at, appointment_at FROM tickets WHERE hall_id = $1 AND ticket_id = $2',
      [HALL, ticketOne],
    );
    expect(row.arrived_at?.getTime()).toBe(ticket.rows[0]?.received_at.getTime());
    expect(ticket.rows[0]?.appointment_at.toISOString()).toBe(at(TOMORROW, '09:00'));

    // The same push again (a lost answer): consumed, nothing moves.
    await push([event]);
    // The same ticket under a new event id (a kiosk database restored).
    seq += 1;
    await push([{ ...event, seq, eventId: randomUUID() }]);
    expect(await appointment(first.appointmentId)).toEqual(row);
  });

  it('takes a second ticket for the same appointment as printed, but does not mark it again', async () => {
    const before = await appointment(first.appointmentId);
    const again = checkInEvent(first);
    const answer = await push([again]);
    expect(answer.rejected).toEqual([]);
    const tickets = await h.db.pool.query('SELECT 1 FROM tickets WHERE hall_id = $1 AND ticket_id = $2', [HALL, again.payload.ticketId]);
    expect(tickets.rows.length).toBe(1);
    expect(await appointment(first.appointmentId)).toEqual(before);
    expect(before.ticket_id).toBe(ticketOne);
  });

  it('marks an appointment once when one batch carries two tickets for it: the first', async () => {
    const a = checkInEvent(second);
    const b = checkInEvent(second);
    const answer = await push([a, b]);
    expect(answer.rejected).toEqual([]);
    expect(await appointment(second.appointmentId)).toMatchObject({ status: 'checked-in', ticket_id: a.payload.ticketId });
  });

  it("does not mark someone else's appointment", async () => {
    // The first citizen's card, the stranger's appointment id: the ticket stands (the citizen has
    // an appointment of their own), the stranger's appointment is left alone.
    const event = checkInEvent({ ...stranger, citizenHmac: first.citizenHmac });
    expect((await push([event])).rejected).toEqual([]);
    expect(await appointment(stranger.appointmentId)).toMatchObject({ status: 'booked', ticket_id: null, arrived_at: null });
  });
});

describe('end of day', () => {
  it('turns booked appointments of past days into no-shows, and leaves the others', async () => {
    h.now = TEST_NOW;
    const missed = await book(at(TOMORROW, '14:00'));
    const cancelled = await book(at(TOMORROW, '14:30'));
    const cancel = await h.request('POST', '/v1/citizen/bookings/cancel', {
      body: { hallId: HALL, reference: cancelled.reference, cancelCode: cancelled.cancelCode },
    });
    expect(cancel.status).toBe(200);
    const later = await book(at('2025-03-12', '09:00'));
    const came = await book(at(TOMORROW, '15:00'));
    h.now = TOMORROW_0910;
    expect((await push([checkInEvent(came)])).rejected).toEqual([]);

    // Still the 11th: nothing is past.
    await sweepEndOfDay(h.db.pool, new Date('2025-03-11T09:00:00.000Z'), { hallId: HALL });
    expect((await appointment(missed.appointmentId)).status).toBe('booked');
    // The 12th, after the day boundary (03:00 in the demo hall).
    await sweepEndOfDay(h.db.pool, new Date('2025-03-11T20:00:00.000Z'), { hallId: HALL });
    expect((await appointment(missed.appointmentId)).status).toBe('no-show');
    expect((await appointment(cancelled.appointmentId)).status).toBe('cancelled');
    expect((await appointment(came.appointmentId)).status).toBe('checked-in');
    expect((await appointment(later.appointmentId)).status).toBe('booked');
    h.now = TEST_NOW;
  });
});

describe('the kiosk live channel (GET /v1/kiosk/stream)', () => {
  let ours: SseReader;
  let theirs: SseReader;

  beforeAll(async () => {
    h.now = TEST_NOW;
    // The earlier tests' bookings are told coalesced, APPOINTMENTS_NOTIFY_DELAY_MS after they
    // commit: let the last of them land before the streams open, so the counts below are ours.
    await new Promise((resolve) => setTimeout(resolve, APPOINTMENTS_NOTIFY_DELAY_MS * 3));
    ours = await openSse(`${h.baseUrl}${KIOSK_EVENTS_PATH}`, { token: KIOSK_TOKEN });
    theirs = await openSse(`${h.baseUrl}${KIOSK_EVENTS_PATH}`, { token: OTHER_KIOSK_TOKEN });
    expect([ours.status, theirs.status]).toEqual([200, 200]);
    await ours.waitFor((f) => f.event === 'ready');
    await theirs.waitFor((f) => f.event === 'ready');
  });

  afterAll(() => {
    ours?.close();
    theirs?.close();
  });

  it('refuses a caller without a kiosk token', async () => {
    const anonymous = await openSse(`${h.baseUrl}${KIOSK_EVENTS_PATH}`);
    expect(anonymous.status).toBe(401);
    anonymous.close();
  });

  it("delivers an appointments.changed within a second of a confirmation, and nothing to another hall's kiosk", async () => {
    const from = ours.frames.length;
    const started = performance.now();
    await book(at(TOMORROW, '16:00'));
    const frame = await ours.waitFor((f) => f.event === HallEventKind.AppointmentsChanged, 1_000, from);
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(JSON.parse(frame.data ?? '{}')).toMatchObject({ kind: 'appointments.changed', payload: { days: [TOMORROW] } });

    // A booking of the other hall reaches its kiosk, and only it.
    const theirFrom = theirs.frames.length;
    await book(at(TOMORROW, '16:00'), OTHER_HALL);
    await theirs.waitFor((f) => f.event === HallEventKind.AppointmentsChanged, 1_000, theirFrom);
    expect(theirs.events().filter((f) => f.event === HallEventKind.AppointmentsChanged).length).toBe(1);
    expect(ours.events().filter((f) => f.event === HallEventKind.AppointmentsChanged).length).toBe(1);
  });

  it('passes catalog.changed and leaves out the events of the counters and the display', async () => {
    const from = ours.frames.length;
    // A ticket pushed today: queue.waiting for the hall's pages, nothing for the kiosks.
    seq += 1;
    expect((await push([ticketIssuedEvent(seq, { number: 'A1-990' })])).rejected).toEqual([]);
    await withTransaction(h.db.pool, async (client) => {
      const before = await catalogVersion(client, HALL);
      const config = DEMO_SERVICE_CONFIG[SERVICE];
      if (!config) throw new Error('no demo config');
      await writeServiceConfig(client, HALL, SERVICE, { ...config, booking: { ...config.booking, capacity: 6 } });
      expect(await emitCatalogChanged(client, HALL, before)).toBe(true);
      // The calendar and the check-in window are the catalog's; the rectification days are not.
      const settings = { calendar: DEMO_CALENDAR, checkInWindow: { beforeMinutes: 30, afterMinutes: 15 }, rectificationDays: 5 };
      const v1 = await catalogVersion(client, HALL);
      await writeHallSettings(client, HALL, { ...settings, rectificationDays: 7 });
      expect(await catalogVersion(client, HALL)).toBe(v1);
      await writeHallSettings(client, HALL, { ...settings, checkInWindow: { beforeMinutes: 20, afterMinutes: 15 } });
      expect(await catalogVersion(client, HALL)).toBe(v1 + 1);
      await writeHallSettings(client, HALL, { ...settings, calendar: [...DEMO_CALENDAR, { day: '2027-12-31', kind: CalendarDayKind.Holiday }] });
      expect(await catalogVersion(client, HALL)).toBe(v1 + 2);
      await writeHallSettings(client, HALL, settings);
    });
    await ours.waitFor((f) => f.event === HallEventKind.CatalogChanged, 1_000, from);
    const kinds = ours.events().slice(0).map((f) => f.event);
    expect(kinds.every((k) => k === 'ready' || k === HallEventKind.AppointmentsChanged || k === HallEventKind.CatalogChanged)).toBe(true);
    const stored = await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM hall_events WHERE hall_id = $1 AND kind = 'queue.waiting'`, [HALL]);
    expect(stored.rows[0]?.n).toBeGreaterThan(0);
    expect(theirs.events().some((f) => f.event === HallEventKind.CatalogChanged)).toBe(false);
  });

  it('tells a rush of bookings as one event per hall, with every day in it', async () => {
    const notifier = createAppointmentsNotifier(h.db.pool, { delayMs: 50 });
    const before = await lastHallEventSeq(h.db.pool, HALL);
    const from = ours.frames.length;
    for (const day of [TOMORROW, '2025-03-10', TOMORROW, TOMORROW]) notifier.changed(HALL, day);
    const frame = await ours.waitFor((f) => f.event === HallEventKind.AppointmentsChanged, 1_000, from);
    expect(JSON.parse(frame.data ?? '{}')).toMatchObject({ payload: { days: ['2025-03-10', TOMORROW] } });
    await notifier.close();
    expect(await lastHallEventSeq(h.db.pool, HALL)).toBe(before + 1);
  });

  it('replays what a kiosk missed after its Last-Event-ID, filtered the same way', async () => {
    const last = ours.events().at(-1)?.id ?? '0';
    const from = ours.frames.length;
    await book(at(TOMORROW, '16:30'));
    // Told once committed, a moment later (booking-events.ts): the live kiosk hears it first.
    await ours.waitFor((f) => f.event === HallEventKind.AppointmentsChanged, 1_000, from);
    const replay = await openSse(`${h.baseUrl}${KIOSK_EVENTS_PATH}`, { token: KIOSK_TOKEN, lastEventId: last });
    try {
      await replay.waitFor((f) => f.event === 'ready');
      const kinds = replay.events().map((f) => f.event);
      expect(kinds).toContain(HallEventKind.AppointmentsChanged);
      expect(kinds.every((k) => k === 'ready' || k === HallEventKind.AppointmentsChanged)).toBe(true);
    } finally {
      replay.close();
    }
  });
});

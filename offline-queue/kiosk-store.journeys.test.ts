import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseStatus } from '../common/contract/cases-api.js';
import { RatingLevel } from '../common/contract/ratings-api.js';
import { AppointmentStatus, SyncEventType, SyncRejectCode } from '../common/contract/sync-api.js';
import { Priority } from '../common/domain/priority.js';
import { KioskStore, RatingQueued, openKioskStore, type CheckInTicketInput } from './kiosk-store.js';
import { openKioskDatabase } from './db/open-database.js';
import { StoreError, StoreErrorCode } from './store-error.js';
import { testAppointment } from './testing/fake-portal.js';
import { testPull } from './testing/store-fixtures.js';
import { makeTempDir } from './testing/temp-dir.js';
import { ticketInput } from './testing/ticket-input.js';

const tmp = makeTempDir('store-journeys');
afterAll(() => tmp.remove());

const HMAC = 'c1'.repeat(32);
const OTHER = 'd2'.repeat(32);

function checkInInput(appointmentId: string, overrides: Partial<CheckInTicketInput> = {}): CheckInTicketInput {
  const { priority: _p, citizenHmac: _c, ...base } = ticketInput();
  return { ...base, appointmentId, ...overrides };
}

function storeWith(...appointments: ReturnType<typeof testAppointment>[]): { store: KioskStore; file: string } {
  const file = tmp.file('kiosk');
  const store = openKioskStore({ path: file, now: () => new Date('2025-03-10T01:10:00.000Z') });
  store.applyPull(testPull({ appointments }));
  return { store, file };
}

const rating = (ticketId: string, ratingId = randomUUID()) => ({
  ratingId,
  ticketId,
  overall: RatingLevel.Satisfied,
  efficiency: RatingLevel.VerySatisfied,
  expertise: RatingLevel.Satisfied,
  attitude: RatingLevel.Dissatisfied,
  comment: '窗口人员态度一般',
  ratedAt: '2025-03-10T03:00:00.000Z',
});

describe('KioskStore.checkInTicket', () => {
  it('writes the ticket (priority appointment, the appointment’s HMAC and start), its event with appointmentId, and checks the appointment in, in one transaction', () => {
    const appointment = testAppointment({ citizenHmac: HMAC });
    const { store } = storeWith(appointment);
    const result = store.checkInTicket(checkInInput(appointment.appointmentId));
    if (result.kind !== 'issued') throw new Error('not issued');
    expect(result.ticket).toMatchObject({
      priority: Priority.Appointment,
      citizenHmac: HMAC,
      appointmentId: appointment.appointmentId,
      appointmentStart: appointment.windowStart,
    });
    expect(store.readOutbox(10)).toMatchObject([
      { type: SyncEventType.TicketIssued, payload: { appointmentId: appointment.appointmentId, priority: Priority.Appointment, citizenHmac: HMAC } },
    ]);
    expect(store.findAppointmentById(appointment.appointmentId)).toMatchObject({ status: AppointmentStatus.CheckedIn, ticketId: result.ticket.ticketId });
    expect(store.ticketOfAppointment(appointment.appointmentId)?.ticketId).toBe(result.ticket.ticketId);
    store.close();
  });

  it('is idempotent by requestId, and a second check-in of the appointment issues nothing and names the first ticket', () => {
    const appointment = testAppointment({ citizenHmac: HMAC });
    const { store } = storeWith(appointment);
    const input = checkInInput(appointment.appointmentId);
    const first = store.checkInTicket(input);
    const again = store.checkInTicket({ ...input, ticketId: randomUUID() });
    expect(again).toEqual(first);
    const second = store.checkInTicket(checkInInput(appointment.appointmentId));
    expect(second).toMatchObject({ kind: 'not-booked', appointment: { status: AppointmentStatus.CheckedIn } });
    expect(second.kind === 'not-booked' && second.ticket?.ticketId).toBe(first.kind === 'issued' && first.ticket.ticketId);
    expect(store.readOutbox(10)).toHaveLength(1);
    store.close();
  });

  it('issues nothing for a cancelled or unknown appointment', () => {
    const cancelled = testAppointment({ status: AppointmentStatus.Cancelled });
    const { store } = storeWith(cancelled);
    expect(store.checkInTicket(checkInInput(cancelled.appointmentId))).toEqual({ kind: 'not-booked', appointment: expect.objectContaining({ status: AppointmentStatus.Cancelled }), ticket: null });
    expect(store.checkInTicket(checkInInput(randomUUID()))).toEqual({ kind: 'not-booked', appointment: null, ticket: null });
    expect(store.readOutbox(10)).toHaveLength(0);
    store.close();
  });

  it('rolls the ticket and its event back when the appointment cannot be marked', () => {
    const appointment = testAppointment();
    const { store, file } = storeWith(appointment);
    const db = new Database(file);
    db.exec("CREATE TRIGGER fail_check_in BEFORE UPDATE OF status ON appointments BEGIN SELECT RAISE(ABORT, 'injected'); END");
    db.close();
    expect(() => store.checkInTicket(checkInInput(appointment.appointmentId))).toThrow(StoreError);
    expect(store.readOutbox(10)).toHaveLength(0);
    expect(store.ticketOfAppointment(appointment.appointmentId)).toBeNull();
    expect(store.findAppointmentById(appointment.appointmentId)?.status).toBe(AppointmentStatus.Booked);
    store.close();
  });

  it('keeps its own check-in when a later pull still says booked, takes the portal’s other statuses, no-show included', () => {
    const appointment = testAppointment();
    const { store } = storeWith(appointment);
    store.checkInTicket(checkInInput(appointment.appointmentId));
    store.applyPull(testPull({ cursor: 'v2', catalog: null, appointments: [appointment] }));
    expect(store.findAppointmentById(appointment.appointmentId)?.status).toBe(AppointmentStatus.CheckedIn);
    expect(store.checkInTicket(checkInInput(appointment.appointmentId)).kind).toBe('not-booked');

    const missed = testAppointment({ reference: 'HKA1-MISSED1', status: AppointmentStatus.NoShow });
    store.applyPull(testPull({ cursor: 'v3', catalog: null, appointments: [missed] }));
    expect(store.findAppointment('HKA1-MISSED1')?.status).toBe(AppointmentStatus.NoShow);
    store.close();
  });

  it('finds a citizen’s appointments of a span of days by HMAC, earliest first', () => {
    const late = testAppointment({ reference: 'HKA1-LATER01', citizenHmac: HMAC, windowStart: '2025-03-10T06:00:00.000Z', windowEnd: '2025-03-10T06:30:00.000Z' });
    const early = testAppointment({ reference: 'HKA1-EARLY01', citizenHmac: HMAC });
    const tomorrow = testAppointment({ reference: 'HKA1-TOMORR1', citizenHmac: HMAC, businessDay: '2025-03-11', windowStart: '2025-03-11T01:00:00.000Z' });
    const someoneElse = testAppointment({ reference: 'HKA1-OTHER01', citizenHmac: OTHER });
    const { store } = storeWith(late, early, tomorrow, someoneElse);
    expect(store.citizenAppointments(HMAC, '2025-03-10', '2025-03-10').map((a) => a.reference)).toEqual(['HKA1-EARLY01', 'HKA1-LATER01']);
    expect(store.citizenAppointments(HMAC, '2025-03-10', '2025-03-11')).toHaveLength(3);
    store.close();
  });
});

describe('KioskStore certificate keys', () => {
  it('keeps the complete set of the last pull, in the pull’s transaction', () => {
    const { store, file } = storeWith();
    const key = { keyId: 'hall-1-2025', publicKey: 'MCowBQYDK2VwAyEA'.padEnd(60, 'A') };
    store.applyPull(testPull({ cursor: 'v2', catalog: null, certificateKeys: [key, { ...key, publicKey: 'x'.repeat(60) }] }));
    expect(store.certificateKeys()).toEqual([key]);
    // The next pull names the hall's keys again: a retired one goes.
    store.applyPull(testPull({ cursor: 'v3', catalog: null, certificateKeys: [{ keyId: 'hall-1-2026', publicKey: key.publicKey }] }));
    expect(store.certificateKeys().map((k) => k.keyId)).toEqual(['hall-1-2026']);

    const db = new Database(file);
    db.exec("CREATE TRIGGER fail_key BEFORE INSERT ON certificate_keys BEGIN SELECT RAISE(ABORT, 'injected'); END");
    db.close();
    expect(() => store.applyPull(testPull({ cursor: 'v4', catalog: null, certificateKeys: [key] }))).toThrow(StoreError);
    expect(store.syncState().pullCursor).toBe('v3');
    expect(store.certificateKeys().map((k) => k.keyId)).toEqual(['hall-1-2026']);
    store.close();
  });
});

describe('KioskStore case cache', () => {
  it('keeps the last answer per citizen with its time, across a reopen', () => {
    const { store, file } = storeWith();
    const view = {
      caseNumber: 'C20250310-0001',
      serviceId: 'social-insurance',
      serviceName: { zh: '社保', en: 'Social insurance' },
      status: CaseStatus.Processing,
      timeline: [{ status: CaseStatus.Accepted, at: '2025-03-10T01:00:00.000Z', note: null }],
      dueDay: '2025-03-17',
      certificate: null,
      updatedAt: '2025-03-10T01:00:00.000Z',
    };
    expect(store.cachedCases(HMAC)).toBeNull();
    store.saveCases(HMAC, [view], '2025-03-10T02:00:00.000Z');
    store.saveCases(HMAC, [{ ...view, status: CaseStatus.Concluded }], '2025-03-10T03:00:00.000Z');
    store.close();
    const reopened = new KioskStore(openKioskDatabase(file));
    expect(reopened.cachedCases(HMAC)).toEqual({ cases: [{ ...view, status: CaseStatus.Concluded }], fetchedAt: '2025-03-10T03:00:00.000Z' });
    expect(reopened.cachedCases(OTHER)).toBeNull();
    reopened.close();
  });
});

describe('KioskStore.queueRating', () => {
  it('queues one rating.submitted per ticket: the same rating again is a no-op, another one is refused, even after the push', () => {
    const { store } = storeWith();
    const ticketId = randomUUID();
    const first = rating(ticketId);
    expect(store.queueRating(first)).toBe(RatingQueued.Queued);
    expect(store.queueRating(first)).toBe(RatingQueued.Repeated);
    expect(store.readOutbox(10)).toMatchObject([{ type: SyncEventType.RatingSubmitted, payload: { ratingId: first.ratingId, ticketId, comment: '窗口人员态度一般' } }]);
    store.acknowledge(store.lastSeq(), []);
    expect(store.backlog()).toBe(0);
    expect(store.queueRating(rating(ticketId))).toBe(RatingQueued.AlreadyRated);
    expect(store.ratingGiven(ticketId)).toBe(first.ratingId);
    expect(store.readOutbox(10)).toHaveLength(0);
    store.close();
  });

  it('refuses a rating that breaks the contract before the transaction', () => {
    const { store } = storeWith();
    let err: unknown;
    try {
      store.queueRating({ ...rating(randomUUID()), comment: 'x'.repeat(501) });
    } catch (e) {
      err = e;
    }
    expect((err as StoreError).code).toBe(StoreErrorCode.Constraint);
    expect(store.backlog()).toBe(0);
    store.close();
  });

  it('does not count a rating waiting in the outbox as its ticket waiting for the portal (one ticket per card)', () => {
    const { store } = storeWith();
    const ticket = store.issueTicket(ticketInput({ citizenHmac: HMAC }));
    store.acknowledge(store.lastSeq(), []);
    store.queueRating(rating(ticket.ticketId));
    expect(store.citizenTickets(HMAC, 'social-insurance', '2025-03-10')).toEqual([{ ticketId: ticket.ticketId, number: ticket.number, awaitingSync: false }]);
    store.close();
  });

  it('quarantines a refused rating but counts only what the kiosk must answer for', () => {
    const { store } = storeWith();
    store.queueRating(rating(randomUUID()));
    store.queueRating(rating(randomUUID()));
    store.issueTicket(ticketInput());
    const events = store.readOutbox(10);
    store.acknowledge(store.lastSeq(), [
      { seq: events[0]?.seq ?? 0, eventId: events[0]?.eventId ?? '', code: SyncRejectCode.NotRateable, reason: 'not served' },
      { seq: events[1]?.seq ?? 0, eventId: events[1]?.eventId ?? '', code: SyncRejectCode.AlreadyRated, reason: 'rated on the web' },
      { seq: events[2]?.seq ?? 0, eventId: events[2]?.eventId ?? '', code: SyncRejectCode.UnknownService, reason: 'retired' },
    ]);
    expect(store.quarantined().map((q) => q.code)).toEqual([SyncRejectCode.NotRateable, SyncRejectCode.AlreadyRated, SyncRejectCode.UnknownService]);
    expect(store.quarantinedCount()).toBe(1);
    store.close();
  });
});

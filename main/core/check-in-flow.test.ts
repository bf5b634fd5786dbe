import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { CheckInOutcome, PrintState, VisitorClearReason } from '../../common/contract/kiosk-api.js';
import { AppointmentStatus, SyncEventType, type Appointment } from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { testAppointment } from '../../offline-queue/testing/fake-portal.js';
import { testPull } from '../../offline-queue/testing/store-fixtures.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { CheckInFlow } from './check-in-flow.js';
import { JOURNEY_DAY, hmacOfCard, journeyKiosk, type JourneyKiosk } from './testing/journey-harness.js';
import { sampleCard } from './testing/sample-card.js';

const tmp = makeTempDir('check-in');
const CARD = sampleCard({ name: '张三丰', idNumber: '110101199003071230', birthDate: '1990-03-07' });
const CARD_HMAC = hmacOfCard(CARD.idNumber);

/** 09:30 in Shanghai on the test day: in the window from 09:00 to 09:45; it is 09:10. */
function booked(overrides: Partial<Appointment> = {}): Appointment {
  return testAppointment({
    reference: 'HKA1-0930AB',
    citizenHmac: CARD_HMAC,
    businessDay: JOURNEY_DAY,
    windowStart: '2025-03-10T01:30:00.000Z',
    windowEnd: '2025-03-10T02:00:00.000Z',
    ...overrides,
  });
}

let sim: PrinterSimulator;
let kiosk: JourneyKiosk;
let flow: CheckInFlow;
let refreshes: number;
let onRefresh: (() => void) | null;

beforeAll(async () => {
  sim = await PrinterSimulator.start({ port: 0 });
});
afterAll(async () => {
  await sim.stop();
  tmp.remove();
});

function start(appointments: Appointment[]): void {
  kiosk = journeyKiosk({ file: tmp.file('kiosk'), sim, pull: { appointments } });
  refreshes = 0;
  onRefresh = null;
  flow = new CheckInFlow({
    store: kiosk.store,
    issuer: kiosk.issuer,
    visitorHmac: () => (kiosk.session.current() ? hmacOfCard(kiosk.session.current()?.card.idNumber ?? '') : null),
    visitorPresent: () => kiosk.session.current() !== null,
    hallNow: kiosk.hallNow,
    today: () => JOURNEY_DAY,
    refresh: async () => {
      refreshes += 1;
      onRefresh?.();
    },
  });
}

beforeEach(() => {
  sim.setFaults({ paperOut: false });
});
afterEach(async () => {
  await kiosk.close();
});

const byReference = (reference = 'HKA1-0930AB', requestId = randomUUID()) => flow.checkIn({ requestId, reference });
const byCard = (requestId = randomUUID()) => flow.checkIn({ requestId });

describe('CheckInFlow within the window', () => {
  it('offline, by the scanned reference: a ticket with appointment priority, the appointment’s HMAC and id, "预约 09:30" on screen and paper', async () => {
    const appointment = booked();
    start([appointment]);
    const result = await byReference();
    expect(result.outcome).toBe(CheckInOutcome.Ticket);
    expect(result.appointment).toMatchObject({
      reference: 'HKA1-0930AB',
      serviceName: { zh: '社保', en: 'Social insurance' },
      start: '2025-03-10T01:30:00.000Z',
      checkInFrom: '2025-03-10T01:00:00.000Z',
      checkInUntil: '2025-03-10T01:45:00.000Z',
    });
    const ticket = result.ticket;
    if (!ticket) throw new Error('no ticket');
    expect(ticket).toMatchObject({ appointmentStart: '2025-03-10T01:30:00.000Z', issuedOffline: true });
    expect(ticket.number).toMatch(/^A1-\d{3}$/);
    // Nobody swiped a card: no name on it.
    expect(ticket.holderName).toBeUndefined();
    expect(kiosk.store.getTicket(ticket.ticketId)).toMatchObject({ priority: Priority.Appointment, citizenHmac: CARD_HMAC, appointmentId: appointment.appointmentId });
    expect(kiosk.store.readOutbox(10)).toMatchObject([
      { type: SyncEventType.TicketIssued, payload: { appointmentId: appointment.appointmentId, priority: Priority.Appointment, citizenHmac: CARD_HMAC } },
    ]);
    expect(kiosk.store.findAppointment('HKA1-0930AB')).toMatchObject({ status: AppointmentStatus.CheckedIn, ticketId: ticket.ticketId });

    await kiosk.issuer.idle();
    const receipt = sim.jobs().at(-1)?.receipt;
    expect(receipt?.lines).toContain(ticket.number);
    expect(receipt?.lines).toContain('预约 09:30 / Appointment 09:30');
    expect(kiosk.store.getTicket(ticket.ticketId)?.printState).toBe(PrintState.Printed);
  });

  it('by the identified visitor’s card: the appointment matched by HMAC, the masked name on the ticket, and the card wiped', async () => {
    start([booked()]);
    kiosk.session.identify(sampleCard(CARD));
    kiosk.online.value = true;
    const result = await byCard();
    expect(result.outcome).toBe(CheckInOutcome.Ticket);
    expect(result.ticket).toMatchObject({ number: 'A001', holderName: '张*丰', appointmentStart: '2025-03-10T01:30:00.000Z' });
    expect(kiosk.store.readOutbox(10)[0]?.payload).toMatchObject({ maskedName: '张*丰', appointmentId: expect.any(String) });
    expect(kiosk.session.current()).toBeNull();
    expect(kiosk.cleared).toEqual([VisitorClearReason.TicketIssued]);
  });

  it('picks, among a card’s appointments, the one to check in now over one later today, tomorrow’s or a cancelled one', async () => {
    start([
      booked({ reference: 'HKA1-CANCEL', status: AppointmentStatus.Cancelled, windowStart: '2025-03-10T01:15:00.000Z' }),
      booked({ reference: 'HKA1-LATER1', windowStart: '2025-03-10T06:00:00.000Z', windowEnd: '2025-03-10T06:30:00.000Z' }),
      booked({ reference: 'HKA1-TOMORR', businessDay: '2025-03-11', windowStart: '2025-03-11T01:30:00.000Z' }),
      booked({ reference: 'HKA1-NOWNOW', serviceId: 'housing-fund' }),
    ]);
    kiosk.session.identify(sampleCard(CARD));
    const first = await byCard();
    expect(first).toMatchObject({ outcome: CheckInOutcome.Ticket, appointment: { reference: 'HKA1-NOWNOW', serviceId: 'housing-fund' } });
    expect(first.ticket?.number).toMatch(/^C1-/);
    // The same visitor again (the card was wiped with the ticket): the later one is not due yet.
    kiosk.session.identify(sampleCard(CARD));
    expect(await byCard()).toMatchObject({ outcome: CheckInOutcome.Early, appointment: { reference: 'HKA1-LATER1', checkInFrom: '2025-03-10T05:30:00.000Z' } });
  });

  it('puts a card’s name on the ticket only when the card is the appointment’s citizen’s, and ends the visit either way', async () => {
    start([booked({ citizenHmac: 'ee'.repeat(32) })]);
    kiosk.session.identify(sampleCard(CARD));
    const result = await byReference();
    expect(result.ticket?.holderName).toBeUndefined();
    expect(kiosk.store.getTicket(result.ticket?.ticketId ?? '')?.citizenHmac).toBe('ee'.repeat(32));
    expect(kiosk.session.current()).toBeNull();
  });

  it('is idempotent by requestId, and a second check-in answers already-checked-in with the first ticket', async () => {
    start([booked()]);
    const requestId = randomUUID();
    const first = await byReference('HKA1-0930AB', requestId);
    const retried = await byReference('HKA1-0930AB', requestId);
    // The same ticket (its print state may have moved on meanwhile).
    expect(retried.outcome).toBe(CheckInOutcome.Ticket);
    expect(retried.ticket).toMatchObject({ ticketId: first.ticket?.ticketId, number: first.ticket?.number });
    expect(retried.appointment).toEqual(first.appointment);
    const second = await byReference();
    expect(second.outcome).toBe(CheckInOutcome.AlreadyCheckedIn);
    expect(second.ticket?.ticketId).toBe(first.ticket?.ticketId);
    expect(second.ticket?.appointmentStart).toBe('2025-03-10T01:30:00.000Z');
    expect(kiosk.store.readOutbox(10)).toHaveLength(1);
  });

  it('issues one ticket when the same appointment is checked in twice at once (a double scan)', async () => {
    start([booked()]);
    const [a, b] = await Promise.all([byReference(), byReference()]);
    expect([a.outcome, b.outcome].sort()).toEqual([CheckInOutcome.AlreadyCheckedIn, CheckInOutcome.Ticket]);
    expect(a.ticket?.ticketId).toBe(b.ticket?.ticketId);
    expect(kiosk.store.readOutbox(10)).toHaveLength(1);
  });

  it('judges the window by the hall clock, not the kiosk clock alone', async () => {
    start([booked()]);
    // The kiosk clock says 09:10; the portal's says 09:50: past 09:45.
    kiosk.offsetMs.value = 40 * 60_000;
    expect((await byReference()).outcome).toBe(CheckInOutcome.Late);
    // The portal's says 08:50: before 09:00.
    kiosk.offsetMs.value = -20 * 60_000;
    expect((await byReference()).outcome).toBe(CheckInOutcome.Early);
  });
});

describe('CheckInFlow outside the window', () => {
  it('early: no ticket, the time to come back', async () => {
    start([booked({ windowStart: '2025-03-10T02:00:00.000Z', windowEnd: '2025-03-10T02:30:00.000Z' })]);
    const result = await byReference();
    expect(result).toMatchObject({ outcome: CheckInOutcome.Early, ticket: null, appointment: { checkInFrom: '2025-03-10T01:30:00.000Z' } });
    expect(kiosk.store.readOutbox(10)).toHaveLength(0);
    expect(kiosk.store.findAppointment('HKA1-0930AB')?.status).toBe(AppointmentStatus.Booked);
  });

  it('late: no ticket (the screen offers a walk-in one), the appointment stays booked', async () => {
    start([booked({ windowStart: '2025-03-10T00:30:00.000Z', windowEnd: '2025-03-10T01:00:00.000Z' })]);
    expect(await byReference()).toMatchObject({ outcome: CheckInOutcome.Late, ticket: null, appointment: { checkInUntil: '2025-03-10T00:45:00.000Z' } });
    expect(kiosk.store.readOutbox(10)).toHaveLength(0);
  });

  it('another day, cancelled, checked in at another kiosk, held, unknown', async () => {
    start([
      booked({ reference: 'HKA1-TOMORR', businessDay: '2025-03-11', windowStart: '2025-03-11T01:30:00.000Z' }),
      booked({ reference: 'HKA1-CANCEL', status: AppointmentStatus.Cancelled }),
      booked({ reference: 'HKA1-ELSEWH', status: AppointmentStatus.CheckedIn }),
      booked({ reference: 'HKA1-HELD01', status: AppointmentStatus.Held }),
    ]);
    expect((await byReference('HKA1-TOMORR')).outcome).toBe(CheckInOutcome.OtherDay);
    expect((await byReference('HKA1-CANCEL')).outcome).toBe(CheckInOutcome.Cancelled);
    expect(await byReference('HKA1-ELSEWH')).toMatchObject({ outcome: CheckInOutcome.AlreadyCheckedIn, ticket: null });
    expect(await byReference('HKA1-HELD01')).toEqual({ outcome: CheckInOutcome.NotFound, ticket: null, appointment: null });
    expect(await byReference('HKA1-NOSUCH')).toEqual({ outcome: CheckInOutcome.NotFound, ticket: null, appointment: null });
    expect(kiosk.store.readOutbox(10)).toHaveLength(0);
  });

  it('by a card with nothing booked: not found; without a card or a reference: a coded error', async () => {
    start([booked({ citizenHmac: 'ee'.repeat(32) })]);
    kiosk.session.identify(sampleCard(CARD));
    expect((await byCard()).outcome).toBe(CheckInOutcome.NotFound);
    kiosk.session.end(VisitorClearReason.Ended);
    await expect(byCard()).rejects.toMatchObject({ code: KioskErrorCode.BadRequest });
    await expect(byCard()).rejects.toBeInstanceOf(KioskError);
  });

  it('looks once more after a pull when the reference was booked moments ago', async () => {
    start([]);
    onRefresh = () => kiosk.store.applyPull(testPull({ cursor: 'v2', catalog: null, appointments: [booked()] }));
    const result = await byReference();
    expect(refreshes).toBe(1);
    expect(result.outcome).toBe(CheckInOutcome.Ticket);
  });
});

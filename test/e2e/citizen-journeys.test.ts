/**
 * Issue 9's "Must show", end to end across real processes in Debian's Chromium: a portal process
 * on PostgreSQL, the kiosk runtime with its browser shell, the ID card reader, QR scanner and
 * printer simulators (the kiosk reads them through its real drivers), a phone-sized page.
 *
 * 1. Two bookings for today: citizen A on the citizen page (reference and QR read from it),
 *    citizen B — the simulator's sample card — through the citizen API. The kiosk caches both.
 * 2. Before the outage a visitor is served (to be rated later) and a walk-in ticket waits.
 * 3. Portal killed (SIGKILL): A checks in by scanning the booking QR, B by swiping the card, from
 *    the kiosk's cache; each gets an appointment ticket, "预约 HH:MM" on screen and on the receipt.
 *    The served visitor rates their ticket by its receipt QR: queued offline.
 * 4. Portal back: each ticket reaches the portal once, each appointment is arrived once, the rating
 *    is there once, and the clerk's call-next takes both appointments before the earlier walk-in.
 * 5. B's case, opened when the clerk completed B's ticket, updated by the clerk: the kiosk shows it.
 * 6. The case concluded with an e-certificate: the slip printed at the kiosk verifies there, the
 *    same code with one character changed does not.
 * 7. A later push (another ticket) changes none of it.
 * Every wait is on a condition. Needs `npm run build:renderer` and `npm run build:web`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookingConfirmation, HoldResponse, SlotsResponse, type SlotView } from '../../common/contract/booking-api.js';
import { CaseResponse, CaseStatus, CertificateVerdict } from '../../common/contract/cases-api.js';
import { CallNextResponse, CounterResponse, TicketTransitionResponse } from '../../common/contract/counter-api.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { Priority } from '../../common/domain/priority.js';
import { sampleCard, SampleCardName } from '../../devices/id-card/simulator/sample-cards.js';
import type { DeviceSimulators } from '../../devices/device-simulators.js';
import { addStaffKey } from '../../portal/counter/counter-test-kit.js';
import { withTransaction } from '../../portal/db/transaction.js';
import { pagesConfigFromEnv } from '../../portal/pages/pages-config.js';
import { catalogVersion, emitCatalogChanged, writeHallSettings, writeServiceConfig } from '../../portal/queue/service-config.js';
import { DEMO_HALL_ID } from '../../portal/seed/demo-hall.js';
import { DEMO_SERVICE_CONFIG } from '../../portal/seed/demo-guides.js';
import { ID_NUMBER } from '../../portal/test-support/portal-harness.js';
import { callPortal, type PortalCall } from './support/portal-api.js';
import { CHROMIUM_ARGS, CHROMIUM_EXECUTABLE, startKioskStack, takeTicketOnScreen, until, type KioskStack } from './support/kiosk-stack.js';

const KIOSK_TOKEN = 'e2e-citizen-journeys-kiosk-token';
const STAFF_TOKEN = 'e2e-citizen-journeys-staff-token';
const MANAGER_TOKEN = 'e2e-citizen-journeys-manager-token';
const SERVICE = 'social-insurance';
/** 1 号窗口 serves social insurance only. */
const COUNTER = 'window-1';
const CASE_NUMBER = 'SB-E2E-0901';
const CARD_B = SampleCardName.Mainland;
const ALL_DAY = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ opens: '00:00', closes: '24:00' }]]));
/** UTC+3 all year; see arrangeBookableNow for when and why. */
const FALLBACK_ZONE = 'Europe/Moscow';

let stack: KioskStack;
let devices: DeviceSimulators;
let pool: pg.Pool;
let kioskDb: Database.Database;
let browser: Browser;
let kiosk: Page;
let slot: SlotView;
let referenceA = '';
let referenceB = '';
interface Issued {
  ticketId: string;
  number: string;
}
/** Tickets by role: the served one to rate, the earlier walk-in, the appointments of A and B. */
const tickets = {} as Record<'rated' | 'walkIn' | 'a' | 'b', Issued>;

const portal = <S extends z.ZodType>(schema: S, method: 'GET' | 'POST', route: string, call?: PortalCall) => callPortal(stack.portalUrl, schema, method, route, call);
const staff = <S extends z.ZodType>(schema: S, route: string, body: unknown = {}, token = STAFF_TOKEN) => portal(schema, 'POST', route, { token, body });
const callNext = async () => (await staff(CallNextResponse, '/v1/counter/call-next', { counterId: COUNTER, serviceIds: [] })).ticket;
const complete = (ticketId: string, caseNumber: string | null = null) => staff(TicketTransitionResponse, `/v1/counter/tickets/${ticketId}/complete`, { caseNumber });
const slotsNow = () => portal(SlotsResponse, 'GET', `/v1/citizen/halls/${DEMO_HALL_ID}/services/${SERVICE}/slots`);
const sql = async <T>(text: string, values: unknown[]): Promise<T[]> => (await pool.query(text, values)).rows as T[];
/** Asks the kiosk core directly, as its screen does over the bridge. */
const core = async <S extends z.ZodType>(method: string, schema: S): Promise<z.infer<S>> => {
  const answer = await stack.runtime.dispatch(method, {});
  if (!answer.ok) throw new Error(answer.error.message);
  return schema.parse(answer.response);
};
const status = async () => (await core('getStatus', z.object({ connectivity: z.object({ backlog: z.number(), quarantined: z.number() }) }))).connectivity;

/**
 * Time is the one thing this test arranges: the demo service books from tomorrow on weekdays and
 * CI runs at any hour, so the service is opened 00:00–24:00 every day with an empty calendar and
 * 5-minute slots bookable from today, and the test books the first slot starting two minutes from
 * now or later: now lies inside its check-in window (30 min before … 15 after the start).
 * Slots are cut from each calendar day's hours, while the hall's business day starts at 03:00:
 * from 23:53 to 03:00 Shanghai time the first slot would fall on another business day than the
 * kiosk's. Then (only then) the hall runs on UTC+3, where it is 18:53–22:00 of the same business
 * day, so the portal's restart (which reseeds Asia/Shanghai) leaves every day as it was.
 * Returns the slot, and the zone when it was changed.
 */
async function arrangeBookableNow(): Promise<{ slot: SlotView; zone: string | null }> {
  let today: string | null = null;
  for (const zone of [null, FALLBACK_ZONE]) {
    await withTransaction(pool, async (client) => {
      const before = await catalogVersion(client, DEMO_HALL_ID);
      if (zone !== null) await client.query('UPDATE halls SET time_zone = $2 WHERE hall_id = $1', [DEMO_HALL_ID, zone]);
      const booking = { slotMinutes: 5, capacity: 4, minDaysAhead: 0, maxDaysAhead: 1 };
      await writeServiceConfig(client, DEMO_HALL_ID, SERVICE, { hours: ALL_DAY, guide: DEMO_SERVICE_CONFIG[SERVICE]?.guide ?? null, booking });
      await writeHallSettings(client, DEMO_HALL_ID, { calendar: [], checkInWindow: { beforeMinutes: 30, afterMinutes: 15 }, rectificationDays: 5 });
      await emitCatalogChanged(client, DEMO_HALL_ID, before);
    });
    const listed = await slotsNow();
    today ??= listed.firstDay;
    const first = listed.slots.find((s) => Date.parse(s.start) >= Date.now() + 120_000);
    if (first && first.day === listed.firstDay && listed.firstDay === today) return { slot: first, zone };
  }
  throw new Error('no slot of today starts within minutes in either zone');
}

/** The HK1 QR printed on the receipt of `number`, with the ticket's id. */
function printedTicket(number: string): { ticketId: string; number: string; qr: string; text: string } | undefined {
  for (const job of stack.sim.jobs()) {
    const qr = job.receipt.qrCodes.find((code) => code.endsWith(`:${number}`) && code.startsWith('HK1:'));
    if (qr) return { ticketId: qr.split(':')[1] ?? '', number, qr, text: job.receipt.text };
  }
  return undefined;
}

/** A walk-in ticket taken on the kiosk screen, printed; the visitor goes back home. */
async function walkIn(): Promise<{ ticketId: string; number: string; qr: string }> {
  const number = await takeTicketOnScreen(kiosk, SERVICE);
  await kiosk.getByTestId('done-button').click();
  await kiosk.getByTestId('home-screen').waitFor();
  return until(`the receipt of ${number}`, async () => printedTicket(number));
}

/** The check-in ticket on screen: appointment badge with the slot's start, printed with it too. */
async function appointmentTicket(): Promise<{ ticketId: string; number: string }> {
  await kiosk.getByTestId('ticket-appointment').waitFor({ timeout: 15_000 });
  expect((await kiosk.getByTestId('ticket-appointment').innerText()).trim()).toBe(`预约 ${slot.opens}`);
  await kiosk.getByTestId('issued-offline').waitFor();
  await kiosk.locator('[data-testid="print-state"][data-state="printed"]').waitFor({ timeout: 15_000 });
  const number = (await kiosk.getByTestId('ticket-number').innerText()).trim();
  const receipt = await until(`the receipt of ${number}`, async () => printedTicket(number));
  expect(receipt.text).toContain(`预约 ${slot.opens}`);
  await kiosk.getByTestId('done-button').click();
  await kiosk.getByTestId('home-screen').waitFor();
  return { ticketId: receipt.ticketId, number };
}

const ticketRows = (ticketId: string) => sql<{ status: string; received_at: Date }>('SELECT status, received_at FROM tickets WHERE hall_id = $1 AND ticket_id = $2', [DEMO_HALL_ID, ticketId]);
const atPortal = (ticketId: string) => until(`ticket ${ticketId} at the portal`, async () => (await ticketRows(ticketId))[0]);
const ratingsOf = (ticketId: string) => sql<{ rating_id: string; channel: string; overall: string }>('SELECT rating_id, channel, overall FROM ratings WHERE hall_id = $1 AND ticket_id = $2', [DEMO_HALL_ID, ticketId]);
const appointmentRows = () =>
  sql<{ reference: string; status: string; ticket_id: string | null; arrived_at: Date | null; received_at: Date | null }>(
    `SELECT a.reference, a.status, a.ticket_id, a.arrived_at, t.received_at FROM appointments a
     LEFT JOIN tickets t ON t.hall_id = a.hall_id AND t.ticket_id = a.ticket_id
     WHERE a.hall_id = $1 ORDER BY a.appointment_id`,
    [DEMO_HALL_ID],
  );

beforeAll(async () => {
  if (!existsSync(path.join(pagesConfigFromEnv(process.env).webDir, 'citizen', 'index.html'))) {
    throw new Error('portal/web/dist is missing: run `npm run build:web` first');
  }
  stack = await startKioskStack({ kioskToken: KIOSK_TOKEN, staffToken: STAFF_TOKEN, devices: true });
  if (!stack.devices) throw new Error('no device simulators');
  devices = stack.devices;
  pool = new pg.Pool({ connectionString: stack.pg.url, max: 2 });
  await addStaffKey(pool, DEMO_HALL_ID, 'e2e-manager', StaffRole.Manager, MANAGER_TOKEN);
  kioskDb = new Database(path.join(stack.kioskDataDir, 'kiosk.db'), { readonly: true, fileMustExist: true });
  browser = await chromium.launch({ executablePath: CHROMIUM_EXECUTABLE, args: CHROMIUM_ARGS });
  kiosk = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await kiosk.goto(stack.host.newLaunchUrl());
  await kiosk.getByTestId('service-social-insurance').waitFor();
  // The clerk's machine client signs in at 1 号窗口 with its staff API key.
  await staff(CounterResponse, `/v1/counter/counters/${COUNTER}/sign-in`);
});

afterAll(async () => {
  kioskDb?.close();
  await browser?.close();
  await pool?.end();
  await stack?.close();
});

describe('一网通办 end to end: book online, check in offline, be served first', () => {
  it('books two appointments for today: A on the citizen page (phone), B through the citizen API; the kiosk caches both', async () => {
    const arranged = await arrangeBookableNow();
    slot = arranged.slot;
    if (arranged.zone !== null) {
      // The kiosk screen reads the hall's settings once, when it starts: once the kiosk core has
      // pulled the new zone, the screen is started again, as after any change of the hall's setup.
      const zoneOf = z.object({ hall: z.object({ timeZone: z.string() }) });
      await until('the kiosk on the new zone', async () => ((await core('listServices', zoneOf)).hall.timeZone === arranged.zone ? true : undefined));
      await kiosk.reload();
      await kiosk.getByTestId('service-social-insurance').waitFor();
    }
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
    const page = await phone.newPage();
    await page.goto(`${stack.portalUrl}/citizen/book?hall=${DEMO_HALL_ID}&service=${SERVICE}`);
    await page.getByTestId(`day-${slot.day}`).click();
    await page.getByTestId(`slot-${slot.opens}`).click();
    await page.getByTestId('id-number').fill(ID_NUMBER);
    await page.getByTestId('hold').click();
    await page.getByTestId('held').waitFor();
    await page.getByTestId('confirm').click();
    await page.getByTestId('confirmation').waitFor();
    referenceA = (await page.getByTestId('reference').innerText()).trim();
    expect(await page.getByTestId('booking-qr').getAttribute('data-payload')).toBe(referenceA);
    expect(await page.getByTestId('booked-time').innerText()).toBe(`${slot.opens}–${slot.closes}`);
    await phone.close();

    const held = await portal(HoldResponse, 'POST', '/v1/citizen/bookings/hold', {
      body: { hallId: DEMO_HALL_ID, serviceId: SERVICE, slotStart: slot.start, idNumber: sampleCard(CARD_B).idNumber },
    });
    const confirmed = await portal(BookingConfirmation, 'POST', `/v1/citizen/bookings/${held.holdId}/confirm`);
    referenceB = confirmed.reference;
    expect(Date.parse(confirmed.checkInFrom)).toBeLessThanOrEqual(Date.now());

    // The kiosk hears of the bookings on its live channel and pulls them into its SQLite cache.
    const cached = kioskDb.prepare<[string, string], { reference: string; status: string }>(
      'SELECT reference, status FROM appointments WHERE reference IN (?, ?) ORDER BY reference',
    );
    const both = await until('both bookings in the kiosk cache', async () => {
      const rows = cached.all(referenceA, referenceB);
      return rows.length === 2 ? rows : undefined;
    });
    expect(both.map((r) => r.status)).toEqual(['booked', 'booked']);
  });

  it('before the outage: a visitor is served (to be rated later), then a walk-in ticket waits', async () => {
    tickets.rated = await walkIn();
    await atPortal(tickets.rated.ticketId);
    const called = await callNext();
    expect(called?.ticketId).toBe(tickets.rated.ticketId);
    await complete(tickets.rated.ticketId);

    tickets.walkIn = await walkIn();
    expect((await atPortal(tickets.walkIn.ticketId)).status).toBe('waiting');
  });

  it('portal stopped: A checks in by the booking QR, B by the ID card — 预约 HH:MM on screen and paper; a rating is queued offline', async () => {
    await stack.killPortal();
    await devices.scanner.scan(referenceA);
    tickets.a = await appointmentTicket();
    // Its push failed: the kiosk says it is offline (the rating screen below says so too).
    await kiosk.getByTestId('offline-notice').waitFor({ timeout: 60_000 });

    devices.reader.placeCard(CARD_B);
    await kiosk.getByTestId('visitor-panel').waitFor({ timeout: 15_000 });
    await kiosk.getByTestId('journey-check-in').click();
    tickets.b = await appointmentTicket();
    devices.reader.removeCard();
    expect(new Set([tickets.a.number, tickets.b.number, tickets.walkIn.number]).size).toBe(3);

    // The served visitor scans the QR on their receipt: that ticket's rating form, straight away.
    await devices.scanner.scan(printedTicket(tickets.rated.number)?.qr ?? '');
    await kiosk.locator(`[data-testid="rating-form"][data-ticket="${tickets.rated.number}"]`).waitFor({ timeout: 15_000 });
    await kiosk.getByTestId('rating-overall-very-satisfied').click();
    await kiosk.getByTestId('rating-submit').click();
    await kiosk.locator('[data-testid="rating-thanks"][data-queued="true"]').waitFor();
    await kiosk.getByTestId('rating-queued-offline').waitFor();
    await kiosk.getByTestId('journey-home').click();
  });

  it('portal back: each ticket pushed once, each appointment arrived once, the rating applied once; appointments served first among equals', async () => {
    await stack.restartPortal();
    const pushed = await until('the kiosk’s backlog pushed', async () => {
      const now = await status();
      return now.backlog === 0 && (await ratingsOf(tickets.rated.ticketId)).length > 0 ? now : undefined;
    }, 120_000);
    expect(pushed.quarantined).toBe(0);

    const appointmentTickets = await sql<{ number: string; n: number }>(
      `SELECT number, count(*)::int AS n FROM tickets WHERE hall_id = $1 AND priority = 'appointment' GROUP BY number ORDER BY number`,
      [DEMO_HALL_ID],
    );
    expect(appointmentTickets).toEqual([tickets.a.number, tickets.b.number].sort().map((number) => ({ number, n: 1 })));
    const arrived = await appointmentRows();
    expect(Object.fromEntries(arrived.map((r) => [r.reference, [r.status, r.ticket_id]]))).toEqual({
      [referenceA]: ['checked-in', tickets.a.ticketId],
      [referenceB]: ['checked-in', tickets.b.ticketId],
    });
    // Arrived when its ticket was received, once: the time of that one push.
    for (const row of arrived) expect(row.arrived_at?.getTime()).toBe(row.received_at?.getTime());
    expect(await ratingsOf(tickets.rated.ticketId)).toEqual([expect.objectContaining({ channel: 'kiosk', overall: 'very-satisfied' })]);

    // The walk-in waited longer, yet both appointments come first; B's visit opens a case.
    const served: string[] = [];
    for (let i = 0; i < 3; i++) {
      const next = await callNext();
      if (!next) throw new Error('nobody waiting');
      served.push(next.ticketId);
      if (i < 2) expect(next.priority).toBe(Priority.Appointment);
      await complete(next.ticketId, next.ticketId === tickets.b.ticketId ? CASE_NUMBER : null);
    }
    expect(served.slice(0, 2).sort()).toEqual([tickets.a.ticketId, tickets.b.ticketId].sort());
    expect(served[2]).toBe(tickets.walkIn.ticketId);
  });

  it('a case updated by a clerk shows its new status when B swipes the card at 办件进度', async () => {
    const updated = await staff(CaseResponse, `/v1/cases/${CASE_NUMBER}/status`, { status: CaseStatus.Processing, note: '材料齐全，已送审' });
    expect(updated.case.status).toBe(CaseStatus.Processing);

    devices.reader.placeCard(CARD_B);
    await kiosk.getByTestId('visitor-panel').waitFor({ timeout: 15_000 });
    await kiosk.getByTestId('journey-progress').click();
    const card = kiosk.locator(`[data-testid="case-${CASE_NUMBER}"]`);
    await card.and(kiosk.locator(`[data-status="${CaseStatus.Processing}"]`)).waitFor({ timeout: 15_000 });
    expect(await card.getByTestId('case-timeline').innerText()).toContain('材料齐全，已送审');
    expect(await kiosk.getByTestId('progress-cache').count()).toBe(0);
  });

  it('a certificate slip printed at the kiosk verifies there; one character changed, it is refused', async () => {
    await staff(CaseResponse, `/v1/cases/${CASE_NUMBER}/status`, { status: CaseStatus.Concluded, certificateTitle: { zh: '社保参保证明', en: 'Social insurance certificate' } }, MANAGER_TOKEN);
    // B, still at the kiosk, looks again: the case concluded, with its certificate.
    await kiosk.getByTestId('journey-home').click();
    await kiosk.getByTestId('journey-progress').click();
    await kiosk.locator(`[data-testid="case-${CASE_NUMBER}"][data-status="${CaseStatus.Concluded}"]`).waitFor({ timeout: 15_000 });
    const jobsBefore = stack.sim.jobs().length;
    await kiosk.getByTestId(`case-print-slip-${CASE_NUMBER}`).click();
    await kiosk.locator('[data-testid="case-slip-result"][data-phase="printed"]').waitFor({ timeout: 15_000 });
    const code = await until('the slip’s QR', async () => stack.sim.jobs().slice(jobsBefore).flatMap((j) => j.receipt.qrCodes).find((q) => q.startsWith('HKC1.')));
    await kiosk.getByTestId('journey-visitor-done').click();
    devices.reader.removeCard();

    await devices.scanner.scan(code);
    const verdict = kiosk.getByTestId('verify-result');
    await verdict.and(kiosk.locator(`[data-verdict="${CertificateVerdict.Valid}"]`)).waitFor({ timeout: 15_000 });
    expect(await kiosk.getByTestId('verify-case').innerText()).toBe(CASE_NUMBER);

    // One character of the signature changed: forged or altered.
    const signatureAt = code.lastIndexOf('.') + 10;
    const tampered = `${code.slice(0, signatureAt)}${code[signatureAt] === 'A' ? 'B' : 'A'}${code.slice(signatureAt + 1)}`;
    await devices.scanner.scan(tampered);
    await verdict.and(kiosk.locator(`[data-verdict="${CertificateVerdict.BadSignature}"]`)).waitFor({ timeout: 15_000 });
    expect(await kiosk.getByTestId('verify-case').count()).toBe(0);
    await kiosk.getByTestId('journey-home').click();
  });

  it('a later push from the kiosk leaves one rating and one arrival each', async () => {
    const before = { ratings: await ratingsOf(tickets.rated.ticketId), appointments: await appointmentRows() };
    const later = await walkIn();
    await atPortal(later.ticketId);
    await until('the later push', async () => ((await status()).backlog === 0 ? true : undefined));
    expect(await ratingsOf(tickets.rated.ticketId)).toEqual(before.ratings);
    expect(await appointmentRows()).toEqual(before.appointments);
  });
});

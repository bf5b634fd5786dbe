import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CaseResponse,
  CaseStatus,
  CasesResponse,
  CertificateVerdict,
  VerifyCertificateResponse,
  type CaseView,
  type CertificatePayload,
  type StaffCase,
} from '../../common/contract/cases-api.js';
import { CallNextResponse, TicketStatus } from '../../common/contract/counter-api.js';
import { ServiceChannel, type ServiceGuide } from '../../common/contract/guide.js';
import { StaffRole } from '../../common/contract/route-spec.js';
import { KioskCasesResponse, PullResponse, PushResponse } from '../../common/contract/sync-api.js';
import { decodeBase64Url, encodeBase64Url, encodeUtf8 } from '../../common/domain/base64url.js';
import { canonicalJson, certificatePayloadBytes, formatCertificateCode } from '../../common/domain/certificate-code.js';
import { CalendarDayKind } from '../../common/domain/hall-calendar.js';
import { verifyCertificateCode } from '../../common/node/certificate-verify.js';
import { citizenHmacOf } from '../citizen/citizen-hmac.js';
import { addStaffKey, auditLines } from '../counter/counter-test-kit.js';
import { buildPortalApp } from '../http/build-portal-app.js';
import { createPortalLogger } from '../http/portal-logger.js';
import { purgePersonalData } from '../retention/purge-personal-data.js';
import { seedDemoHall } from '../seed/demo-hall.js';
import {
  DEMO_HALL_ID,
  ID_NUMBER,
  ID_NUMBER_2,
  KIOSK_TOKEN,
  STAFF_TOKEN,
  startPortalHarness,
  ticketIssuedEvent,
  type HttpAnswer,
  type PortalHarness,
} from '../test-support/portal-harness.js';
import { CertificateKek } from './key-sealing.js';

/**
 * Cases and e-certificates on a real PostgreSQL, over HTTP: a case opens when the counter
 * completes a ticket with a case number (once, atomically), moves along CASE_TRANSITIONS with its
 * timeline and audit lines, is found by the citizen (case number + ID number) and by the kiosk
 * (HMAC) in its own hall only; a concluded case's certificate verifies, and every kind of forgery
 * gets its own verdict. Hall B is the demo hall again under another id.
 */

let h: PortalHarness;
const HALL_B = 'hall-b';
const HALL_B_KIOSK = 'hall-b-kiosk-token';
const HALL_B_STAFF = 'hall-b-staff-token';
const MANAGER = 'cases-test-manager-key';
let hmacA = '';
const logLines: string[] = [];
let hmacB = '';

const GUIDE: ServiceGuide = {
  conditions: [],
  materials: [],
  fees: { zh: '不收费', en: 'Free of charge' },
  legalTimeLimitDays: 20,
  promisedTimeLimitDays: 5,
  location: { zh: '一楼 A 区', en: 'Ground floor, area A' },
  channel: ServiceChannel.InHall,
};
const TITLE = { zh: '社保参保证明', en: 'Social insurance enrolment certificate' };

beforeAll(async () => {
  // Lookups per address are limited (citizen-lookup-limits.test.ts): not the subject here.
  // Every request logged (debug): the ID number must not be in any line.
  h = await startPortalHarness({
    limits: { caseLookupsPerWindow: 1_000 },
    logger: createPortalLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } }),
  });
  await seedDemoHall(h.db.pool, {
    hallId: HALL_B,
    kioskTokens: [{ kioskId: 'kiosk-1', token: HALL_B_KIOSK, kioskDigit: 1 }],
    staffToken: HALL_B_STAFF,
    staffId: 'clerk-b',
  });
  await addStaffKey(h.db.pool, DEMO_HALL_ID, 'boss', StaffRole.Manager, MANAGER);
  // The guide promises 5 working days; Wednesday 2025-03-12 is a holiday in hall A.
  await h.db.pool.query(`UPDATE services SET guide = $1 WHERE service_id = 'social-insurance'`, [JSON.stringify(GUIDE)]);
  await h.db.pool.query(`UPDATE halls SET calendar = $1 WHERE hall_id = $2`, [
    JSON.stringify([{ day: '2025-03-12', kind: CalendarDayKind.Holiday, note: '测试假日' }]),
    DEMO_HALL_ID,
  ]);
  const keys = await h.db.pool.query<{ hall_id: string; citizen_hmac_key: string }>('SELECT hall_id, citizen_hmac_key FROM halls');
  const keyOf = (hall: string): string => keys.rows.find((r) => r.hall_id === hall)?.citizen_hmac_key ?? '';
  hmacA = citizenHmacOf(keyOf(DEMO_HALL_ID), ID_NUMBER);
  hmacB = citizenHmacOf(keyOf(HALL_B), ID_NUMBER);
});

afterAll(async () => {
  await h.close();
});

let series = 100;

function api(token: string | null, method: 'GET' | 'POST', path: string, body?: unknown): Promise<HttpAnswer> {
  return h.request(method, path, { token, ...(body === undefined ? {} : { body }) });
}

/** A visitor's ticket pushed by the hall's kiosk, called at window-1 and served: its id. */
async function ticketAtCounter(hall: { kiosk: string; staff: string }, visitor: { citizenHmac: string | null; maskedName?: string }): Promise<string> {
  const event = ticketIssuedEvent(1, { number: `A1-${series++}`, ...visitor });
  const pushed = await api(hall.kiosk, 'POST', '/v1/kiosk/events', { dbEpoch: randomUUID(), events: [event] });
  expect(PushResponse.parse(pushed.body).rejected).toEqual([]);
  expect((await api(hall.staff, 'POST', '/v1/counter/counters/window-1/sign-in', {})).status).toBe(200);
  const called = CallNextResponse.parse((await api(hall.staff, 'POST', '/v1/counter/call-next', { counterId: 'window-1', serviceIds: [] })).body);
  expect(called.ticket?.ticketId).toBe(event.payload.ticketId);
  return event.payload.ticketId;
}

const HALL_A = { kiosk: KIOSK_TOKEN, staff: STAFF_TOKEN };
const HALL_B_CALLERS = { kiosk: HALL_B_KIOSK, staff: HALL_B_STAFF };

/** Serves a visitor and completes the ticket with `caseNumber`: the completion's answer and the ticket id. */
async function completeWithCase(
  caseNumber: string,
  visitor: { citizenHmac: string | null; maskedName?: string } = { citizenHmac: hmacA, maskedName: '张*丰' },
  hall = HALL_A,
): Promise<{ ticketId: string; answer: HttpAnswer }> {
  const ticketId = await ticketAtCounter(hall, visitor);
  const answer = await api(hall.staff, 'POST', `/v1/counter/tickets/${ticketId}/complete`, { caseNumber });
  return { ticketId, answer };
}

/** The case as staff see it: one case (getCase), and in the list with its ticket and opener (listCases). */
async function staffCase(caseNumber: string, token = STAFF_TOKEN): Promise<StaffCase> {
  const answer = await api(token, 'GET', `/v1/cases/${caseNumber}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const one = CaseResponse.parse(answer.body).case;
  const listed = CasesResponse.parse((await api(token, 'GET', '/v1/cases')).body).cases.find((c) => c.caseNumber === caseNumber);
  expect(listed).toEqual({ ...one, ticketId: expect.any(String) as unknown, openedBy: expect.any(String) as unknown });
  return listed as StaffCase;
}

function move(caseNumber: string, body: Record<string, unknown>, token = STAFF_TOKEN): Promise<HttpAnswer> {
  return api(token, 'POST', `/v1/cases/${caseNumber}/status`, body);
}

async function moved(caseNumber: string, body: Record<string, unknown>, token = STAFF_TOKEN): Promise<CaseView> {
  const answer = await move(caseNumber, body, token);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return CaseResponse.parse(answer.body).case;
}

async function verify(code: string): Promise<{ verdict: CertificateVerdict; certificate: CertificatePayload | null }> {
  const answer = await api(null, 'POST', '/v1/public/certificates/verify', { code });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return VerifyCertificateResponse.parse(answer.body);
}

describe('a case opens when the counter completes a ticket with a case number', () => {
  it('opens accepted, from the ticket (service, citizen HMAC, masked name), due after 5 working days over the holiday, audited', async () => {
    const { ticketId, answer } = await completeWithCase('SB-2025-0001');
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const opened = await staffCase('SB-2025-0001');
    expect(opened).toMatchObject({
      caseNumber: 'SB-2025-0001',
      serviceId: 'social-insurance',
      serviceName: { zh: '社会保障', en: 'Social Insurance' },
      status: CaseStatus.Accepted,
      // Mon 10th + 5 working days, Wed 12th a holiday: Tue, Thu, Fri, Mon, Tue 18th.
      dueDay: '2025-03-18',
      certificate: null,
      ticketId,
      openedBy: 'demo-staff',
    });
    expect(opened.timeline).toEqual([{ status: CaseStatus.Accepted, at: expect.any(String) as unknown, note: null }]);
    const row = await h.db.pool.query('SELECT citizen_hmac, masked_name, accepted_day::text AS accepted_day FROM cases WHERE case_number = $1', ['SB-2025-0001']);
    expect(row.rows[0]).toEqual({ citizen_hmac: hmacA, masked_name: '张*丰', accepted_day: '2025-03-10' });
    // Opened at the completion's instant, in the same transaction.
    const ticket = await h.db.pool.query<{ finished_at: Date }>('SELECT finished_at FROM tickets WHERE ticket_id = $1', [ticketId]);
    expect(opened.timeline[0]?.at).toBe(ticket.rows[0]?.finished_at.toISOString());
    expect((await auditLines(h.db.pool, DEMO_HALL_ID, 'SB-2025-0001')).map((l) => [l.action, l.outcome, l.detail.ticketId])).toEqual([
      ['case.open', 'ok', ticketId],
    ]);
  });

  it('opens only once: a case number the hall already has refuses the completion (409), which then does not happen at all', async () => {
    await completeWithCase('SB-2025-0002');
    const { ticketId, answer } = await completeWithCase('SB-2025-0002', { citizenHmac: null });
    expect(answer).toEqual({ status: 409, body: { code: 'duplicate-case-number', message: expect.stringContaining('SB-2025-0002') as unknown } });
    // The ticket is still in the clerk's hands, no segment closed, no case changed.
    const ticket = await h.db.pool.query('SELECT status, case_number, finished_at FROM tickets WHERE ticket_id = $1', [ticketId]);
    expect(ticket.rows[0]).toEqual({ status: TicketStatus.Called, case_number: null, finished_at: null });
    const segments = await h.db.pool.query('SELECT state, ended_at FROM ticket_segments WHERE ticket_id = $1 ORDER BY seq', [ticketId]);
    expect(segments.rows.map((s: { state: string; ended_at: Date | null }) => [s.state, s.ended_at === null])).toEqual([
      ['waiting', false],
      ['called', true],
    ]);
    expect((await staffCase('SB-2025-0002')).ticketId).not.toBe(ticketId);
    expect((await auditLines(h.db.pool, DEMO_HALL_ID, ticketId)).map((l) => [l.action, l.outcome, l.detail.code])).toEqual([
      ['ticket.call', 'ok', undefined],
      ['ticket.complete', 'refused', 'duplicate-case-number'],
    ]);
    // Another number, and the same ticket completes, opening its own case.
    expect((await api(STAFF_TOKEN, 'POST', `/v1/counter/tickets/${ticketId}/complete`, { caseNumber: 'SB-2025-0003' })).status).toBe(200);
    expect((await staffCase('SB-2025-0003')).ticketId).toBe(ticketId);
    // Done is final: the ticket cannot complete (and open a case) again.
    expect((await api(STAFF_TOKEN, 'POST', `/v1/counter/tickets/${ticketId}/complete`, { caseNumber: 'SB-2025-0004' })).status).toBe(409);
    expect((await api(STAFF_TOKEN, 'GET', '/v1/cases/SB-2025-0004')).status).toBe(404);
  });

  it('two completions racing for one case number: one opens the case, the other is refused and stays in the clerk’s hands', async () => {
    const ids: string[] = [];
    for (const counterId of ['window-1', 'window-2']) {
      const event = ticketIssuedEvent(1, { number: `A1-${series++}`, citizenHmac: hmacA });
      expect(PushResponse.parse((await api(KIOSK_TOKEN, 'POST', '/v1/kiosk/events', { dbEpoch: randomUUID(), events: [event] })).body).rejected).toEqual([]);
      expect((await api(STAFF_TOKEN, 'POST', `/v1/counter/counters/${counterId}/sign-in`, {})).status).toBe(200);
      const called = CallNextResponse.parse((await api(STAFF_TOKEN, 'POST', '/v1/counter/call-next', { counterId, serviceIds: [] })).body);
      ids.push(called.ticket?.ticketId ?? '');
    }
    const answers = await Promise.all(ids.map((id) => api(STAFF_TOKEN, 'POST', `/v1/counter/tickets/${id}/complete`, { caseNumber: 'RACE-1' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const winner = ids[answers.findIndex((a) => a.status === 200)];
    const loser = ids[answers.findIndex((a) => a.status === 409)] ?? '';
    expect((await staffCase('RACE-1')).ticketId).toBe(winner);
    const left = await h.db.pool.query('SELECT status FROM tickets WHERE ticket_id = $1', [loser]);
    expect(left.rows[0]).toEqual({ status: TicketStatus.Called });
    expect((await api(STAFF_TOKEN, 'POST', `/v1/counter/tickets/${loser}/complete`, {})).status).toBe(200);
    expect((await api(STAFF_TOKEN, 'POST', '/v1/counter/counters/window-2/sign-out')).status).toBe(200);
  });

  it('opens nothing for a completion without a case number', async () => {
    const ticketId = await ticketAtCounter(HALL_A, { citizenHmac: hmacA });
    expect((await api(STAFF_TOKEN, 'POST', `/v1/counter/tickets/${ticketId}/complete`, {})).status).toBe(200);
    expect((await h.db.pool.query('SELECT 1 FROM cases WHERE ticket_id = $1', [ticketId])).rows).toEqual([]);
  });
});

describe('a case moves along its timeline (clerk and above)', () => {
  it('accepted -> processing -> concluded -> ready-for-pickup -> picked-up, each with its time, note and audit line', async () => {
    await completeWithCase('SB-2025-0100');
    await moved('SB-2025-0100', { status: CaseStatus.Processing, note: '材料齐全，已送审' });
    await moved('SB-2025-0100', { status: CaseStatus.Concluded }, MANAGER);
    await moved('SB-2025-0100', { status: CaseStatus.ReadyForPickup, note: '请到 3 号窗口取件' });
    const done = await moved('SB-2025-0100', { status: CaseStatus.PickedUp });
    expect(done.status).toBe(CaseStatus.PickedUp);
    expect(done.timeline.map((e) => [e.status, e.note])).toEqual([
      [CaseStatus.Accepted, null],
      [CaseStatus.Processing, '材料齐全，已送审'],
      [CaseStatus.Concluded, null],
      [CaseStatus.ReadyForPickup, '请到 3 号窗口取件'],
      [CaseStatus.PickedUp, null],
    ]);
    const times = done.timeline.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(done.updatedAt).toBe(done.timeline.at(-1)?.at);
    const staffOf = await h.db.pool.query<{ staff_id: string }>('SELECT staff_id FROM case_timeline WHERE case_number = $1 ORDER BY seq', ['SB-2025-0100']);
    expect(staffOf.rows.map((r) => r.staff_id)).toEqual(['demo-staff', 'demo-staff', 'boss', 'demo-staff', 'demo-staff']);
    expect((await auditLines(h.db.pool, DEMO_HALL_ID, 'SB-2025-0100')).map((l) => [l.action, l.actor_id, l.detail.from ?? null, l.outcome])).toEqual([
      ['case.open', 'demo-staff', null, 'ok'],
      ['case.processing', 'demo-staff', 'accepted', 'ok'],
      ['case.concluded', 'boss', 'processing', 'ok'],
      ['case.ready-for-pickup', 'demo-staff', 'concluded', 'ok'],
      ['case.picked-up', 'demo-staff', 'ready-for-pickup', 'ok'],
    ]);
  });

  it('refuses moves the table does not allow (409), unknown cases (404), a certificate without conclusion (400); each refusal audited', async () => {
    await completeWithCase('SB-2025-0101');
    const invalid = await move('SB-2025-0101', { status: CaseStatus.Concluded });
    expect(invalid).toEqual({ status: 409, body: { code: 'invalid-transition', message: expect.stringContaining('processing or rejected') as unknown } });
    expect((await move('SB-2025-0101', { status: CaseStatus.Accepted })).status).toBe(409);
    expect((await move('SB-2025-0101', { status: CaseStatus.Processing, certificateTitle: TITLE })).status).toBe(400);
    await moved('SB-2025-0101', { status: CaseStatus.Rejected, note: '不符合申请条件' });
    // 不予受理 is final.
    for (const status of Object.values(CaseStatus)) expect((await move('SB-2025-0101', { status })).body).toMatchObject({ code: 'invalid-transition' });
    expect(await move('NO-SUCH-CASE', { status: CaseStatus.Processing })).toEqual({ status: 404, body: { code: 'not-found', message: 'case NO-SUCH-CASE not found' } });
    expect((await move('SB-2025-0101', { status: 'lost' })).status).toBe(400);
    const view = await staffCase('SB-2025-0101');
    expect(view.timeline.map((e) => e.status)).toEqual([CaseStatus.Accepted, CaseStatus.Rejected]);
    const refused = (await auditLines(h.db.pool, DEMO_HALL_ID, 'SB-2025-0101')).filter((l) => l.outcome === 'refused');
    expect(refused.map((l) => l.detail.code)).toEqual([
      'invalid-transition',
      'invalid-transition',
      'bad-request',
      ...Object.values(CaseStatus).map(() => 'invalid-transition'),
    ]);
  });

  it('is staff only, and each hall sees its own cases only (the same case number in two halls is two cases)', async () => {
    await completeWithCase('SHARED-1');
    await completeWithCase('SHARED-1', { citizenHmac: hmacB, maskedName: '李*四' }, HALL_B_CALLERS);
    expect((await api(KIOSK_TOKEN, 'GET', '/v1/cases/SHARED-1')).status).toBe(401);
    expect((await api(null, 'GET', '/v1/cases')).status).toBe(401);
    await moved('SHARED-1', { status: CaseStatus.Processing }, HALL_B_STAFF);
    expect((await staffCase('SHARED-1')).status).toBe(CaseStatus.Accepted);
    expect((await staffCase('SHARED-1', HALL_B_STAFF)).status).toBe(CaseStatus.Processing);
    const listA = CasesResponse.parse((await api(STAFF_TOKEN, 'GET', '/v1/cases')).body).cases;
    const listB = CasesResponse.parse((await api(HALL_B_STAFF, 'GET', '/v1/cases')).body).cases;
    expect(listB.map((c) => c.caseNumber)).toEqual(['SHARED-1']);
    expect(listA.map((c) => c.caseNumber)).toContain('SHARED-1');
    expect(listA[0]?.caseNumber).toBe('SHARED-1');
    const processing = CasesResponse.parse((await api(HALL_B_STAFF, 'GET', `/v1/cases?status=${CaseStatus.Processing}`)).body).cases;
    expect(processing.map((c) => c.caseNumber)).toEqual(['SHARED-1']);
    expect(CasesResponse.parse((await api(HALL_B_STAFF, 'GET', `/v1/cases?status=${CaseStatus.Rejected}`)).body).cases).toEqual([]);
  });
});

describe('the citizen looks a case up online (case number + ID number)', () => {
  const lookup = (body: Record<string, unknown>): Promise<HttpAnswer> => api(null, 'POST', '/v1/citizen/cases/lookup', body);

  it('finds the case by the hall HMAC of the ID number, with its timeline and no staff detail', async () => {
    await completeWithCase('SB-2025-0200');
    await moved('SB-2025-0200', { status: CaseStatus.Processing, note: '审核中' });
    for (const idNumber of [ID_NUMBER, ID_NUMBER.toLowerCase()]) {
      const answer = await lookup({ hallId: DEMO_HALL_ID, caseNumber: 'SB-2025-0200', idNumber });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const found = CaseResponse.parse(answer.body).case;
      expect(found).toMatchObject({ caseNumber: 'SB-2025-0200', status: CaseStatus.Processing, dueDay: '2025-03-18' });
      expect(found.timeline.map((e) => e.note)).toEqual([null, '审核中']);
      expect(Object.keys(answer.body as { case: object }).sort()).toEqual(['case']);
      expect(Object.keys((answer.body as { case: object }).case)).not.toContain('openedBy');
      expect(JSON.stringify(answer.body)).not.toContain('demo-staff');
    }
  });

  it('answers a wrong case number, a wrong ID number, an anonymous case and another hall exactly alike', async () => {
    await completeWithCase('SB-2025-0201');
    await completeWithCase('SB-2025-0202', { citizenHmac: null });
    await completeWithCase('SB-2025-0203', { citizenHmac: hmacB }, HALL_B_CALLERS);
    const misses = await Promise.all([
      lookup({ hallId: DEMO_HALL_ID, caseNumber: 'SB-2025-9999', idNumber: ID_NUMBER }),
      lookup({ hallId: DEMO_HALL_ID, caseNumber: 'SB-2025-0201', idNumber: ID_NUMBER_2 }),
      lookup({ hallId: DEMO_HALL_ID, caseNumber: 'SB-2025-0202', idNumber: ID_NUMBER }),
      lookup({ hallId: DEMO_HALL_ID, caseNumber: 'SB-2025-0203', idNumber: ID_NUMBER }),
      lookup({ hallId: 'no-such-hall', caseNumber: 'SB-2025-0201', idNumber: ID_NUMBER }),
    ]);
    for (const miss of misses) expect(miss).toEqual(misses[0]);
    expect(misses[0]).toEqual({ status: 404, body: { code: 'not-found', message: 'no case with this number for this ID number in this hall' } });
    // A number no ID card carries is a typing error, said as such (it cannot match anybody).
    expect((await lookup({ hallId: DEMO_HALL_ID, caseNumber: 'SB-2025-0201', idNumber: '110105194912310021' })).body).toMatchObject({ code: 'bad-request' });
    expect((await lookup({ hallId: DEMO_HALL_ID, caseNumber: 'SB-2025-0201', idNumber: 'not-a-number' })).status).toBe(400);
  });

  it('never keeps the ID number: not in any row of the hall, not in the log', async () => {
    const tables = await h.db.pool.query<{ table_name: string }>(
      `SELECT DISTINCT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'hall_id'`,
    );
    for (const { table_name: table } of tables.rows) {
      const rows = await h.db.pool.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
      for (const { row } of rows.rows) {
        expect(row, table).not.toContain(ID_NUMBER);
        expect(row, table).not.toContain(ID_NUMBER_2);
      }
    }
    expect(logLines.join('\n')).toContain('/v1/citizen/cases/lookup');
    for (const id of [ID_NUMBER, ID_NUMBER.toLowerCase(), ID_NUMBER_2]) expect(logLines.join('\n')).not.toContain(id);
  });
});

describe('the kiosk asks for the cases of the card it read (by HMAC)', () => {
  it("answers the visitor's cases of the kiosk's hall, newest first, and nothing of another hall's", async () => {
    await completeWithCase('KIOSK-A-1');
    await completeWithCase('KIOSK-A-2');
    await moved('KIOSK-A-1', { status: CaseStatus.Processing });
    // Hall B holds a case under the very same HMAC value: hall A's kiosk must not see it.
    await completeWithCase('KIOSK-B-1', { citizenHmac: hmacA, maskedName: '张*丰' }, HALL_B_CALLERS);
    const answer = await api(KIOSK_TOKEN, 'POST', '/v1/kiosk/cases/lookup', { citizenHmac: hmacA });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    const cases = KioskCasesResponse.parse(answer.body).cases;
    const numbers = cases.map((c) => c.caseNumber);
    expect(numbers.slice(0, 2)).toEqual(['KIOSK-A-2', 'KIOSK-A-1']);
    expect(numbers).not.toContain('KIOSK-B-1');
    expect(cases.find((c) => c.caseNumber === 'KIOSK-A-1')?.status).toBe(CaseStatus.Processing);
    expect(JSON.stringify(answer.body)).not.toContain('demo-staff');
    const hallB = KioskCasesResponse.parse((await api(HALL_B_KIOSK, 'POST', '/v1/kiosk/cases/lookup', { citizenHmac: hmacA })).body).cases;
    expect(hallB.map((c) => c.caseNumber)).toEqual(['KIOSK-B-1']);
    expect(KioskCasesResponse.parse((await api(KIOSK_TOKEN, 'POST', '/v1/kiosk/cases/lookup', { citizenHmac: 'ab'.repeat(32) })).body).cases).toEqual([]);
    expect((await api(STAFF_TOKEN, 'POST', '/v1/kiosk/cases/lookup', { citizenHmac: hmacA })).status).toBe(401);
    expect((await api(KIOSK_TOKEN, 'POST', '/v1/kiosk/cases/lookup', { citizenHmac: ID_NUMBER })).status).toBe(400);
  });
});

describe('e-certificates', () => {
  async function concludedWithCertificate(caseNumber: string, hall = HALL_A, visitor = { citizenHmac: hmacA, maskedName: '张*丰' }): Promise<CaseView> {
    const { answer } = await completeWithCase(caseNumber, visitor, hall);
    expect(answer.status).toBe(200);
    await moved(caseNumber, { status: CaseStatus.Processing }, hall.staff);
    return moved(caseNumber, { status: CaseStatus.Concluded, note: '已办结', certificateTitle: TITLE }, hall.staff);
  }

  it('is issued when a case is concluded with a title: signed, stored, shown to staff, citizen and kiosk, audited', async () => {
    const concluded = await concludedWithCertificate('CERT-1');
    const certificate = concluded.certificate;
    expect(certificate?.payload).toEqual({
      certificateId: expect.any(String) as unknown,
      hallId: DEMO_HALL_ID,
      caseNumber: 'CERT-1',
      serviceId: 'social-insurance',
      title: TITLE,
      holderName: '张*丰',
      issuedAt: concluded.timeline.at(-1)?.at,
    });
    expect(certificate?.code).toMatch(/^HKC1\./);
    const citizen = CaseResponse.parse((await api(null, 'POST', '/v1/citizen/cases/lookup', { hallId: DEMO_HALL_ID, caseNumber: 'CERT-1', idNumber: ID_NUMBER })).body);
    expect(citizen.case.certificate).toEqual(certificate);
    const kiosk = KioskCasesResponse.parse((await api(KIOSK_TOKEN, 'POST', '/v1/kiosk/cases/lookup', { citizenHmac: hmacA })).body);
    expect(kiosk.cases.find((c) => c.caseNumber === 'CERT-1')?.certificate).toEqual(certificate);
    const audit = (await auditLines(h.db.pool, DEMO_HALL_ID, 'CERT-1')).find((l) => l.action === 'case.concluded');
    expect(audit?.detail).toMatchObject({ certificateId: certificate?.payload.certificateId, keyId: certificate?.code.split('.')[1] });
    // One certificate per case: conclusion happens once.
    expect((await move('CERT-1', { status: CaseStatus.Concluded, certificateTitle: TITLE })).status).toBe(409);
    // Picked up afterwards, the certificate stays.
    expect((await moved('CERT-1', { status: CaseStatus.PickedUp })).certificate).toEqual(certificate);
  });

  it('verifies on the public page and offline with the keys the pull carries; the private key is nowhere to be seen', async () => {
    const code = (await concludedWithCertificate('CERT-2')).certificate?.code ?? '';
    expect(await verify(code)).toMatchObject({ verdict: CertificateVerdict.Valid, certificate: { caseNumber: 'CERT-2', hallId: DEMO_HALL_ID } });
    const pulled = PullResponse.parse((await api(KIOSK_TOKEN, 'GET', '/v1/kiosk/pull')).body);
    expect(pulled.certificateKeys.map((k) => k.keyId)).toContain(code.split('.')[1]);
    expect(verifyCertificateCode(code, pulled.certificateKeys).verdict).toBe(CertificateVerdict.Valid);
    // Hall B signs with its own key; hall A's kiosk does not hold it.
    const codeB = (await concludedWithCertificate('CERT-B-1', HALL_B_CALLERS, { citizenHmac: hmacB, maskedName: '李*四' })).certificate?.code ?? '';
    expect(codeB.split('.')[1]).not.toBe(code.split('.')[1]);
    expect(verifyCertificateCode(codeB, pulled.certificateKeys).verdict).toBe(CertificateVerdict.UnknownKey);
    // The portal serves both halls: hall B's certificate is genuine there.
    expect((await verify(codeB)).verdict).toBe(CertificateVerdict.Valid);
    // Stored sealed: the row's bytes are no private key, and no answer carries more than the public key.
    const stored = await h.db.pool.query<{ private_key_sealed: Buffer; public_key: Buffer }>('SELECT private_key_sealed, public_key FROM hall_signing_keys WHERE hall_id = $1', [DEMO_HALL_ID]);
    const sealed = stored.rows[0]?.private_key_sealed ?? Buffer.alloc(0);
    expect(sealed.length).toBeGreaterThan(48);
    expect(JSON.stringify(pulled)).not.toContain(sealed.toString('base64').slice(0, 24));
    expect(pulled.certificateKeys.find((k) => k.keyId === code.split('.')[1])?.publicKey).toBe(stored.rows[0]?.public_key.toString('base64'));
  });

  it('refuses a tampered payload, a tampered signature, another key and garbage, each with its verdict', async () => {
    const code = (await concludedWithCertificate('CERT-3')).certificate?.code ?? '';
    const [prefix, keyId, payloadText, signatureText] = code.split('.');
    const payload = JSON.parse(Buffer.from(payloadText ?? '', 'base64url').toString('utf8')) as CertificatePayload;
    // The holder's name changed and re-encoded canonically: only the signature can tell.
    const altered = encodeBase64Url(encodeUtf8(canonicalJson({ ...payload, holderName: '王*五' })));
    expect(await verify(`${prefix}.${keyId}.${altered}.${signatureText}`)).toEqual({ verdict: CertificateVerdict.BadSignature, certificate: null });
    const signature = decodeBase64Url(signatureText ?? '') ?? new Uint8Array(64);
    signature[0] = (signature[0] ?? 0) ^ 0x80;
    expect((await verify(`${prefix}.${keyId}.${payloadText}.${encodeBase64Url(signature)}`)).verdict).toBe(CertificateVerdict.BadSignature);
    // A forger's own key: unknown under its own id, a bad signature under the hall's.
    const forger = generateKeyPairSync('ed25519').privateKey;
    const forged = { ...payload, caseNumber: 'FORGED-1', certificateId: randomUUID() };
    const bytes = certificatePayloadBytes(forged);
    expect(await verify(formatCertificateCode('forger-key', bytes, sign(null, bytes, forger)))).toEqual({ verdict: CertificateVerdict.UnknownKey, certificate: null });
    expect((await verify(formatCertificateCode(keyId ?? '', bytes, sign(null, bytes, forger)))).verdict).toBe(CertificateVerdict.BadSignature);
    // Hall B's genuine key signing a certificate that claims hall A: not one of hall A's keys.
    const keyB = await h.db.pool.query<{ key_id: string }>('SELECT key_id FROM hall_signing_keys WHERE hall_id = $1', [HALL_B]);
    const keyIdB = keyB.rows[0]?.key_id ?? 'none';
    expect((await verify(formatCertificateCode(keyIdB, bytes, sign(null, bytes, forger)))).verdict).toBe(CertificateVerdict.UnknownKey);
    for (const garbage of ['', 'hello', 'HKC1.x.y.z', code.slice(0, 40), `${code}x`, 'https://hall.example/verify?c=1']) {
      expect(await verify(garbage), garbage).toEqual({ verdict: CertificateVerdict.Malformed, certificate: null });
    }
    expect((await api(null, 'POST', '/v1/public/certificates/verify', { code: 'x'.repeat(2001) })).status).toBe(400);
  });

  it('after a restart under another KEK the hall signs with a new key, and what the old key signed still verifies', async () => {
    const before = (await concludedWithCertificate('CERT-4')).certificate?.code ?? '';
    const other = await buildPortalApp({ pool: h.db.pool, logLevel: 'silent', clock: () => h.now, certificateKek: new CertificateKek(randomBytes(32)) });
    try {
      const ticketId = await ticketAtCounter(HALL_A, { citizenHmac: hmacA, maskedName: '张*丰' });
      const inject = async (url: string, payload: unknown) => {
        const res = await other.inject({ method: 'POST', url, headers: { authorization: `Bearer ${STAFF_TOKEN}` }, payload: payload as object });
        expect(res.statusCode, res.body).toBe(200);
        return res.json<unknown>();
      };
      await inject(`/v1/counter/tickets/${ticketId}/complete`, { caseNumber: 'CERT-5' });
      await inject('/v1/cases/CERT-5/status', { status: CaseStatus.Processing });
      const after = CaseResponse.parse(await inject('/v1/cases/CERT-5/status', { status: CaseStatus.Concluded, certificateTitle: TITLE })).case.certificate?.code ?? '';
      expect(after.split('.')[1]).not.toBe(before.split('.')[1]);
      const pulled = PullResponse.parse((await api(KIOSK_TOKEN, 'GET', '/v1/kiosk/pull')).body);
      for (const code of [before, after]) {
        expect((await verify(code)).verdict).toBe(CertificateVerdict.Valid);
        expect(verifyCertificateCode(code, pulled.certificateKeys).verdict).toBe(CertificateVerdict.Valid);
      }
    } finally {
      await other.close();
    }
  });
});

describe('retention of the citizen on a case', () => {
  it('keeps it while the case runs or waits for pickup, clears it the retention period after the case ended', async () => {
    await completeWithCase('KEEP-RUNNING');
    await completeWithCase('DROP-PICKED-UP');
    await moved('DROP-PICKED-UP', { status: CaseStatus.Processing });
    await moved('DROP-PICKED-UP', { status: CaseStatus.Concluded });
    await moved('DROP-PICKED-UP', { status: CaseStatus.PickedUp });
    const policy = { personalDataDays: 30, eventPayloadDays: 30, batchSize: 2 };
    // Case times are the database's (today): 29 days on, nothing; 31 days on, the finished ones.
    const soon = await purgePersonalData(h.db.pool, { policy, now: new Date(Date.now() + 29 * 86_400_000) });
    expect(soon.casesCleared).toBe(0);
    const later = await purgePersonalData(h.db.pool, { policy, now: new Date(Date.now() + 31 * 86_400_000) });
    expect(later.casesCleared).toBeGreaterThanOrEqual(3);
    const rows = await h.db.pool.query<{ case_number: string; status: string; citizen_hmac: string | null }>(
      'SELECT case_number, status, citizen_hmac FROM cases WHERE hall_id = $1',
      [DEMO_HALL_ID],
    );
    for (const row of rows.rows) {
      const finished = row.status === CaseStatus.Rejected || row.status === CaseStatus.PickedUp;
      if (finished) expect(row.citizen_hmac, row.case_number).toBeNull();
    }
    expect(rows.rows.find((r) => r.case_number === 'KEEP-RUNNING')?.citizen_hmac).toBe(hmacA);
    const kiosk = KioskCasesResponse.parse((await api(KIOSK_TOKEN, 'POST', '/v1/kiosk/cases/lookup', { citizenHmac: hmacA })).body);
    expect(kiosk.cases.map((c) => c.caseNumber)).toContain('KEEP-RUNNING');
    expect(kiosk.cases.map((c) => c.caseNumber)).not.toContain('DROP-PICKED-UP');
    // The case itself stays, for staff.
    expect((await staffCase('DROP-PICKED-UP')).status).toBe(CaseStatus.PickedUp);
  });
});

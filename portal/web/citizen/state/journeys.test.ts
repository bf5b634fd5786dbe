import { describe, expect, it } from 'vitest';
import { CertificateVerdict } from '../../../../common/contract/cases-api.js';
import { PortalErrorCode } from '../../../../common/contract/errors.js';
import { RatingLevel } from '../../../../common/contract/ratings-api.js';
import { IdNumberErrorCode } from '../../../../common/domain/id-number.js';
import { fakePortal } from '../../testing/fake-portal.js';
import { CERTIFICATE_CODE, concludedCase, HALL_ID, MISTYPED_ID, sampleRating, sampleVerification, TICKET_ID, TODAY, VALID_ID } from '../testing/citizen-fixtures.js';
import { CancelProblem, createCancelStore } from './cancel-store.js';
import { createProgressStore } from './progress-store.js';
import { createRatingStore, parseTypedTicket } from './rating-store.js';
import { createVerifyStore } from './verify-store.js';

describe('cancel store', () => {
  it('checks the reference and the six-digit code on the page, then cancels', async () => {
    const portal = fakePortal({ 'POST /v1/citizen/bookings/cancel': () => ({ body: { cancelled: true } }) });
    const store = createCancelStore({ client: portal.client() });
    expect(await store.getState().cancel(HALL_ID, 'HK', '123456')).toBe(false);
    expect(store.getState().problem).toBe(CancelProblem.Reference);
    expect(await store.getState().cancel(HALL_ID, 'HKA-7Q2M9XKD', '12345')).toBe(false);
    expect(store.getState().problem).toBe(CancelProblem.Code);
    expect(portal.requests).toHaveLength(0);
    expect(await store.getState().cancel(HALL_ID, ' hka-7q2m 9xkd ', '482 913')).toBe(true);
    expect(portal.requests[0]?.body).toEqual({ hallId: HALL_ID, reference: 'HKA-7Q2M9XKD', cancelCode: '482913' });
    expect(store.getState()).toMatchObject({ cancelled: 'HKA-7Q2M9XKD', problem: null, error: null });
  });

  it('shows a wrong code as the portal’s coded refusal', async () => {
    const portal = fakePortal({ 'POST /v1/citizen/bookings/cancel': () => ({ status: 404, body: { code: 'not-found', message: 'no such booking' } }) });
    const store = createCancelStore({ client: portal.client() });
    await store.getState().cancel(HALL_ID, 'HKA-7Q2M9XKD', '000000');
    expect(store.getState()).toMatchObject({ cancelled: null, error: { code: PortalErrorCode.NotFound } });
  });
});

describe('progress store', () => {
  it('checks the case number and the ID number first, then looks the case up', async () => {
    const portal = fakePortal({ 'POST /v1/citizen/cases/lookup': () => ({ body: { case: concludedCase() } }) });
    const store = createProgressStore({ client: portal.client() });
    expect(await store.getState().lookup(HALL_ID, 'SB 2025', MISTYPED_ID, TODAY)).toBe(false);
    expect(store.getState()).toMatchObject({ caseNumberProblem: true, idProblem: IdNumberErrorCode.CheckChar });
    expect(portal.requests).toHaveLength(0);
    expect(await store.getState().lookup(HALL_ID, ' sb20250310-0007 ', VALID_ID.toLowerCase(), TODAY)).toBe(true);
    expect(portal.requests[0]?.body).toEqual({ hallId: HALL_ID, caseNumber: 'SB20250310-0007', idNumber: VALID_ID });
    expect(store.getState().result?.certificate?.code).toBe(CERTIFICATE_CODE);
    expect(JSON.stringify(store.getState())).not.toContain(VALID_ID);
  });

  it('refuses a birth date after the hall’s today on the page', async () => {
    const store = createProgressStore({ client: fakePortal({}).client() });
    await store.getState().lookup(HALL_ID, 'SB1', VALID_ID, '1990-01-01');
    expect(store.getState().idProblem).toBe(IdNumberErrorCode.FutureBirthDate);
  });
});

describe('verify store', () => {
  it('sends the pasted code without the whitespace a paste adds, and keeps the verdict', async () => {
    const portal = fakePortal({ 'POST /v1/public/certificates/verify': () => ({ body: sampleVerification(CertificateVerdict.BadSignature) }) });
    const store = createVerifyStore({ client: portal.client() });
    expect(await store.getState().verify('  \n ')).toBe(false);
    expect(store.getState().empty).toBe(true);
    expect(portal.requests).toHaveLength(0);
    await store.getState().verify(`${CERTIFICATE_CODE.slice(0, 20)}\n  ${CERTIFICATE_CODE.slice(20)} `);
    expect(portal.requests[0]?.body).toEqual({ code: CERTIFICATE_CODE });
    expect(store.getState()).toMatchObject({ code: CERTIFICATE_CODE, empty: false, result: { verdict: CertificateVerdict.BadSignature } });
  });
});

describe('rating store', () => {
  it('reads a typed ticket: its number and the ticket code, or the receipt QR’s text pasted whole', () => {
    expect(parseTypedTicket('a001', TICKET_ID.toUpperCase())).toEqual({ ticket: { ticketId: TICKET_ID, number: 'A001' }, numberOk: true, codeOk: true });
    expect(parseTypedTicket('', `HK1:${TICKET_ID}:A1-047`).ticket).toEqual({ ticketId: TICKET_ID, number: 'A1-047' });
    // The number typed must be the QR's.
    expect(parseTypedTicket('A002', `HK1:${TICKET_ID}:A001`)).toMatchObject({ ticket: null, numberOk: false, codeOk: true });
    expect(parseTypedTicket('A001', 'not-a-code')).toMatchObject({ ticket: null, numberOk: true, codeOk: false });
    expect(parseTypedTicket('001', TICKET_ID)).toMatchObject({ ticket: null, numberOk: false });
  });

  it('asks for every level, then rates the ticket once with the comment trimmed', async () => {
    const portal = fakePortal({ 'POST /v1/citizen/ratings': () => ({ body: { rating: sampleRating(RatingLevel.Dissatisfied) } }) });
    const store = createRatingStore({ client: portal.client() });
    store.getState().setTicket({ ticketId: TICKET_ID, number: 'A001' });
    const some = { overall: RatingLevel.Dissatisfied, efficiency: RatingLevel.Satisfied, expertise: null, attitude: RatingLevel.Dissatisfied };
    expect(await store.getState().submit(some, '')).toBe(false);
    expect(store.getState().incomplete).toBe(true);
    expect(portal.requests).toHaveLength(0);
    expect(await store.getState().submit({ ...some, expertise: RatingLevel.BasicallySatisfied }, '  等太久了  ')).toBe(true);
    expect(portal.requests[0]?.body).toEqual({
      ticketId: TICKET_ID,
      number: 'A001',
      overall: 'dissatisfied',
      efficiency: 'satisfied',
      expertise: 'basically-satisfied',
      attitude: 'dissatisfied',
      comment: '等太久了',
    });
    expect(store.getState().rated?.overall).toBe(RatingLevel.Dissatisfied);
  });

  it('keeps "already rated" as its own code, and a new ticket starts afresh', async () => {
    const portal = fakePortal({ 'POST /v1/citizen/ratings': () => ({ status: 409, body: { code: 'already-rated', message: 'once' } }) });
    const store = createRatingStore({ client: portal.client() });
    store.getState().setTicket({ ticketId: TICKET_ID, number: 'A001' });
    const all = { overall: RatingLevel.Satisfied, efficiency: RatingLevel.Satisfied, expertise: RatingLevel.Satisfied, attitude: RatingLevel.Satisfied };
    await store.getState().submit(all, '');
    expect(store.getState().error?.code).toBe(PortalErrorCode.AlreadyRated);
    store.getState().setTicket({ ticketId: TICKET_ID, number: 'A001' });
    expect(store.getState().error?.code).toBe(PortalErrorCode.AlreadyRated);
    store.getState().setTicket(null);
    expect(store.getState()).toMatchObject({ ticket: null, error: null, rated: null });
  });
});

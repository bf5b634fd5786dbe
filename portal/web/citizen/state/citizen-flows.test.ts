import { describe, expect, it } from 'vitest';
import { CertificateVerdict } from '../../../../common/contract/cases-api.js';
import { fakePortal } from '../../testing/fake-portal.js';
import { CitizenPage, emptyRoute } from '../routing/citizen-route.js';
import { CERTIFICATE_CODE, HALL_ID, sampleCitizenCatalog, sampleHalls, sampleSlots, sampleVerification, TICKET_ID } from '../testing/citizen-fixtures.js';
import { BookingPhase } from './booking-store.js';
import { connectFlows, createCitizenFlows } from './citizen-flows.js';
import { createCitizenShellStore } from './citizen-store.js';

function setup(route = emptyRoute(CitizenPage.Guide, HALL_ID)) {
  const portal = fakePortal({
    'GET /v1/public/halls': () => ({ body: { halls: sampleHalls } }),
    [`GET /v1/citizen/halls/${HALL_ID}/catalog`]: () => ({ body: sampleCitizenCatalog }),
    [`GET /v1/citizen/halls/${HALL_ID}/services/social-insurance/slots`]: () => ({ body: sampleSlots }),
    'POST /v1/public/certificates/verify': () => ({ body: sampleVerification(CertificateVerdict.Valid) }),
  });
  const client = portal.client();
  const shell = createCitizenShellStore({ client, route, history: { push: () => undefined, replace: () => undefined } });
  const flows = createCitizenFlows({ client });
  const disconnect = connectFlows(shell, flows);
  return { portal, shell, flows, disconnect };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the address drives the journeys', () => {
  it('opening a booking address loads that service’s slots', async () => {
    const { shell, flows } = setup();
    shell.getState().navigate({ ...emptyRoute(CitizenPage.Book, HALL_ID), serviceId: 'social-insurance' });
    await settle();
    expect(flows.booking.getState()).toMatchObject({ serviceId: 'social-insurance', phase: BookingPhase.Choosing });
  });

  it('a verify address with a code verifies it at once, once', async () => {
    const { flows, portal, shell } = setup({ ...emptyRoute(CitizenPage.Verify), certificateCode: CERTIFICATE_CODE });
    await settle();
    expect(flows.verify.getState().result?.verdict).toBe(CertificateVerdict.Valid);
    shell.getState().toggleLanguage();
    shell.getState().locationChanged({ ...emptyRoute(CitizenPage.Verify), certificateCode: CERTIFICATE_CODE });
    await settle();
    expect(portal.requests.filter((r) => r.path === '/v1/public/certificates/verify')).toHaveLength(1);
  });

  it('a rating address names the ticket; one without clears it', () => {
    const { flows, shell } = setup({ ...emptyRoute(CitizenPage.Rate), ticketId: TICKET_ID, ticketNumber: 'A001' });
    expect(flows.rating.getState().ticket).toEqual({ ticketId: TICKET_ID, number: 'A001' });
    shell.getState().navigate(emptyRoute(CitizenPage.Rate));
    expect(flows.rating.getState().ticket).toBeNull();
  });

  it('coming to the cancel page starts a fresh form', async () => {
    const { flows, shell } = setup();
    flows.cancel.setState({ cancelled: 'HKA-7Q2M9XKD' });
    shell.getState().navigate(emptyRoute(CitizenPage.Cancel, HALL_ID));
    expect(flows.cancel.getState().cancelled).toBeNull();
  });

  it('stops following the address once disconnected', () => {
    const { flows, shell, disconnect } = setup();
    disconnect();
    shell.getState().navigate({ ...emptyRoute(CitizenPage.Rate), ticketId: TICKET_ID, ticketNumber: 'A001' });
    expect(flows.rating.getState().ticket).toBeNull();
  });
});

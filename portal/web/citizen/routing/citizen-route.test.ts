import { describe, expect, it } from 'vitest';
import { certificateVerifyPath, CITIZEN_SUB_PATHS, citizenRatePath } from '../../../../common/contract/citizen-pages.js';
import { CitizenPage, citizenHref, emptyRoute, parseCitizenRoute, sameRoute, type CitizenRoute } from './citizen-route.js';

const base = new URL('https://hall.example/citizen/');
const parse = (path: string) => parseCitizenRoute(new URL(path, base), base);
const TICKET = '0195a000-0000-7000-8000-00000000b001';

describe('citizen routes', () => {
  it('reads the journey from the last segment and its parameters from the query', () => {
    expect(parse('/citizen/')).toEqual(emptyRoute(CitizenPage.Guide));
    expect(parse('/citizen/?hall=demo-city-hall').hallId).toBe('demo-city-hall');
    expect(parse('/citizen/guide?hall=h1&service=housing-fund')).toMatchObject({ page: CitizenPage.Service, hallId: 'h1', serviceId: 'housing-fund' });
    expect(parse('/citizen/book?hall=h1')).toMatchObject({ page: CitizenPage.Book, serviceId: null });
    expect(parse('/citizen/cancel?hall=h1&ref=hka-7q2m9xkd').reference).toBe('HKA-7Q2M9XKD');
    expect(parse('/citizen/progress?hall=h1').page).toBe(CitizenPage.Progress);
    expect(parse(`/citizen/rate?ticket=${TICKET.toUpperCase()}&number=a001`)).toMatchObject({ page: CitizenPage.Rate, ticketId: TICKET, ticketNumber: 'A001' });
    expect(parse('/citizen/verify#HKC1.k1.eyJh.c2ln').certificateCode).toBe('HKC1.k1.eyJh.c2ln');
  });

  it('drops what is malformed rather than trusting it', () => {
    expect(parse('/citizen/nothing-here')).toEqual(emptyRoute(CitizenPage.Guide));
    expect(parse('/citizen/?hall=../../etc').hallId).toBeNull();
    // A guide without a service is the list.
    expect(parse('/citizen/guide?hall=h1&service=Not%20A%20Slug')).toMatchObject({ page: CitizenPage.Guide, serviceId: null });
    expect(parse('/citizen/rate?ticket=not-a-uuid&number=A001')).toMatchObject({ ticketId: null, ticketNumber: 'A001' });
    expect(parse(`/citizen/rate?ticket=${TICKET}&number=<script>`).ticketNumber).toBeNull();
    expect(parse('/citizen/verify#%3Cscript%3E').certificateCode).toBeNull();
    expect(parse('/citizen/verify#%E0%A4%A').certificateCode).toBeNull();
    // Parameters of other journeys are not carried.
    expect(parse('/citizen/progress?hall=h1&service=x&ref=HKA-7Q2M9XKD')).toEqual(emptyRoute(CitizenPage.Progress, 'h1'));
  });

  it('builds addresses that parse back to the same route', () => {
    const routes: CitizenRoute[] = [
      emptyRoute(CitizenPage.Guide, 'h1'),
      { ...emptyRoute(CitizenPage.Service, 'h1'), serviceId: 'social-insurance' },
      { ...emptyRoute(CitizenPage.Book, 'h1'), serviceId: 'social-insurance' },
      { ...emptyRoute(CitizenPage.Cancel, 'h1'), reference: 'HKA-7Q2M9XKD' },
      emptyRoute(CitizenPage.Progress, 'h1'),
      { ...emptyRoute(CitizenPage.Verify), certificateCode: 'HKC1.k1.eyJh.c2ln' },
      { ...emptyRoute(CitizenPage.Rate), ticketId: TICKET, ticketNumber: 'A1-001' },
    ];
    for (const route of routes) {
      const href = citizenHref(route, base);
      expect(sameRoute(parse(href), route), href).toBe(true);
    }
    expect(citizenHref({ ...emptyRoute(CitizenPage.Book, 'h1'), serviceId: 'x' }, base)).toBe('/citizen/book?hall=h1&service=x');
    expect(citizenHref(emptyRoute(CitizenPage.Guide), base)).toBe('/citizen/');
  });

  it('opens the links the contract builds for receipts and slips, and the sub-paths the portal serves', () => {
    expect(parse(citizenRatePath(TICKET, 'A001'))).toMatchObject({ page: CitizenPage.Rate, ticketId: TICKET, ticketNumber: 'A001' });
    expect(parse(certificateVerifyPath('HKC1.k1.eyJh.c2ln'))).toMatchObject({ page: CitizenPage.Verify, certificateCode: 'HKC1.k1.eyJh.c2ln' });
    const served = CITIZEN_SUB_PATHS.map((segment) => parse(`/citizen/${segment}`).page);
    // Every journey but the root list is served under its own segment, and each names a page.
    expect(new Set(served).size).toBe(CITIZEN_SUB_PATHS.length);
    expect(CITIZEN_SUB_PATHS.length).toBe(Object.values(CitizenPage).length - 1);
  });
});

import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchKeysOf } from '../queue/search-keys.js';
import { DEMO_CALENDAR, DEMO_SERVICE_CONFIG } from '../seed/demo-guides.js';
import { KIOSK_TOKEN, STAFF_TOKEN, TEST_DAY, startPortalHarness, type PortalHarness } from '../test-support/portal-harness.js';

/**
 * The bytes kiosks in the field depend on, pinned. Every expected answer below was recorded from
 * the hand-written node:http server the portal had before Fastify, and the Fastify app must give
 * the same status, content type, cache header and body text (key order included). Values the
 * portal makes up at random (band ids, the hall's citizen key) are replaced by a placeholder
 * before comparing, and so are band sequence numbers, which the numbering rules decide, not the
 * HTTP layer.
 */

let h: PortalHarness;

beforeAll(async () => {
  h = await startPortalHarness();
});

afterAll(async () => {
  await h.close();
});

interface WireAnswer {
  status: number;
  type: string | undefined;
  cache: string | undefined;
  allow?: string;
  text: string;
}

interface WireRequest {
  token?: string;
  authorization?: string;
  contentType?: string | null;
  body?: string | Buffer;
}

/** One request over a fresh socket, answered as raw text (node:http: no client-side niceties). */
function wire(method: string, path: string, request: WireRequest = {}): Promise<WireAnswer> {
  const headers: Record<string, string> = {};
  const authorization = request.authorization ?? (request.token ? `Bearer ${request.token}` : undefined);
  if (authorization) headers.authorization = authorization;
  if (request.body !== undefined) {
    const contentType = request.contentType === undefined ? 'application/json' : request.contentType;
    if (contentType !== null) headers['content-type'] = contentType;
    headers['content-length'] = String(Buffer.byteLength(request.body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(`${h.baseUrl}${path}`, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const answer: WireAnswer = {
          status: res.statusCode ?? 0,
          type: res.headers['content-type'],
          cache: res.headers['cache-control'],
          text: Buffer.concat(chunks).toString('utf8'),
        };
        if (res.headers.allow !== undefined) answer.allow = res.headers.allow;
        resolve(answer);
      });
      res.on('error', reject);
    });
    // A server that answers before reading a large body may reset the socket while we still write.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE' && err.code !== 'ECONNRESET') reject(err);
    });
    if (request.body !== undefined) req.write(request.body);
    req.end();
  });
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TICKET_1 = '0195f1a2-0000-7000-8000-000000000001';
const TICKET_2 = '0195f1a2-0000-7000-8000-000000000002';
const EVENT_1 = '0195f1a2-0000-7000-8000-0000000000e1';
const EVENT_2 = '0195f1a2-0000-7000-8000-0000000000e2';
const EPOCH = '0195f1a2-0000-7000-8000-0000000000aa';
const LEASE = '0195f1a2-0000-7000-8000-0000000000b1';
const NOW = '2025-03-10T02:00:00.000Z';

function ok(text: string): WireAnswer {
  return { status: 200, type: JSON_TYPE, cache: 'no-store', text };
}

function error(status: number, code: string, message: string): WireAnswer {
  return { status, type: JSON_TYPE, cache: 'no-store', text: JSON.stringify({ code, message }) };
}

/** Random or rule-decided values out, so the comparison is about the HTTP layer's bytes. */
function normalise(answer: WireAnswer): WireAnswer {
  const text = answer.text
    .replace(/"bandId":"[0-9a-f-]{36}"/g, '"bandId":"<uuid>"')
    .replace(/"(firstSequence|lastSequence)":\d+/g, '"$1":0')
    .replace(/"citizenKey":"[0-9a-f]{64}"/g, '"citizenKey":"<key>"')
    .replace(/"cursor":"[A-Za-z0-9_-]+"/g, '"cursor":"<cursor>"');
  return { ...answer, text };
}

/**
 * Issue 9 adds keys after the recorded ones, never between them: the hall's calendar and check-in
 * window, and each service's hours, guide, pinyin search keys and booking rules (the demo seed's).
 * Issue 10 adds after those: the hall's ticketsOnlyInHours, each service's dailyQuota, and the
 * pull's settings for the kiosk. A kiosk of before reads the recorded keys exactly as it did.
 */
const HALL_ADDED = `,"calendar":${JSON.stringify(DEMO_CALENDAR)},"checkInWindow":{"beforeMinutes":30,"afterMinutes":15},"ticketsOnlyInHours":false`;
function serviceAdded(id: string, nameZh: string): string {
  const config = DEMO_SERVICE_CONFIG[id];
  if (!config) throw new Error(`no demo config for ${id}`);
  return `,"hours":${JSON.stringify(config.hours)},"guide":${JSON.stringify(config.guide)},"searchKeys":${JSON.stringify(searchKeysOf(nameZh))},"booking":${JSON.stringify(config.booking)},"dailyQuota":null`;
}

const CATALOG_BODY =
  '{"hall":{"hallId":"demo-city-hall","name":{"zh":"市民中心政务服务大厅","en":"Citizen Service Centre"},"timeZone":"Asia/Shanghai","businessDayStartHour":3' + HALL_ADDED + '},"services":[' +
  '{"id":"social-insurance","prefix":"A","name":{"zh":"社会保障","en":"Social Insurance"},"description":{"zh":"社保登记、缴费、转移接续、待遇申领","en":"Enrolment, contributions, transfers and benefit claims"},"enabled":true,"sortOrder":10' + serviceAdded('social-insurance', '社会保障') + '},' +
  '{"id":"medical-insurance","prefix":"B","name":{"zh":"医疗保障","en":"Medical Insurance"},"description":{"zh":"医保参保、异地就医备案、报销","en":"Enrolment, out-of-town treatment filing, reimbursement"},"enabled":true,"sortOrder":20' + serviceAdded('medical-insurance', '医疗保障') + '},' +
  '{"id":"housing-fund","prefix":"C","name":{"zh":"住房公积金","en":"Housing Provident Fund"},"description":{"zh":"公积金缴存、提取、贷款","en":"Deposits, withdrawals and loans"},"enabled":true,"sortOrder":30' + serviceAdded('housing-fund', '住房公积金') + '},' +
  '{"id":"real-estate","prefix":"D","name":{"zh":"不动产登记","en":"Real Estate Registration"},"description":{"zh":"不动产权登记、抵押、查询","en":"Title registration, mortgages and searches"},"enabled":true,"sortOrder":40' + serviceAdded('real-estate', '不动产登记') + '},' +
  '{"id":"business-registration","prefix":"E","name":{"zh":"市场监管/企业开办","en":"Business Registration"},"description":{"zh":"企业设立、变更、注销一站式办理","en":"Company formation, changes and deregistration in one stop"},"enabled":true,"sortOrder":50' + serviceAdded('business-registration', '市场监管/企业开办') + '},' +
  '{"id":"exit-entry","prefix":"F","name":{"zh":"出入境","en":"Exit and Entry"},"description":{"zh":"护照、港澳台通行证办理与签注","en":"Passports, travel permits and endorsements"},"enabled":true,"sortOrder":60' + serviceAdded('exit-entry', '出入境') + '},' +
  '{"id":"tax","prefix":"G","name":{"zh":"税务","en":"Taxation"},"description":{"zh":"发票申领、纳税申报、税务登记","en":"Invoices, tax returns and tax registration"},"enabled":true,"sortOrder":70' + serviceAdded('tax', '税务') + '},' +
  '{"id":"household-registration","prefix":"H","name":{"zh":"户籍","en":"Household Registration"},"description":{"zh":"户口迁移、身份证申领与换领","en":"Residence transfers, ID card application and renewal"},"enabled":true,"sortOrder":80' + serviceAdded('household-registration', '户籍') + '},' +
  '{"id":"traffic","prefix":"J","name":{"zh":"公安交管","en":"Traffic Management"},"description":{"zh":"驾驶证、机动车业务、违法处理","en":"Driving licences, vehicle services and violations"},"enabled":true,"sortOrder":90' + serviceAdded('traffic', '公安交管') + '},' +
  '{"id":"general","prefix":"K","name":{"zh":"综合受理","en":"General Services"},"description":{"zh":"综合窗口受理、咨询与帮办代办","en":"General intake, enquiries and assisted applications"},"enabled":true,"sortOrder":100' + serviceAdded('general', '综合受理') + '}]';

function seriesEvent(seq: number, eventId: string, ticketId: string, serviceId: string, number: string): unknown {
  return {
    seq,
    eventId,
    occurredAt: NOW,
    type: 'ticket.issued',
    payload: {
      ticketId,
      serviceId,
      number,
      numberSource: 'kiosk-series',
      businessDay: TEST_DAY,
      priority: 'normal',
      issuedAt: NOW,
      citizenHmac: null,
    },
  };
}

// The tests run in order against one database: each step's answer depends on the ones before.
describe('/v1/kiosk/* on the wire, as recorded from the node:http portal', () => {
  it('catalog: 200 and every kind of 401', async () => {
    expect(await wire('GET', '/v1/kiosk/catalog', { token: KIOSK_TOKEN })).toEqual(ok(`${CATALOG_BODY},"serverTime":"${NOW}"}`));
    expect(await wire('GET', '/v1/kiosk/catalog')).toEqual(error(401, 'unauthorized', 'bearer token required'));
    expect(await wire('GET', '/v1/kiosk/catalog', { token: 'not-a-known-token' })).toEqual(
      error(401, 'unauthorized', 'unknown or revoked token'),
    );
    expect(await wire('GET', '/v1/kiosk/catalog', { token: STAFF_TOKEN })).toEqual(error(401, 'unauthorized', 'unknown or revoked token'));
    expect(await wire('GET', '/v1/kiosk/catalog', { authorization: `Basic ${KIOSK_TOKEN}` })).toEqual(
      error(401, 'unauthorized', 'bearer token required'),
    );
  });

  it('numbers: 200, idempotent, 409, 404 unknown service', async () => {
    const body = JSON.stringify({ ticketId: TICKET_1, serviceId: 'social-insurance' });
    const first = await wire('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body });
    expect(first).toEqual(
      ok(`{"ticketId":"${TICKET_1}","number":"A001","businessDay":"${TEST_DAY}","waitingAhead":0,"serverTime":"${NOW}"}`),
    );
    expect(await wire('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body })).toEqual(first);
    // Kiosks send application/json, but the old server never looked at the content type.
    expect(await wire('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body, contentType: null })).toEqual(first);
    expect(await wire('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body, contentType: 'text/plain' })).toEqual(first);
    expect(
      await wire('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: JSON.stringify({ ticketId: TICKET_1, serviceId: 'tax' }) }),
    ).toEqual(error(409, 'conflict', `ticket ${TICKET_1} already has a number for service social-insurance`));
    expect(
      await wire('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: JSON.stringify({ ticketId: TICKET_2, serviceId: 'nope' }) }),
    ).toEqual(error(404, 'unknown-service', 'service nope is not open in this hall'));
  });

  it('numbers: each kind of 400, and 401 before the body is looked at', async () => {
    expect(await wire('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: '{"ticketId":' })).toEqual(
      error(400, 'bad-request', 'body is not valid JSON'),
    );
    expect(
      await wire('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: JSON.stringify({ ticketId: 'x', serviceId: 'Tax!' }) }),
    ).toEqual(error(400, 'bad-request', 'invalid request body: ticketId: Invalid UUID; serviceId: lowercase slug'));
    expect(await wire('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN })).toEqual(
      error(400, 'bad-request', 'invalid request body: (body): Invalid input: expected object, received undefined'),
    );
    expect(await wire('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: '' })).toEqual(
      error(400, 'bad-request', 'invalid request body: (body): Invalid input: expected object, received undefined'),
    );
    expect(await wire('POST', '/v1/kiosk/numbers', { token: KIOSK_TOKEN, body: 'null' })).toEqual(
      error(400, 'bad-request', 'invalid request body: (body): Invalid input: expected object, received null'),
    );
    expect(await wire('POST', '/v1/kiosk/numbers', { body: '{"ticketId":' })).toEqual(error(401, 'unauthorized', 'bearer token required'));
  });

  it('events: 200 applied and rejected, 405 with Allow for GET, 413 for a body over the limit', async () => {
    const push = (events: unknown[]) => JSON.stringify({ dbEpoch: EPOCH, events });
    expect(
      await wire('POST', '/v1/kiosk/events', {
        token: KIOSK_TOKEN,
        body: push([seriesEvent(1, EVENT_1, TICKET_2, 'social-insurance', 'A1-001')]),
      }),
    ).toEqual(ok(`{"lastSeq":1,"rejected":[],"serverTime":"${NOW}"}`));
    expect(
      await wire('POST', '/v1/kiosk/events', {
        token: KIOSK_TOKEN,
        body: push([seriesEvent(2, EVENT_2, '0195f1a2-0000-7000-8000-000000000003', 'nope', 'A1-002')]),
      }),
    ).toEqual(
      ok(
        `{"lastSeq":2,"rejected":[{"seq":2,"eventId":"${EVENT_2}","code":"unknown-service","reason":"service nope is not offered by this hall"}],"serverTime":"${NOW}"}`,
      ),
    );
    expect(await wire('GET', '/v1/kiosk/events', { token: KIOSK_TOKEN })).toEqual({
      ...error(405, 'bad-request', 'GET not allowed on /v1/kiosk/events'),
      allow: 'POST',
    });
    const huge = Buffer.alloc(3 * 1024 * 1024, 0x20);
    expect(await wire('POST', '/v1/kiosk/events', { token: KIOSK_TOKEN, body: huge })).toEqual(
      error(413, 'bad-request', 'body larger than 2097152 bytes'),
    );
  });

  it('unknown routes: 404 with the method and path', async () => {
    expect(await wire('GET', '/v1/kiosk/nowhere?x=1', { token: KIOSK_TOKEN })).toEqual(
      error(404, 'not-found', 'no route GET /v1/kiosk/nowhere'),
    );
    expect(await wire('POST', '/v1/kiosk', { token: KIOSK_TOKEN, body: '{}' })).toEqual(error(404, 'not-found', 'no route POST /v1/kiosk'));
  });

  it('bands and pull: 200 with their keys in contract order, 400 for a bad cursor', async () => {
    const lease = JSON.stringify({ leaseId: LEASE, serviceId: 'social-insurance', businessDay: TEST_DAY, size: 50 });
    expect(normalise(await wire('POST', '/v1/kiosk/bands', { token: KIOSK_TOKEN, body: lease }))).toEqual(
      ok(
        `{"band":{"bandId":"<uuid>","serviceId":"social-insurance","businessDay":"${TEST_DAY}","firstSequence":0,"lastSequence":0},"serverTime":"${NOW}"}`,
      ),
    );
    expect(normalise(await wire('GET', '/v1/kiosk/pull', { token: KIOSK_TOKEN }))).toEqual(
      ok(
        `{"cursor":"<cursor>","catalog":${CATALOG_BODY}},"kiosk":{"kioskId":"kiosk-1","kioskDigit":1},"citizenKey":"<key>",` +
          `"bands":[{"bandId":"<uuid>","serviceId":"social-insurance","businessDay":"${TEST_DAY}","firstSequence":0,"lastSequence":0}],` +
          `"appointments":[],"certificateKeys":[],"serverTime":"${NOW}",` +
          `"settings":{"version":1,"offeredServiceIds":null,"idleTimeoutMs":null,"elderlyAge":null,"technicianPinHash":null}}`,
      ),
    );
    expect(await wire('GET', '/v1/kiosk/pull?cursor=!!', { token: KIOSK_TOKEN })).toEqual(
      error(400, 'bad-request', 'invalid cursor: send the cursor of the last pull, or none'),
    );
    expect(await wire('GET', `/v1/kiosk/pull?cursor=${'a'.repeat(201)}`, { token: KIOSK_TOKEN })).toEqual(
      error(400, 'bad-request', 'invalid query: cursor: Too big: expected string to have <=200 characters'),
    );
  });

  it('counter routes keep their answers too', async () => {
    expect(await wire('POST', '/v1/counter/tickets/not-a-uuid/complete', { token: STAFF_TOKEN })).toEqual(
      error(400, 'bad-request', 'invalid path: ticketId: Invalid UUID'),
    );
    expect(await wire('POST', `/v1/counter/tickets/${TICKET_1}/complete`, { token: STAFF_TOKEN })).toEqual(
      error(404, 'not-found', `ticket ${TICKET_1} not found`),
    );
    expect(await wire('POST', `/v1/counter/tickets/${TICKET_2}/no-show`, { token: STAFF_TOKEN })).toEqual(
      error(409, 'invalid-transition', `ticket ${TICKET_2} is waiting; only a called ticket can become no-show`),
    );
    expect(await wire('POST', '/v1/counter/queue', { token: STAFF_TOKEN })).toEqual({
      ...error(405, 'bad-request', 'POST not allowed on /v1/counter/queue'),
      allow: 'GET',
    });
    expect(await wire('GET', '/v1/counter/queue', { token: KIOSK_TOKEN })).toEqual(error(401, 'unauthorized', 'unknown or revoked token'));
    // Issue 8: a machine client signs in at its counter before it calls.
    expect(await wire('POST', '/v1/counter/call-next', { token: STAFF_TOKEN, body: '{"counterId":"window-1","serviceIds":[]}' })).toEqual(
      error(409, 'counter-signed-out', 'nobody is signed in at counter window-1'),
    );
  });
});

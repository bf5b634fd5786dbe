import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CaseView, CertificateKey } from '../../common/contract/cases-api.js';
import { Catalog } from '../../common/contract/catalog.js';
import { HallEventKind } from '../../common/contract/hall-events.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { KIOSK_HEALTH_PATH, KioskHealthReport } from '../../common/contract/kiosk-health-api.js';
import {
  AllocateNumberRequest,
  AppointmentStatus,
  KIOSK_EVENTS_PATH,
  KioskCasesRequest,
  LeaseBandRequest,
  PushRequest,
  RateableTicketsRequest,
  SyncEventType,
  SyncRejectCode,
  type Appointment,
  type NumberBand,
  type PushResponse,
  type RateableTicket,
  type RatingSubmittedPayload,
  type RejectedEvent,
} from '../../common/contract/sync-api.js';
import { businessDayOf } from '../../common/domain/business-day.js';
import { BAND_FIRST_SEQUENCE, BAND_LAST_SEQUENCE, MAX_BANDS_PER_KIOSK_SERVICE_DAY, formatHallNumber } from '../../common/domain/ticket-number.js';

/** What the next request of a route gets instead of a normal answer. */
export enum PortalFault {
  /** Answer 503 without applying anything. */
  Unavailable = 'unavailable',
  /** Apply the request, then answer 503: the kiosk must resend, the portal must not apply twice. */
  ApplyThenUnavailable = 'apply-then-unavailable',
  /** Never answer (the kiosk's timeout fires). */
  Hang = 'hang',
  /** Apply the request now, answer only when `releaseHeld()` is called (a late answer). */
  Hold = 'hold',
  /** Refuse with a 4xx (409 for a lease, 400 for a pull). */
  Reject = 'reject',
}

/** The push faults keep their old name in tests written before the other routes existed. */
export const PushFault = PortalFault;
export type PushFault = PortalFault;

export const testCatalog: Catalog = Catalog.parse({
  hall: { hallId: 'hall-1', name: { zh: '市民中心', en: 'Civic Centre' }, timeZone: 'Asia/Shanghai' },
  services: [
    { id: 'social-insurance', prefix: 'A', name: { zh: '社保', en: 'Social insurance' }, description: null, enabled: true, sortOrder: 1 },
  ],
});

export const TEST_CITIZEN_KEY = '5a'.repeat(32);

type Send = (status: number, body: unknown) => void;

/**
 * A minimal portal over real HTTP on 127.0.0.1: the push cursor rules of docs/architecture.md §5
 * (skip seq <= last_seq, stop at a gap, apply each event_id once), the pull cursor, band leases
 * idempotent by leaseId, and online numbering idempotent by ticketId. Each route has its own
 * queue of faults, consumed one per request.
 */
export class FakePortal {
  readonly token = 'kiosk-test-token';
  /** Push faults, one per push request; null answers normally. */
  readonly faults: (PortalFault | null)[] = [];
  readonly pullFaults: (PortalFault | null)[] = [];
  readonly leaseFaults: (PortalFault | null)[] = [];
  readonly allocateFaults: (PortalFault | null)[] = [];
  /** Seqs the portal rejects (4xx-style per-event rejection). */
  readonly rejectSeqs = new Set<number>();
  /** The code and reason those seqs are rejected with. */
  rejectWith: { code: SyncRejectCode; reason: string } = { code: SyncRejectCode.UnknownService, reason: 'retired service' };
  readonly cursors = new Map<string, number>();
  /** event_id -> how many times it was applied (must stay 1). */
  readonly applied = new Map<string, number>();
  readonly appliedSeqs: number[] = [];
  /** ticket.issued payload numbers in the order applied. */
  readonly appliedNumbers: string[] = [];
  /** leaseId -> the band it was answered with. */
  readonly leases = new Map<string, NumberBand>();
  /** ticketId -> the number allocated online. */
  readonly allocations = new Map<string, string>();
  /** The cursor of every pull request, in order (null: no cursor sent). */
  readonly pullCursors: (string | null)[] = [];
  /** A portal from before the pull and lease routes: they answer 404. */
  legacy = false;
  /** Faults of the kiosk lookups (cases, rateable tickets), one per request. */
  readonly casesFaults: (PortalFault | null)[] = [];
  readonly rateableFaults: (PortalFault | null)[] = [];
  /** Citizen HMAC -> the cases `POST /v1/kiosk/cases/lookup` answers with. */
  readonly cases = new Map<string, CaseView[]>();
  /** Citizen HMAC or ticket id -> the tickets `POST /v1/kiosk/tickets/rateable` answers with. */
  readonly rateable = new Map<string, RateableTicket[]>();
  /** The hall's certificate keys, sent with every pull. */
  certificateKeys: CertificateKey[] = [];
  /** rating.submitted payloads in the order applied (each ratingId once). */
  readonly appliedRatings: RatingSubmittedPayload[] = [];
  /** Serve the kiosk live channel (`GET /v1/kiosk/stream`); false: it answers 404 like an older portal. */
  streamEnabled = true;
  streamRequests = 0;
  /** Health reports (`POST /v1/kiosk/health`) as received, in order; a legacy portal answers 404. */
  readonly healthReports: KioskHealthReport[] = [];
  /** Faults of the health route, one per request (Reject: 400). */
  readonly healthFaults: (PortalFault | null)[] = [];
  casesRequests = 0;
  rateableRequests = 0;
  kiosk = { kioskId: 'kiosk-test', kioskDigit: 7 };
  /** Portal clock minus real time: a kiosk clock that is off by -skew. */
  clockSkewMs = 0;
  /** What online numbering reports as waiting ahead. */
  waitingAhead = 3;
  /** The first sequence of the first band leased per service and day. */
  bandStart = BAND_FIRST_SEQUENCE;
  /** Bands leased per service and day before the portal answers 409 `band-cap`. */
  bandCap = MAX_BANDS_PER_KIOSK_SERVICE_DAY;
  pushRequests = 0;
  eventsReceived = 0;
  catalogRequests = 0;
  pullRequests = 0;
  leaseRequests = 0;
  allocateRequests = 0;
  private catalog: Catalog = testCatalog;
  private version = 1;
  private catalogVersion = 1;
  private readonly appointments = new Map<string, { appointment: Appointment; version: number }>();
  private readonly nextBandSequence = new Map<string, number>();
  private readonly nextOnlineSequence = new Map<string, number>();
  private readonly server: http.Server;
  private readonly hung = new Set<http.ServerResponse>();
  private readonly streams = new Set<http.ServerResponse>();
  private streamSeq = 0;
  private readonly held: (() => void)[] = [];

  constructor() {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: PortalErrorCode.Internal, message: String(err) }));
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    for (const res of this.streams) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  now(): Date {
    return new Date(Date.now() + this.clockSkewMs);
  }

  setCatalog(catalog: Catalog): void {
    this.catalog = catalog;
    this.catalogVersion = ++this.version;
  }

  putAppointment(appointment: Appointment): void {
    this.appointments.set(appointment.appointmentId, { appointment, version: ++this.version });
  }

  /** Kiosks following the live channel right now. */
  streamClients(): number {
    return this.streams.size;
  }

  /** Tells every kiosk on the live channel that something changed (as the portal's hub frames it). */
  notifyKiosks(kind: HallEventKind.AppointmentsChanged | HallEventKind.CatalogChanged): void {
    const seq = ++this.streamSeq;
    const payload = kind === HallEventKind.AppointmentsChanged ? { days: [businessDayOf(this.now(), this.catalog.hall.timeZone)] } : { catalogVersion: this.catalogVersion };
    const frame = `id: ${seq}\nevent: ${kind}\ndata: ${JSON.stringify({ kind, payload, seq, at: this.now().toISOString() })}\n\n`;
    for (const res of this.streams) res.write(frame);
  }

  /** Drops every live channel connection (a portal restart, a proxy timeout). */
  dropStreams(): void {
    for (const res of this.streams) res.destroy();
    this.streams.clear();
  }

  /** Sends the answers held back by PortalFault.Hold; returns how many. */
  releaseHeld(): number {
    const held = this.held.splice(0);
    for (const answer of held) answer();
    return held.length;
  }

  heldCount(): number {
    return this.held.length;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send: Send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      send(401, { code: PortalErrorCode.Unauthorized, message: 'bad token' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://portal.invalid');
    const body = (): unknown => JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const route = `${req.method ?? ''} ${url.pathname}`;
    if (route === 'GET /v1/kiosk/catalog') {
      this.catalogRequests++;
      send(200, { ...this.catalog, serverTime: this.now().toISOString() });
    } else if (route === 'POST /v1/kiosk/events') {
      this.handlePush(body(), res, send);
    } else if (route === 'GET /v1/kiosk/pull' && !this.legacy) {
      this.handlePull(url.searchParams.get('cursor'), res, send);
    } else if (route === 'POST /v1/kiosk/bands' && !this.legacy) {
      this.handleLease(body(), res, send);
    } else if (route === 'POST /v1/kiosk/numbers') {
      this.handleAllocate(body(), res, send);
    } else if (route === 'POST /v1/kiosk/cases/lookup' && !this.legacy) {
      this.handleLookup(KioskCasesRequest.safeParse(body()), this.casesFaults.shift(), res, send, (r) => {
        this.casesRequests++;
        return { cases: this.cases.get(r.citizenHmac) ?? [], serverTime: this.now().toISOString() };
      });
    } else if (route === 'POST /v1/kiosk/tickets/rateable' && !this.legacy) {
      this.handleLookup(RateableTicketsRequest.safeParse(body()), this.rateableFaults.shift(), res, send, (r) => {
        this.rateableRequests++;
        return { tickets: this.rateable.get(r.citizenHmac ?? r.ticketId ?? '') ?? [], serverTime: this.now().toISOString() };
      });
    } else if (route === `POST ${KIOSK_HEALTH_PATH}` && !this.legacy) {
      this.handleHealth(body(), res, send);
    } else if (route === `GET ${KIOSK_EVENTS_PATH}` && this.streamEnabled && !this.legacy) {
      this.streamRequests++;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
      res.write(`retry: 2000\n: connected\n\nid: ${this.streamSeq}\nevent: ready\ndata: {"lastEventSeq":${this.streamSeq}}\n\n`);
      this.streams.add(res);
      res.on('close', () => this.streams.delete(res));
    } else {
      send(404, { code: PortalErrorCode.NotFound, message: 'no such route' });
    }
  }

  /** Runs `apply` and answers as the fault says (a refusal answers through `reject`). */
  private answer(fault: PortalFault | null | undefined, res: http.ServerResponse, send: Send, apply: () => unknown, reject: () => void): void {
    if (fault === PortalFault.Hang) {
      this.hung.add(res);
      return;
    }
    if (fault === PortalFault.Unavailable) {
      send(503, { code: PortalErrorCode.Internal, message: 'maintenance' });
      return;
    }
    if (fault === PortalFault.Reject) {
      reject();
      return;
    }
    const result = apply();
    if (fault === PortalFault.ApplyThenUnavailable) {
      send(503, { code: PortalErrorCode.Internal, message: 'lost the answer' });
      return;
    }
    if (fault === PortalFault.Hold) {
      this.held.push(() => send(200, result));
      return;
    }
    send(200, result);
  }

  private handlePush(raw: unknown, res: http.ServerResponse, send: Send): void {
    this.pushRequests++;
    const parsed = PushRequest.safeParse(raw);
    if (!parsed.success) {
      send(400, { code: PortalErrorCode.BadRequest, message: parsed.error.message });
      return;
    }
    this.eventsReceived += parsed.data.events.length;
    this.answer(this.faults.shift(), res, send, () => this.applyPush(parsed.data), () =>
      send(400, { code: PortalErrorCode.BadRequest, message: 'refused batch' }),
    );
  }

  private handlePull(cursor: string | null, res: http.ServerResponse, send: Send): void {
    this.pullRequests++;
    this.pullCursors.push(cursor);
    const since = cursor === null ? 0 : Number(/^v(\d+)$/.exec(cursor)?.[1] ?? NaN);
    if (Number.isNaN(since)) {
      send(400, { code: PortalErrorCode.BadRequest, message: 'unknown cursor' });
      return;
    }
    this.answer(
      this.pullFaults.shift(),
      res,
      send,
      () => ({
        cursor: `v${this.version}`,
        catalog: this.catalogVersion > since ? this.catalog : null,
        kiosk: this.kiosk,
        citizenKey: TEST_CITIZEN_KEY,
        bands: [...this.leases.values()],
        appointments: [...this.appointments.values()].filter((a) => a.version > since).map((a) => a.appointment),
        certificateKeys: this.certificateKeys,
        serverTime: this.now().toISOString(),
      }),
      () => send(400, { code: PortalErrorCode.BadRequest, message: 'cursor expired' }),
    );
  }

  private handleLookup<T>(
    parsed: { success: true; data: T } | { success: false; error: { message: string } },
    fault: PortalFault | null | undefined,
    res: http.ServerResponse,
    send: Send,
    answer: (request: T) => unknown,
  ): void {
    if (!parsed.success) {
      send(400, { code: PortalErrorCode.BadRequest, message: parsed.error.message });
      return;
    }
    this.answer(fault, res, send, () => answer(parsed.data), () => send(404, { code: PortalErrorCode.NotFound, message: 'no such route' }));
  }

  private handleHealth(raw: unknown, res: http.ServerResponse, send: Send): void {
    const parsed = KioskHealthReport.safeParse(raw);
    if (!parsed.success) {
      send(400, { code: PortalErrorCode.BadRequest, message: parsed.error.message });
      return;
    }
    this.answer(
      this.healthFaults.shift(),
      res,
      send,
      () => {
        this.healthReports.push(parsed.data);
        return { serverTime: this.now().toISOString() };
      },
      () => send(400, { code: PortalErrorCode.BadRequest, message: 'report refused' }),
    );
  }

  private handleLease(raw: unknown, res: http.ServerResponse, send: Send): void {
    this.leaseRequests++;
    const parsed = LeaseBandRequest.safeParse(raw);
    if (!parsed.success) {
      send(400, { code: PortalErrorCode.BadRequest, message: parsed.error.message });
      return;
    }
    const req = parsed.data;
    const held = [...this.leases.values()].filter((b) => b.serviceId === req.serviceId && b.businessDay === req.businessDay);
    if (!this.leases.has(req.leaseId) && held.length >= this.bandCap) {
      send(409, { code: PortalErrorCode.BandCap, message: `${held.length} bands held for ${req.serviceId} on ${req.businessDay}` });
      return;
    }
    this.answer(
      this.leaseFaults.shift(),
      res,
      send,
      () => {
        let band = this.leases.get(req.leaseId);
        if (!band) {
          const key = `${req.serviceId}|${req.businessDay}`;
          const first = this.nextBandSequence.get(key) ?? this.bandStart;
          band = {
            bandId: randomUUID(),
            serviceId: req.serviceId,
            businessDay: req.businessDay,
            firstSequence: first,
            lastSequence: Math.min(BAND_LAST_SEQUENCE, first + req.size - 1),
          };
          this.nextBandSequence.set(key, band.lastSequence + 1);
          this.leases.set(req.leaseId, band);
          this.version++;
        }
        return { band, serverTime: this.now().toISOString() };
      },
      () => send(409, { code: PortalErrorCode.Conflict, message: 'no numbers left to lease' }),
    );
  }

  private handleAllocate(raw: unknown, res: http.ServerResponse, send: Send): void {
    this.allocateRequests++;
    const parsed = AllocateNumberRequest.safeParse(raw);
    if (!parsed.success) {
      send(400, { code: PortalErrorCode.BadRequest, message: parsed.error.message });
      return;
    }
    const req = parsed.data;
    const service = this.catalog.services.find((s) => s.id === req.serviceId);
    if (!service) {
      send(404, { code: PortalErrorCode.UnknownService, message: `unknown service ${req.serviceId}` });
      return;
    }
    this.answer(
      this.allocateFaults.shift(),
      res,
      send,
      () => {
        const businessDay = businessDayOf(this.now(), this.catalog.hall.timeZone);
        let number = this.allocations.get(req.ticketId);
        if (!number) {
          const key = `${req.serviceId}|${businessDay}`;
          const sequence = (this.nextOnlineSequence.get(key) ?? 0) + 1;
          this.nextOnlineSequence.set(key, sequence);
          number = formatHallNumber(service.prefix, sequence);
          this.allocations.set(req.ticketId, number);
        }
        return { ticketId: req.ticketId, number, businessDay, waitingAhead: this.waitingAhead, serverTime: this.now().toISOString() };
      },
      () => send(409, { code: PortalErrorCode.AlreadyWaiting, message: 'already waiting' }),
    );
  }

  private applyPush(req: PushRequest): PushResponse {
    let last = this.cursors.get(req.dbEpoch) ?? 0;
    const rejected: RejectedEvent[] = [];
    for (const e of [...req.events].sort((a, b) => a.seq - b.seq)) {
      if (e.seq <= last) continue;
      if (e.seq !== last + 1) break;
      if (this.rejectSeqs.has(e.seq)) {
        rejected.push({ seq: e.seq, eventId: e.eventId, ...this.rejectWith });
      } else if (!this.applied.has(e.eventId)) {
        this.applied.set(e.eventId, 1);
        this.appliedSeqs.push(e.seq);
        if (e.type === SyncEventType.TicketIssued) this.appliedNumbers.push(e.payload.number);
        if (e.type === SyncEventType.RatingSubmitted) this.appliedRatings.push(e.payload);
      } else {
        this.applied.set(e.eventId, (this.applied.get(e.eventId) ?? 0) + 1);
      }
      last = e.seq;
    }
    this.cursors.set(req.dbEpoch, last);
    return { lastSeq: last, rejected, serverTime: this.now().toISOString() };
  }
}

/** An appointment for tests; override what the test is about. */
export function testAppointment(overrides: Partial<Appointment> = {}): Appointment {
  return {
    appointmentId: randomUUID(),
    reference: 'HKA1-7Q2M9X',
    serviceId: 'social-insurance',
    businessDay: '2025-03-10',
    windowStart: '2025-03-10T01:00:00.000Z',
    windowEnd: '2025-03-10T01:30:00.000Z',
    citizenHmac: 'c1'.repeat(32),
    status: AppointmentStatus.Booked,
    ...overrides,
  };
}

/** Polls `condition` until it holds; the deadline only guards against a hang, it measures nothing. */
export async function waitFor(condition: () => boolean, what: string, deadlineMs = 20_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

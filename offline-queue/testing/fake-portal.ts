import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Catalog } from '../../common/contract/catalog.js';
import { PortalErrorCode } from '../../common/contract/errors.js';
import { PushRequest, type PushResponse, type RejectedEvent, SyncRejectCode } from '../../common/contract/sync-api.js';

/** What the next push request gets instead of a normal answer. */
export enum PushFault {
  /** Answer 503 without applying anything. */
  Unavailable = 'unavailable',
  /** Apply the batch, then answer 503: the kiosk must resend, the portal must not apply twice. */
  ApplyThenUnavailable = 'apply-then-unavailable',
  /** Never answer (the kiosk's timeout fires). */
  Hang = 'hang',
}

export const testCatalog: Catalog = {
  hall: { hallId: 'hall-1', name: { zh: '市民中心', en: 'Civic Centre' }, timeZone: 'Asia/Shanghai' },
  services: [
    { id: 'social-insurance', prefix: 'A', name: { zh: '社保', en: 'Social insurance' }, description: null, enabled: true, sortOrder: 1 },
  ],
};

/**
 * A minimal portal over real HTTP on 127.0.0.1 implementing the push cursor rules of
 * ARCHITECTURE.md §5: skip seq <= last_seq, stop at a gap, apply each event_id once.
 */
export class FakePortal {
  readonly token = 'kiosk-test-token';
  /** Push faults consumed one per push request, in order; null answers normally. */
  readonly faults: (PushFault | null)[] = [];
  /** Seqs the portal rejects (4xx-style per-event rejection). */
  readonly rejectSeqs = new Set<number>();
  readonly cursors = new Map<string, number>();
  /** event_id -> how many times it was applied (must stay 1). */
  readonly applied = new Map<string, number>();
  readonly appliedSeqs: number[] = [];
  pushRequests = 0;
  eventsReceived = 0;
  catalogRequests = 0;
  private readonly server: http.Server;
  private readonly hung = new Set<http.ServerResponse>();

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
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      send(401, { code: PortalErrorCode.Unauthorized, message: 'bad token' });
      return;
    }
    if (req.method === 'GET' && req.url === '/v1/kiosk/catalog') {
      this.catalogRequests++;
      send(200, { ...testCatalog, serverTime: new Date().toISOString() });
      return;
    }
    if (req.method === 'POST' && req.url === '/v1/kiosk/events') {
      this.pushRequests++;
      const parsed = PushRequest.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      if (!parsed.success) {
        send(400, { code: PortalErrorCode.BadRequest, message: parsed.error.message });
        return;
      }
      this.eventsReceived += parsed.data.events.length;
      const fault = this.faults.shift();
      if (fault === PushFault.Hang) {
        this.hung.add(res);
        return;
      }
      if (fault === PushFault.Unavailable) {
        send(503, { code: PortalErrorCode.Internal, message: 'maintenance' });
        return;
      }
      const answer = this.apply(parsed.data);
      if (fault === PushFault.ApplyThenUnavailable) {
        send(503, { code: PortalErrorCode.Internal, message: 'lost the answer' });
        return;
      }
      send(200, answer);
      return;
    }
    send(404, { code: PortalErrorCode.NotFound, message: 'no such route' });
  }

  private apply(req: PushRequest): PushResponse {
    let last = this.cursors.get(req.dbEpoch) ?? 0;
    const rejected: RejectedEvent[] = [];
    for (const e of [...req.events].sort((a, b) => a.seq - b.seq)) {
      if (e.seq <= last) continue;
      if (e.seq !== last + 1) break;
      if (this.rejectSeqs.has(e.seq)) {
        rejected.push({ seq: e.seq, eventId: e.eventId, code: SyncRejectCode.UnknownService, reason: 'retired service' });
      } else if (!this.applied.has(e.eventId)) {
        this.applied.set(e.eventId, 1);
        this.appliedSeqs.push(e.seq);
      } else {
        this.applied.set(e.eventId, (this.applied.get(e.eventId) ?? 0) + 1);
      }
      last = e.seq;
    }
    this.cursors.set(req.dbEpoch, last);
    return { lastSeq: last, rejected, serverTime: new Date().toISOString() };
  }
}

/** Polls `condition` until it holds; the deadline only guards against a hang, it measures nothing. */
export async function waitFor(condition: () => boolean, what: string, deadlineMs = 20_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

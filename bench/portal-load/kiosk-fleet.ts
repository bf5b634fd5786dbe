/**
 * The kiosks of bench/portal-load.bench.ts, in a worker thread of their own so that a thousand of
 * them do not delay the clerks' and displays' clocks in the main thread. Each kiosk behaves as the
 * kiosk core does (offline-queue/sync/sync-engine.ts, main/core/ticket-issuer.ts), over its own
 * keep-alive connections:
 * - a visitor arrives now and then (exponential gaps): the kiosk asks the portal for a number
 *   (`POST /v1/kiosk/numbers`), puts the `ticket.issued` event in its outbox and kicks its sync;
 * - its sync makes one exchange with the portal at a time: push the outbox in batches (up to the
 *   contract's 500 events; one event when the kiosk keeps up, more when a push was in flight),
 *   and every pull interval a round of push then pull (`GET /v1/kiosk/pull` with its cursor).
 */
import { randomUUID } from 'node:crypto';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { Pool } from 'undici';
import { AllocateNumberResponse, MAX_PUSH_BATCH, PullResponse, PushResponse, SyncEventType, type OutboxEvent } from '../../common/contract/sync-api.js';
import { Priority } from '../../common/domain/priority.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { DEMO_SERVICES } from '../../portal/seed/demo-hall.js';
import { RouteSamples, exponential, sleep, timedRequest, type SamplesSnapshot } from './http-samples.js';
import type { LoadKiosk, LoadLayout } from './layout.js';

export interface FleetData {
  baseUrl: string;
  kiosks: LoadKiosk[];
  layout: LoadLayout;
}

export type FleetCommand = { type: 'measure' } | { type: 'stop' };

export interface FleetReport {
  type: 'report';
  samples: SamplesSnapshot;
  ticketsIssued: number;
  eventsAcked: number;
  eventsRejected: number;
  /** Events still in outboxes when the load stopped (pushed by a kiosk on its next round). */
  backlog: number;
}

interface FleetCounts {
  issued: number;
  acked: number;
  rejected: number;
}

class SimulatedKiosk {
  private readonly pool: Pool;
  private readonly auth: Record<string, string>;
  private readonly dbEpoch = randomUUID();
  private seq = 0;
  private outbox: OutboxEvent[] = [];
  private cursor: string | null = null;
  /** The sync's one exchange at a time. */
  private exchange: Promise<void> = Promise.resolve();
  private readonly stopping = new AbortController();
  private readonly loops: Promise<void>[] = [];

  constructor(
    baseUrl: string,
    kiosk: LoadKiosk,
    private readonly layout: LoadLayout,
    private readonly samples: RouteSamples,
    private readonly counts: FleetCounts,
  ) {
    // One connection for the sync, one for the issuer, kept alive as the kiosk's client keeps them.
    this.pool = new Pool(baseUrl, { connections: 2, pipelining: 1 });
    this.auth = { authorization: `Bearer ${kiosk.token}` };
  }

  start(): void {
    this.loops.push(this.syncLoop(), this.visitorLoop());
  }

  get backlog(): number {
    return this.outbox.length;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.loops);
    await this.exchange;
    await this.pool.close();
  }

  private exclusive(work: () => Promise<void>): Promise<void> {
    const next = this.exchange.then(work, work);
    this.exchange = next.catch(() => undefined);
    return next;
  }

  /** A sync round every pull interval, the first at a random point of it (kiosks do not start in step). */
  private async syncLoop(): Promise<void> {
    await sleep(Math.random() * this.layout.pullEveryMs, this.stopping.signal);
    let due = performance.now();
    while (!this.stopping.signal.aborted) {
      await this.exclusive(async () => {
        await this.drain();
        await this.pull();
      });
      due += this.layout.pullEveryMs;
      await sleep(Math.max(0, due - performance.now()), this.stopping.signal);
    }
  }

  private async visitorLoop(): Promise<void> {
    for (;;) {
      await sleep(exponential(this.layout.issueEveryMs), this.stopping.signal);
      if (this.stopping.signal.aborted) return;
      await this.issue();
    }
  }

  /** A visitor takes a ticket: a number online, the event in the outbox, the sync kicked. */
  private async issue(): Promise<void> {
    const ticketId = randomUUID();
    const service = DEMO_SERVICES[Math.floor(Math.random() * DEMO_SERVICES.length)] ?? DEMO_SERVICES[0];
    if (!service) return;
    const answer = await timedRequest(this.pool, this.samples, 'allocate', {
      method: 'POST',
      path: '/v1/kiosk/numbers',
      headers: this.auth,
      body: { ticketId, serviceId: service.id, citizenHmac: null },
    });
    if (answer?.status !== 200) return;
    const allocated = AllocateNumberResponse.parse(JSON.parse(answer.text));
    const now = new Date().toISOString();
    this.outbox.push({
      seq: ++this.seq,
      eventId: randomUUID(),
      occurredAt: now,
      type: SyncEventType.TicketIssued,
      payload: {
        ticketId,
        serviceId: service.id,
        number: allocated.number,
        numberSource: NumberSource.Portal,
        businessDay: allocated.businessDay,
        priority: Priority.Normal,
        issuedAt: now,
        citizenHmac: null,
      },
    });
    this.counts.issued += 1;
    void this.exclusive(() => this.drain());
  }

  /** Pushes the outbox in batches until empty; a failed push waits for the next round. */
  private async drain(): Promise<void> {
    while (this.outbox.length > 0) {
      const events = this.outbox.slice(0, MAX_PUSH_BATCH);
      const answer = await timedRequest(this.pool, this.samples, 'push', {
        method: 'POST',
        path: '/v1/kiosk/events',
        headers: this.auth,
        body: { dbEpoch: this.dbEpoch, events },
      });
      if (answer?.status !== 200) return;
      const pushed = PushResponse.parse(JSON.parse(answer.text));
      const before = this.outbox.length;
      this.outbox = this.outbox.filter((e) => e.seq > pushed.lastSeq);
      this.counts.acked += before - this.outbox.length - pushed.rejected.length;
      this.counts.rejected += pushed.rejected.length;
    }
  }

  private async pull(): Promise<void> {
    const query = this.cursor === null ? '' : `?cursor=${encodeURIComponent(this.cursor)}`;
    const answer = await timedRequest(this.pool, this.samples, 'pull', { method: 'GET', path: `/v1/kiosk/pull${query}`, headers: this.auth });
    if (answer?.status !== 200) return;
    this.cursor = PullResponse.parse(JSON.parse(answer.text)).cursor;
  }
}

async function runFleet(port: MessagePort, data: FleetData): Promise<void> {
  const samples = new RouteSamples();
  const counts: FleetCounts = { issued: 0, acked: 0, rejected: 0 };
  const kiosks = data.kiosks.map((k) => new SimulatedKiosk(data.baseUrl, k, data.layout, samples, counts));
  for (const kiosk of kiosks) kiosk.start();
  await new Promise<void>((resolve) => {
    port.on('message', (command: FleetCommand) => {
      if (command.type === 'measure') samples.startMeasuring();
      else resolve();
    });
  });
  samples.stopMeasuring();
  await Promise.all(kiosks.map((k) => k.stop()));
  const report: FleetReport = {
    type: 'report',
    samples: samples.snapshot(),
    ticketsIssued: counts.issued,
    eventsAcked: counts.acked,
    eventsRejected: counts.rejected,
    backlog: kiosks.reduce((n, k) => n + k.backlog, 0),
  };
  port.postMessage(report);
}

if (parentPort) {
  const port = parentPort;
  runFleet(port, workerData as FleetData).catch((err: unknown) => {
    port.postMessage({ type: 'failed', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  });
}

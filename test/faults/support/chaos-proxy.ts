import net from 'node:net';
import { frameRequest, type FramedRequest } from './http-framing.js';
import { randomInt, seededRandom, type Random } from './seeded-random.js';
import { UpstreamLink } from './upstream-link.js';

/** What the proxy may do to one HTTP request instead of passing it through. */
export enum ChaosFault {
  /** The connection is closed and the request never forwarded. */
  Drop = 'drop',
  /** Forwarded after a pause (and answered normally). */
  Delay = 'delay',
  /** The connection is reset mid-stream: part of the request upstream, or part of the answer back. */
  Reset = 'reset',
  /** The same request is delivered upstream twice (one after the other, or at once on two connections). */
  Duplicate = 'duplicate',
  /** The request reaches the server, its response never reaches the client (reset, or silence). */
  LoseResponse = 'lose-response',
}

export enum PartitionMode {
  /** Every connection is reset at once, new ones as soon as they are accepted: nothing gets through. */
  Refuse = 'refuse',
  /** Connections are accepted and every byte is swallowed: clients wait until their own timeout. */
  Blackhole = 'blackhole',
}

/** Probability per request of each fault; the rest pass through. The sum must be at most 1. */
export type ChaosRates = Record<ChaosFault, number>;

export const NO_FAULTS: ChaosRates = {
  [ChaosFault.Drop]: 0,
  [ChaosFault.Delay]: 0,
  [ChaosFault.Reset]: 0,
  [ChaosFault.Duplicate]: 0,
  [ChaosFault.LoseResponse]: 0,
};

export interface ChaosCounters {
  connections: number;
  /** Requests read from clients. */
  requests: number;
  /** Requests read from clients, by path. */
  byPath: Record<string, number>;
  /** Requests (duplicates and cut ones included) sent upstream. */
  forwarded: number;
  /** Responses relayed whole to a client. */
  answered: number;
  faults: Record<ChaosFault, number>;
  partitions: number;
  /** Connections reset by a Refuse partition. */
  refused: number;
  /** Requests or responses swallowed by a Blackhole partition. */
  blackholed: number;
}

export interface ChaosProxyOptions {
  upstream: { host: string; port: number };
  seed: number;
  rates?: Partial<ChaosRates>;
  /** Range of a Delay fault, in ms (default 20-300). */
  delayMs?: readonly [number, number];
}

const FAULT_ORDER: readonly ChaosFault[] = [
  ChaosFault.Drop,
  ChaosFault.Delay,
  ChaosFault.Reset,
  ChaosFault.Duplicate,
  ChaosFault.LoseResponse,
];
/** Decisions kept for inspection (the unit test replays a seed); older ones are forgotten. */
const MAX_DECISIONS = 50_000;

function checkRates(rates: ChaosRates): ChaosRates {
  const sum = FAULT_ORDER.reduce((s, f) => s + rates[f], 0);
  if (FAULT_ORDER.some((f) => rates[f] < 0) || sum > 1 + 1e-9) throw new RangeError(`fault rates must be >= 0 and sum to <= 1, got ${sum}`);
  return rates;
}

/** One client connection: its unparsed bytes, its upstream link, whether it is being served. */
interface ClientConnection {
  socket: net.Socket;
  upstream: UpstreamLink;
  buffered: Buffer;
  busy: boolean;
  /** Swallowed by a black hole or a silent lost response: nothing more is read or answered. */
  silenced: boolean;
}

/**
 * A fault-injecting HTTP proxy on 127.0.0.1 for the chaos tests: it reads each request off the
 * client's keep-alive connection (head + Content-Length or chunked body) and decides, with a seeded
 * PRNG, whether to pass it, drop it, delay it, reset the connection mid-stream, deliver it upstream
 * twice, or deliver it and lose the answer. Partitions refuse or black-hole everything until healed.
 */
export class ChaosProxy {
  readonly port: number;
  private rates: ChaosRates;
  private partitionMode: PartitionMode | null = null;
  private readonly random: Random;
  private readonly clients = new Set<ClientConnection>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly decisionLog: string[] = [];
  private closed = false;
  private readonly counts: ChaosCounters = {
    connections: 0,
    requests: 0,
    byPath: {},
    forwarded: 0,
    answered: 0,
    faults: { ...NO_FAULTS },
    partitions: 0,
    refused: 0,
    blackholed: 0,
  };

  private constructor(
    private readonly server: net.Server,
    private readonly options: ChaosProxyOptions,
  ) {
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    this.random = seededRandom(options.seed);
    this.rates = checkRates({ ...NO_FAULTS, ...options.rates });
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: ChaosProxyOptions): Promise<ChaosProxy> {
    const server = net.createServer({ noDelay: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new ChaosProxy(server, options);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  setRates(rates: Partial<ChaosRates>): void {
    this.rates = checkRates({ ...this.rates, ...rates });
  }

  /** Cuts the network until `endPartition()` or `heal()`. */
  partition(mode: PartitionMode): void {
    if (this.partitionMode === mode) return;
    this.partitionMode = mode;
    this.counts.partitions++;
    if (mode === PartitionMode.Refuse) {
      for (const client of [...this.clients]) this.refuse(client);
    }
  }

  /** Ends a partition; connections a black hole swallowed are closed (their clients gave up long ago). */
  endPartition(): void {
    if (this.partitionMode === null) return;
    this.partitionMode = null;
    for (const client of [...this.clients]) {
      if (client.silenced) this.closeClient(client);
    }
  }

  /** No partition, no faults: from now on every request passes. */
  heal(): void {
    this.rates = { ...NO_FAULTS };
    this.endPartition();
    for (const client of [...this.clients]) if (client.silenced) this.closeClient(client);
  }

  get partitioned(): PartitionMode | null {
    return this.partitionMode;
  }

  counters(): ChaosCounters {
    return { ...this.counts, byPath: { ...this.counts.byPath }, faults: { ...this.counts.faults } };
  }

  /** The fault decided for each request, in arrival order ('pass' for none). */
  decisions(): string[] {
    return [...this.decisionLog];
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const client of [...this.clients]) this.closeClient(client);
    await closed;
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    socket.on('error', () => undefined); // a reset client is part of the game
    this.counts.connections++;
    const client: ClientConnection = {
      socket,
      upstream: new UpstreamLink(this.options.upstream),
      buffered: Buffer.alloc(0),
      busy: false,
      silenced: false,
    };
    this.clients.add(client);
    socket.once('close', () => {
      this.clients.delete(client);
      client.upstream.destroy();
    });
    if (this.closed || this.partitionMode === PartitionMode.Refuse) {
      this.refuse(client);
      return;
    }
    socket.on('data', (chunk: Buffer) => {
      if (client.silenced) return;
      client.buffered = Buffer.concat([client.buffered, chunk]);
      this.serveNext(client);
    });
  }

  private serveNext(client: ClientConnection): void {
    if (client.busy || client.silenced || client.socket.destroyed) return;
    let request: FramedRequest | null;
    try {
      request = frameRequest(client.buffered);
    } catch {
      this.closeClient(client);
      return;
    }
    if (!request) return;
    client.buffered = Buffer.from(client.buffered.subarray(request.bytes.length));
    client.busy = true;
    this.counts.requests++;
    this.counts.byPath[request.path] = (this.counts.byPath[request.path] ?? 0) + 1;
    this.serve(client, request)
      .catch(() => this.closeClient(client))
      .finally(() => {
        client.busy = false;
        this.serveNext(client);
      });
  }

  private decide(): ChaosFault | null {
    const r = this.random();
    let acc = 0;
    for (const fault of FAULT_ORDER) {
      acc += this.rates[fault];
      if (r < acc) return fault;
    }
    return null;
  }

  private log(decision: string): void {
    if (this.decisionLog.length >= MAX_DECISIONS) this.decisionLog.splice(0, MAX_DECISIONS / 2);
    this.decisionLog.push(decision);
  }

  private async serve(client: ClientConnection, request: FramedRequest): Promise<void> {
    if (this.partitionMode !== null) {
      this.log(`partition-${this.partitionMode}`);
      this.inPartition(client);
      return;
    }
    const fault = this.decide();
    this.log(fault ?? 'pass');
    if (fault) this.counts.faults[fault]++;
    switch (fault) {
      case null:
        return this.pass(client, request);
      case ChaosFault.Drop:
        this.closeClient(client);
        return;
      case ChaosFault.Delay: {
        const [min, max] = this.options.delayMs ?? [20, 300];
        await this.sleep(randomInt(this.random, min, max));
        return this.pass(client, request);
      }
      case ChaosFault.Reset:
        return this.reset(client, request);
      case ChaosFault.Duplicate:
        return this.duplicate(client, request);
      case ChaosFault.LoseResponse:
        return this.loseResponse(client, request);
    }
  }

  private async pass(client: ClientConnection, request: FramedRequest): Promise<void> {
    this.counts.forwarded++;
    const response = await client.upstream.exchange(request.bytes, request.method);
    this.answer(client, response.bytes, response.closes);
  }

  private async reset(client: ClientConnection, request: FramedRequest): Promise<void> {
    if (this.random() < 0.5) {
      // Cut on the way in: the server sees a request that stops part-way.
      this.counts.forwarded++;
      await client.upstream.sendPartialAndCut(request.bytes, randomInt(this.random, 1, Math.max(1, request.bytes.length - 1)));
      this.resetClient(client);
      return;
    }
    // Cut on the way out: the server handled it, the client gets part of the answer, then RST.
    this.counts.forwarded++;
    const response = await client.upstream.exchange(request.bytes, request.method);
    if (this.partitionMode !== null) return this.inPartition(client);
    const cut = randomInt(this.random, 1, Math.max(1, response.bytes.length - 1));
    client.socket.write(response.bytes.subarray(0, cut), () => this.resetClient(client));
  }

  private async duplicate(client: ClientConnection, request: FramedRequest): Promise<void> {
    this.counts.forwarded += 2;
    if (this.random() < 0.5) {
      // Back to back on the same connection: a retry the client never made.
      const first = await client.upstream.exchange(request.bytes, request.method);
      const second = await client.upstream.exchange(request.bytes, request.method);
      const chosen = this.random() < 0.5 ? first : second;
      this.answer(client, chosen.bytes, chosen.closes || second.closes);
      return;
    }
    // At the same moment on two connections: the server races itself.
    const extra = new UpstreamLink(this.options.upstream);
    try {
      const [first, second] = await Promise.all([
        client.upstream.exchange(request.bytes, request.method),
        extra.exchange(request.bytes, request.method),
      ]);
      const chosen = this.random() < 0.5 ? first : second;
      this.answer(client, chosen.bytes, first.closes);
    } finally {
      extra.destroy();
    }
  }

  private async loseResponse(client: ClientConnection, request: FramedRequest): Promise<void> {
    this.counts.forwarded++;
    await client.upstream.exchange(request.bytes, request.method);
    if (this.random() < 0.5) {
      this.resetClient(client);
    } else {
      // Silence: the client waits for an answer that never comes, until its own timeout.
      client.silenced = true;
    }
  }

  private answer(client: ClientConnection, bytes: Buffer, closes: boolean): void {
    if (this.partitionMode !== null) {
      this.inPartition(client);
      return;
    }
    if (client.socket.destroyed) return;
    this.counts.answered++;
    client.socket.write(bytes);
    if (closes) client.socket.end();
  }

  private inPartition(client: ClientConnection): void {
    if (this.partitionMode === PartitionMode.Refuse) {
      this.refuse(client);
    } else {
      this.counts.blackholed++;
      client.silenced = true;
    }
  }

  private refuse(client: ClientConnection): void {
    this.counts.refused++;
    this.resetClient(client);
  }

  private resetClient(client: ClientConnection): void {
    client.silenced = true;
    client.upstream.destroy();
    if (!client.socket.destroyed) client.socket.resetAndDestroy();
  }

  private closeClient(client: ClientConnection): void {
    client.silenced = true;
    client.upstream.destroy();
    client.socket.destroy();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

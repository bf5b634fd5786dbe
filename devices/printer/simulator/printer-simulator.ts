import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BaudPacer } from '../../serial/baud-pacer.js';
import { openSerialPort, type SerialPortLike } from '../../serial/serial-link.js';
import { decodeEscPos, type DecodedReceipt } from './escpos-decoder.js';
import { DLE, readToken, TokenKind } from './escpos-tokenizer.js';
import { dleEotReply, gsRReply, isStopped, NO_FAULTS, type SimulatedFaults } from './simulated-status.js';

export type { SimulatedFaults } from './simulated-status.js';

export interface PrintedJob {
  id: number;
  receivedAt: string;
  bytes: Buffer;
  receipt: DecodedReceipt;
}

export interface SerialPrinterSimulatorOptions {
  /** The device end of a PTY pair. */
  path: string;
  /** Default 9600; both directions are paced at it (10 bits a byte). */
  baudRate?: number;
  jobsDir?: string;
}

/** One link to the kiosk: a TCP connection, or the serial line. */
interface Link {
  write(bytes: Buffer): void;
  /** The cable is pulled: for TCP the connection is destroyed. */
  drop(): void;
}

export interface PrinterSimulatorOptions {
  host?: string;
  /** Default 9100; 0 = any free port. */
  port?: number;
  /** If set, every job is saved as <id>.bin + <id>.txt. */
  jobsDir?: string;
}

/** What one connection has sent so far. */
interface ConnectionState {
  /** Received bytes not yet tokenised (they end inside a command). */
  unparsed: Buffer;
  /** Print data of the job in progress, status queries left out. */
  job: Buffer[];
  /** Part of this job arrived while the printer was stopped: it never comes out whole. */
  spoiled: boolean;
}

function newConnectionState(): ConnectionState {
  return { unparsed: Buffer.alloc(0), job: [], spoiled: false };
}

/**
 * A network receipt printer on loopback TCP: it answers DLE EOT like a real one and keeps every
 * job it printed, decoded to text, so tests can read what a visitor holds.
 *
 * - A job is the print data between the start (or the previous cut) and a cut; data left without
 *   a cut is printed when the connection closes, if it shows anything.
 * - Status queries (DLE EOT, GS r) are answered at once and are never part of a job.
 * - While paper is out or the cover is open, data is accepted (the socket does not block) but
 *   nothing comes out: a job any byte of which arrived in that state is dropped, not stored.
 *   `offline` alone only changes the status bytes: a printer that is merely offline keeps the
 *   job and prints it later, so it is stored.
 * - `disconnectMidJob`: the first print byte of a job drops the link (TCP: the connection is
 *   destroyed; serial: the printer goes deaf and mute until the fault is cleared), the job is lost.
 * - Serial mode (`startSerial`) listens on the device end of a PTY and paces both directions at
 *   the baud rate, so a 1.5 KB receipt takes its real 1.6 s at 9600 baud.
 *
 * Events: 'job' (job: PrintedJob).
 */
export class PrinterSimulator extends EventEmitter<{ job: [job: PrintedJob] }> {
  private readonly printed: PrintedJob[] = [];
  private readonly sockets = new Set<net.Socket>();
  private faults: SimulatedFaults = { ...NO_FAULTS };
  private nextId = 1;

  private serial: { port: SerialPortLike; state: ConnectionState; inbound: BaudPacer; outbound: BaudPacer; unplugged: boolean } | null = null;

  private constructor(
    private readonly server: net.Server | null,
    /** TCP port; 0 in serial mode. */
    readonly port: number,
    private readonly jobsDir: string | undefined,
  ) {
    super();
  }

  /** A serial printer on the device end of a PTY (see startPtyPair), paced at `baudRate`. */
  static async startSerial(opts: SerialPrinterSimulatorOptions): Promise<PrinterSimulator> {
    if (opts.jobsDir) mkdirSync(opts.jobsDir, { recursive: true });
    const baudRate = opts.baudRate ?? 9600;
    const port = await openSerialPort(opts.path, baudRate);
    const sim = new PrinterSimulator(null, 0, opts.jobsDir);
    const state = newConnectionState();
    const outbound = new BaudPacer((chunk) => {
      if (port.isOpen) port.write(chunk);
    }, { baudRate });
    const serial = { port, state, outbound, unplugged: false, inbound: new BaudPacer(() => undefined, { baudRate }) };
    const link: Link = {
      write: (bytes) => {
        if (!serial.unplugged) void outbound.send(bytes);
      },
      drop: () => {
        serial.unplugged = true;
        serial.inbound.clear();
        outbound.clear();
        state.job = [];
        state.unparsed = Buffer.alloc(0);
        state.spoiled = false;
      },
    };
    // Bytes from the kiosk arrive at memory speed; a real line delivers them at the baud rate.
    serial.inbound = new BaudPacer((chunk) => {
      if (!serial.unplugged) sim.receive(link, state, chunk);
    }, { baudRate });
    port.on('data', (chunk: Buffer) => {
      if (!serial.unplugged) void serial.inbound.send(chunk);
    });
    port.on('error', () => undefined);
    sim.serial = serial;
    return sim;
  }

  static async start(opts: PrinterSimulatorOptions = {}): Promise<PrinterSimulator> {
    if (opts.jobsDir) mkdirSync(opts.jobsDir, { recursive: true });
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 9100, opts.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const sim = new PrinterSimulator(server, port, opts.jobsDir);
    server.on('connection', (socket) => sim.accept(socket));
    return sim;
  }

  jobs(): PrintedJob[] {
    return [...this.printed];
  }

  setFaults(f: Partial<SimulatedFaults>): void {
    this.faults = { ...this.faults, ...f };
    if (this.serial && !this.faults.disconnectMidJob) this.serial.unplugged = false;
  }

  faultsNow(): SimulatedFaults {
    return { ...this.faults };
  }

  /** Drops every open connection (a cable pulled). */
  disconnectAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async stop(): Promise<void> {
    const serial = this.serial;
    if (serial) {
      this.serial = null;
      serial.inbound.clear();
      serial.outbound.clear();
      if (serial.port.isOpen) await new Promise<void>((resolve) => serial.port.close(() => resolve()));
      return;
    }
    const server = this.server;
    const closed = new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    this.disconnectAll();
    await closed;
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.setNoDelay(true);
    const state = newConnectionState();
    const link: Link = {
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      drop: () => socket.destroy(),
    };
    socket.on('data', (chunk: Buffer) => this.receive(link, state, chunk));
    socket.on('error', () => undefined); // 'close' follows; a reset peer is normal here
    socket.once('close', () => {
      this.sockets.delete(socket);
      if (state.unparsed.length > 0) this.take(state, state.unparsed);
      this.finishJob(state, false);
    });
  }

  private receive(link: Link, state: ConnectionState, chunk: Buffer): void {
    const bytes = state.unparsed.length > 0 ? Buffer.concat([state.unparsed, chunk]) : chunk;
    let pos = 0;
    while (pos < bytes.length) {
      const token = readToken(bytes, pos);
      if (!token) break;
      const slice = bytes.subarray(token.start, token.end);
      if (token.kind === TokenKind.StatusQuery) {
        const reply = slice[0] === DLE ? dleEotReply(slice[2] ?? 0, this.faults) : gsRReply(slice[2] ?? 0, this.faults);
        if (reply !== null) link.write(Buffer.from([reply]));
      } else {
        if (this.faults.disconnectMidJob && token.kind !== TokenKind.Control) {
          // The cable comes out under the job: what arrived so far is lost with it.
          state.job = [];
          state.spoiled = false;
          state.unparsed = Buffer.alloc(0);
          link.drop();
          return;
        }
        this.take(state, slice);
        if (token.kind === TokenKind.Cut) this.finishJob(state, true);
      }
      pos = token.end;
    }
    state.unparsed = Buffer.from(bytes.subarray(pos));
  }

  private take(state: ConnectionState, bytes: Buffer): void {
    if (isStopped(this.faults)) state.spoiled = true;
    state.job.push(Buffer.from(bytes));
  }

  private finishJob(state: ConnectionState, cut: boolean): void {
    const bytes = Buffer.concat(state.job);
    const spoiled = state.spoiled;
    state.job = [];
    state.spoiled = false;
    if (spoiled || bytes.length === 0) return;
    const receipt = decodeEscPos(bytes);
    if (!cut && receipt.lines.length === 0 && receipt.qrCodes.length === 0) return;
    const job: PrintedJob = { id: this.nextId++, receivedAt: new Date().toISOString(), bytes, receipt };
    if (this.jobsDir) {
      writeFileSync(path.join(this.jobsDir, `${job.id}.bin`), bytes);
      writeFileSync(path.join(this.jobsDir, `${job.id}.txt`), `${receipt.text}\n`);
    }
    this.printed.push(job);
    this.emit('job', job);
  }
}

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PrinterState } from '../../../common/contract/kiosk-api.js';
import { parsePrinterStatus } from '../escpos-status.js';
import { sampleReceipt } from '../test-receipt.fixture.js';
import { composeTicketReceipt } from '../ticket-receipt.js';
import { PrinterSimulator, type PrintedJob } from './printer-simulator.js';

/** A plain client: what any program on the kiosk could send to port 9100. */
class Client {
  private received = Buffer.alloc(0);
  private constructor(readonly socket: net.Socket) {
    socket.on('data', (c: Buffer) => {
      this.received = Buffer.concat([this.received, c]);
    });
  }

  static async connect(port: number): Promise<Client> {
    const socket = net.createConnection({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new Client(socket);
  }

  async send(bytes: Uint8Array): Promise<void> {
    await new Promise<void>((resolve, reject) => this.socket.write(bytes, (err) => (err ? reject(err) : resolve())));
  }

  /** Waits until `n` reply bytes have arrived in total. */
  async replies(n: number): Promise<number[]> {
    while (this.received.length < n) await new Promise((r) => setTimeout(r, 2));
    return [...this.received.subarray(0, n)];
  }

  async end(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }
}

function nextJob(sim: PrinterSimulator): Promise<PrintedJob> {
  return new Promise((resolve) => sim.once('job', resolve));
}

const CUT = [0x1d, 0x56, 0x00];

describe('PrinterSimulator', () => {
  let sim: PrinterSimulator;
  let jobsDir: string;

  beforeAll(async () => {
    jobsDir = mkdtempSync(path.join(os.tmpdir(), 'printer-sim-'));
    sim = await PrinterSimulator.start({ port: 0, jobsDir });
  });
  afterEach(() => sim.setFaults({ paperOut: false, paperNearEnd: false, coverOpen: false, offline: false }));
  afterAll(async () => {
    await sim.stop();
    rmSync(jobsDir, { recursive: true, force: true });
  });

  it('listens on the port it reports', () => {
    expect(sim.port).toBeGreaterThan(0);
  });

  it('answers DLE EOT 1/2/3/4 with bytes that parse back to each fault', async () => {
    const client = await Client.connect(sim.port);
    const read = async (offset: number): Promise<{ state: PrinterState; raw: number[] }> => {
      await client.send(Buffer.from([0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4]));
      const raw = (await client.replies(offset + 4)).slice(offset);
      return { state: parsePrinterStatus({ printer: raw[0] ?? 0, offline: raw[1] ?? 0, paper: raw[3] ?? 0 }), raw };
    };
    expect(await read(0)).toEqual({ state: PrinterState.Ready, raw: [0x12, 0x12, 0x12, 0x12] });
    sim.setFaults({ paperOut: true });
    expect(await read(4)).toEqual({ state: PrinterState.PaperOut, raw: [0x1a, 0x32, 0x12, 0x7e] });
    sim.setFaults({ paperOut: false, coverOpen: true });
    expect(await read(8)).toEqual({ state: PrinterState.CoverOpen, raw: [0x1a, 0x16, 0x12, 0x12] });
    sim.setFaults({ coverOpen: false, paperNearEnd: true });
    expect(await read(12)).toEqual({ state: PrinterState.PaperNearEnd, raw: [0x12, 0x12, 0x12, 0x1e] });
    sim.setFaults({ paperNearEnd: false, offline: true });
    expect((await read(16)).state).toBe(PrinterState.Offline);
    await client.end();
  });

  it('answers GS r 1 with the paper sensor', async () => {
    const client = await Client.connect(sim.port);
    sim.setFaults({ paperOut: true });
    await client.send(Buffer.from([0x1d, 0x72, 0x01]));
    expect(await client.replies(1)).toEqual([0x0f]);
    await client.end();
  });

  it('splits jobs at cuts, keeps status queries out of them, and saves each to jobsDir', async () => {
    const client = await Client.connect(sim.port);
    const first = nextJob(sim);
    await client.send(Buffer.from([0x1b, 0x40, ...Buffer.from('first'), 0x10, 0x04, 0x01, ...Buffer.from(' job\n'), ...CUT, ...Buffer.from('second\n')]));
    const job1 = await first;
    expect(await client.replies(1)).toEqual([0x12]);
    expect(job1.receipt.lines).toEqual(['first job']);
    expect(job1.receipt.cut).toBe(true);
    expect([...job1.bytes]).toEqual([0x1b, 0x40, ...Buffer.from('first job\n'), ...CUT]);

    const second = nextJob(sim);
    await client.send(Buffer.from([...Buffer.from('still second\n'), ...CUT]));
    const job2 = await second;
    expect(job2.id).toBe(job1.id + 1);
    expect(job2.receipt.lines).toEqual(['second', 'still second']);
    expect(readFileSync(path.join(jobsDir, `${job1.id}.bin`)).equals(job1.bytes)).toBe(true);
    expect(readFileSync(path.join(jobsDir, `${job2.id}.txt`), 'utf8')).toBe('second\nstill second\n');
    await client.end();
  });

  it('reassembles a receipt that arrives one byte at a time', async () => {
    const bytes = composeTicketReceipt(sampleReceipt({ number: 'F321' }));
    const client = await Client.connect(sim.port);
    const job = nextJob(sim);
    for (const byte of bytes) await client.send(Buffer.from([byte]));
    const printed = await job;
    expect(printed.bytes.equals(bytes)).toBe(true);
    expect(printed.receipt.lines).toContain('F321');
    expect(printed.receipt.qrCodes).toEqual([sampleReceipt().qrData]);
    await client.end();
  });

  it('prints data without a cut when the connection closes, but not a bare reset', async () => {
    const client = await Client.connect(sim.port);
    const job = nextJob(sim);
    await client.send(Buffer.from('no cut here\n'));
    await client.end();
    const printed = await job;
    expect(printed.receipt.lines).toEqual(['no cut here']);
    expect(printed.receipt.cut).toBe(false);

    const before = sim.jobs().length;
    const reset = await Client.connect(sim.port);
    await reset.send(Buffer.from([0x1b, 0x40, 0x10, 0x04, 0x01]));
    await reset.replies(1);
    await reset.end();
    expect(sim.jobs()).toHaveLength(before);
  });

  it('stores nothing that arrives while paper is out or the cover is open', async () => {
    for (const fault of [{ paperOut: true }, { coverOpen: true }]) {
      const before = sim.jobs().length;
      const client = await Client.connect(sim.port);
      sim.setFaults(fault);
      await client.send(Buffer.from([...Buffer.from('lost\n'), ...CUT]));
      await client.send(Buffer.from([0x10, 0x04, 0x01]));
      await client.replies(1); // the cut has been processed
      sim.setFaults({ paperOut: false, coverOpen: false });
      const job = nextJob(sim);
      await client.send(Buffer.from([...Buffer.from('after refill\n'), ...CUT]));
      expect((await job).receipt.lines).toEqual(['after refill']);
      expect(sim.jobs().slice(before).map((j) => j.receipt.text)).toEqual(['after refill']);
      await client.end();
    }
  });

  it('keeps a job sent while merely offline (a real printer prints it later)', async () => {
    sim.setFaults({ offline: true });
    const client = await Client.connect(sim.port);
    const job = nextJob(sim);
    await client.send(Buffer.from([...Buffer.from('queued\n'), ...CUT]));
    expect((await job).receipt.lines).toEqual(['queued']);
    await client.end();
  });

  it('disconnectAll drops every connection', async () => {
    const a = await Client.connect(sim.port);
    const b = await Client.connect(sim.port);
    const closed = Promise.all([a, b].map((c) => new Promise<void>((resolve) => c.socket.once('close', () => resolve()))));
    a.socket.on('error', () => undefined);
    b.socket.on('error', () => undefined);
    sim.disconnectAll();
    await closed;
    expect(a.socket.destroyed && b.socket.destroyed).toBe(true);
  });
});

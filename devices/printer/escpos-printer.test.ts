import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PrinterState } from '../../common/contract/kiosk-api.js';
import { DeviceError, DeviceErrorKind } from '../device-error.js';
import { createEscPosPrinter, type ReceiptPrinter } from './escpos-printer.js';
import { deadPort, startRawTcpServer } from './raw-tcp-server.fixture.js';
import { PrinterSimulator } from './simulator/printer-simulator.js';
import { sampleReceipt } from './test-receipt.fixture.js';
import { composeTicketReceipt } from './ticket-receipt.js';
import { createTcpPrinterTransport } from './tcp-printer-transport.js';

describe('ESC/POS printer against the TCP simulator', () => {
  let sim: PrinterSimulator;
  let printer: ReceiptPrinter;

  beforeAll(async () => {
    sim = await PrinterSimulator.start({ port: 0 });
    printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: sim.port }), { statusTimeoutMs: 2000 });
  });
  afterEach(() => {
    sim.setFaults({ paperOut: false, paperNearEnd: false, coverOpen: false, offline: false });
  });
  afterAll(async () => {
    await printer.close();
    await sim.stop();
  });

  it('reads Ready, prints a receipt, and the simulator holds its text', async () => {
    expect(await printer.readStatus()).toBe(PrinterState.Ready);
    const before = sim.jobs().length;
    await printer.print(composeTicketReceipt(sampleReceipt({ number: 'B007' })));
    const jobs = sim.jobs();
    expect(jobs).toHaveLength(before + 1);
    const job = jobs[jobs.length - 1];
    expect(job?.receipt.text).toContain('B007');
    expect(job?.receipt.text).toContain('社会保障卡申领');
    expect(job?.receipt.qrCodes).toEqual([sampleReceipt().qrData]);
    expect(job?.receipt.cut).toBe(true);
    // Status queries around the job are answered, never printed.
    expect(job?.bytes.includes(Buffer.from([0x10, 0x04]))).toBe(false);
    const health = printer.health();
    expect(health.state).toBe(PrinterState.Ready);
    expect(health.jobsPrinted).toBeGreaterThanOrEqual(1);
    expect(health.lastCheckedAt).not.toBeNull();
  });

  it('reports paper out, near end, cover open and offline', async () => {
    sim.setFaults({ paperOut: true });
    expect(await printer.readStatus()).toBe(PrinterState.PaperOut);
    sim.setFaults({ paperOut: false, paperNearEnd: true });
    expect(await printer.readStatus()).toBe(PrinterState.PaperNearEnd);
    sim.setFaults({ paperNearEnd: false, coverOpen: true });
    expect(await printer.readStatus()).toBe(PrinterState.CoverOpen);
    sim.setFaults({ coverOpen: false, offline: true });
    expect(await printer.readStatus()).toBe(PrinterState.Offline);
    sim.setFaults({ offline: false });
    expect(await printer.readStatus()).toBe(PrinterState.Ready);
  });

  it('sends nothing while paper is out, and says so', async () => {
    const before = sim.jobs().length;
    sim.setFaults({ paperOut: true });
    const err = await printer.print(composeTicketReceipt(sampleReceipt())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as DeviceError).kind).toBe(DeviceErrorKind.DeviceError);
    expect(sim.jobs()).toHaveLength(before);
    expect(printer.health().errors[DeviceErrorKind.DeviceError]).toBeGreaterThanOrEqual(1);
  });

  it('prints while paper is near end', async () => {
    sim.setFaults({ paperNearEnd: true });
    const before = sim.jobs().length;
    await printer.print(composeTicketReceipt(sampleReceipt({ number: 'C100' })));
    expect(sim.jobs()).toHaveLength(before + 1);
    expect(sim.jobs().at(-1)?.receipt.lines).toContain('C100');
  });

  it('survives a pulled cable: the next print succeeds or fails disconnected, the one after succeeds', async () => {
    await printer.readStatus(); // a live connection to pull
    sim.disconnectAll();
    const before = sim.jobs().length;
    let printed = 0;
    try {
      await printer.print(composeTicketReceipt(sampleReceipt({ number: 'D001' })));
      printed++;
    } catch (err) {
      expect(err).toBeInstanceOf(DeviceError);
      expect((err as DeviceError).kind).toBe(DeviceErrorKind.Disconnected);
    }
    await printer.print(composeTicketReceipt(sampleReceipt({ number: 'D002' })));
    printed++;
    const jobs = sim.jobs().slice(before);
    expect(jobs).toHaveLength(printed);
    expect(jobs.at(-1)?.receipt.lines).toContain('D002');
  });

  it('serialises concurrent status reads and prints', async () => {
    const before = sim.jobs().length;
    const results = await Promise.all([
      printer.readStatus(),
      printer.print(composeTicketReceipt(sampleReceipt({ number: 'E001' }))),
      printer.readStatus(),
      printer.print(composeTicketReceipt(sampleReceipt({ number: 'E002' }))),
      printer.readStatus(),
    ]);
    expect([results[0], results[2], results[4]]).toEqual([PrinterState.Ready, PrinterState.Ready, PrinterState.Ready]);
    const numbers = sim.jobs().slice(before).map((j) => j.receipt.lines.find((l) => /^E00\d$/.test(l)));
    expect(numbers).toEqual(['E001', 'E002']);
  });
});

describe('ESC/POS printer with nothing there', () => {
  it('returns Offline for a status query to a port where nothing listens, and counts it', async () => {
    const printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: await deadPort(), connectTimeoutMs: 2000 }));
    try {
      expect(await printer.readStatus()).toBe(PrinterState.Offline);
      const health = printer.health();
      expect(health.state).toBe(PrinterState.Offline);
      expect(health.errors[DeviceErrorKind.Disconnected]).toBeGreaterThanOrEqual(1);
      const err = await printer.print(Buffer.from('x\n')).catch((e: unknown) => e);
      expect((err as DeviceError).kind).toBe(DeviceErrorKind.Disconnected);
      expect(health.jobsPrinted).toBe(0);
    } finally {
      await printer.close();
    }
  });

  it('returns Offline when a listener never answers DLE EOT', async () => {
    const silent = await startRawTcpServer();
    const printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: silent.port }), { statusTimeoutMs: 150 });
    try {
      expect(await printer.readStatus()).toBe(PrinterState.Offline);
      expect(printer.health().errors[DeviceErrorKind.Timeout]).toBe(1);
    } finally {
      await printer.close();
      await silent.close();
    }
  });

  it('fails a print whose connection dies under the job, instead of retrying into a false success', async () => {
    // Answers status queries; drops the connection as soon as print data arrives.
    const dropsJobs = await startRawTcpServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        const onlyQueries = chunk.length % 3 === 0 && [...chunk].every((b, i) => (i % 3 === 0 ? b === 0x10 : i % 3 === 1 ? b === 0x04 : true));
        if (!onlyQueries) socket.destroy();
        else for (let i = 0; i < chunk.length; i += 3) socket.write(Buffer.from([0x12]));
      });
    });
    const printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: dropsJobs.port }), { statusTimeoutMs: 5000 });
    try {
      expect(await printer.readStatus()).toBe(PrinterState.Ready);
      const err = await printer.print(Buffer.from('job\n\x1dV\x00', 'latin1')).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeviceError);
      expect((err as DeviceError).kind).toBe(DeviceErrorKind.Disconnected);
      expect(printer.health().jobsPrinted).toBe(0);
    } finally {
      await printer.close();
      await dropsJobs.close();
    }
  });

  it('returns Error for a garbled status byte', async () => {
    const garbled = await startRawTcpServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 0x04) socket.write(Buffer.from([0xff]));
      });
    });
    const printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: garbled.port }));
    try {
      expect(await printer.readStatus()).toBe(PrinterState.Error);
      expect(printer.health().errors[DeviceErrorKind.BadFrame]).toBe(1);
    } finally {
      await printer.close();
      await garbled.close();
    }
  });
});

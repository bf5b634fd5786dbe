import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PrinterState } from '../../common/contract/kiosk-api.js';
import { createEscPosPrinter, type ReceiptPrinter } from '../../devices/printer/escpos-printer.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { createTcpPrinterTransport } from '../../devices/printer/tcp-printer-transport.js';
import { KioskLog } from './kiosk-log.js';
import { PrinterMonitor } from './printer-monitor.js';
import { PrinterService } from './printer-service.js';

let sim: PrinterSimulator;
let printer: ReceiptPrinter;
let service: PrinterService;

beforeAll(async () => {
  sim = await PrinterSimulator.start({ port: 0 });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.setFaults({ paperOut: false, paperNearEnd: false });
  printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: sim.port }), { statusTimeoutMs: 1_000 });
  const monitor = new PrinterMonitor(printer, { pollIntervalMs: 60_000, freshMs: 0, now: () => new Date(), onChange: () => undefined });
  service = new PrinterService({ printer, monitor, endpoint: `tcp://127.0.0.1:${sim.port}`, kioskId: 'kiosk-1', now: () => new Date('2025-03-04T06:00:00.000Z'), log: new KioskLog({ echo: false }) });
});
afterEach(async () => {
  await printer.close();
});

describe('PrinterService', () => {
  it('prints a test page with the status it read, and counts it', async () => {
    sim.setFaults({ paperNearEnd: true });
    const jobs = sim.jobs().length;
    await expect(service.printTestPage()).resolves.toEqual({ ok: true, message: 'test page printed; printer paper-near-end', printerState: PrinterState.PaperNearEnd });
    expect(sim.jobs()).toHaveLength(jobs + 1);
    expect(sim.jobs().at(-1)?.receipt.text).toContain('状态 / Status: paper-near-end');
    expect(service.diagnostics()).toMatchObject({ state: PrinterState.PaperNearEnd, jobsPrinted: 1, endpoint: `tcp://127.0.0.1:${sim.port}` });
  });

  it('sends nothing when the printer cannot print, and says why', async () => {
    sim.setFaults({ paperOut: true });
    const jobs = sim.jobs().length;
    await expect(service.printTestPage()).resolves.toEqual({ ok: false, message: 'printer is paper-out; test page not sent', printerState: PrinterState.PaperOut });
    expect(sim.jobs()).toHaveLength(jobs);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceError } from '../../device-error.js';
import { createEscPosPrinter, type ReceiptPrinter } from '../escpos-printer.js';
import { createTcpPrinterTransport } from '../tcp-printer-transport.js';
import { sampleReceipt } from '../test-receipt.fixture.js';
import { composeTicketReceipt } from '../ticket-receipt.js';
import { PrinterSimulator } from './printer-simulator.js';

describe('PrinterSimulator disconnectMidJob over TCP', () => {
  let sim: PrinterSimulator;
  let printer: ReceiptPrinter;

  beforeAll(async () => {
    sim = await PrinterSimulator.start({ port: 0 });
    printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: sim.port }), { statusTimeoutMs: 1000 });
  });
  afterAll(async () => {
    await printer.close();
    await sim.stop();
  });

  it('answers status, drops the connection at the first print byte, keeps no job; prints again once cleared', async () => {
    sim.setFaults({ disconnectMidJob: true });
    const err = await printer.print(composeTicketReceipt(sampleReceipt({ number: 'T001' }))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect(sim.jobs()).toHaveLength(0);
    sim.setFaults({ disconnectMidJob: false });
    await printer.print(composeTicketReceipt(sampleReceipt({ number: 'T002' })));
    expect(sim.jobs().map((j) => j.receipt.lines.includes('T002'))).toEqual([true]);
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PrinterState } from '../../common/contract/kiosk-api.js';
import { DeviceError } from '../device-error.js';
import { startPtyPair, type PtyPair } from '../testing/pty-pair.js';
import { createEscPosPrinter, type ReceiptPrinter } from './escpos-printer.js';
import { TextRasterizer } from './font/text-raster.js';
import { createSerialPrinterTransport } from './serial-printer-transport.js';
import { PrinterSimulator } from './simulator/printer-simulator.js';
import { sampleReceipt } from './test-receipt.fixture.js';
import { composeTicketReceipt } from './ticket-receipt.js';

describe('ESC/POS printer over a real PTY at 9600 baud', () => {
  let pty: PtyPair;
  let sim: PrinterSimulator;
  let printer: ReceiptPrinter;
  const rasterizer = TextRasterizer.load();

  beforeAll(async () => {
    pty = await startPtyPair();
    sim = await PrinterSimulator.startSerial({ path: pty.b, baudRate: 9600 });
    printer = createEscPosPrinter(createSerialPrinterTransport({ path: pty.a, baudRate: 9600 }), { statusTimeoutMs: 500 });
  });
  afterEach(() => sim.setFaults({ paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, disconnectMidJob: false }));
  afterAll(async () => {
    await printer.close();
    await sim.stop();
    await pty.stop();
  });

  it('prints the 䶮 receipt the simulator decodes: a raster name line, no "?"', async () => {
    expect(await printer.readStatus()).toBe(PrinterState.Ready);
    const bytes = composeTicketReceipt(sampleReceipt({ number: 'S001', holderName: '䶮*' }), { rasterizer });
    await printer.print(bytes);
    const job = sim.jobs().at(-1);
    expect(job?.bytes.length).toBe(bytes.length);
    expect(job?.receipt.lines).toContain('S001');
    expect(job?.receipt.text).not.toContain('?');
    expect(job?.receipt.rasters).toHaveLength(1);
    expect(job?.receipt.rasters[0]?.bits.equals(rasterizer.rasterize('姓名 / Name: 䶮*').bits)).toBe(true);
    expect(job?.receipt.qrCodes).toEqual([sampleReceipt().qrData]);
  });

  it('reads paper out, near end and cover open back over the line', async () => {
    sim.setFaults({ paperNearEnd: true });
    expect(await printer.readStatus()).toBe(PrinterState.PaperNearEnd);
    sim.setFaults({ paperNearEnd: false, paperOut: true });
    expect(await printer.readStatus()).toBe(PrinterState.PaperOut);
    sim.setFaults({ paperOut: false, coverOpen: true });
    expect(await printer.readStatus()).toBe(PrinterState.CoverOpen);
    sim.setFaults({ coverOpen: false });
    expect(await printer.readStatus()).toBe(PrinterState.Ready);
  });

  it('fails a job whose cable is pulled mid-job, and prints the next once it is back', async () => {
    const before = sim.jobs().length;
    sim.setFaults({ disconnectMidJob: true });
    const err = await printer.print(composeTicketReceipt(sampleReceipt({ number: 'S002' }), { rasterizer })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect(sim.jobs()).toHaveLength(before);
    sim.setFaults({ disconnectMidJob: false });
    await printer.print(composeTicketReceipt(sampleReceipt({ number: 'S003' }), { rasterizer }));
    expect(sim.jobs().at(-1)?.receipt.lines).toContain('S003');
  });
});

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEscPosPrinter, type ReceiptPrinter } from '../escpos-printer.js';
import { createTcpPrinterTransport } from '../tcp-printer-transport.js';
import { sampleReceipt } from '../test-receipt.fixture.js';
import { composeTicketReceipt } from '../ticket-receipt.js';
import { PrinterSimulator } from './printer-simulator.js';
import { startReceiptsPage, type ReceiptsPage } from './receipts-page.js';

describe('receipts page', () => {
  let sim: PrinterSimulator;
  let page: ReceiptsPage;
  let printer: ReceiptPrinter;

  beforeAll(async () => {
    sim = await PrinterSimulator.start({ port: 0 });
    page = await startReceiptsPage(sim, { port: 0 });
    printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: sim.port }));
    await printer.print(composeTicketReceipt(sampleReceipt({ number: 'A001', serviceName: { zh: '户籍<办理>', en: 'Residence & <Registry>' } })));
    await printer.print(composeTicketReceipt(sampleReceipt({ number: 'A002' })));
    await printer.print(composeTicketReceipt(sampleReceipt({ number: 'A003', holderName: '䶮*' })));
  });
  afterAll(async () => {
    await printer.close();
    await page.close();
    await sim.stop();
  });

  it('serves every job as JSON', async () => {
    const res = await fetch(`http://127.0.0.1:${page.port}/jobs.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const jobs = (await res.json()) as Array<{ id: number; text: string; qrCodes: string[]; cut: boolean; bytesBase64: string }>;
    expect(jobs).toHaveLength(3);
    expect(jobs[0]?.text).toContain('A001');
    expect(jobs[0]?.text).toContain('户籍<办理>');
    expect(jobs[1]?.qrCodes).toEqual([sampleReceipt().qrData]);
    expect(Buffer.from(jobs[1]?.bytesBase64 ?? '', 'base64').equals(sim.jobs()[1]?.bytes ?? Buffer.alloc(0))).toBe(true);
  });

  it('shows the paper newest first, escaped, with the QR drawn, refreshing every 2 s', async () => {
    const res = await fetch(`http://127.0.0.1:${page.port}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<meta http-equiv="refresh" content="2">');
    expect(html.indexOf('A002')).toBeGreaterThan(0);
    expect(html.indexOf('A002')).toBeLessThan(html.indexOf('A001'));
    expect(html).toContain('户籍&#60;办理&#62;');
    expect(html).not.toContain('<Registry>');
    expect(html).toContain('<svg');
  });

  it('draws a raster line (a name with 䶮) as its dots, not as "[raster ...]" text', async () => {
    const html = await (await fetch(`http://127.0.0.1:${page.port}/`)).text();
    expect(html).toContain('<svg class="raster"');
    expect(html).not.toContain('[raster ');
  });

  it('answers unknown paths and methods plainly', async () => {
    expect((await fetch(`http://127.0.0.1:${page.port}/nope`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${page.port}/jobs.json`, { method: 'POST' })).status).toBe(405);
  });

  it('answers only requests addressed to it by a loopback name and its port (DNS rebinding)', async () => {
    const statusFor = (hostHeader: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = net.connect(page.port, '127.0.0.1');
        let got = '';
        socket.on('data', (chunk) => {
          got += chunk.toString('latin1');
          if (got.includes('\r\n')) {
            socket.destroy();
            resolve(got.slice(0, got.indexOf('\r\n')));
          }
        });
        socket.on('error', reject);
        socket.write(`GET /jobs.json HTTP/1.1\r\nHost: ${hostHeader}\r\n\r\n`);
      });
    expect(await statusFor(`evil.example:${page.port}`)).toBe('HTTP/1.1 421 Misdirected Request');
    expect(await statusFor(`127.0.0.1:${page.port + 1}`)).toBe('HTTP/1.1 421 Misdirected Request');
    expect(await statusFor(`127.0.0.1:${page.port}`)).toBe('HTTP/1.1 200 OK');
    expect(await statusFor(`localhost:${page.port}`)).toBe('HTTP/1.1 200 OK');
  });
});

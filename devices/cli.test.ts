import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PrinterState } from '../common/contract/kiosk-api.js';
import { IdCardReader } from './id-card/id-card-reader.js';
import type { IdCardData } from './id-card/id-card-text.js';
import { createEscPosPrinter } from './printer/escpos-printer.js';
import { createTcpPrinterTransport } from './printer/tcp-printer-transport.js';
import { QrScanner, QrScannerState } from './scanner/qr-scanner.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

const Ready = z.object({
  event: z.literal('ready'),
  idReader: z.string(),
  scanner: z.string(),
  printerSerial: z.string().nullable(),
  printerTcpPort: z.number().int().positive(),
  pagePort: z.number().int().positive(),
  controlPort: z.number().int().positive(),
});
const Answer = z.object({ ok: z.boolean(), command: z.string() }).passthrough();

describe('device simulators CLI', () => {
  let child: ChildProcess;
  let lines: Interface;
  let dir: string;
  let ready: z.infer<typeof Ready>;
  const pending: string[] = [];
  const waiters: Array<(line: string) => void> = [];

  const nextLine = (): Promise<string> => {
    const line = pending.shift();
    if (line !== undefined) return Promise.resolve(line);
    return new Promise((resolve) => waiters.push(resolve));
  };
  /** Sends a command on stdin and returns its answer (job lines in between are skipped). */
  const command = async (line: string): Promise<z.infer<typeof Answer>> => {
    child.stdin?.write(`${line}\n`);
    for (;;) {
      const parsed: unknown = JSON.parse(await nextLine());
      const answer = Answer.safeParse(parsed);
      if (answer.success) return answer.data;
    }
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'devices-cli-'));
    child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(here, 'cli.ts'), '--dir', dir, '--printer-port', '0', '--page-port', '0', '--control-port', '0'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    if (!child.stdout) throw new Error('no stdout');
    lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else pending.push(line);
    });
    ready = Ready.parse(JSON.parse(await nextLine()));
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    lines.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('places a card on the simulated reader from stdin, and the real driver reads it', async () => {
    const reader = new IdCardReader({ path: ready.idReader, pollIntervalMs: 5, commandTimeoutMs: 300, today: () => '2025-06-01' });
    const card = new Promise<IdCardData>((resolve) => reader.once('card', resolve));
    reader.start();
    try {
      expect((await command('place card rare-name')).ok).toBe(true);
      expect((await card).name).toBe('䶮华');
    } finally {
      await reader.stop();
    }
  });

  it('scans a code through the control port', async () => {
    const scanner = new QrScanner({ path: ready.scanner, interByteTimeoutMs: 300 });
    const code = new Promise<string>((resolve) => scanner.once('code', resolve));
    const opened = new Promise<void>((resolve) => scanner.on('state', (s) => s === QrScannerState.Ready && resolve()));
    scanner.start();
    try {
      await opened;
      const url = `http://127.0.0.1:${ready.controlPort}/command`;
      // What any web page could send without a CORS preflight: refused.
      expect((await fetch(url, { method: 'POST', body: 'scan APPT-20250601-0001' })).status).toBe(415);
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ line: 'scan APPT-20250601-0007' }),
      });
      expect(res.status).toBe(200);
      expect(await code).toBe('APPT-20250601-0007');
    } finally {
      await scanner.stop();
    }
  });

  it('turns printer paper-out on and off', async () => {
    const printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: ready.printerTcpPort }));
    try {
      expect((await command('printer paper-out on')).ok).toBe(true);
      expect(await printer.readStatus()).toBe(PrinterState.PaperOut);
      expect((await command('printer paper-out off')).ok).toBe(true);
      expect(await printer.readStatus()).toBe(PrinterState.Ready);
    } finally {
      await printer.close();
    }
  });

  it('answers a bad command with its code and keeps going', async () => {
    const answer = await command('place card nobody');
    expect(answer).toMatchObject({ ok: false, code: 'sim-command.bad-argument' });
    const status = await fetch(`http://127.0.0.1:${ready.controlPort}/status`);
    expect(((await status.json()) as { reader: { cardPresent: boolean } }).reader.cardPresent).toBe(true);
  });

  it('answers only requests addressed to itself (DNS rebinding)', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: ready.controlPort, path: '/status', headers: { host: `evil.example:${ready.controlPort}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(answer).toBe(421);
  });
});

describe('device simulators CLI with --transport tcp', () => {
  it('serves the reader as a tcp:// device server the real driver reads, and ends with stdin', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'devices-cli-tcp-'));
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(here, 'cli.ts'), '--dir', dir, '--transport', 'tcp', '--printer-port', '0', '--page-port', '0'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const lines = createInterface({ input: child.stdout! });
      const iterator = lines[Symbol.asyncIterator]();
      const first = await iterator.next();
      const ready = Ready.omit({ controlPort: true }).extend({ transport: z.literal('tcp'), controlPort: z.null() }).parse(JSON.parse(String(first.value)));
      expect(ready.idReader).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
      const reader = new IdCardReader({ path: ready.idReader, pollIntervalMs: 5, commandTimeoutMs: 300, today: () => '2025-06-01' });
      const card = new Promise<IdCardData>((resolve) => reader.once('card', resolve));
      reader.start();
      try {
        child.stdin?.write('place card mainland\n');
        expect((await card).idNumber).toMatch(/^\d{17}[\dX]$/);
      } finally {
        await reader.stop();
      }
      child.stdin?.end();
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

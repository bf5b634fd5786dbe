import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PrinterState } from '../../../common/contract/kiosk-api.js';
import { createEscPosPrinter } from '../escpos-printer.js';
import { createTcpPrinterTransport } from '../tcp-printer-transport.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');

const Listening = z.object({ event: z.literal('listening'), port: z.number().int().positive(), pagePort: z.number().int().positive() });

describe('printer simulator CLI', () => {
  let child: ChildProcess | null = null;

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('prints one listening line and serves a real printer and the page', async () => {
    child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(here, 'cli.ts'), '--port', '0', '--page-port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const stdout = child.stdout;
    if (!stdout) throw new Error('no stdout');
    const lines = createInterface({ input: stdout });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    const listening = Listening.parse(JSON.parse(first));

    const printer = createEscPosPrinter(createTcpPrinterTransport({ host: '127.0.0.1', port: listening.port }));
    try {
      expect(await printer.readStatus()).toBe(PrinterState.Ready);
      const jobLine = new Promise<string>((resolve) => lines.once('line', resolve));
      await printer.print(Buffer.from('hello from the CLI test\n\x1dV\x00', 'latin1'));
      expect(JSON.parse(await jobLine)).toMatchObject({ event: 'job', id: 1, text: 'hello from the CLI test' });
    } finally {
      await printer.close();
    }
    const res = await fetch(`http://127.0.0.1:${listening.pagePort}/jobs.json`);
    expect(((await res.json()) as unknown[]).length).toBe(1);
  });
});

/**
 * The device simulators for the demo: an ID card reader and a QR scanner on PTY pairs (or, with
 * --transport tcp or without socat, behind raw-TCP serial device servers on 127.0.0.1), and a
 * receipt printer on loopback TCP (plus one on a PTY with --serial-printer), with the printed
 * receipts page.
 *
 *   tsx devices/cli.ts [--dir DIR] [--printer-port 9100] [--page-port 9180] [--control-port N]
 *                      [--serial-printer] [--id-baud 115200] [--scanner-baud 9600] [--printer-baud 9600]
 *                      [--transport pty|tcp] [--reader-port N] [--scanner-port N]
 *
 * Prints one JSON line {"event":"ready", paths...} when everything is up. Then reads commands,
 * one a line, on stdin (see simulator-control.ts, or type `help`) and answers each with one JSON
 * line {"ok":true,...} or {"ok":false,"code":...,"error":...}. With --control-port, the same
 * commands are accepted as POST http://127.0.0.1:<port>/command with {"line": "..."} (JSON only), and GET /status
 * reports the state. Printed jobs are reported as {"event":"job",...} lines.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { MISDIRECTED_REQUEST, hostHeaderAllowed } from '../common/contract/local-host-header.js';
import { defaultSimTransport, DeviceSimulators, SimTransport, SOCAT_HINT } from './device-simulators.js';
import { startReceiptsPage, type ReceiptsPage } from './printer/simulator/receipts-page.js';
import { parseSimCommand, SimCommandError } from './simulator-control.js';

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got '${value}'`);
  return n;
}

/** --transport, or PTYs where socat exists and TCP otherwise. */
function transportOf(value: string | undefined): SimTransport {
  if (value === undefined) return defaultSimTransport();
  const found = Object.values(SimTransport).find((t) => t === value);
  if (!found) throw new Error(`--transport must be ${Object.values(SimTransport).join(' or ')}, got '${value}'`);
  return found;
}

async function run(sims: DeviceSimulators, line: string): Promise<Record<string, unknown>> {
  try {
    const result = await sims.apply(parseSimCommand(line));
    return { ok: true, command: line.trim(), result };
  } catch (err) {
    const code = err instanceof SimCommandError ? err.code : 'sim-command.failed';
    return { ok: false, command: line.trim(), code, error: err instanceof Error ? err.message : String(err) };
  }
}

const CommandBody = z.object({ line: z.string().min(1).max(4096) });

/**
 * The control port answers only requests addressed to 127.0.0.1/localhost on its own port (DNS
 * rebinding) and commands sent as JSON: a web page may POST text/plain across origins without a
 * preflight, but not application/json, so no page the operator visits can drive the devices.
 */
function controlServer(sims: DeviceSimulators, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const ownPort = (server.address() as AddressInfo | null)?.port ?? port;
    if (!hostHeaderAllowed(req.headers.host, ownPort)) return send(MISDIRECTED_REQUEST, { ok: false, error: 'misdirected request' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/status') return send(200, sims.status());
    if (req.method !== 'POST' || url.pathname !== '/command') return send(404, { ok: false, error: 'POST /command or GET /status' });
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      return send(415, { ok: false, error: 'send {"line": "<command>"} as application/json' });
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 8192) req.destroy();
    });
    req.on('end', () => {
      let line: string;
      try {
        line = CommandBody.parse(JSON.parse(body)).line;
      } catch {
        return send(400, { ok: false, error: 'send {"line": "<command>"} as application/json' });
      }
      void run(sims, line).then((answer) => send(answer.ok ? 200 : 400, answer));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      'printer-port': { type: 'string' },
      'page-port': { type: 'string' },
      'control-port': { type: 'string' },
      'serial-printer': { type: 'boolean' },
      'id-baud': { type: 'string' },
      'scanner-baud': { type: 'string' },
      'printer-baud': { type: 'string' },
      'jobs-dir': { type: 'string' },
      transport: { type: 'string' },
      'reader-port': { type: 'string' },
      'scanner-port': { type: 'string' },
    },
    strict: true,
  });
  const transport = transportOf(values.transport);
  if (values.transport === undefined && transport === SimTransport.Tcp) console.error(SOCAT_HINT);
  const sims = await DeviceSimulators.start({
    transport,
    idReaderTcpPort: int(values['reader-port'], 0, 'reader-port'),
    scannerTcpPort: int(values['scanner-port'], 0, 'scanner-port'),
    dir: values.dir ?? path.join(os.tmpdir(), `kiosk-devices-${process.pid}`),
    printerTcpPort: int(values['printer-port'], 9100, 'printer-port'),
    serialPrinter: values['serial-printer'] ?? false,
    idReaderBaud: int(values['id-baud'], 115200, 'id-baud'),
    scannerBaud: int(values['scanner-baud'], 9600, 'scanner-baud'),
    printerBaud: int(values['printer-baud'], 9600, 'printer-baud'),
    jobsDir: values['jobs-dir'],
  });
  let page: ReceiptsPage | null = null;
  let control: http.Server | null = null;
  const shutdown = (): void => {
    void Promise.allSettled([sims.stop(), page?.close(), new Promise<void>((r) => (control ? control.close(() => r()) : r()))]).finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  try {
    if (sims.tcpPrinter) page = await startReceiptsPage(sims.tcpPrinter, { port: int(values['page-port'], 9180, 'page-port') });
    if (values['control-port'] !== undefined) control = await controlServer(sims, int(values['control-port'], 0, 'control-port'));
  } catch (err) {
    await sims.stop();
    throw err;
  }
  for (const printer of [sims.tcpPrinter, sims.serialPrinter]) {
    printer?.on('job', (job) => console.log(JSON.stringify({ event: 'job', id: job.id, bytes: job.bytes.length, text: job.receipt.text })));
  }
  const address = control?.address();
  console.log(
    JSON.stringify({
      event: 'ready',
      transport: sims.transport,
      ...sims.paths(),
      pagePort: page?.port ?? null,
      controlPort: typeof address === 'object' && address ? address.port : null,
    }),
  );
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    void run(sims, line).then((answer) => console.log(JSON.stringify(answer)));
  });
  // Without a control port, the end of stdin ends the simulators; with one, they keep serving.
  lines.once('close', () => {
    if (!control) shutdown();
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

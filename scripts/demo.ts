/**
 * `npm start`: the whole hall on one machine. An embedded PostgreSQL portal seeded with a city
 * hall's catalog; simulated devices speaking their real protocols (an ID card reader and a QR
 * scanner on socat pseudo-terminals, or without socat behind raw-TCP serial device servers, a
 * receipt printer on TCP, with a page showing what it printed); the kiosk core with its drivers
 * on those ports; and the kiosk screen in Chromium's kiosk mode where a display exists. The portal
 * also serves the counter console (`/counter/`, the demo staff accounts) and the hall display
 * (`/display/`), which opens in a second Chromium window, speaking, beside the kiosk's.
 *
 * Type simulator commands on this terminal to play the visitor: `place card rare-name` swipes a
 * virtual ID card, `scan HKA-7Q2M9XKD` scans a code, `printer paper-out on` empties the printer;
 * `help` lists them all.
 *
 * Stopping: Ctrl+C, SIGTERM, SIGHUP or the end of stdin stop everything that started, last first;
 * so does any failure, reported in one line. Nothing is left running for the next start to trip
 * on (the portal and its PostgreSQL also stop by themselves if this process is killed).
 *
 * Env: PORTAL_PORT 8080, PRINTER_PORT 9100, RECEIPTS_PORT 9180, KIOSK_PORT 8700; ID_READER_PORT
 * and SCANNER_PORT (TCP transport only; default any free port); HALL_DATA_DIR (default .data),
 * which holds portal-pg/, kiosk/, devices/ and receipts/.
 */
import type { ChildProcess } from 'node:child_process';
import { fstatSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { defaultSimTransport, DeviceSimulators, SimTransport, SOCAT_HINT } from '../devices/device-simulators.js';
import { startReceiptsPage } from '../devices/printer/simulator/receipts-page.js';
import { parseSimCommand, SIM_COMMAND_HELP } from '../devices/simulator-control.js';
import { startBrowserHost } from '../main/browser-host/browser-host.js';
import { findChromium, launchChromiumKiosk } from '../main/browser-host/chromium-launcher.js';
import { KioskConfigSchema } from '../main/core/kiosk-config.js';
import { startKioskRuntime } from '../main/core/start-kiosk-runtime.js';
import { DEMO_PIN } from '../main/core/technician-pin.js';
import {
  DEMO_DISPLAY_TOKEN,
  DEMO_KIOSK_TOKEN,
  DEMO_STAFF_ACCOUNTS,
  DEMO_STAFF_PASSWORD,
  DEMO_STAFF_TOKEN,
} from '../portal/seed/demo-credentials.js';
import { ChildStartError, spawnTsChild, stopGracefully } from './support/child-process.js';
import { launchDisplayWindow } from './support/display-window.js';
import { ShutdownStack } from './support/shutdown-stack.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** How long a stop waits for a part that is still starting (a PTY pair, a listening socket). */
const IN_FLIGHT_WAIT_MS = 30_000;

class DemoStopped extends Error {}

const stack = new ShutdownStack();
const inFlight = new Set<Promise<unknown>>();
let finishing = false;
let sims: DeviceSimulators | null = null;

/** One line, never a stack trace: what went wrong, for whoever started the demo. */
function oneLine(err: unknown): string {
  if (err instanceof ChildStartError) return err.summary;
  const text = err instanceof Error ? err.message : String(err);
  return text.trim().split('\n')[0] ?? text;
}

/** Stops what started (after what is still starting), last first, then exits. Idempotent. */
function finish(code: number, why?: string): void {
  if (finishing) return;
  finishing = true;
  if (why !== undefined) console.error(`demo: ${why}`);
  void (async () => {
    await Promise.race([Promise.allSettled([...inFlight]), new Promise((resolve) => setTimeout(resolve, IN_FLIGHT_WAIT_MS))]);
    const failed = await stack.stop();
    if (failed.length > 0) console.error(`demo: could not stop ${failed.join(', ')}`);
    process.exit(code);
  })();
}

/** Starts one part and registers how to stop it; refuses to start anything once stopping. */
async function step<T>(name: string, start: () => Promise<T>, stopOf: (value: T) => Promise<void> | void): Promise<T> {
  if (finishing) throw new DemoStopped();
  const starting = start();
  inFlight.add(starting);
  try {
    const value = await starting;
    stack.push(name, () => stopOf(value));
    return value;
  } finally {
    inFlight.delete(starting);
  }
}

function envPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${name} must be a port number, got '${raw}'`);
  return value;
}

/** /dev/null as stdin (a background job) ends at once: that is no operator closing it. */
function stdinIsNull(): boolean {
  try {
    return !process.stdin.isTTY && fstatSync(0).isCharacterDevice();
  } catch {
    return false;
  }
}

async function stopChromium(browser: ChildProcess): Promise<void> {
  const userDataDir = browser.spawnargs.find((arg) => arg.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
  await stopGracefully(browser, 5_000);
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
}

// Installed before anything starts: whatever happens from here on, what started is stopped.
process.on('SIGINT', () => finish(0));
process.on('SIGTERM', () => finish(0));
process.on('SIGHUP', () => finish(0));
process.on('uncaughtException', (err) => finish(1, oneLine(err)));
process.on('unhandledRejection', (err) => finish(1, oneLine(err)));

const lines = createInterface({ input: process.stdin });
if (!stdinIsNull()) lines.on('close', () => finish(0));
lines.on('line', (line) => {
  if (line.trim() === '') return;
  void (async () => {
    try {
      const command = parseSimCommand(line);
      if (!sims) throw new Error('the device simulators are not running yet');
      const result = await sims.apply(command);
      console.log(command.kind === 'help' ? SIM_COMMAND_HELP : `ok ${JSON.stringify(result)}`);
    } catch (err) {
      console.log(`error: ${oneLine(err)}`);
    }
  })();
});

async function main(): Promise<void> {
  const dataDir = path.resolve(process.env.HALL_DATA_DIR || path.join(repoRoot, '.data'));
  const pgDataDir = process.env.PORTAL_PG_DATA_DIR || path.join(dataDir, 'portal-pg');
  const kioskDataDir = path.join(dataDir, 'kiosk');
  const ports = {
    portal: envPort('PORTAL_PORT', 8080),
    printer: envPort('PRINTER_PORT', 9100),
    receipts: envPort('RECEIPTS_PORT', 9180),
    kiosk: envPort('KIOSK_PORT', 8700),
    idReader: envPort('ID_READER_PORT', 0),
    scanner: envPort('SCANNER_PORT', 0),
  };

  console.log(`Starting the portal (embedded PostgreSQL in ${pgDataDir}, initialised on the first start)...`);
  const portal = spawnTsChild(
    path.join(repoRoot, 'portal/cli.ts'),
    ['--seed-demo'],
    { PORT: String(ports.portal), KIOSK_TOKEN: DEMO_KIOSK_TOKEN, STAFF_TOKEN: DEMO_STAFF_TOKEN, PORTAL_PG_DATA_DIR: pgDataDir },
    180_000,
  );
  // Registered at once, not when ready: a stop during initdb stops it too.
  stack.push('portal', () => stopGracefully(portal.child, 15_000));
  const portalPort = Number((await portal.ready).ready.port);
  portal.child.once('exit', (code, signal) => {
    if (!finishing) finish(1, `the portal exited (${code ?? signal})`);
  });
  if (finishing) throw new DemoStopped();

  const transport = defaultSimTransport();
  if (transport === SimTransport.Tcp) console.log(SOCAT_HINT);
  console.log(`Starting the device simulators (${transport === SimTransport.Pty ? 'socat pseudo-terminals' : 'TCP serial device servers'} for the ID card reader and the QR scanner)...`);
  const devices = await step(
    'device simulators',
    () =>
      DeviceSimulators.start({
        dir: path.join(dataDir, 'devices'),
        transport,
        idReaderTcpPort: ports.idReader,
        scannerTcpPort: ports.scanner,
        printerTcpPort: ports.printer,
        jobsDir: path.join(dataDir, 'receipts'),
      }),
    (started) => started.stop(),
  );
  sims = devices;
  const printerSim = devices.tcpPrinter;
  if (!printerSim) throw new Error('the printer simulator did not start');
  const receipts = await step('receipts page', () => startReceiptsPage(printerSim, { port: ports.receipts }), (page) => page.close());
  const paths = devices.paths();

  const runtime = await step(
    'kiosk',
    () =>
      startKioskRuntime(
        KioskConfigSchema.parse({
          version: 1,
          kioskId: 'kiosk-1',
          kioskDigit: 1,
          // The demo kiosk token and technician PIN are accepted only in demo mode.
          demoMode: true,
          dataDir: kioskDataDir,
          portal: { baseUrl: `http://127.0.0.1:${portalPort}`, token: DEMO_KIOSK_TOKEN },
          printer: { host: '127.0.0.1', port: printerSim.port },
          // PTY ends or tcp:// device servers: the drivers are the ones a hall kiosk runs.
          idCardReader: { path: paths.idReader },
          scanner: { path: paths.scanner },
        }),
      ),
    (started) => started.close(),
  );
  // The operator's URL (it carries the bridge token) goes to <kiosk data>/launch-url (0600), never to stdout.
  const host = await step(
    'kiosk screen server',
    () => startBrowserHost({ target: runtime, rendererDir: path.join(repoRoot, 'renderer/dist'), port: ports.kiosk, dataDir: kioskDataDir }),
    (started) => started.close(),
  );

  const portalUrl = `http://127.0.0.1:${portalPort}`;
  // The demo's display token is published (and refused outside demo mode): it may ride in the URL.
  const displayUrl = `${portalUrl}/display/#token=${DEMO_DISPLAY_TOKEN}`;
  const chromium = findChromium();
  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  const kioskMode = process.env.KIOSK_WINDOWED !== '1';
  let browser: ChildProcess | null = null;
  let wall: ChildProcess | null = null;
  if (chromium && hasDisplay) {
    const launched = launchChromiumKiosk(host.newLaunchUrl(), { executable: chromium, kiosk: kioskMode });
    browser = launched;
    stack.push('chromium', () => stopChromium(launched));
    // The hall display: a second Chromium with its own profile, stopped with the demo like the first.
    const display = launchDisplayWindow(displayUrl, { executable: chromium, kiosk: kioskMode });
    wall = display;
    stack.push('display chromium', () => stopChromium(display));
  }
  if (finishing) throw new DemoStopped();

  const accounts = DEMO_STAFF_ACCOUNTS.map((a) => a.username).join(', ');
  const curl = `curl -sS -X POST -H 'Authorization: Bearer ${DEMO_STAFF_TOKEN}' -H 'Content-Type: application/json'`;
  const serial = (what: string, baud: number, protocol: string): string =>
    transport === SimTransport.Pty ? `${what} (${baud} baud${protocol})` : `${what} (TCP serial device server; ${baud} baud${protocol})`;
  console.log(`
Hall Kiosk demo is running.
  Kiosk screen     ${browser ? '(opened in Chromium kiosk mode) ' : ''}URL in ${host.launchUrlFile ?? '(no file)'} (readable by you only)
  Printed receipts http://127.0.0.1:${receipts.port}/
  Counter console  ${portalUrl}/counter/
                     accounts ${accounts}; password ${DEMO_STAFF_PASSWORD}
  Hall display     ${wall ? '(opened in Chromium) ' : ''}${displayUrl}
  Citizen pages    ${portalUrl}/citizen/  (guides, booking, progress, certificate check, rating)
  Portal API       ${portalUrl}/openapi.json
  ID card reader   ${serial(paths.idReader, 115200, ', SAM protocol')}
  QR scanner       ${serial(paths.scanner, 9600, '')}
  Counter call     (a machine client with the staff API key: take 1 号窗口, then call the next visitor)
                   ${curl} \\
                     -d '{"serviceIds":[]}' ${portalUrl}/v1/counter/counters/window-1/sign-in
                   ${curl} \\
                     -d '{"counterId":"window-1"}' ${portalUrl}/v1/counter/call-next
  Technician       hold the hall name for 3 seconds, PIN ${DEMO_PIN}

Play the visitor by typing here:
  place card rare-name      swipe a card whose name has 䶮 (then take a ticket on the screen)
  place card elderly        a visitor over 60: elderly priority
  remove card               take the card away
  scan HKA-7Q2M9XKD         the scanner reads an appointment code
  printer paper-out on      empty the printer (off to refill)
  help                      every command
Press Ctrl+C to stop.`);
}

main().catch((err: unknown) => {
  if (err instanceof DemoStopped || finishing) return;
  finish(1, oneLine(err));
});

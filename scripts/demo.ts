/**
 * `npm start`: the whole hall on one machine. An embedded PostgreSQL portal seeded with a city
 * hall's catalog; simulated devices speaking their real protocols (an ID card reader and a QR
 * scanner on socat pseudo-terminals, a receipt printer on TCP, with a page showing what it
 * printed); the kiosk core with its drivers on those ports; and the kiosk screen in Chromium's
 * kiosk mode where a display exists (else the URL is printed).
 *
 * Type simulator commands on this terminal to play the visitor: `place card rare-name` swipes a
 * virtual ID card, `scan HKA-7Q2M9XKD` scans a code, `printer paper-out on` empties the printer;
 * `help` lists them all.
 *
 * Ports (env): PORTAL_PORT 8080, PRINTER_PORT 9100, RECEIPTS_PORT 9180, KIOSK_PORT 8700.
 */
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DeviceSimulators } from '../devices/device-simulators.js';
import { startReceiptsPage } from '../devices/printer/simulator/receipts-page.js';
import { parseSimCommand, SIM_COMMAND_HELP } from '../devices/simulator-control.js';
import { startBrowserHost } from '../main/browser-host/browser-host.js';
import { findChromium, launchChromiumKiosk } from '../main/browser-host/chromium-launcher.js';
import { KioskConfigSchema } from '../main/core/kiosk-config.js';
import { startKioskRuntime } from '../main/core/start-kiosk-runtime.js';
import { DEMO_PIN } from '../main/core/technician-pin.js';
import { startTsChild, stopGracefully } from './support/child-process.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const KIOSK_TOKEN = 'demo-kiosk-token';

console.log('Starting the portal (embedded PostgreSQL; the first start initialises .data/portal-pg)...');
const portal = await startTsChild(path.join(repoRoot, 'portal/cli.ts'), ['--seed-demo'], {
  PORT: String(port('PORTAL_PORT', 8080)),
  KIOSK_TOKEN,
  STAFF_TOKEN: 'demo-staff-token',
}, 180_000);
const portalPort = Number(portal.ready.port);

console.log('Starting the device simulators (socat pseudo-terminals for the ID card reader and the QR scanner)...');
const sims = await DeviceSimulators.start({
  dir: path.join(repoRoot, '.data/devices'),
  printerTcpPort: port('PRINTER_PORT', 9100),
  jobsDir: path.join(repoRoot, '.data/receipts'),
});
const printerSim = sims.tcpPrinter;
if (!printerSim) throw new Error('the printer simulator did not start');
const receipts = await startReceiptsPage(printerSim, { port: port('RECEIPTS_PORT', 9180) });
const devices = sims.paths();

const runtime = await startKioskRuntime(KioskConfigSchema.parse({
  version: 1,
  kioskId: 'kiosk-1',
  kioskDigit: 1,
  dataDir: path.join(repoRoot, '.data/kiosk'),
  portal: { baseUrl: `http://127.0.0.1:${portalPort}`, token: KIOSK_TOKEN },
  printer: { host: '127.0.0.1', port: printerSim.port },
  // The kiosk's ends of the PTY pairs: the drivers cannot tell them from real serial ports.
  idCardReader: { path: devices.idReader },
  scanner: { path: devices.scanner },
}));
const host = await startBrowserHost({ target: runtime, rendererDir: path.join(repoRoot, 'renderer/dist'), port: port('KIOSK_PORT', 8700) });

const chromium = findChromium();
const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const browser = chromium && hasDisplay ? launchChromiumKiosk(host.launchUrl, { executable: chromium, kiosk: process.env.KIOSK_WINDOWED !== '1' }) : null;

console.log(`
Hall Kiosk demo is running.
  Kiosk screen     ${browser ? '(opened in Chromium kiosk mode) ' : ''}${host.launchUrl}
  Printed receipts http://127.0.0.1:${receipts.port}/
  Portal API       http://127.0.0.1:${portalPort}/openapi.json
  ID card reader   ${devices.idReader} (115200 baud, SAM protocol)
  QR scanner       ${devices.scanner} (9600 baud)
  Counter call     curl -X POST -H 'Authorization: Bearer demo-staff-token' -H 'Content-Type: application/json' \\
                     -d '{"counterId":"window-1","serviceIds":[]}' http://127.0.0.1:${portalPort}/v1/counter/call-next
  Technician       hold the hall name for 3 seconds, PIN ${DEMO_PIN}

Play the visitor by typing here:
  place card rare-name      swipe a card whose name has 䶮 (then take a ticket on the screen)
  place card elderly        a visitor over 60: elderly priority
  remove card               take the card away
  scan HKA-7Q2M9XKD         the scanner reads an appointment code
  printer paper-out on      empty the printer (off to refill)
  help                      every command
Press Ctrl+C to stop.`);

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === '') return;
  void (async () => {
    try {
      const command = parseSimCommand(line);
      const result = await sims.apply(command);
      console.log(command.kind === 'help' ? SIM_COMMAND_HELP : `ok ${JSON.stringify(result)}`);
    } catch (err) {
      console.log(`error: ${err instanceof Error ? err.message : String(err)}`);
    }
  })();
});

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  lines.close();
  browser?.kill();
  await host.close();
  await runtime.close();
  await receipts.close();
  await sims.stop();
  await stopGracefully(portal.child);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());

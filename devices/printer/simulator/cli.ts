/**
 * A network receipt printer for the demo and for manual tests:
 *   tsx devices/printer/simulator/cli.ts [--port 9100] [--page-port 9180] [--jobs-dir DIR] [--host 127.0.0.1]
 * Prints one JSON line when listening, then one per printed job.
 */
import { parseArgs } from 'node:util';
import { PrinterSimulator } from './printer-simulator.js';
import { startReceiptsPage } from './receipts-page.js';

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number (0-65535), got '${value}'`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'page-port': { type: 'string' },
      'jobs-dir': { type: 'string' },
      host: { type: 'string' },
    },
    strict: true,
  });
  const host = values.host ?? '127.0.0.1';
  const sim = await PrinterSimulator.start({ host, port: port(values.port, 9100, 'port'), jobsDir: values['jobs-dir'] });
  const page = await startReceiptsPage(sim, { host, port: port(values['page-port'], 9180, 'page-port') });
  sim.on('job', (job) => {
    console.log(JSON.stringify({ event: 'job', id: job.id, bytes: job.bytes.length, text: job.receipt.text }));
  });
  console.log(JSON.stringify({ event: 'listening', port: sim.port, pagePort: page.port }));

  const shutdown = (): void => {
    void Promise.all([sim.stop(), page.close()]).finally(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

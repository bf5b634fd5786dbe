/**
 * One "life" of a kiosk for the power-cut test. It loads its modules, says so, and waits: the test
 * keeps one such process in standby while the previous life runs, so the cost of starting Node
 * and loading the core is not paid inside the cut loop. On its go line (the arguments, as JSON on
 * stdin) it opens the kiosk core on the data folder (the same database file every life) and issues
 * and prints tickets until it is SIGKILLed. Lean on purpose: the core only, no shell, no browser.
 * In `drain` mode it issues nothing, waits until the outbox is empty and exits cleanly.
 *
 * Usage: node --import tsx power-cut-child.ts, then one PowerCutChildArgs JSON line on stdin; it
 * answers with PowerCutChildLine JSON lines on stdout and exits when stdin closes (parent gone).
 */
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { startKioskRuntime } from '../../../main/core/start-kiosk-runtime.js';
import { PowerCutChildArgs, type PowerCutChildLine } from './power-cut-protocol.js';

const TicketAnswer = z.object({ ticketId: z.string(), number: z.string() });
/** No life lasts this long in the test; a child that does has lost its parent. */
const MAX_LIFE_MS = 300_000;

function say(line: PowerCutChildLine): void {
  // Pipes are synchronous on Linux: a line the parent read was written before anything after it.
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function goLine(): Promise<string> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.once('line', resolve);
    lines.once('close', () => process.exit(3));
  });
}

async function main(): Promise<void> {
  setTimeout(() => process.exit(4), MAX_LIFE_MS).unref();
  say({ event: 'loaded', loadMs: Math.round(performance.now()) });
  const args = PowerCutChildArgs.parse(JSON.parse(await goLine()));
  const goAt = performance.now();

  const runtime = await startKioskRuntime(args.config, { catalogWaitMs: 30_000 });
  say({ event: 'ready', openMs: Math.round(performance.now() - goAt) });

  if (args.mode === 'drain') {
    while (runtime.sync.state().backlog > 0) {
      await runtime.sync.drainOnce();
      if (runtime.sync.state().backlog > 0) await new Promise((r) => setTimeout(r, 100));
    }
    await runtime.close();
    say({ event: 'drained' });
    process.exit(0);
  }

  for (let i = 0; ; i++) {
    const serviceId = args.services[i % args.services.length] ?? '';
    const answer = await runtime.dispatch('takeTicket', { serviceId, requestId: randomUUID() });
    if (answer.ok) {
      const ticket = TicketAnswer.parse(answer.response);
      say({ event: 'issued', ticketId: ticket.ticketId, number: ticket.number });
    } else {
      say({ event: 'refused', code: answer.error.code, message: answer.error.message });
    }
    // One visitor at a time: the next ticket after this receipt is out (or has failed).
    await runtime.issuer.idle();
  }
}

main().catch((err: unknown) => {
  console.error('power-cut child failed:', err);
  process.exit(2);
});

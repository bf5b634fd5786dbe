/**
 * An abuser in its own process, so its own work does not run on the event loop of the portal or
 * the kiosk it is measured against: a flood of bad tokens and slow-loris sockets.
 * Usage: node --import tsx abuser.ts '<AbuserPlan as JSON>'
 * Prints `{"event":"started"}` once its flood runs, then one `{"event":"done",...}` line with what
 * the portal answered. Slow-loris sockets the portal closes are opened again at once. SIGTERM ends
 * the flood early (the report still comes).
 */
import { z } from 'zod';
import { floodWithBadTokens, openSlowLoris } from './abuse-clients.js';

export const AbuserPlan = z.object({
  baseUrl: z.url(),
  connections: z.number().int().min(1),
  total: z.number().int().min(1).optional(),
  durationMs: z.number().int().min(1).optional(),
  slowLoris: z.number().int().min(0).default(0),
  trickleMs: z.number().int().min(1).default(1_000),
});
export type AbuserPlan = z.input<typeof AbuserPlan>;

const plan = AbuserPlan.parse(JSON.parse(process.argv[2] ?? '{}'));
const loris = plan.slowLoris > 0 ? openSlowLoris(Number(new URL(plan.baseUrl).port), plan.slowLoris, plan.trickleMs, { reopen: true }) : null;
// SIGTERM: stop sending, let the requests in flight be answered, report.
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});
const flood = floodWithBadTokens(plan.baseUrl, {
  stopped: () => stopping,
  connections: plan.connections,
  ...(plan.total !== undefined ? { total: plan.total } : {}),
  ...(plan.durationMs !== undefined ? { durationMs: plan.durationMs } : {}),
});
process.stdout.write(`${JSON.stringify({ event: 'started' })}\n`);
const result = await flood;
const slowLorisClosed = loris?.closedAfterMs.length ?? 0;
loris?.stop();
process.stdout.write(`${JSON.stringify({ event: 'done', ...result, slowLorisOpened: plan.slowLoris + slowLorisClosed, slowLorisClosed })}\n`);
process.exit(0);

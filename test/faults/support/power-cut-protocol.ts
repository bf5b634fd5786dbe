import { z } from 'zod';
import { KioskConfigSchema } from '../../../main/core/kiosk-config.js';

/** What the power-cut child is told: one JSON line on stdin once it has loaded ("go"). */
export const PowerCutChildArgs = z.object({
  mode: z.enum(['issue', 'drain']),
  config: KioskConfigSchema,
  /** Services to issue for, round robin. */
  services: z.array(z.string()).min(1),
});
export type PowerCutChildArgs = z.input<typeof PowerCutChildArgs>;

/** What the child says, one JSON line each on stdout. */
export const PowerCutChildLine = z.discriminatedUnion('event', [
  /** Modules loaded, waiting for its go line; `loadMs` since the process started. */
  z.object({ event: z.literal('loaded'), loadMs: z.number() }),
  /** The kiosk core is up; `openMs` from the go line to here (open file, recover, first pull). */
  z.object({ event: z.literal('ready'), openMs: z.number() }),
  /** takeTicket resolved: the ticket is durable. */
  z.object({ event: z.literal('issued'), ticketId: z.string(), number: z.string() }),
  z.object({ event: z.literal('refused'), code: z.string(), message: z.string() }),
  /** Drain mode: the outbox is empty and the core closed cleanly. */
  z.object({ event: z.literal('drained') }),
]);
export type PowerCutChildLine = z.infer<typeof PowerCutChildLine>;

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { AbuserPlan } from './abuser.js';

const ABUSER = fileURLToPath(new URL('./abuser.ts', import.meta.url));

export const AbuserResult = z.object({
  sent: z.number(),
  byStatus: z.record(z.string(), z.number()),
  failed: z.number(),
  slowLorisOpened: z.number(),
  slowLorisClosed: z.number(),
});
export type AbuserResult = z.infer<typeof AbuserResult>;

/**
 * Starts abuser.ts in a child process; `started` resolves once it is hammering, `done` with
 * what the portal answered. `stop()` ends the flood early and still reports; `kill()` does not.
 */
export function runAbuser(plan: AbuserPlan): { started: Promise<void>; done: Promise<AbuserResult>; stop: () => void; kill: () => void } {
  const child = spawn(process.execPath, ['--import', 'tsx', ABUSER, JSON.stringify(plan)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-8_192);
  });
  let startedSettle: { resolve: () => void; reject: (err: Error) => void } = { resolve: () => undefined, reject: () => undefined };
  const started = new Promise<void>((resolve, reject) => {
    startedSettle = { resolve, reject };
  });
  const done = new Promise<AbuserResult>((resolve, reject) => {
    let result: AbuserResult | null = null;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const message = JSON.parse(line) as { event?: string };
      if (message.event === 'started') startedSettle.resolve();
      if (message.event === 'done') result = AbuserResult.parse(message);
    });
    child.on('exit', (code, signal) => {
      const failure = new Error(`abuser exited with ${code ?? signal} before it was done: ${stderr}`);
      startedSettle.reject(failure);
      if (result) resolve(result);
      else reject(failure);
    });
  });
  // A rejected promise nobody awaits (after kill) must not crash the caller.
  started.catch(() => undefined);
  done.catch(() => undefined);
  return { started, done, stop: () => child.kill('SIGTERM'), kill: () => child.kill('SIGKILL') };
}

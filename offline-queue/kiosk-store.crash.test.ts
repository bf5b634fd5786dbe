import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PrintState } from '../common/contract/kiosk-api.js';
import { openKioskStore } from './kiosk-store.js';
import { makeTempDir } from './testing/temp-dir.js';

const tmp = makeTempDir('crash');
const children: ReturnType<typeof spawn>[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  tmp.remove();
});

const childScript = fileURLToPath(new URL('./testing/crash-child.ts', import.meta.url));

describe('KioskStore after SIGKILL', () => {
  it('keeps the committed ticket and its event, and turns the job that was sending into possibly-printed', async () => {
    const file = tmp.file('crash');
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, file], {
      cwd: fileURLToPath(new URL('.', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      out += chunk;
    });
    while (!out.includes('\n')) {
      const [exited] = await Promise.race([once(child.stdout!, 'data'), once(child, 'exit').then(() => ['exit'])]);
      if (exited === 'exit') throw new Error(`child exited early: ${out}`);
    }
    const { ticketId, jobId } = JSON.parse(out.trim()) as { ticketId: string; jobId: string };
    const exit = once(child, 'exit');
    child.kill('SIGKILL');
    await exit;

    const store = openKioskStore({ path: file });
    expect(store.getTicket(ticketId)?.printState).toBe(PrintState.Printing);
    expect(store.readOutbox(10).map((e) => e.seq)).toEqual([1]);
    expect(store.recoverInterruptedPrintJobs()).toBe(1);
    expect(store.getTicket(ticketId)?.printState).toBe(PrintState.PossiblyPrinted);
    expect(() => store.markPrintJob(jobId, 'sending')).toThrow(/possibly-printed/);
    store.close();
  });
});

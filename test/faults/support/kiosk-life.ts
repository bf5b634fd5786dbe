import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PowerCutChildLine, type PowerCutChildArgs } from './power-cut-protocol.js';

const childEntry = fileURLToPath(new URL('./power-cut-child.ts', import.meta.url));

/** When a life ends: so many ms after its go line (start-up included), or after it said it was ready. */
export interface KillPlan {
  from: 'go' | 'ready';
  afterMs: number;
}

export interface LifeOutcome {
  /** Process start to modules loaded (paid in standby, outside the cut loop). */
  loadMs: number;
  /** Go line to kiosk ready (open the file, recover, first pull); null if cut before. */
  openMs: number | null;
  /** Tickets whose takeTicket resolved before the cut: durable by contract. */
  issued: { ticketId: string; number: string }[];
  refused: string[];
  killed: boolean;
  /** The end of what the child wrote on stderr (for failure messages). */
  stderrTail: string;
}

export class KioskLifeError extends Error {
  readonly code = 'kiosk-life-failed';
  constructor(message: string) {
    super(message);
    this.name = 'KioskLifeError';
  }
}

/** A child process, started and waiting for its go line, and what it has said so far. */
interface Standby {
  child: ChildProcess;
  loaded: Promise<number>;
  lines: (line: PowerCutChildLine) => void;
  stderr: () => string;
  exited: Promise<number | null>;
}

/**
 * Runs kiosk lives one after another on one data folder. The next process is spawned and loads
 * its modules while the current life runs; it opens the database only after the current one has
 * exited, so two lives never hold the file at once. Every child is in `live` until it has exited.
 */
export class KioskLauncher {
  private readonly standby: Standby[] = [];

  /** `depth`: processes kept loading ahead of the current life (more hides more start-up, costs more CPU at once). */
  constructor(
    private readonly live: Set<ChildProcess>,
    private readonly depth = 1,
  ) {}

  /** One life: cut by SIGKILL per `plan`, or (no plan) expected to end by itself with code 0. */
  async run(args: PowerCutChildArgs, plan: KillPlan | null, timeoutMs = 120_000): Promise<LifeOutcome> {
    const current = this.standby.shift() ?? this.spawn();
    // Warm the next ones while this life runs; the drain run is the last.
    while (plan && this.standby.length < this.depth) this.standby.push(this.spawn());
    const loadMs = await current.loaded;

    const outcome: LifeOutcome = { loadMs, openMs: null, issued: [], refused: [], killed: false, stderrTail: '' };
    const timers: NodeJS.Timeout[] = [];
    const { child } = current;
    const kill = (): void => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      outcome.killed = true;
      child.kill('SIGKILL');
    };
    let timedOut = false;
    timers.push(
      setTimeout(() => {
        timedOut = true;
        kill();
      }, timeoutMs),
    );
    current.lines = (line) => {
      switch (line.event) {
        case 'ready':
          outcome.openMs = line.openMs;
          if (plan?.from === 'ready') timers.push(setTimeout(kill, plan.afterMs));
          break;
        case 'issued':
          outcome.issued.push({ ticketId: line.ticketId, number: line.number });
          break;
        case 'refused':
          outcome.refused.push(`${line.code}: ${line.message}`);
          break;
        case 'loaded':
        case 'drained':
          break;
      }
    };
    child.stdin?.write(`${JSON.stringify(args)}\n`);
    if (plan?.from === 'go') timers.push(setTimeout(kill, plan.afterMs));

    const code = await current.exited;
    for (const t of timers) clearTimeout(t);
    outcome.stderrTail = current.stderr().slice(-2000);
    const expected = !timedOut && (plan ? outcome.killed : code === 0);
    if (!expected) {
      throw new KioskLifeError(
        `kiosk life ended unexpectedly (code ${String(code)}, killed ${outcome.killed}, timed out ${timedOut}):\n${current.stderr().slice(-4000)}`,
      );
    }
    return outcome;
  }

  /** Kills the processes waiting in standby. */
  async close(): Promise<void> {
    const waiting = this.standby.splice(0);
    for (const s of waiting) s.child.kill('SIGKILL');
    await Promise.all(waiting.map((s) => s.exited));
  }

  private spawn(): Standby {
    const child = spawn(process.execPath, ['--import', 'tsx', childEntry], {
      // stdin carries the go line, and its closing tells the child that its parent is gone.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.live.add(child);
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (d: string) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once('close', (code) => {
        this.live.delete(child);
        resolve(code);
      });
    });
    let onLoaded: (ms: number) => void = () => undefined;
    let onFailed: (err: Error) => void = () => undefined;
    const loaded = new Promise<number>((resolve, reject) => {
      onLoaded = resolve;
      onFailed = reject;
    });
    // Marked handled: a standby killed before it loaded is nobody's failure unless a life awaits it.
    loaded.catch(() => undefined);
    void exited.then((code) => onFailed(new KioskLifeError(`kiosk child exited (${String(code)}) before loading:\n${stderr.slice(-4000)}`)));
    const standby: Standby = { child, loaded, lines: () => undefined, stderr: () => stderr, exited };
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let line: PowerCutChildLine;
      try {
        line = PowerCutChildLine.parse(JSON.parse(text));
      } catch {
        stderr += `\n[stdout] ${text}`;
        return;
      }
      if (line.event === 'loaded') onLoaded(line.loadMs);
      standby.lines(line);
    });
    return standby;
  }
}

/** SIGKILLs every child still alive and waits for them to exit (test cleanup). */
export async function killAll(live: Set<ChildProcess>): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  live.clear();
}

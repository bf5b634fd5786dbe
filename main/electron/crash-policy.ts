import type { RenderProcessGoneDetails, WebContents } from 'electron';

export enum CrashAction {
  Reload = 'reload',
  Relaunch = 'relaunch',
}

export interface CrashCounterOptions {
  /** More crashes than this within `windowMs` means reloading is not helping. */
  maxCrashes: number;
  windowMs: number;
  now: () => number;
}

/** Counts renderer crashes in a sliding window and says whether to reload or start over. */
export class CrashCounter {
  private readonly crashes: number[] = [];
  private readonly options: CrashCounterOptions;

  constructor(options: Partial<CrashCounterOptions> = {}) {
    this.options = { maxCrashes: 3, windowMs: 60_000, now: Date.now, ...options };
  }

  record(): CrashAction {
    const now = this.options.now();
    const since = now - this.options.windowMs;
    while (this.crashes.length > 0 && (this.crashes[0] ?? now) <= since) this.crashes.shift();
    this.crashes.push(now);
    return this.crashes.length > this.options.maxCrashes ? CrashAction.Relaunch : CrashAction.Reload;
  }
}

export interface CrashResponses {
  reload(): void;
  /** Starts a fresh process: `app.relaunch(); app.exit(0)`. */
  relaunch(): void;
}

/**
 * Reloads the kiosk page when its renderer dies, and relaunches the app when that keeps
 * happening. A clean exit is the renderer going away on purpose (window closing), not a crash.
 */
export function applyCrashPolicy(webContents: WebContents, responses: CrashResponses, counter = new CrashCounter()): () => void {
  const onGone = (_event: unknown, details: Pick<RenderProcessGoneDetails, 'reason' | 'exitCode'>): void => {
    if (details.reason === 'clean-exit') return;
    console.error(`kiosk renderer gone: ${details.reason} (exit code ${details.exitCode})`);
    if (counter.record() === CrashAction.Relaunch) responses.relaunch();
    else if (!webContents.isDestroyed()) responses.reload();
  };
  webContents.on('render-process-gone', onGone);
  return () => {
    webContents.removeListener('render-process-gone', onGone);
  };
}

/**
 * What a launcher has started, to be stopped in reverse order. Each part is pushed the moment it
 * exists (a child process as soon as it is spawned, not once it is ready), so a failure or a
 * signal at any point stops exactly what is running. One step that fails or hangs does not keep
 * the others from running.
 */
export class ShutdownStack {
  private readonly steps: Array<{ name: string; stop: () => Promise<void> | void }> = [];
  private stopping: Promise<string[]> | null = null;

  constructor(private readonly stepTimeoutMs = 20_000) {}

  get isStopping(): boolean {
    return this.stopping !== null;
  }

  /** Registers how to stop a part that now exists. Pushed after stop() began: stopped at once. */
  push(name: string, stop: () => Promise<void> | void): void {
    if (this.stopping) {
      void this.stopping.then(() => this.runStep({ name, stop }));
      return;
    }
    this.steps.push({ name, stop });
  }

  /** Stops everything, last first; resolves with the names of the steps that failed or hung. Idempotent. */
  stop(): Promise<string[]> {
    this.stopping ??= (async () => {
      const failed: string[] = [];
      for (const step of this.steps.splice(0).reverse()) {
        if (!(await this.runStep(step))) failed.push(step.name);
      }
      return failed;
    })();
    return this.stopping;
  }

  private async runStep(step: { name: string; stop: () => Promise<void> | void }): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.stepTimeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve(step.stop()).then(() => true), timedOut]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

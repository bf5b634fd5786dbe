/**
 * At most `concurrency` tasks at once, at most `maxWaiting` queued; past that a task is refused at
 * once (`LaneFull`) instead of queueing without bound. Keeps token lookups of unknown callers from
 * taking every pooled connection a kiosk's numbering needs.
 */
export class LaneFull extends Error {
  constructor() {
    super('lane full');
    this.name = 'LaneFull';
  }
}

export interface Lane {
  run<T>(task: () => Promise<T>): Promise<T>;
}

export function createLane(concurrency: number, maxWaiting: number): Lane {
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running < concurrency) {
        running += 1;
      } else {
        if (waiting.length >= maxWaiting) throw new LaneFull();
        // The slot is handed over by release(): `running` stays as it is.
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';

/**
 * Every request of the load, timed from the moment it is sent to the last byte of its answer.
 * Latencies count only while measuring (after the warm-up); answers are counted by status for the
 * whole run, warm-up included: a 5xx is a failure whenever it happens.
 */
export class RouteSamples {
  private measuring = false;
  readonly latencies: Record<string, number[]> = {};
  /** route -> status (or `network`) -> count. */
  readonly answers: Record<string, Record<string, number>> = {};
  /** The first few unexpected answers, for the report on stderr. */
  readonly firstFailures: string[] = [];

  startMeasuring(): void {
    this.measuring = true;
  }

  stopMeasuring(): void {
    this.measuring = false;
  }

  get isMeasuring(): boolean {
    return this.measuring;
  }

  record(route: string, ms: number | null, status: number | 'network', detail?: string): void {
    const byStatus = (this.answers[route] ??= {});
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
    if (ms !== null && this.measuring) (this.latencies[route] ??= []).push(ms);
    const failed = status === 'network' || status >= 400;
    if (failed && this.firstFailures.length < 10) this.firstFailures.push(`${route} ${status} ${detail ?? ''}`.slice(0, 300));
  }

  /** What crosses a worker boundary. */
  snapshot(): SamplesSnapshot {
    return { latencies: this.latencies, answers: this.answers, firstFailures: this.firstFailures };
  }
}

export interface SamplesSnapshot {
  latencies: Record<string, number[]>;
  answers: Record<string, Record<string, number>>;
  firstFailures: string[];
}

export interface Answer {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One request on `dispatcher` (a kiosk's or a clerk's own connection pool), recorded under
 * `route`. Null when no answer came at all (recorded as `network`).
 */
export async function timedRequest(
  dispatcher: Dispatcher,
  samples: RouteSamples,
  route: string,
  options: { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: unknown },
): Promise<Answer | null> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const t0 = performance.now();
  try {
    const res = await dispatcher.request({ method: options.method, path: options.path, headers, body: body ?? null });
    const text = await res.body.text();
    const ms = performance.now() - t0;
    samples.record(route, ms, res.statusCode, res.statusCode >= 400 ? text : undefined);
    return { status: res.statusCode, text, headers: res.headers };
  } catch (err) {
    samples.record(route, null, 'network', err instanceof Error ? err.message : String(err));
    return null;
  }
}

/** Waits `ms`, or less when `signal` aborts first (the load stopping). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Uniform within ±50 % of `mean`. */
export const around = (mean: number): number => mean * (0.5 + Math.random());

/** Exponential with this mean: the gaps between visitors arriving at random. */
export const exponential = (mean: number): number => -mean * Math.log(1 - Math.random());

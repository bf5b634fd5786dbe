import { performance } from 'node:perf_hooks';
import type { z } from 'zod';
import { PortalErrorBody } from '../../common/contract/errors.js';
import { KioskHealthAck, KioskHealthReport, kioskHealthRoutes } from '../../common/contract/kiosk-health-api.js';
import {
  AllocateNumberRequest,
  AllocateNumberResponse,
  CatalogResponse,
  KioskCasesRequest,
  KioskCasesResponse,
  LeaseBandRequest,
  LeaseBandResponse,
  PullResponse,
  PushRequest,
  PushResponse,
  RateableTicketsRequest,
  RateableTicketsResponse,
  syncRoutes,
} from '../../common/contract/sync-api.js';
import { clockOffsetMs, type ClockSample } from './clock-offset.js';

/** Why a portal call failed, as the sync engine and the number allocator need to know it. */
export enum PortalFailure {
  /** No usable answer: connection refused or reset, DNS, or the portal answered 5xx / 408 / 429. */
  Unreachable = 'unreachable',
  /** No answer within the caller's budget. */
  Timeout = 'timeout',
  /** The portal refused the request itself (4xx other than 401/403): retrying unchanged won't help. */
  Rejected = 'rejected',
  /** A 2xx answer that does not match the contract. */
  BadResponse = 'bad-response',
  /** The kiosk token was refused (401/403). */
  Unauthorized = 'unauthorized',
}

export class PortalClientError extends Error {
  readonly failure: PortalFailure;
  /** HTTP status when the portal answered. */
  readonly status: number | null;
  /** The portal's error code from its error body, when it sent one. */
  readonly code: string | null;
  constructor(failure: PortalFailure, message: string, options: { status?: number | null; code?: string | null; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'PortalClientError';
    this.failure = failure;
    this.status = options.status ?? null;
    this.code = options.code ?? null;
  }
}

export interface PortalClientOptions {
  baseUrl: string;
  token: string;
  fetchImpl?: typeof fetch;
  /** Kiosk wall clock in ms (default Date.now): what the offset is measured against. */
  wallNow?: () => number;
  /** Monotonic ms (default performance.now): the round trip, immune to wall-clock jumps. */
  monoNow?: () => number;
  /** Called after every successful exchange with the clock offset it measured. */
  onClockSample?: (sample: ClockSample) => void;
}

function failureForStatus(status: number): PortalFailure {
  if (status === 401 || status === 403) return PortalFailure.Unauthorized;
  if (status >= 500 || status === 408 || status === 429) return PortalFailure.Unreachable;
  return PortalFailure.Rejected;
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/**
 * The kiosk side of the sync API (common/contract/sync-api.ts). Each call has its own time budget
 * covering the whole exchange, body included; every answer is parsed with the contract's schema.
 */
export class PortalClient {
  private readonly baseUrl: string;
  private readonly token: string;
  private readonly fetchImpl: typeof fetch;
  private readonly wallNow: () => number;
  private readonly monoNow: () => number;
  private onClockSample: ((sample: ClockSample) => void) | undefined;

  constructor(opts: PortalClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.fetchImpl = opts.fetchImpl ?? ((input, init) => fetch(input, init));
    this.wallNow = opts.wallNow ?? (() => Date.now());
    this.monoNow = opts.monoNow ?? (() => performance.now());
    this.onClockSample = opts.onClockSample;
  }

  /** Sets (or replaces) the listener for clock samples; the runtime wires it to the sync engine. */
  setClockListener(listener: ((sample: ClockSample) => void) | undefined): void {
    this.onClockSample = listener;
  }

  catalog(timeoutMs: number): Promise<CatalogResponse> {
    return this.call('GET', syncRoutes.catalog.path, undefined, CatalogResponse, timeoutMs);
  }

  push(req: PushRequest, timeoutMs: number): Promise<PushResponse> {
    return this.call('POST', syncRoutes.push.path, PushRequest.parse(req), PushResponse, timeoutMs);
  }

  allocateNumber(req: z.input<typeof AllocateNumberRequest>, timeoutMs: number): Promise<AllocateNumberResponse> {
    return this.call('POST', syncRoutes.allocateNumber.path, AllocateNumberRequest.parse(req), AllocateNumberResponse, timeoutMs);
  }

  /** Everything changed since `cursor` (all of it when null). */
  pull(cursor: string | null, timeoutMs: number): Promise<PullResponse> {
    const query = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`;
    return this.call('GET', `${syncRoutes.pull.path}${query}`, undefined, PullResponse, timeoutMs);
  }

  leaseBand(req: LeaseBandRequest, timeoutMs: number): Promise<LeaseBandResponse> {
    return this.call('POST', syncRoutes.leaseBand.path, LeaseBandRequest.parse(req), LeaseBandResponse, timeoutMs);
  }

  /** The cases of the citizen whose card the kiosk read (by HMAC, never the number). */
  kioskCases(req: z.input<typeof KioskCasesRequest>, timeoutMs: number): Promise<KioskCasesResponse> {
    return this.call('POST', syncRoutes.kioskCases.path, KioskCasesRequest.parse(req), KioskCasesResponse, timeoutMs);
  }

  /** Served tickets a visitor may still rate: by HMAC, or the one ticket a scanned QR names. */
  rateableTickets(req: z.input<typeof RateableTicketsRequest>, timeoutMs: number): Promise<z.output<typeof RateableTicketsResponse>> {
    return this.call('POST', syncRoutes.rateableTickets.path, RateableTicketsRequest.parse(req), RateableTicketsResponse, timeoutMs);
  }

  /** The kiosk's health (common/contract/kiosk-health-api.ts); a portal without the route answers 404. */
  reportHealth(report: z.input<typeof KioskHealthReport>, timeoutMs: number): Promise<KioskHealthAck> {
    return this.call('POST', kioskHealthRoutes.reportHealth.path, KioskHealthReport.parse(report), KioskHealthAck, timeoutMs);
  }

  private async call<S extends z.ZodType<{ serverTime: string }>>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: S,
    timeoutMs: number,
  ): Promise<z.output<S>> {
    const url = `${this.baseUrl}${path}`;
    const signal = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs)));
    const sentMono = this.monoNow();
    let status: number;
    let text: string;
    let receivedMono: number;
    let receivedWall: number;
    try {
      const res = await this.fetchImpl(url, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
      status = res.status;
      // The same signal bounds the body: a portal that stalls mid-answer is a timeout too.
      text = await res.text();
      receivedMono = this.monoNow();
      receivedWall = this.wallNow();
    } catch (err) {
      if (isTimeout(err) || signal.aborted) {
        throw new PortalClientError(PortalFailure.Timeout, `${method} ${path}: no answer within ${timeoutMs} ms`, { cause: err });
      }
      throw new PortalClientError(PortalFailure.Unreachable, `${method} ${path}: ${describe(err)}`, { cause: err });
    }

    if (status < 200 || status > 299) {
      const errorBody = PortalErrorBody.safeParse(parseJson(text));
      const code = errorBody.success ? errorBody.data.code : null;
      const detail = errorBody.success ? errorBody.data.message : text.slice(0, 200);
      throw new PortalClientError(failureForStatus(status), `${method} ${path}: HTTP ${status}${code ? ` ${code}` : ''}: ${detail}`, {
        status,
        code,
      });
    }
    const parsed = schema.safeParse(parseJson(text));
    if (!parsed.success) {
      throw new PortalClientError(PortalFailure.BadResponse, `${method} ${path}: answer does not match the contract`, {
        status,
        cause: parsed.error,
      });
    }
    this.sampleClock(parsed.data.serverTime, receivedWall, receivedMono, receivedMono - sentMono);
    return parsed.data;
  }

  private sampleClock(serverTime: string, receivedWallMs: number, receivedMonoMs: number, rttMs: number): void {
    if (!this.onClockSample) return;
    const offsetMs = clockOffsetMs(serverTime, receivedWallMs, rttMs);
    if (offsetMs === null) return;
    try {
      this.onClockSample({ offsetMs, rttMs, at: { wallMs: receivedWallMs, monoMs: receivedMonoMs } });
    } catch (err) {
      console.error('portal client: clock listener threw', err);
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** undici hides the socket error in `cause`; surface it so the technician sees ECONNREFUSED. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause instanceof Error) return `${err.message} (${'code' in cause ? String(cause.code) : cause.message})`;
  return err.message;
}

/**
 * Whether the portal answered at all: a refusal, a bad token or a broken answer still proves the
 * network path works; only no connection, a 5xx / 408 / 429 or a timeout means it does not.
 */
export function portalAnswered(err: unknown): boolean {
  if (!(err instanceof PortalClientError)) return false;
  return err.failure !== PortalFailure.Unreachable && err.failure !== PortalFailure.Timeout;
}

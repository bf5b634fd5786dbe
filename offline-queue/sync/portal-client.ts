import type { z } from 'zod';
import { PortalErrorBody } from '../../common/contract/errors.js';
import {
  AllocateNumberRequest,
  AllocateNumberResponse,
  CatalogResponse,
  PushRequest,
  PushResponse,
  syncRoutes,
} from '../../common/contract/sync-api.js';

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

  constructor(opts: PortalClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.fetchImpl = opts.fetchImpl ?? ((input, init) => fetch(input, init));
  }

  catalog(timeoutMs: number): Promise<CatalogResponse> {
    return this.call('GET', syncRoutes.catalog.path, undefined, CatalogResponse, timeoutMs);
  }

  push(req: PushRequest, timeoutMs: number): Promise<PushResponse> {
    return this.call('POST', syncRoutes.push.path, PushRequest.parse(req), PushResponse, timeoutMs);
  }

  allocateNumber(req: AllocateNumberRequest, timeoutMs: number): Promise<AllocateNumberResponse> {
    return this.call('POST', syncRoutes.allocateNumber.path, AllocateNumberRequest.parse(req), AllocateNumberResponse, timeoutMs);
  }

  private async call<S extends z.ZodType>(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    schema: S,
    timeoutMs: number,
  ): Promise<z.output<S>> {
    const url = `${this.baseUrl}${path}`;
    const signal = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs)));
    let status: number;
    let text: string;
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
    return parsed.data;
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

import { PushRequest } from '../../../common/contract/sync-api.js';
import type { ModelPortal } from './model-portal.js';

/** What the network does to one request on its way to the model portal and back. */
export enum NetFault {
  Pass = 'pass',
  /** Lost on the way in: the portal never sees it, the kiosk sees a connection failure. */
  DropRequest = 'drop-request',
  /** Applied by the portal; the answer is lost (the kiosk sees a reset). */
  LoseResponse = 'lose-response',
  /** Delivered now and once more later, when `deliverHeld` picks the copy. */
  Duplicate = 'duplicate',
  /** Held in the network: the kiosk times out now, the portal gets it later (reordered after newer ones). */
  Delay = 'delay',
  /** A 503 from a proxy in front of the portal: nothing applied. */
  Unavailable = 'unavailable',
}

export const ALL_NET_FAULTS: readonly NetFault[] = Object.values(NetFault);

function timeoutError(): Error {
  const err = new Error('The operation was aborted due to timeout');
  err.name = 'TimeoutError';
  return err;
}

/**
 * A `fetch` for PortalClient that puts a scripted faulty network in front of a ModelPortal. The
 * faults for the next requests are queued with `script()`; with none queued a request passes.
 * Requests held by Delay or Duplicate wait in `held` until `deliverHeld` hands them to the
 * portal, in whatever order the test chooses: that is how stale, reordered batches arrive.
 */
export class FaultyTransport {
  private readonly plan: NetFault[] = [];
  readonly held: PushRequest[] = [];
  readonly faultCounts = new Map<NetFault, number>();
  requests = 0;

  constructor(
    private readonly portal: ModelPortal,
    private readonly serverTime: () => string = () => new Date().toISOString(),
  ) {}

  script(faults: readonly NetFault[]): void {
    this.plan.push(...faults);
  }

  clearScript(): void {
    this.plan.length = 0;
  }

  /** Hands the held request at `index` to the portal; its answer goes nowhere. */
  deliverHeld(index: number): void {
    const [request] = this.held.splice(index, 1);
    if (request) this.portal.push(request, this.serverTime());
  }

  readonly fetch: typeof fetch = async (input, init) => {
    this.requests++;
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (init?.method !== 'POST' || !url.pathname.endsWith('/v1/kiosk/events')) {
      return new Response(JSON.stringify({ code: 'not-found', message: `model portal has no ${url.pathname}` }), { status: 404 });
    }
    const request = PushRequest.parse(JSON.parse(String(init.body)));
    const fault = this.plan.shift() ?? NetFault.Pass;
    this.faultCounts.set(fault, (this.faultCounts.get(fault) ?? 0) + 1);
    switch (fault) {
      case NetFault.DropRequest:
        throw new TypeError('fetch failed');
      case NetFault.Delay:
        this.held.push(request);
        throw timeoutError();
      case NetFault.Unavailable:
        return new Response(JSON.stringify({ code: 'internal', message: 'proxy: upstream unavailable' }), { status: 503 });
      case NetFault.LoseResponse:
        this.portal.push(request, this.serverTime());
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      case NetFault.Duplicate:
        this.held.push(request);
        return this.answer(request);
      case NetFault.Pass:
        return this.answer(request);
    }
  };

  private answer(request: PushRequest): Response {
    return new Response(JSON.stringify(this.portal.push(request, this.serverTime())), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }
}

import { isKioskMethodName, kioskMethods, type KioskHandlers } from '../../common/contract/kiosk-api.js';
import { KioskError, KioskErrorCode, toKioskErrorPayload, type KioskErrorPayload } from '../../common/contract/errors.js';
import type { KioskEventHub, KioskEventListener } from './kiosk-event-hub.js';

export type DispatchResult = { ok: true; response: unknown } | { ok: false; error: KioskErrorPayload };
export type { KioskEventListener };

/**
 * What a shell needs from the core: call a contract method by name with untrusted input, and
 * subscribe to contract events. Both shells bridge exactly this, in one generic loop.
 */
export interface KioskBridgeTarget {
  dispatch(method: string, request: unknown): Promise<DispatchResult>;
  subscribe(listener: KioskEventListener): () => void;
}

/**
 * Validates the method name and request against the contract before a handler runs, and the
 * response after; errors leave as `{ code, message }` only, never a stack.
 */
export function createKioskDispatcher(
  handlers: KioskHandlers,
  hub: KioskEventHub,
  onUnexpected: (err: unknown) => void = () => {},
): KioskBridgeTarget {
  async function dispatch(method: string, request: unknown): Promise<DispatchResult> {
    if (!isKioskMethodName(method)) {
      return { ok: false, error: { code: KioskErrorCode.UnknownMethod, message: 'unknown method' } };
    }
    const spec = kioskMethods[method];
    const parsed = spec.request.safeParse(request ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.join('.') || 'request';
      return { ok: false, error: { code: KioskErrorCode.BadRequest, message: `${where}: ${issue?.message ?? 'invalid'}` } };
    }
    try {
      const handler = handlers[method] as (req: unknown) => Promise<unknown>;
      const response = spec.response.parse(await handler(parsed.data));
      return { ok: true, response };
    } catch (err) {
      if (!(err instanceof KioskError)) onUnexpected(err);
      return { ok: false, error: toKioskErrorPayload(err) };
    }
  }

  return { dispatch, subscribe: (listener) => hub.subscribe(listener) };
}

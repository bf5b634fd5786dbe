import { KioskError, KioskErrorCode } from '../../../common/contract/errors.js';
import { kioskMethodNames, type KioskApi, type KioskEventName, type KioskEventPayload } from '../../../common/contract/kiosk-api.js';

type KioskMethods = Omit<KioskApi, 'on'>;

/** An in-memory KioskApi: methods from the test, events pushed with emit(). */
export function fakeKioskApi(methods: Partial<KioskMethods>) {
  const listeners = new Map<KioskEventName, Set<(payload: unknown) => void>>();
  const missing = (name: string) => () => Promise.reject(new KioskError(KioskErrorCode.Internal, `${name} not faked`));
  // Every contract method: the ones the test gave, the rest rejecting, so new methods need no edit here.
  const all = Object.fromEntries(kioskMethodNames.map((name) => [name, methods[name] ?? missing(name)])) as KioskMethods;
  const api: KioskApi = {
    ...all,
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => void set.delete(wrapped);
    },
  };
  return {
    api,
    emit<E extends KioskEventName>(event: E, payload: KioskEventPayload<E>): void {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    listenerCount(): number {
      return [...listeners.values()].reduce((n, set) => n + set.size, 0);
    },
  };
}

/** A promise the test settles when it chooses, to hold a call in flight. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

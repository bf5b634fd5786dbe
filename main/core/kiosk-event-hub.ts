import { isKioskEventName, kioskEvents, type KioskEventName, type KioskEventPayload } from '../../common/contract/kiosk-api.js';

export type KioskEventListener = (event: KioskEventName, payload: unknown) => void;

/** Fans contract events out to the shells; every payload is checked against the contract first. */
export class KioskEventHub {
  private readonly listeners = new Set<KioskEventListener>();

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  subscribe(listener: KioskEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit<E extends KioskEventName>(event: E, payload: KioskEventPayload<E>): void {
    if (!isKioskEventName(event)) throw new TypeError(`unknown kiosk event ${String(event)}`);
    const checked = kioskEvents[event].parse(payload);
    for (const listener of this.listeners) {
      try {
        listener(event, checked);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }
}

import type { KioskApi } from '../../../common/contract/kiosk-api.js';
import { createKioskStore, type KioskStore, type KioskStoreOptions } from '../state/kiosk-store.js';
import { fakeKioskApi } from './fake-kiosk-api.js';
import { sampleConnectivity, sampleHall, samplePrinter, sampleServices } from './fixtures.js';

type KioskMethods = Omit<KioskApi, 'on'>;

/** Every call the fake kiosk received, by method, in order. */
export type CallLog = { [M in keyof KioskMethods]?: Parameters<KioskMethods[M]>[0][] };

/**
 * A kiosk store over a fake kiosk API with the sample hall and services loaded, recording every
 * request the journeys make, for the journeys' flow tests.
 */
export function journeyStore(methods: Partial<KioskMethods>, options: KioskStoreOptions = {}): { store: KioskStore; kiosk: ReturnType<typeof fakeKioskApi>; calls: CallLog } {
  const calls: CallLog = {};
  const recorded = Object.fromEntries(
    Object.entries({
      getStatus: async () => ({ printer: samplePrinter(), connectivity: sampleConnectivity() }),
      endVisit: async () => ({ cleared: true }),
      ...methods,
    }).map(([name, method]) => [
      name,
      (request: unknown) => {
        const log = ((calls as Record<string, unknown[]>)[name] ??= []);
        log.push(request);
        return (method as (r: unknown) => Promise<unknown>)(request);
      },
    ]),
  ) as Partial<KioskMethods>;
  const kiosk = fakeKioskApi(recorded);
  const store = createKioskStore(kiosk.api, options);
  store.setState({ hall: sampleHall, services: sampleServices, servicesLoaded: true });
  return { store, kiosk, calls };
}

/** Lets pending replies and the store's reactions to them run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

export type { KioskStore };

import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { KioskStore, KioskStoreState } from './kiosk-store.js';

const KioskStoreContext = createContext<KioskStore | null>(null);

export function KioskStoreProvider({ store, children }: { store: KioskStore; children: ReactNode }) {
  return <KioskStoreContext.Provider value={store}>{children}</KioskStoreContext.Provider>;
}

/** Reads one slice of the kiosk store; select single values so renders stay stable. */
export function useKiosk<T>(selector: (state: KioskStoreState) => T): T {
  const store = useContext(KioskStoreContext);
  if (!store) throw new Error('useKiosk needs a KioskStoreProvider');
  return useStore(store, selector);
}

/** The store's actions; stable functions, so reading them never re-renders. */
export function useKioskActions(): KioskStoreState {
  const store = useContext(KioskStoreContext);
  if (!store) throw new Error('useKioskActions needs a KioskStoreProvider');
  return store.getState();
}

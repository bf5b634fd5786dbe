import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { TechnicianStore, TechnicianStoreState } from './technician-store.js';

const TechnicianStoreContext = createContext<TechnicianStore | null>(null);

export function TechnicianStoreProvider({ store, children }: { store: TechnicianStore; children: ReactNode }) {
  return <TechnicianStoreContext.Provider value={store}>{children}</TechnicianStoreContext.Provider>;
}

/** Reads one slice of the technician store. */
export function useTechnician<T>(selector: (state: TechnicianStoreState) => T): T {
  const store = useContext(TechnicianStoreContext);
  if (!store) throw new Error('useTechnician needs a TechnicianStoreProvider');
  return useStore(store, selector);
}

/** The store's actions; stable functions, so reading them never re-renders. */
export function useTechnicianActions(): TechnicianStoreState {
  const store = useContext(TechnicianStoreContext);
  if (!store) throw new Error('useTechnicianActions needs a TechnicianStoreProvider');
  return store.getState();
}

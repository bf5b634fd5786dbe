import { ManagerPhase, type SessionStore } from './session-store.js';

/** A section store that can forget everything it loaded. */
export interface Resettable {
  getState(): { reset(): void };
}

/**
 * Whatever the sections loaded belongs to the session that loaded it: when the console is left
 * (sign-out, a session that ended), every section store goes back to its first state, so the next
 * person to sign in (maybe of another hall) never sees it, and a token not yet copied is gone.
 */
export function clearOnSignOut(session: SessionStore, sections: readonly Resettable[]): () => void {
  return session.subscribe((state, previous) => {
    if (previous.phase !== ManagerPhase.Console || state.phase === ManagerPhase.Console) return;
    for (const store of sections) store.getState().reset();
  });
}

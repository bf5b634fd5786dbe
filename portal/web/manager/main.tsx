import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createPortalClient } from '../shared/api/portal-client.js';
import { createConfigStore } from './config/config-store.js';
import { ManagerApp, type ManagerStores } from './ManagerApp.js';
import { clearOnSignOut } from './state/clear-on-sign-out.js';
import { sectionOfHash } from './state/section-hash.js';
import { createSessionStore } from './state/session-store.js';
import { createStatsStore } from './state/stats-store.js';
import { createWallStore } from './state/wall-store.js';
import '../shared/styles/base.css';
import './manager.css';

// The portal's root: the page lives at /manager/, the API one level up.
const portalRoot = new URL('../', window.location.href);
const client = createPortalClient({ baseUrl: portalRoot, csrfToken: () => session.getState().session?.csrfToken ?? null });
const firstSection = sectionOfHash(window.location.hash);
const session = createSessionStore({ client, ...(firstSection ? { section: firstSection } : {}) });
const onUnauthorized = () => void session.getState().sessionLost();
const stores: ManagerStores = {
  client,
  session,
  wall: createWallStore({ client, onUnauthorized, onServerTime: (at) => session.getState().noteServerTime(at) }),
  stats: createStatsStore({ client, onUnauthorized }),
  config: createConfigStore({ client, onUnauthorized }),
};
clearOnSignOut(session, [stores.wall, stores.stats, stores.config]);
// Each section is a `#hash`: the navigation is plain links, and back/forward move between sections.
window.addEventListener('hashchange', () => {
  const section = sectionOfHash(window.location.hash);
  if (section) session.getState().showSection(section);
});
void session.getState().start();

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('manager/index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <ManagerApp stores={stores} />
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createPortalClient } from '../shared/api/portal-client.js';
import { openHallEventFeed } from '../shared/live/open-hall-event-feed.js';
import { CounterApp } from './CounterApp.js';
import { createConsoleStore } from './state/console-store.js';
import '../shared/styles/base.css';
import './counter.css';

// The portal's root: the page lives at /counter/, the API and the event stream one level up.
const portalRoot = new URL('../', window.location.href);
const client = createPortalClient({ baseUrl: portalRoot, csrfToken: () => store.getState().session?.csrfToken ?? null });
const store = createConsoleStore({ client, openFeed: openHallEventFeed, storage: window.sessionStorage });
void store.getState().start();

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('counter/index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <CounterApp store={store} />
  </StrictMode>,
);

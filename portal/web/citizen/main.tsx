import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createPortalClient } from '../shared/api/portal-client.js';
import { Language } from '../shared/i18n/language.js';
import { CitizenApp } from './CitizenApp.js';
import type { CitizenNav } from './components/citizen-nav.js';
import { citizenHref, parseCitizenRoute } from './routing/citizen-route.js';
import { connectFlows, createCitizenFlows } from './state/citizen-flows.js';
import { createCitizenShellStore } from './state/citizen-store.js';
import '../shared/styles/base.css';
import './citizen.css';

// The page lives at /citizen/ and /citizen/<journey>: its folder is /citizen/, the API one level up.
const base = new URL('./', window.location.href);
const portalRoot = new URL('../', base);
const client = createPortalClient({ baseUrl: portalRoot });
const lang = new URLSearchParams(window.location.search).get('lang');

const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
})();

const shell = createCitizenShellStore({
  client,
  route: parseCitizenRoute(new URL(window.location.href), base),
  language: lang === 'en' ? Language.En : lang === 'zh' ? Language.Zh : null,
  storage,
  history: {
    push: (route) => window.history.pushState(null, '', citizenHref(route, base)),
    replace: (route) => window.history.replaceState(null, '', citizenHref(route, base)),
  },
});
const flows = createCitizenFlows({ client });
connectFlows(shell, flows);

const nav: CitizenNav = {
  href: (route) => citizenHref(route, base),
  go: (route, options) => {
    shell.getState().navigate(route, options);
    window.scrollTo(0, 0);
  },
};
// Back and forward (and a typed `#code` on the verify page): the address says where.
const onLocation = () => shell.getState().locationChanged(parseCitizenRoute(new URL(window.location.href), base));
window.addEventListener('popstate', onLocation);
window.addEventListener('hashchange', onLocation);
void shell.getState().start();

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('citizen/index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <CitizenApp shell={shell} flows={flows} nav={nav} print={() => window.print()} />
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { installWsBridge } from './bridge/ws-bridge.js';
import { KioskStoreProvider } from './state/kiosk-store-context.js';
import { createKioskStore } from './state/kiosk-store.js';
import { TechnicianStoreProvider } from './technician/technician-store-context.js';
import { createTechnicianStore } from './technician/technician-store.js';
import './styles.css';

// Under Electron the preload has defined window.kiosk already; installWsBridge then keeps it.
const api = installWsBridge(window);
const store = createKioskStore(api);
void store.getState().loadServices();
void store.getState().refreshStatus();
void store.getState().loadVisitor();
const technicianStore = createTechnicianStore(api);

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
createRoot(rootElement).render(
  <StrictMode>
    <KioskStoreProvider store={store}>
      <TechnicianStoreProvider store={technicianStore}>
        <App />
      </TechnicianStoreProvider>
    </KioskStoreProvider>
  </StrictMode>,
);

import path from 'node:path';
import type { Connectivity } from '../../common/contract/kiosk-api.js';
import { createEscPosPrinter } from '../../devices/printer/escpos-printer.js';
import { createTcpPrinterTransport } from '../../devices/printer/tcp-printer-transport.js';
import { openKioskStore } from '../../offline-queue/kiosk-store.js';
import { PortalClient } from '../../offline-queue/sync/portal-client.js';
import { SyncEngine, type SyncState } from '../../offline-queue/sync/sync-engine.js';
import type { KioskConfig } from './kiosk-config.js';
import { createKioskDispatcher } from './kiosk-dispatcher.js';
import { KioskEventHub } from './kiosk-event-hub.js';
import { createKioskHandlers } from './kiosk-handlers.js';
import type { KioskRuntime } from './kiosk-runtime.js';
import { createNumberAllocator } from './number-allocator.js';
import { PrinterMonitor } from './printer-monitor.js';
import { TicketIssuer } from './ticket-issuer.js';

export interface KioskRuntimeOptions {
  now?: () => Date;
  /** How long startup waits for the first catalog pull before serving from the cache. */
  catalogWaitMs?: number;
}

function toConnectivity(s: SyncState): Connectivity {
  return { state: s.connectivity, lastSyncAt: s.lastSyncAt, backlog: s.backlog, clockOffsetMs: null, quarantined: 0 };
}

/** Composes the kiosk core from its parts; both shells call this and nothing else. */
export async function startKioskRuntime(config: KioskConfig, options: KioskRuntimeOptions = {}): Promise<KioskRuntime & { issuer: TicketIssuer; sync: SyncEngine }> {
  const now = options.now ?? (() => new Date());
  const store = openKioskStore({ path: path.join(config.dataDir, 'kiosk.db'), now });
  store.recoverInterruptedPrintJobs();

  const client = new PortalClient({ baseUrl: config.portal.baseUrl, token: config.portal.token });
  const printer = createEscPosPrinter(
    createTcpPrinterTransport({ host: config.printer.host, port: config.printer.port }),
    { statusTimeoutMs: config.printer.statusTimeoutMs },
  );

  const hub = new KioskEventHub((err) => console.error('kiosk core: event listener failed', err));

  let lastConnectivity: string | null = null;
  const sync = new SyncEngine({
    store,
    client,
    pushTimeoutMs: config.portal.pushTimeoutMs,
    onState: (s) => {
      const c = toConnectivity(s);
      const key = JSON.stringify(c);
      if (key !== lastConnectivity) {
        lastConnectivity = key;
        hub.emit('connectivity', c);
      }
    },
  });

  const monitor = new PrinterMonitor(printer, {
    pollIntervalMs: config.printer.pollIntervalMs,
    freshMs: 1_000,
    now,
    onChange: (s) => hub.emit('printerStatus', s),
  });

  const issuer = new TicketIssuer({
    store,
    allocator: createNumberAllocator({ client, budgetMs: config.portal.numberBudgetMs, kioskDigit: config.kioskDigit }),
    printer,
    printerMonitor: monitor,
    now,
    onIssued: (view, portalAnswered) => {
      sync.reportOutcome(portalAnswered);
      sync.kick();
      hub.emit('ticketIssued', view);
    },
    onUpdated: (view) => hub.emit('ticketUpdated', view),
  });

  const handlers = createKioskHandlers({
    store,
    issuer,
    printerStatus: () => monitor.current(),
    connectivity: () => toConnectivity(sync.state()),
  });
  const dispatcher = createKioskDispatcher(handlers, hub, (err) => console.error('kiosk core: unexpected error', err));

  // First catalog: wait briefly for the portal, otherwise serve from the cache.
  await Promise.race([
    sync.pullCatalog().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, options.catalogWaitMs ?? 3_000).unref()),
  ]);
  sync.start();
  monitor.start();

  let closed = false;
  return {
    issuer,
    sync,
    dispatch: dispatcher.dispatch,
    subscribe: dispatcher.subscribe,
    async close() {
      if (closed) return;
      closed = true;
      monitor.stop();
      await issuer.idle();
      await sync.stop();
      await printer.close();
      store.close();
    },
  };
}

import path from 'node:path';
import { ConnectivityState, VisitorClearReason } from '../../common/contract/kiosk-api.js';
import { createEscPosPrinter } from '../../devices/printer/escpos-printer.js';
import { createSerialPrinterTransport } from '../../devices/printer/serial-printer-transport.js';
import { createTcpPrinterTransport } from '../../devices/printer/tcp-printer-transport.js';
import { hallBusinessDay } from '../../offline-queue/hall-clock.js';
import { openKioskStore, type KioskStore } from '../../offline-queue/kiosk-store.js';
import { PortalClient } from '../../offline-queue/sync/portal-client.js';
import { SyncEngine } from '../../offline-queue/sync/sync-engine.js';
import { followLiveChannel, LiveChannelState } from '../../offline-queue/sync/live-channel.js';
import { CasesFlow } from './cases-flow.js';
import { CheckInFlow } from './check-in-flow.js';
import { citizenHmacOf } from './citizen-hmac.js';
import { DocumentPrinter } from './document-printing.js';
import { printServiceGuide } from './guide-printing.js';
import { RatingFlow } from './rating-flow.js';
import { ConnectivityPublisher, toConnectivity } from './connectivity-publisher.js';
import type { KioskConfig } from './kiosk-config.js';
import { refuseDemoCredentials } from './demo-credentials.js';
import { createKioskDispatcher } from './kiosk-dispatcher.js';
import { KioskEventHub } from './kiosk-event-hub.js';
import { kioskHealthSource } from './kiosk-health-source.js';
import { createKioskHandlers } from './kiosk-handlers.js';
import { effectiveKioskSettings, offersService } from './kiosk-settings.js';
import type { KioskRuntime } from './kiosk-runtime.js';
import { createNumberAllocator, PortalAttempt } from './number-allocator.js';
import { PortalReachability } from './portal-reachability.js';
import { createPortalTransport } from './portal-transport.js';
import { PrinterMonitor } from './printer-monitor.js';
import { TicketIssuer } from './ticket-issuer.js';
import { AlertBoard } from './alert-board.js';
import { KioskAlerts } from './kiosk-alerts.js';
import { KioskLog } from './kiosk-log.js';
import { printerDeviceStatus } from './printer-device-status.js';
import { PrinterService } from './printer-service.js';
import { ReaderService } from './reader-service.js';
import { ScannerService } from './scanner-service.js';
import { TechnicianAuth } from './technician-auth.js';
import { DEMO_PIN_HASH } from './technician-pin.js';
import { createTechnicianHandlers } from './technician-service.js';
import { ticketHolderOf } from './ticket-holder.js';
import { VisitorFlow } from './visitor-flow.js';
import { VisitorSession } from './visitor-session.js';

export interface KioskRuntimeOptions {
  now?: () => Date;
  /** Follow the portal's live channel (default true): a booking reaches the kiosk within moments. */
  liveChannel?: boolean;
  /** How long startup waits for the first pull before serving from the cache. */
  catalogWaitMs?: number;
  /** How often retention runs (default daily; also once at start). */
  purgeIntervalMs?: number;
}

const DAY_MS = 86_400_000;
/** How long a check-in of an unknown reference (or a slip of an unknown key) waits for a pull before answering. */
const CHECK_IN_REFRESH_MS = 1_500;
/** Receipts the technician may reprint: those of the last day. */
const REPRINT_WINDOW_MS = DAY_MS;

/** Retention on a timer: once at start, then every interval. A failure is logged, never fatal. */
function startPurgeTimer(store: KioskStore, config: KioskConfig, now: () => Date, intervalMs: number, log: KioskLog): () => void {
  const purge = (): void => {
    try {
      store.purgeExpired(now(), config.retention);
    } catch (err) {
      log.error('retention', 'purge failed', err);
    }
  };
  purge();
  // setInterval runs on the monotonic clock: a kiosk clock that jumps does not skip or repeat a day.
  const timer = setInterval(purge, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Composes the kiosk core from its parts; both shells call this and nothing else. */
export async function startKioskRuntime(
  config: KioskConfig,
  options: KioskRuntimeOptions = {},
): Promise<KioskRuntime & { issuer: TicketIssuer; sync: SyncEngine; store: KioskStore }> {
  // Before anything is opened: both shells and every caller that builds a config come through here.
  await refuseDemoCredentials(config);
  const transport = createPortalTransport(config.portal);
  const now = options.now ?? (() => new Date());
  const log = new KioskLog({ now });
  const alerts = new AlertBoard(now);
  const kioskAlerts = new KioskAlerts(alerts);
  const store = openKioskStore({ path: path.join(config.dataDir, 'kiosk.db'), now });
  const possiblyPrinted = store.recoverInterruptedPrintJobs();
  kioskAlerts.possiblyPrinted(possiblyPrinted);
  if (possiblyPrinted > 0) log.warn('printer', `${possiblyPrinted} receipt(s) were being sent when the kiosk stopped: possibly printed`);

  const client = new PortalClient({
    baseUrl: config.portal.baseUrl,
    token: config.portal.token,
    wallNow: () => now().getTime(),
    fetchImpl: transport.fetchImpl,
  });
  const serialPrinter = config.printer.serialPath;
  const printer = createEscPosPrinter(
    serialPrinter
      ? createSerialPrinterTransport({ path: serialPrinter, baudRate: config.printer.baudRate })
      : createTcpPrinterTransport({ host: config.printer.host, port: config.printer.port }),
    { statusTimeoutMs: config.printer.statusTimeoutMs },
  );
  const printerEndpoint = serialPrinter ? `serial:${serialPrinter}@${config.printer.baudRate}` : `tcp://${config.printer.host}:${config.printer.port}`;

  const hub = new KioskEventHub((err) => log.error('core', 'event listener failed', err));
  const connectivity = new ConnectivityPublisher({ emit: (c) => hub.emit('connectivity', c) });
  const reachability = new PortalReachability();

  // The engine also takes every clock sample the client measures (online numbering included).
  const sync = new SyncEngine({
    store,
    client,
    now,
    pushTimeoutMs: config.portal.pushTimeoutMs,
    pullIntervalMs: config.sync.pullIntervalMs,
    bandSize: config.sync.bandSize,
    onState: (s) => {
      const c = toConnectivity(s);
      kioskAlerts.connectivity(c);
      connectivity.publish(c);
    },
    onPortalOutcome: (answered) => reachability.record(answered),
    onPushed: (rejected, consumed) => {
      kioskAlerts.pushed(rejected, consumed);
      if (rejected.length > 0) log.warn('sync', `portal refused ${rejected.length} event(s): ${[...new Set(rejected.map((r) => r.code))].join(', ')} (quarantined)`);
    },
    maxClockJumpMs: config.sync.maxClockJumpMs,
    onClockJump: (jump) => {
      kioskAlerts.clockJump(jump);
      if (jump) log.warn('sync', `portal clock offset ${jump.measuredOffsetMs} ms held: the accepted ${jump.acceptedOffsetMs} ms stays in use until confirmed`);
    },
    // Health with every sync (issue 10 §2), read when the report is made: the monitor and the
    // device services below exist by then (the loop starts after them).
    healthSource: kioskHealthSource({
      kioskId: () => store.syncState().kioskId ?? config.kioskId,
      printer: () => ({ state: monitor.current().state, errorCounts: printer.health().errors }),
      reader: () => reader.diagnostics(),
      scanner: () => scanner.diagnostics(),
      dataDir: config.dataDir,
    }),
  });
  // A jump held before a restart is still held: the technician sees it again at once.
  kioskAlerts.clockJump(sync.clockJump());

  const monitor = new PrinterMonitor(printer, {
    pollIntervalMs: config.printer.pollIntervalMs,
    freshMs: 1_000,
    now,
    onChange: (s) => {
      kioskAlerts.printerState(s.state);
      log.info('printer', `state ${s.state}`);
      hub.emit('printerStatus', s);
      hub.emit('deviceStatus', printerDeviceStatus(s, now()));
    },
  });

  // The hall manager's settings for this kiosk over its configuration file, read at each use (issue 10).
  const settings = () => effectiveKioskSettings(config, store.kioskSettings());
  const offers = (serviceId: string): boolean => offersService(settings(), serviceId);

  // The hall's business day (portal time, hall zone): ages and card validity are judged on it.
  const hallToday = (): string => {
    const hall = store.loadCatalog()?.hall;
    return hallBusinessDay(now(), sync.clockOffsetMs(), hall?.timeZone ?? 'Asia/Shanghai', hall?.businessDayStartHour);
  };
  const session = new VisitorSession({
    idleTimeoutMs: () => settings().idleTimeoutMs,
    elderlyAge: () => settings().elderlyAge,
    now,
    today: hallToday,
    onIdentified: (view) => hub.emit('visitorIdentified', view),
    onCleared: (reason) => hub.emit('visitorCleared', { reason }),
  });
  const visitors = new VisitorFlow({
    session,
    emit: (event, payload) => hub.emit(event, payload),
    log,
    lookup: {
      ticketNumber: (ticketId) => store.getTicket(ticketId)?.number ?? null,
      appointmentKnown: (reference) => store.findAppointment(reference) !== null,
    },
    today: hallToday,
    now,
  });
  const onDeviceStatus = (status: Parameters<typeof kioskAlerts.deviceStatus>[0]): void => {
    kioskAlerts.deviceStatus(status);
    hub.emit('deviceStatus', status);
  };
  const reader = new ReaderService({
    config: config.idCardReader,
    today: hallToday,
    now,
    log,
    onCard: (card) => visitors.onCard(card),
    onUnreadable: () => visitors.onUnreadableCard(),
    onStatus: onDeviceStatus,
  });
  const scanner = new ScannerService({
    config: config.scanner,
    now,
    log,
    onScan: (code, source) => visitors.onScan(code, source),
    onStatus: onDeviceStatus,
  });

  const allocator = createNumberAllocator({
    client,
    budgetMs: config.portal.numberBudgetMs,
    kioskDigit: () => store.syncState().kioskDigit ?? config.kioskDigit,
    clockOffsetMs: () => sync.clockOffsetMs(),
    reachability,
  });

  const issuer = new TicketIssuer({
    store,
    allocator,
    printer,
    printerMonitor: monitor,
    now,
    onIssued: (view, portal) => {
      if (portal === PortalAttempt.Allocated) sync.reportOutcome(true);
      if (portal === PortalAttempt.Unanswered) sync.reportOutcome(false);
      sync.kick();
      log.info('issuer', `ticket ${view.number} issued (${view.numberSource}, ${view.printState})`);
      hub.emit('ticketIssued', view);
    },
    onUpdated: (view) => hub.emit('ticketUpdated', view),
    holder: () => {
      const visitor = session.current();
      return visitor ? ticketHolderOf(visitor, store.syncState().citizenKey) : null;
    },
    onHolderServed: () => session.end(VisitorClearReason.TicketIssued),
    onScreenOnly: (view, state) => {
      // The printer's state change is logged (and alerted) once; each ticket only quietly.
      log.info('issuer', `ticket ${view.number} shown on screen only: printer ${state}`);
      kioskAlerts.onScreenTicket(view, state);
    },
    offers,
  });

  const auth = new TechnicianAuth({
    pinHash: () => settings().pinHash,
    maxFailures: config.technician.maxFailures,
    lockoutMs: config.technician.lockoutMs,
    sessionMs: config.technician.sessionMs,
    ledger: store.technician,
    now,
    onLockout: (until) => {
      log.warn('technician', `locked out until ${until}`);
      kioskAlerts.lockout(until);
    },
    onLogin: () => kioskAlerts.loggedIn(),
  });
  // The demo PIN alert follows the PIN in force: a PIN the hall manager set replaces the file's.
  const checkDefaultPin = (): void => {
    if (settings().pinHash === DEMO_PIN_HASH) {
      log.warn('technician', 'the technician PIN is the demo PIN; set technician.pinHash');
      kioskAlerts.defaultPin();
    } else {
      kioskAlerts.pinReplaced();
    }
  };
  checkDefaultPin();
  const technician = createTechnicianHandlers({
    auth,
    log,
    alerts,
    kioskId: config.kioskId,
    now,
    reader,
    scanner,
    printer: new PrinterService({ printer, monitor, endpoint: printerEndpoint, kioskId: config.kioskId, now, log }),
    sync: {
      connectivity: () => toConnectivity(sync.state()),
      quarantined: () => store.quarantined().map((q) => ({ ...q, code: q.code.slice(0, 64), reason: q.reason.slice(0, 500) })),
    },
    tickets: {
      reprintable: () =>
        store
          .reprintableTickets(new Date(now().getTime() - REPRINT_WINDOW_MS).toISOString(), 20)
          .map(({ ticketId, number, serviceId, issuedAt, printState }) => ({ ticketId, number, serviceId, issuedAt, printState })),
      reprint: (ticketId) => issuer.reprint(ticketId),
    },
    audit: store.technician,
    clock: { jump: () => sync.clockJump(), confirm: (shownOffsetMs) => sync.confirmClockJump(shownOffsetMs) },
    selfTestTimeoutMs: config.technician.selfTestTimeoutMs,
  });

  // The identified visitor as the journeys need them: present or not, and their HMAC once the hall key is known.
  const visitorPresent = (): boolean => session.current() !== null;
  const visitorHmac = (): string | null => {
    const visitor = session.current();
    const key = store.syncState().citizenKey;
    return visitor && key ? citizenHmacOf(key, visitor.card.idNumber) : null;
  };
  const hallNow = (): Date => new Date(now().getTime() + (sync.clockOffsetMs() ?? 0));
  const documents = new DocumentPrinter(printer, monitor);
  // What a visitor brings that the cache does not know yet (a booking made moments ago while the
  // live channel is down, a certificate key new to the hall): one bounded pull, only while the portal answers.
  const pullOnce = async (): Promise<void> => {
    if (reachability.knownOffline() || sync.state().connectivity === ConnectivityState.Offline) return;
    await Promise.race([sync.pull().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, CHECK_IN_REFRESH_MS).unref())]);
  };
  const checkIns = new CheckInFlow({
    store,
    issuer,
    visitorHmac,
    visitorPresent,
    hallNow,
    today: hallToday,
    refresh: pullOnce,
  });
  const cases = new CasesFlow({
    store,
    client,
    budgetMs: config.portal.lookupBudgetMs,
    reachability,
    printer: documents,
    visitorHmac,
    visitorPresent,
    now,
  });
  const ratings = new RatingFlow({
    store,
    client,
    budgetMs: config.portal.lookupBudgetMs,
    reachability,
    visitorHmac,
    visitorPresent,
    today: hallToday,
    hallNow,
    now,
    onQueued: () => sync.kick(),
  });
  const handlers = createKioskHandlers({
    store,
    issuer,
    printerStatus: () => monitor.current(),
    connectivity: () => toConnectivity(sync.state()),
    visitors,
    session,
    technician,
    checkIns,
    cases,
    ratings,
    printGuide: (serviceId) => printServiceGuide({ store, printer: documents, now }, serviceId),
    refreshCertificateKeys: pullOnce,
    offers,
  });
  // A pull brought new names, hours or settings: the screen lists its services again (it loads
  // them once at start otherwise), and the PIN alert follows a PIN the manager set.
  const stopFollowingPulls = store.onPulledChange((change) => {
    if (change.settings) {
      log.info('sync', `the hall's settings for this kiosk changed (version ${store.kioskSettings()?.version ?? '-'})`);
      checkDefaultPin();
    }
    hub.emit('catalogChanged', { pulledAt: now().toISOString() });
  });
  const dispatcher = createKioskDispatcher(handlers, hub, (err) => log.error('core', 'unexpected error', err));

  // First pull (catalog, identity, bands): wait briefly for the portal, otherwise serve from the cache.
  await Promise.race([
    sync.pull().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, options.catalogWaitMs ?? 3_000).unref()),
  ]);
  sync.start();
  // The live channel only says "pull now"; the periodic pull stays the safety net. Logged when it
  // goes up or down, not at every retry of a portal that does not serve it.
  let liveWasUp: boolean | null = null;
  const live =
    options.liveChannel === false
      ? null
      : followLiveChannel({
          baseUrl: config.portal.baseUrl,
          token: config.portal.token,
          fetchImpl: transport.fetchImpl,
          onChange: () => sync.pullSoon(),
          onState: (state, detail) => {
            if (state === LiveChannelState.Live && liveWasUp !== true) log.info('sync', 'live channel connected');
            if (state === LiveChannelState.Retrying && liveWasUp !== false) {
              log.info('sync', `live channel down (${detail ?? 'unknown'}): retrying; the periodic pull goes on`);
            }
            if (state === LiveChannelState.Live || state === LiveChannelState.Retrying) liveWasUp = state === LiveChannelState.Live;
          },
        });
  monitor.start();
  reader.start();
  scanner.start();
  const stopPurge = startPurgeTimer(store, config, now, options.purgeIntervalMs ?? DAY_MS, log);

  let closed = false;
  return {
    issuer,
    sync,
    store,
    dispatch: dispatcher.dispatch,
    subscribe: dispatcher.subscribe,
    async close() {
      if (closed) return;
      closed = true;
      stopFollowingPulls();
      stopPurge();
      await live?.close();
      monitor.stop();
      session.close();
      await reader.stop();
      await scanner.stop();
      await issuer.idle();
      await sync.stop();
      connectivity.stop();
      await printer.close();
      await transport.close();
      store.close();
    },
  };
}

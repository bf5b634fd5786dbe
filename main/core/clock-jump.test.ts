import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskErrorCode } from '../../common/contract/errors.js';
import { AlertKind, AuditAction, AuditOutcome, type Diagnostics, type KioskMethodName, type TicketView } from '../../common/contract/kiosk-api.js';
import { addDays, businessDayOf } from '../../common/domain/business-day.js';
import { NumberSource } from '../../common/domain/ticket-number.js';
import { PrinterSimulator } from '../../devices/printer/simulator/printer-simulator.js';
import { FakePortal, PortalFault, testCatalog, waitFor } from '../../offline-queue/testing/fake-portal.js';
import { makeTempDir } from '../../offline-queue/testing/temp-dir.js';
import { KioskConfigSchema, type KioskConfig } from './kiosk-config.js';
import { startKioskRuntime } from './start-kiosk-runtime.js';
import { hashPin } from './technician-pin.js';

/**
 * Issue 7 §5, end to end through the core: the portal's clock jumps a day. The kiosk keeps
 * numbering for the accepted day, raises an alert with the size of the jump, keeps the jump held
 * across a restart, and adopts it only when a technician confirms it (audited).
 */
const tmp = makeTempDir('clock-jump');
const DAY = 86_400_000;
const PIN = '246810';
const zone = testCatalog.hall.timeZone;
let portal: FakePortal;
let sim: PrinterSimulator;
let config: KioskConfig;
type Runtime = Awaited<ReturnType<typeof startKioskRuntime>>;
let runtime: Runtime | null = null;

beforeAll(async () => {
  portal = new FakePortal();
  const baseUrl = await portal.listen();
  sim = await PrinterSimulator.start({ port: 0 });
  config = KioskConfigSchema.parse({
    version: 1,
    kioskId: 'kiosk-1',
    kioskDigit: 1,
    dataDir: tmp.dir,
    portal: { baseUrl, token: portal.token, numberBudgetMs: 300 },
    printer: { host: '127.0.0.1', port: sim.port, pollIntervalMs: 60_000 },
    sync: { bandSize: 10, pullIntervalMs: 60_000 },
    technician: { pinHash: await hashPin(PIN, { cost: { N: 1024, r: 8, p: 1 } }) },
  });
});
afterAll(async () => {
  await runtime?.close();
  await sim?.stop();
  await portal?.close();
  tmp.remove();
});

async function call<T>(rt: Runtime, method: KioskMethodName, request: unknown): Promise<T> {
  const result = await rt.dispatch(method, request);
  if (!result.ok) throw Object.assign(new Error(`${method}: ${result.error.code}`), { code: result.error.code });
  return result.response as T;
}

/** A ticket numbered by the kiosk itself (the portal answers 503): its business day is the kiosk's. */
async function localTicketDay(rt: Runtime): Promise<string> {
  portal.allocateFaults.push(PortalFault.Unavailable);
  const view = await call<TicketView>(rt, 'takeTicket', { serviceId: 'social-insurance', requestId: randomUUID() });
  expect(view.numberSource).not.toBe(NumberSource.Portal);
  return rt.store.getTicket(view.ticketId)?.businessDay ?? '';
}

describe('a portal clock jump of a day', () => {
  let session = '';
  const today = (): string => businessDayOf(new Date(), zone);

  it('is held: tickets keep the accepted business day, and the technician sees an alert with its size', async () => {
    runtime = await startKioskRuntime(config);
    const rt = runtime;
    await waitFor(() => rt.store.loadCatalog() !== null && rt.sync.clockOffsetMs() !== null, 'the first pull');
    expect(await localTicketDay(rt)).toBe(today());

    portal.clockSkewMs = DAY;
    await rt.sync.syncOnce();
    expect(rt.sync.clockJump()).not.toBeNull();
    expect(await localTicketDay(rt)).toBe(today());

    session = (await call<{ session: string }>(rt, 'technicianLogin', { pin: PIN })).session;
    const diagnostics = await call<Diagnostics>(rt, 'getDiagnostics', { session });
    expect(Math.abs((diagnostics.sync.clockJump?.measuredOffsetMs ?? 0) - DAY)).toBeLessThan(5_000);
    expect(Math.abs(diagnostics.sync.connectivity.clockOffsetMs ?? Infinity)).toBeLessThan(5_000);
    const alert = diagnostics.alerts.find((a) => a.kind === AlertKind.ClockJump);
    expect(alert).toMatchObject({ resolvedAt: null });
    expect(alert?.message).toMatch(/\(\+1 d( \d+ s)?\)/);
  });

  it('stays held across a restart, alert and all', async () => {
    await runtime?.close();
    runtime = await startKioskRuntime(config);
    const rt = runtime;
    expect(rt.sync.clockJump()).not.toBeNull();
    expect(await localTicketDay(rt)).toBe(today());
    session = (await call<{ session: string }>(rt, 'technicianLogin', { pin: PIN })).session;
    const diagnostics = await call<Diagnostics>(rt, 'getDiagnostics', { session });
    expect(diagnostics.sync.clockJump).not.toBeNull();
    expect(diagnostics.alerts.find((a) => a.kind === AlertKind.ClockJump)?.resolvedAt).toBeNull();
  });

  it('is adopted once a technician confirms it, and the confirmation is audited', async () => {
    const rt = runtime!;
    const shown = (await call<Diagnostics>(rt, 'getDiagnostics', { session })).sync.clockJump!;
    // A jump that moved by more than the limit since it was shown is not confirmed blindly.
    await expect(call(rt, 'confirmClockJump', { session, measuredOffsetMs: shown.measuredOffsetMs - DAY })).rejects.toMatchObject({
      code: KioskErrorCode.NotFound,
    });
    const confirmed = await call<{ acceptedOffsetMs: number }>(rt, 'confirmClockJump', { session, measuredOffsetMs: shown.measuredOffsetMs });
    expect(confirmed.acceptedOffsetMs).toBe(shown.measuredOffsetMs);
    expect(await localTicketDay(rt)).toBe(addDays(today(), 1));

    const after = await call<Diagnostics>(rt, 'getDiagnostics', { session });
    expect(after.sync.clockJump).toBeNull();
    expect(after.alerts.find((a) => a.kind === AlertKind.ClockJump)?.resolvedAt).not.toBeNull();
    const audit = after.audit.filter((a) => a.action === AuditAction.ConfirmClock);
    expect(audit.map((a) => a.outcome)).toEqual([AuditOutcome.Ok, AuditOutcome.Refused]);
    expect(audit[0]?.detail).toContain(`→ ${shown.measuredOffsetMs} ms`);
    expect(audit[0]?.actor).toMatch(/^technician#/);

    // Nothing left to confirm: refused, and audited too.
    await expect(call(rt, 'confirmClockJump', { session, measuredOffsetMs: shown.measuredOffsetMs })).rejects.toMatchObject({
      code: KioskErrorCode.NotFound,
    });
    expect(rt.store.technician.recent(1)[0]).toMatchObject({ action: AuditAction.ConfirmClock, outcome: AuditOutcome.Refused });
  });
});

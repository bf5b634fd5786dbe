import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskError, KioskErrorCode } from '../../../common/contract/errors.js';
import { DeviceKind, PrinterState, type KioskRequest } from '../../../common/contract/kiosk-api.js';
import { fakeKioskApi } from '../testing/fake-kiosk-api.js';
import { sampleDiagnostics, sampleSession, sampleTicket } from '../testing/fixtures.js';
import { createTechnicianStore, PIN_IDLE_MS, PIN_MAX_LENGTH, TechnicianStage, type TechnicianStore } from './technician-store.js';

const NOW = Date.parse('2025-03-04T06:00:00.000Z');

describe('technician store', () => {
  let stores: TechnicianStore[] = [];
  const track = (s: TechnicianStore) => (stores.push(s), s);

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    for (const s of stores) s.getState().dispose();
    stores = [];
    vi.useRealTimers();
  });

  function typePin(store: TechnicianStore, pin: string): void {
    for (const d of pin) store.getState().pressDigit(d);
  }

  it('opens on the PIN pad, takes digits only, up to the maximum', () => {
    const store = track(createTechnicianStore(fakeKioskApi({}).api));
    store.getState().pressDigit('1');
    expect(store.getState().stage).toBe(TechnicianStage.Closed);
    store.getState().open();
    typePin(store, '12a3');
    expect(store.getState().pin).toBe('123');
    store.getState().deleteDigit();
    expect(store.getState().pin).toBe('12');
    typePin(store, '9'.repeat(20));
    expect(store.getState().pin).toHaveLength(PIN_MAX_LENGTH);
    store.getState().clearPin();
    expect(store.getState().pin).toBe('');
  });

  it('logs in, loads diagnostics, and never keeps the PIN', async () => {
    const logins: KioskRequest<'technicianLogin'>[] = [];
    const kiosk = fakeKioskApi({
      technicianLogin: async (r) => (logins.push(r), sampleSession()),
      getDiagnostics: async ({ session }) => {
        expect(session).toBe(sampleSession().session);
        return sampleDiagnostics();
      },
    });
    const store = track(createTechnicianStore(kiosk.api));
    store.getState().open();
    typePin(store, '135790');
    const submitting = store.getState().submitPin();
    expect(store.getState().pin).toBe('');
    await submitting;
    expect(logins).toEqual([{ pin: '135790' }]);
    expect(store.getState()).toMatchObject({ stage: TechnicianStage.Diagnostics, session: sampleSession(), diagnostics: sampleDiagnostics(), error: null });
  });

  it('does not send a PIN shorter than six digits', async () => {
    let calls = 0;
    const store = track(createTechnicianStore(fakeKioskApi({ technicianLogin: async () => (calls++, sampleSession()) }).api));
    store.getState().open();
    typePin(store, '12345');
    await store.getState().submitPin();
    expect(calls).toBe(0);
  });

  it('shows a wrong PIN and a lockout as the core reports them', async () => {
    let attempt = 0;
    const kiosk = fakeKioskApi({
      technicianLogin: async () => {
        attempt++;
        if (attempt < 5) throw new KioskError(KioskErrorCode.WrongPin, `${5 - attempt} attempts left`);
        throw new KioskError(KioskErrorCode.LockedOut, 'locked until 06:05');
      },
    });
    const store = track(createTechnicianStore(kiosk.api));
    store.getState().open();
    typePin(store, '000000');
    await store.getState().submitPin();
    expect(store.getState()).toMatchObject({ stage: TechnicianStage.Pin, error: { code: KioskErrorCode.WrongPin, detail: '4 attempts left' } });
    for (let i = 0; i < 4; i++) {
      typePin(store, '000000');
      await store.getState().submitPin();
    }
    expect(store.getState().error?.code).toBe(KioskErrorCode.LockedOut);
  });

  it('closes an untouched PIN pad by itself', async () => {
    const store = track(createTechnicianStore(fakeKioskApi({}).api));
    store.getState().open();
    await vi.advanceTimersByTimeAsync(PIN_IDLE_MS - 1_000);
    store.getState().pressDigit('1');
    await vi.advanceTimersByTimeAsync(PIN_IDLE_MS - 1);
    expect(store.getState().stage).toBe(TechnicianStage.Pin);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.getState()).toMatchObject({ stage: TechnicianStage.Closed, pin: '' });
  });

  it('returns to the PIN pad when the session expires, on its clock or on the core answer', async () => {
    let expired = false;
    const kiosk = fakeKioskApi({
      technicianLogin: async () => sampleSession(),
      getDiagnostics: async () => {
        if (expired) throw new KioskError(KioskErrorCode.SessionExpired, 'session expired');
        return sampleDiagnostics();
      },
    });
    const store = track(createTechnicianStore(kiosk.api));
    store.getState().open();
    typePin(store, '135790');
    await store.getState().submitPin();
    expired = true;
    await store.getState().refresh();
    expect(store.getState()).toMatchObject({ stage: TechnicianStage.Pin, session: null, diagnostics: null, error: { code: KioskErrorCode.SessionExpired } });

    expired = false;
    typePin(store, '135790');
    await store.getState().submitPin();
    expect(store.getState().stage).toBe(TechnicianStage.Diagnostics);
    // sampleSession expires ten minutes after NOW.
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(store.getState()).toMatchObject({ stage: TechnicianStage.Pin, session: null });
  });

  it('runs a self-test, exports logs, reprints, and logs out on close', async () => {
    const calls: string[] = [];
    const kiosk = fakeKioskApi({
      technicianLogin: async () => sampleSession(),
      getDiagnostics: async () => (calls.push('diagnostics'), sampleDiagnostics()),
      runSelfTest: async ({ device }) => {
        calls.push(`self-test ${device}`);
        return { device, ok: false, message: 'paper out', printerState: PrinterState.PaperOut, finishedAt: '2025-03-04T06:00:05.000Z' };
      },
      exportLogs: async () => (calls.push('export'), { fileName: 'kiosk-1-logs.txt', text: 'lines' }),
      reprintTicket: async ({ ticketId }) => (calls.push(`reprint ${ticketId}`), sampleTicket({ number: 'A024' })),
      technicianLogout: async () => (calls.push('logout'), {}),
    });
    const store = track(createTechnicianStore(kiosk.api));
    store.getState().open();
    typePin(store, '135790');
    await store.getState().submitPin();
    await store.getState().runSelfTest(DeviceKind.Printer);
    expect(store.getState().selfTests[DeviceKind.Printer]).toMatchObject({ ok: false, printerState: PrinterState.PaperOut });
    expect(store.getState().testing).toBeNull();
    await expect(store.getState().exportLogs()).resolves.toEqual({ fileName: 'kiosk-1-logs.txt', text: 'lines' });
    expect(store.getState().outcome).toEqual({ kind: 'exported', fileName: 'kiosk-1-logs.txt' });
    await store.getState().reprint('0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6e');
    expect(store.getState().outcome).toEqual({ kind: 'reprinted', number: 'A024' });
    store.getState().close();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState()).toMatchObject({ stage: TechnicianStage.Closed, session: null, diagnostics: null });
    expect(calls).toEqual([
      'diagnostics',
      'self-test printer',
      'diagnostics',
      'export',
      'reprint 0193a5e8-7f3c-7a4b-9c2d-1e2f3a4b5c6e',
      'diagnostics',
      'logout',
    ]);
  });
});

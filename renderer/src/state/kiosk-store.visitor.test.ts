import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskError, KioskErrorCode } from '../../../common/contract/errors.js';
import {
  CardRejectReason,
  DeviceKind,
  DeviceState,
  PrintState,
  ScanKind,
  VisitorClearReason,
  type KioskRequest,
} from '../../../common/contract/kiosk-api.js';
import { fakeKioskApi } from '../testing/fake-kiosk-api.js';
import { sampleConnectivity, samplePrinter, sampleScan, sampleTicket, sampleVisitor } from '../testing/fixtures.js';
import { createKioskStore, NOTICE_MS, NoticeKind, Screen, type KioskStore } from './kiosk-store.js';

describe('kiosk store: visitor, scans and devices', () => {
  let stores: KioskStore[] = [];
  const track = (store: KioskStore) => (stores.push(store), store);

  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const s of stores) s.getState().dispose();
    stores = [];
    vi.useRealTimers();
  });

  it('shows the identified visitor and forgets them when the core wipes the card', () => {
    const kiosk = fakeKioskApi({});
    const store = track(createKioskStore(kiosk.api));
    kiosk.emit('visitorIdentified', sampleVisitor());
    expect(store.getState().visitor).toEqual(sampleVisitor());
    kiosk.emit('visitorCleared', { reason: VisitorClearReason.Idle });
    expect(store.getState().visitor).toBeNull();
  });

  it('Done clears the panel at once and asks the core to wipe, even if the call fails', async () => {
    let calls = 0;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const kiosk = fakeKioskApi({
      endVisit: async () => {
        calls++;
        throw new KioskError(KioskErrorCode.ServiceUnavailable, 'core away');
      },
    });
    const store = track(createKioskStore(kiosk.api));
    kiosk.emit('visitorIdentified', sampleVisitor());
    const ending = store.getState().endVisit();
    expect(store.getState().visitor).toBeNull();
    await ending;
    expect(calls).toBe(1);
    expect(store.getState().error).toBeNull();
    warn.mockRestore();
  });

  it('a new card on the ticket screen goes back home with the new visitor', async () => {
    const kiosk = fakeKioskApi({
      takeTicket: async () => sampleTicket({ holderName: '刘*䶮' }),
      getStatus: async () => ({ printer: samplePrinter(), connectivity: sampleConnectivity() }),
    });
    const store = track(createKioskStore(kiosk.api));
    kiosk.emit('visitorIdentified', sampleVisitor());
    await store.getState().takeTicket('social-insurance');
    expect(store.getState()).toMatchObject({ screen: Screen.Ticket, visitor: null });
    expect(store.getState().ticket?.holderName).toBe('刘*䶮');
    kiosk.emit('visitorIdentified', sampleVisitor({ maskedName: '王*' }));
    expect(store.getState()).toMatchObject({ screen: Screen.Home, ticket: null, visitor: { maskedName: '王*' } });
  });

  it('keeps the holder name when later ticket events lack it', async () => {
    const kiosk = fakeKioskApi({ takeTicket: async () => sampleTicket({ holderName: '刘*䶮' }) });
    const store = track(createKioskStore(kiosk.api));
    await store.getState().takeTicket('social-insurance');
    kiosk.emit('ticketUpdated', sampleTicket({ printState: PrintState.Printed }));
    expect(store.getState().ticket).toMatchObject({ holderName: '刘*䶮', printState: PrintState.Printed });
  });

  it('keeps the visitor when the core refuses a second waiting ticket', async () => {
    const kiosk = fakeKioskApi({ takeTicket: () => Promise.reject(new KioskError(KioskErrorCode.AlreadyWaiting, 'already waiting')) });
    const store = track(createKioskStore(kiosk.api));
    kiosk.emit('visitorIdentified', sampleVisitor());
    await store.getState().takeTicket('social-insurance');
    expect(store.getState()).toMatchObject({ screen: Screen.Home, visitor: sampleVisitor(), error: { code: KioskErrorCode.AlreadyWaiting } });
  });

  it('sends a wedge scan to the core and shows what it was, then lets the notice go', async () => {
    const requests: KioskRequest<'submitScan'>[] = [];
    const kiosk = fakeKioskApi({ submitScan: async (r) => (requests.push(r), sampleScan()) });
    const store = track(createKioskStore(kiosk.api));
    await store.getState().submitScan('HKA-7Q2M9XKD');
    expect(requests).toEqual([{ code: 'HKA-7Q2M9XKD' }]);
    expect(store.getState().notice).toEqual({ kind: NoticeKind.Scan, scan: sampleScan() });
    await vi.advanceTimersByTimeAsync(NOTICE_MS);
    expect(store.getState().notice).toBeNull();
  });

  it('shows serial scans and refused cards from events, and swallows refused wedge scans', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const kiosk = fakeKioskApi({ submitScan: () => Promise.reject(new KioskError(KioskErrorCode.BadRequest, 'too long')) });
    const store = track(createKioskStore(kiosk.api));
    await store.getState().submitScan('x'.repeat(600));
    expect(store.getState()).toMatchObject({ notice: null, error: null });
    kiosk.emit('scanned', sampleScan({ kind: ScanKind.Unknown, reference: null }));
    expect(store.getState().notice).toMatchObject({ kind: NoticeKind.Scan, scan: { kind: ScanKind.Unknown } });
    kiosk.emit('cardRejected', { reason: CardRejectReason.Expired });
    expect(store.getState().notice).toEqual({ kind: NoticeKind.Card, reason: CardRejectReason.Expired });
    warn.mockRestore();
  });

  it('follows device status per device and reads the visitor after a reload', async () => {
    const kiosk = fakeKioskApi({ getVisitor: async () => ({ visitor: sampleVisitor() }) });
    const store = track(createKioskStore(kiosk.api));
    kiosk.emit('deviceStatus', { device: DeviceKind.Reader, state: DeviceState.Disconnected, detail: 'unplugged', changedAt: '2025-03-04T06:00:00.000Z' });
    kiosk.emit('deviceStatus', { device: DeviceKind.Scanner, state: DeviceState.Ready, detail: null, changedAt: '2025-03-04T06:00:00.000Z' });
    expect(store.getState().devices[DeviceKind.Reader]?.state).toBe(DeviceState.Disconnected);
    expect(store.getState().devices[DeviceKind.Scanner]?.state).toBe(DeviceState.Ready);
    await store.getState().loadVisitor();
    expect(store.getState().visitor).toEqual(sampleVisitor());
  });
});

import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KioskErrorCode } from '../../common/contract/errors.js';
import { DeviceState, type DeviceStatus } from '../../common/contract/kiosk-api.js';
import { DeviceErrorKind } from '../../devices/device-error.js';
import { IdCardReaderError, IdCardReaderState, type IdCardReader, type IdCardReaderEvents, type IdCardReaderHealth } from '../../devices/id-card/id-card-reader.js';
import type { IdCardData } from '../../devices/id-card/id-card-text.js';
import { IdCardTextErrorCode } from '../../devices/id-card/id-card-text.js';
import { SamStatus } from '../../devices/id-card/sam-status.js';
import { KioskLog } from './kiosk-log.js';
import { ReaderService } from './reader-service.js';
import { sampleCard } from './testing/sample-card.js';

/** The driver's events and health, without a port: the real driver runs in the PTY tests and the e2e. */
class FakeReader extends EventEmitter<IdCardReaderEvents> {
  started = false;
  stopped = false;
  start(): void {
    this.started = true;
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
  health(): IdCardReaderHealth {
    return {
      state: IdCardReaderState.Ready,
      device: 'id-reader /dev/ttyS1',
      samId: '05.01-20250304-0000000001-1234567890',
      lastReadAt: '2025-03-04T06:00:00.000Z',
      cardsRead: 2,
      errorsByStatus: { [SamStatus.NotAuthorized]: 1 },
      errorsByKind: { [DeviceErrorKind.Disconnected]: 1, [DeviceErrorKind.Timeout]: 0, [DeviceErrorKind.BadFrame]: 3, [DeviceErrorKind.DeviceError]: 1 },
      reconnects: 1,
      lastError: null,
    };
  }
}

describe('ReaderService', () => {
  let fake: FakeReader;
  let cards: IdCardData[];
  let statuses: DeviceStatus[];
  let unreadable: number;

  const service = (configured = true) =>
    new ReaderService({
      config: configured ? { path: '/dev/ttyS1' } : null,
      today: () => '2025-03-04',
      now: () => new Date('2025-03-04T06:00:00.000Z'),
      log: new KioskLog({ echo: false }),
      onCard: (card) => cards.push(card),
      onUnreadable: () => unreadable++,
      onStatus: (s) => statuses.push(s),
      createReader: (config) => {
        expect(config.today?.()).toBe('2025-03-04');
        return fake as unknown as IdCardReader;
      },
    });

  beforeEach(() => {
    vi.useFakeTimers();
    fake = new FakeReader();
    cards = [];
    statuses = [];
    unreadable = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('is optional: without a port it reports not-configured and refuses a self-test', async () => {
    const reader = service(false);
    reader.start();
    expect(fake.started).toBe(false);
    expect(reader.status().state).toBe(DeviceState.NotConfigured);
    expect(reader.diagnostics()).toMatchObject({ configured: false, port: null, samId: null, cardsRead: 0 });
    await expect(reader.waitForCard(1_000)).rejects.toMatchObject({ code: KioskErrorCode.DeviceNotConfigured });
  });

  it('maps driver states to device states and hands cards to the visitor flow', () => {
    const reader = service();
    reader.start();
    expect(fake.started).toBe(true);
    // It starts as connecting; the driver's own Starting is the same, so no event for it.
    for (const state of [IdCardReaderState.Disconnected, IdCardReaderState.Starting, IdCardReaderState.Ready, IdCardReaderState.CardPresent, IdCardReaderState.SamFault]) {
      fake.emit('state', state);
    }
    expect(statuses.map((s) => s.state)).toEqual([DeviceState.Disconnected, DeviceState.Connecting, DeviceState.Ready, DeviceState.Fault]);
    fake.emit('card', sampleCard(), { readAt: '2025-03-04T06:00:00.000Z', photoLength: 1024 });
    expect(cards).toHaveLength(1);
  });

  it('a self-test takes the next card instead of the visitor flow, masked, and times out without one', async () => {
    const reader = service();
    const waiting = reader.waitForCard(5_000);
    await expect(reader.waitForCard(5_000)).rejects.toMatchObject({ code: KioskErrorCode.DeviceBusy });
    fake.emit('card', sampleCard(), { readAt: '2025-03-04T06:00:00.000Z', photoLength: 1024 });
    const result = await waiting;
    expect(result).toEqual({ ok: true, message: 'card read: mainland 1101**********0019' });
    expect(cards).toEqual([]);

    const timedOut = reader.waitForCard(5_000);
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(timedOut).resolves.toMatchObject({ ok: false });
  });

  it('tells the visitor about a card whose data failed validation, not about timeouts', () => {
    service();
    fake.emit('error', new IdCardReaderError(DeviceErrorKind.BadFrame, 'id-reader', 'card text: bad check', { textCode: IdCardTextErrorCode.BadIdNumber }));
    fake.emit('error', new IdCardReaderError(DeviceErrorKind.Timeout, 'id-reader', 'no reply'));
    expect(unreadable).toBe(1);
  });

  it('reports SAM ID, reads and error counts by kind and SW3 status', () => {
    expect(service().diagnostics()).toEqual({
      configured: true,
      state: DeviceState.Connecting,
      port: '/dev/ttyS1',
      baudRate: 115200,
      samId: '05.01-20250304-0000000001-1234567890',
      lastReadAt: '2025-03-04T06:00:00.000Z',
      cardsRead: 2,
      errorCounts: { disconnected: 1, 'bad-frame': 3, 'device-error': 1, 'sw3-66': 1 },
    });
  });
});

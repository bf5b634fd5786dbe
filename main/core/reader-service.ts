import { DeviceKind, DeviceState, type DeviceStatus, type ReaderDiagnostics } from '../../common/contract/kiosk-api.js';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { maskIdNumber } from '../../common/domain/masking.js';
import { DeviceErrorKind } from '../../devices/device-error.js';
import type { IdCardData } from '../../devices/id-card/id-card-text.js';
import { IdCardReader, IdCardReaderState, type IdCardReaderConfig, type IdCardReaderError } from '../../devices/id-card/id-card-reader.js';
import type { KioskLog } from './kiosk-log.js';

export interface ReaderServiceOptions {
  /** Null: this kiosk has no reader; everything else still works. */
  config: Omit<IdCardReaderConfig, 'today'> | null;
  today: () => string;
  now: () => Date;
  log: KioskLog;
  /** A card for the visitor flow (not while a self-test waits for one). */
  onCard: (card: IdCardData) => void;
  /** A card whose data failed validation: the visitor is asked to try again. */
  onUnreadable: () => void;
  onStatus: (status: DeviceStatus) => void;
  /** Injected for tests; default the real driver. */
  createReader?: (config: IdCardReaderConfig) => IdCardReader;
}

function deviceStateOf(state: IdCardReaderState): DeviceState {
  switch (state) {
    case IdCardReaderState.Ready:
    case IdCardReaderState.CardPresent:
      return DeviceState.Ready;
    case IdCardReaderState.Starting:
      return DeviceState.Connecting;
    case IdCardReaderState.SamFault:
      return DeviceState.Fault;
    case IdCardReaderState.Disconnected:
    case IdCardReaderState.Stopped:
      return DeviceState.Disconnected;
  }
}

/**
 * The ID card reader as the kiosk core uses it: optional, started from configuration, its cards
 * handed to the visitor flow, or to a technician's self-test while one waits.
 */
export class ReaderService {
  private readonly reader: IdCardReader | null;
  private current: DeviceStatus;
  private selfTest: ((card: IdCardData) => void) | null = null;

  constructor(private readonly opts: ReaderServiceOptions) {
    const at = opts.now().toISOString();
    if (!opts.config) {
      this.reader = null;
      this.current = { device: DeviceKind.Reader, state: DeviceState.NotConfigured, detail: null, changedAt: at };
      return;
    }
    const config: IdCardReaderConfig = { ...opts.config, today: opts.today };
    this.reader = (opts.createReader ?? ((c) => new IdCardReader(c)))(config);
    this.current = { device: DeviceKind.Reader, state: DeviceState.Connecting, detail: null, changedAt: at };
    this.reader.on('card', (card) => this.deliver(card));
    this.reader.on('error', (err) => this.onError(err));
    this.reader.on('state', (state) => this.setState(deviceStateOf(state), state === IdCardReaderState.SamFault ? this.reader?.health().lastError?.message ?? null : null));
  }

  get configured(): boolean {
    return this.reader !== null;
  }

  start(): void {
    if (!this.reader) return;
    this.opts.log.info('reader', `starting on ${this.opts.config?.path ?? '?'}`);
    this.reader.start();
  }

  async stop(): Promise<void> {
    this.selfTest = null;
    await this.reader?.stop();
  }

  status(): DeviceStatus {
    return this.current;
  }

  /** Self-test: the next card read goes here instead of to the visitor flow. */
  async waitForCard(timeoutMs: number): Promise<{ ok: boolean; message: string }> {
    if (!this.reader) throw new KioskError(KioskErrorCode.DeviceNotConfigured, 'no ID card reader configured');
    if (this.selfTest) throw new KioskError(KioskErrorCode.DeviceBusy, 'a reader self-test is already waiting');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.selfTest = null;
        resolve({ ok: false, message: `no card read within ${Math.round(timeoutMs / 1000)} s (reader ${this.current.state})` });
      }, timeoutMs);
      this.selfTest = (card) => {
        clearTimeout(timer);
        this.selfTest = null;
        // The technician sees that the read worked, not whose card it was.
        resolve({ ok: true, message: `card read: ${card.cardType} ${maskIdNumber(card.idNumber)}` });
      };
    });
  }

  diagnostics(): ReaderDiagnostics {
    const health = this.reader?.health();
    const errorCounts: Record<string, number> = {};
    for (const [kind, n] of Object.entries(health?.errorsByKind ?? {})) if (n > 0) errorCounts[kind] = n;
    for (const [status, n] of Object.entries(health?.errorsByStatus ?? {})) if (n) errorCounts[`sw3-${status}`] = n;
    return {
      configured: this.reader !== null,
      state: this.current.state,
      port: this.opts.config?.path ?? null,
      baudRate: this.opts.config ? (this.opts.config.baudRate ?? 115200) : null,
      samId: health?.samId ?? null,
      lastReadAt: health?.lastReadAt ?? null,
      cardsRead: health?.cardsRead ?? 0,
      errorCounts,
    };
  }

  private deliver(card: IdCardData): void {
    if (this.selfTest) {
      this.selfTest(card);
      return;
    }
    this.opts.onCard(card);
  }

  private onError(err: IdCardReaderError): void {
    // The card's own data failed validation (a bad check digit, an impossible date): tell the visitor.
    if (err.textCode !== null) {
      this.opts.log.warn('reader', `card data refused: ${err.textCode}`);
      if (!this.selfTest) this.opts.onUnreadable();
      return;
    }
    if (err.kind !== DeviceErrorKind.Timeout) this.opts.log.warn('reader', err.message);
  }

  private setState(state: DeviceState, detail: string | null): void {
    if (state === this.current.state && detail === this.current.detail) return;
    this.current = { device: DeviceKind.Reader, state, detail: detail?.slice(0, 200) ?? null, changedAt: this.opts.now().toISOString() };
    this.opts.log.info('reader', `state ${state}${detail ? ` (${detail})` : ''}`);
    this.opts.onStatus(this.current);
  }
}

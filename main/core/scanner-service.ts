import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { DeviceKind, DeviceState, ScanSource, type DeviceStatus, type ScannerDiagnostics } from '../../common/contract/kiosk-api.js';
import { QrScanner, QrScannerState, type QrScannerConfig, type QrScannerError } from '../../devices/scanner/qr-scanner.js';
import type { KioskLog } from './kiosk-log.js';

export interface ScannerServiceOptions {
  /** Null: no serial scanner (a keyboard-wedge scanner needs no configuration). */
  config: QrScannerConfig | null;
  now: () => Date;
  log: KioskLog;
  onScan: (code: string, source: ScanSource) => void;
  onStatus: (status: DeviceStatus) => void;
  createScanner?: (config: QrScannerConfig) => QrScanner;
}

function deviceStateOf(state: QrScannerState): DeviceState {
  return state === QrScannerState.Ready ? DeviceState.Ready : DeviceState.Disconnected;
}

/** The serial QR scanner as the core uses it: optional; its codes go to the visitor flow or a self-test. */
export class ScannerService {
  private readonly scanner: QrScanner | null;
  private current: DeviceStatus;
  private selfTest: ((code: string) => void) | null = null;

  constructor(private readonly opts: ScannerServiceOptions) {
    const at = opts.now().toISOString();
    if (!opts.config) {
      this.scanner = null;
      this.current = { device: DeviceKind.Scanner, state: DeviceState.NotConfigured, detail: null, changedAt: at };
      return;
    }
    this.scanner = (opts.createScanner ?? ((c) => new QrScanner(c)))(opts.config);
    this.current = { device: DeviceKind.Scanner, state: DeviceState.Connecting, detail: null, changedAt: at };
    this.scanner.on('code', (code) => this.deliver(code));
    this.scanner.on('error', (err: QrScannerError) => this.opts.log.warn('scanner', err.message));
    this.scanner.on('state', (state) => this.setState(deviceStateOf(state)));
  }

  get configured(): boolean {
    return this.scanner !== null;
  }

  start(): void {
    if (!this.scanner) return;
    this.opts.log.info('scanner', `starting on ${this.opts.config?.path ?? '?'}`);
    this.scanner.start();
  }

  async stop(): Promise<void> {
    this.selfTest = null;
    await this.scanner?.stop();
  }

  status(): DeviceStatus {
    return this.current;
  }

  /** Self-test: the next code scanned comes here instead of to the visitor flow. */
  async waitForScan(timeoutMs: number): Promise<{ ok: boolean; message: string }> {
    if (!this.scanner) throw new KioskError(KioskErrorCode.DeviceNotConfigured, 'no serial scanner configured');
    if (this.selfTest) throw new KioskError(KioskErrorCode.DeviceBusy, 'a scanner self-test is already waiting');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.selfTest = null;
        resolve({ ok: false, message: `no code scanned within ${Math.round(timeoutMs / 1000)} s (scanner ${this.current.state})` });
      }, timeoutMs);
      this.selfTest = (code) => {
        clearTimeout(timer);
        this.selfTest = null;
        resolve({ ok: true, message: `code scanned: ${code.length} characters` });
      };
    });
  }

  diagnostics(): ScannerDiagnostics {
    const health = this.scanner?.health();
    const errorCounts: Record<string, number> = {};
    for (const [kind, n] of Object.entries(health?.errorsByKind ?? {})) if (n > 0) errorCounts[kind] = n;
    for (const [code, n] of Object.entries(health?.errorsByCode ?? {})) if (n) errorCounts[code] = n;
    return {
      configured: this.scanner !== null,
      state: this.current.state,
      port: this.opts.config?.path ?? null,
      baudRate: this.opts.config ? (this.opts.config.baudRate ?? 9600) : null,
      lastScanAt: health?.lastCodeAt ?? null,
      scans: health?.codesRead ?? 0,
      errorCounts,
    };
  }

  private deliver(code: string): void {
    if (this.selfTest) {
      this.selfTest(code);
      return;
    }
    this.opts.onScan(code, ScanSource.Serial);
  }

  private setState(state: DeviceState): void {
    if (state === this.current.state) return;
    this.current = { device: DeviceKind.Scanner, state, detail: null, changedAt: this.opts.now().toISOString() };
    this.opts.log.info('scanner', `state ${state}`);
    this.opts.onStatus(this.current);
  }
}

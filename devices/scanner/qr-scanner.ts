import { EventEmitter } from 'node:events';
import { DeviceError, DeviceErrorKind } from '../device-error.js';
import { SerialLink, type ReconnectOptions, type SerialPortOpener } from '../serial/serial-link.js';
import { ScanError, ScanLineParser, type ScanErrorCode } from './scan-line-parser.js';

export interface QrScannerConfig {
  /** Serial device (or USB virtual COM), or `tcp://host:port` of a serial device server. */
  path: string;
  /** Default 9600 (8N1). */
  baudRate?: number;
  /** Ends a code from a scanner without a suffix; default 50 ms, null = suffix required. */
  interByteTimeoutMs?: number | null;
  /** Longest code in bytes; default 2048. */
  maxCodeLength?: number;
  reconnect?: ReconnectOptions;
  /** Transport injection; default serialport by path, TCP for `tcp://`. */
  openPort?: SerialPortOpener;
}

export enum QrScannerState {
  Stopped = 'stopped',
  Disconnected = 'disconnected',
  Ready = 'ready',
}

export interface QrScannerHealth {
  state: QrScannerState;
  device: string;
  codesRead: number;
  lastCodeAt: string | null;
  errorsByKind: Record<DeviceErrorKind, number>;
  errorsByCode: Partial<Record<ScanErrorCode, number>>;
  reconnects: number;
  lastError: { kind: DeviceErrorKind; message: string; at: string } | null;
}

/** A DeviceError from the scanner, with the framing code when there is one. */
export class QrScannerError extends DeviceError {
  readonly scanCode: ScanErrorCode | null;
  constructor(kind: DeviceErrorKind, device: string, message: string, scanCode: ScanErrorCode | null = null) {
    super(kind, device, message);
    this.name = 'QrScannerError';
    this.scanCode = scanCode;
  }
}

export interface QrScannerEvents {
  /** One scanned code, as the scanner sent it (no suffix). */
  code: [code: string];
  /** Emitted only while someone listens; always counted in health(). */
  error: [err: QrScannerError];
  state: [state: QrScannerState];
}

/**
 * A serial (or USB virtual-COM) QR / barcode scanner. Codes end at CR, LF or CRLF, or after an
 * inter-byte pause for scanners set to send no suffix. The port is reopened by path after an
 * unplug. The keyboard-wedge fallback lives in the renderer, not here.
 */
export class QrScanner extends EventEmitter<QrScannerEvents> {
  private readonly device: string;
  private readonly link: SerialLink;
  private readonly config: QrScannerConfig;
  private parser: ScanLineParser;
  private state = QrScannerState.Stopped;
  private codesRead = 0;
  private lastCodeAt: string | null = null;
  private readonly errorsByKind: Record<DeviceErrorKind, number> = {
    [DeviceErrorKind.Disconnected]: 0,
    [DeviceErrorKind.Timeout]: 0,
    [DeviceErrorKind.BadFrame]: 0,
    [DeviceErrorKind.DeviceError]: 0,
  };
  private readonly errorsByCode: Partial<Record<ScanErrorCode, number>> = {};
  private lastError: QrScannerHealth['lastError'] = null;

  constructor(config: QrScannerConfig) {
    super();
    this.config = config;
    this.device = `scanner ${config.path}`;
    this.parser = this.newParser();
    this.link = new SerialLink({ path: config.path, baudRate: config.baudRate ?? 9600, reconnect: config.reconnect, open: config.openPort, device: this.device });
    this.link.on('data', (chunk) => this.parser.write(chunk));
    this.link.on('open', () => this.setState(QrScannerState.Ready));
    this.link.on('close', (err) => {
      // Half a code from before the unplug must not be glued to the first code after it.
      this.parser.destroy();
      this.parser = this.newParser();
      this.fail(new QrScannerError(err.kind, this.device, err.message));
      this.setState(QrScannerState.Disconnected);
    });
  }

  start(): void {
    if (this.state !== QrScannerState.Stopped) return;
    this.setState(QrScannerState.Disconnected);
    this.link.start();
  }

  async stop(): Promise<void> {
    await this.link.stop();
    this.parser.destroy();
    this.parser = this.newParser();
    this.setState(QrScannerState.Stopped);
  }

  health(): QrScannerHealth {
    return {
      state: this.state,
      device: this.device,
      codesRead: this.codesRead,
      lastCodeAt: this.lastCodeAt,
      errorsByKind: { ...this.errorsByKind },
      errorsByCode: { ...this.errorsByCode },
      reconnects: this.link.reconnects,
      lastError: this.lastError,
    };
  }

  private newParser(): ScanLineParser {
    const parser = new ScanLineParser({ interByteTimeoutMs: this.config.interByteTimeoutMs, maxLength: this.config.maxCodeLength });
    parser.on('data', (code: string) => {
      this.codesRead++;
      this.lastCodeAt = new Date().toISOString();
      this.emit('code', code);
    });
    parser.on('scan-error', (err: ScanError) => {
      this.errorsByCode[err.code] = (this.errorsByCode[err.code] ?? 0) + 1;
      this.fail(new QrScannerError(DeviceErrorKind.BadFrame, this.device, `${this.device}: ${err.message}`, err.code));
    });
    return parser;
  }

  private fail(err: QrScannerError): void {
    this.errorsByKind[err.kind]++;
    this.lastError = { kind: err.kind, message: err.message, at: new Date().toISOString() };
    if (this.listenerCount('error') > 0) this.emit('error', err);
  }

  private setState(state: QrScannerState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }
}

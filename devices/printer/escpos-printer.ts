import { PrinterState } from '../../common/contract/kiosk-api.js';
import { DeviceError, DeviceErrorKind, isDeviceError } from '../device-error.js';
import { dleEot, parsePrinterStatus, StatusQuery } from './escpos-status.js';
import type { PrinterTransport } from './printer-transport.js';

export interface PrinterHealth {
  /** The last state read; Unknown before the first read. */
  state: PrinterState;
  /** ISO time of the last status read, successful or not. */
  lastCheckedAt: string | null;
  /** Failures seen since start, by kind (including those readStatus turned into Offline). */
  errors: Record<DeviceErrorKind, number>;
  jobsPrinted: number;
}

export interface ReceiptPrinter {
  /** Three DLE EOT queries (n=1,2,4). Never throws: no answer is Offline, a garbled answer Error. */
  readStatus(): Promise<PrinterState>;
  /**
   * Sends one job. Checks status before (nothing is sent unless Ready or PaperNearEnd) and after
   * (the reply proves the connection carried the job). Throws DeviceError.
   */
  print(bytes: Uint8Array): Promise<void>;
  health(): PrinterHealth;
  close(): Promise<void>;
}

export interface EscPosPrinterOptions {
  statusTimeoutMs?: number;
}

const PRINTABLE = new Set([PrinterState.Ready, PrinterState.PaperNearEnd]);

/** Printer states in which a receipt can still come out. */
export function isPrintable(state: PrinterState): boolean {
  return PRINTABLE.has(state);
}
/** States after a job that mean it did not (or not wholly) come out. Offline alone does not: the printer keeps the job. */
const FAILED_AFTER_JOB = new Set([PrinterState.PaperOut, PrinterState.CoverOpen, PrinterState.Error]);

class EscPosPrinter implements ReceiptPrinter {
  private readonly statusTimeoutMs: number;
  private state = PrinterState.Unknown;
  private lastCheckedAt: string | null = null;
  private jobsPrinted = 0;
  private readonly errors: Record<DeviceErrorKind, number> = {
    [DeviceErrorKind.Disconnected]: 0,
    [DeviceErrorKind.Timeout]: 0,
    [DeviceErrorKind.BadFrame]: 0,
    [DeviceErrorKind.DeviceError]: 0,
  };
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly transport: PrinterTransport,
    opts: EscPosPrinterOptions,
  ) {
    this.statusTimeoutMs = opts.statusTimeoutMs ?? 1000;
  }

  readStatus(): Promise<PrinterState> {
    return this.serial(async () => {
      try {
        return await this.queryStatus(true);
      } catch (err) {
        // queryStatus has already recorded what the failure means.
        if (err instanceof DeviceError) return this.state;
        throw err;
      }
    });
  }

  print(bytes: Uint8Array): Promise<void> {
    return this.serial(async () => {
      const before = await this.queryStatus(true);
      if (!PRINTABLE.has(before)) throw this.fault(`printer is ${before}; nothing was sent`);
      try {
        await this.transport.write(bytes);
      } catch (err) {
        throw this.count(err);
      }
      // No retry here: a connection that died under the job may have lost it.
      const after = await this.queryStatus(false);
      if (FAILED_AFTER_JOB.has(after)) throw this.fault(`printer reported ${after} after the job was sent`);
      this.jobsPrinted++;
    });
  }

  health(): PrinterHealth {
    return { state: this.state, lastCheckedAt: this.lastCheckedAt, errors: { ...this.errors }, jobsPrinted: this.jobsPrinted };
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** One status read; a failure is counted and recorded (Offline, or Error for a garbled reply). */
  private async queryStatus(retryDeadConnection: boolean): Promise<PrinterState> {
    try {
      const printer = retryDeadConnection ? await this.queryFirstByte() : await this.queryByte(StatusQuery.Printer);
      const offline = await this.queryByte(StatusQuery.OfflineCause);
      const paper = await this.queryByte(StatusQuery.RollPaper);
      const state = parsePrinterStatus({ printer, offline, paper });
      this.record(state);
      return state;
    } catch (err) {
      this.count(err);
      if (err instanceof DeviceError) this.record(err.kind === DeviceErrorKind.BadFrame ? PrinterState.Error : PrinterState.Offline);
      throw err;
    }
  }

  /**
   * A connection found dead by the first query is retried once on a fresh one: nothing has been
   * sent yet, and a printer that was power-cycled or re-plugged looks exactly so.
   */
  private async queryFirstByte(): Promise<number> {
    try {
      return await this.queryByte(StatusQuery.Printer);
    } catch (err) {
      if (!isDeviceError(err, DeviceErrorKind.Disconnected)) throw err;
      this.count(err);
      return this.queryByte(StatusQuery.Printer);
    }
  }

  private async queryByte(n: StatusQuery): Promise<number> {
    const reply = await this.transport.query(dleEot(n), 1, this.statusTimeoutMs);
    return reply[0] ?? 0;
  }

  private record(state: PrinterState): void {
    this.state = state;
    this.lastCheckedAt = new Date().toISOString();
  }

  private count(err: unknown): unknown {
    if (err instanceof DeviceError) this.errors[err.kind]++;
    return err;
  }

  private fault(message: string): DeviceError {
    const err = new DeviceError(DeviceErrorKind.DeviceError, 'printer', message);
    this.errors[err.kind]++;
    return err;
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.tail.then(op);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

export function createEscPosPrinter(transport: PrinterTransport, opts: EscPosPrinterOptions = {}): ReceiptPrinter {
  return new EscPosPrinter(transport, opts);
}

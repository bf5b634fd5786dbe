import { PrinterState, type PrinterStatus } from '../../common/contract/kiosk-api.js';
import type { ReceiptPrinter } from '../../devices/printer/escpos-printer.js';

/**
 * Polls DLE EOT so the home screen warns before a visitor taps (paper out, cover open), and
 * hands the issuance path a fresh status without a second round trip when one is recent.
 */
export class PrinterMonitor {
  private status: PrinterStatus = { state: PrinterState.Unknown, checkedAt: null };
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<PrinterStatus> | null = null;

  constructor(
    private readonly printer: ReceiptPrinter,
    private readonly opts: { pollIntervalMs: number; freshMs: number; now: () => Date; onChange: (s: PrinterStatus) => void },
  ) {}

  start(): void {
    const tick = (): void => {
      void this.refresh().finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.opts.pollIntervalMs).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  current(): PrinterStatus {
    return this.status;
  }

  /** A status no older than `freshMs`, querying the printer if needed. */
  async fresh(): Promise<PrinterStatus> {
    const checked = this.status.checkedAt ? Date.parse(this.status.checkedAt) : 0;
    if (this.opts.now().getTime() - checked <= this.opts.freshMs) return this.status;
    return this.refresh();
  }

  refresh(): Promise<PrinterStatus> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = (async () => {
      let state: PrinterState;
      try {
        state = await this.printer.readStatus();
      } catch {
        state = PrinterState.Offline;
      }
      const next = { state, checkedAt: this.opts.now().toISOString() };
      const changed = next.state !== this.status.state;
      this.status = next;
      if (changed) this.opts.onChange(next);
      return next;
    })().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }
}

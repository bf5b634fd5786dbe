import { type PrinterDiagnostics } from '../../common/contract/kiosk-api.js';
import type { KioskLog } from './kiosk-log.js';
import { isPrintable, type ReceiptPrinter } from '../../devices/printer/escpos-printer.js';
import type { PrinterMonitor } from './printer-monitor.js';
import { composeSelfTestPage } from './self-test-page.js';
import type { SelfTestOutcome } from './technician-service.js';

/** The receipt printer as the technician screen sees it: health, and a test page. */
export class PrinterService {
  constructor(
    private readonly opts: {
      printer: ReceiptPrinter;
      monitor: PrinterMonitor;
      endpoint: string;
      kioskId: string;
      now: () => Date;
      log: KioskLog;
    },
  ) {}

  diagnostics(): PrinterDiagnostics {
    const health = this.opts.printer.health();
    const status = this.opts.monitor.current();
    const errorCounts: Record<string, number> = {};
    for (const [kind, n] of Object.entries(health.errors)) if (n > 0) errorCounts[kind] = n;
    return { state: status.state, endpoint: this.opts.endpoint, checkedAt: status.checkedAt, jobsPrinted: health.jobsPrinted, errorCounts };
  }

  /** Reads the status first (as issuance does); prints the test page only if the printer can. */
  async printTestPage(): Promise<SelfTestOutcome> {
    const before = await this.opts.monitor.refresh();
    if (!isPrintable(before.state)) {
      return { ok: false, message: `printer is ${before.state}; test page not sent`, printerState: before.state };
    }
    try {
      await this.opts.printer.print(composeSelfTestPage({ kioskId: this.opts.kioskId, at: this.opts.now().toISOString(), state: before.state }));
    } catch (err) {
      const after = await this.opts.monitor.refresh();
      const message = err instanceof Error ? err.message : String(err);
      this.opts.log.warn('printer', `test page failed: ${message}`);
      return { ok: false, message: `test page failed: ${message}`, printerState: after.state };
    }
    const after = await this.opts.monitor.refresh();
    return { ok: true, message: `test page printed; printer ${after.state}`, printerState: after.state };
  }
}

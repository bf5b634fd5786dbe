import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { isPrintable, type ReceiptPrinter } from '../../devices/printer/escpos-printer.js';
import type { PrinterMonitor } from './printer-monitor.js';

/**
 * Prints a document that is not a ticket (a guide's materials list, a certificate slip). Unlike a
 * ticket nothing rests on it, so no print job is recorded: it either came out, or the visitor is
 * told the printer is unavailable (`printer-unavailable`), before anything was sent (the printer
 * reported paper out, cover open, offline) or when the job failed on the way. The bridge never
 * resends these methods (kioskMethodsNotResent), so a lost reply does not print twice.
 */
export class DocumentPrinter {
  constructor(
    private readonly printer: ReceiptPrinter,
    private readonly monitor: PrinterMonitor,
  ) {}

  async print(bytes: Buffer, what: string): Promise<{ printed: true }> {
    const before = await this.monitor.fresh();
    if (!isPrintable(before.state)) {
      throw new KioskError(KioskErrorCode.PrinterUnavailable, `printer is ${before.state}: the ${what} was not printed`);
    }
    try {
      await this.printer.print(bytes);
      return { printed: true };
    } catch (err) {
      // The monitor (and the home screen's warning) learns at once what went wrong.
      void this.monitor.refresh();
      throw new KioskError(KioskErrorCode.PrinterUnavailable, `the ${what} could not be printed: ${err instanceof Error ? err.message : String(err)}`, {
        cause: err,
      });
    }
  }
}

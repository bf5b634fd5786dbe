import { ConnectivityState, type Connectivity, type PrinterStatus } from '../../../common/contract/kiosk-api.js';
import type { Dictionary } from '../i18n/index.js';

/** Calm notices about the network and the printer: the visitor can still take a number. */
export function StatusNotices({ connectivity, printer, t }: { connectivity: Connectivity | null; printer: PrinterStatus | null; t: Dictionary }) {
  const printerNotice = printer ? t.printerNotice[printer.state] : null;
  const offline = connectivity?.state === ConnectivityState.Offline;
  if (!offline && !printerNotice) return null;
  return (
    <div className="notices" role="status">
      {offline && (
        <p className="notice notice-offline" data-testid="offline-notice">
          {t.offlineNotice}
        </p>
      )}
      {printer && printerNotice && (
        <p className="notice notice-printer" data-testid="printer-notice" data-state={printer.state}>
          {printerNotice}
        </p>
      )}
    </div>
  );
}

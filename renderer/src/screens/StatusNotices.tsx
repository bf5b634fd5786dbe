import { ConnectivityState, DeviceState, type Connectivity, type DeviceStatus, type PrinterStatus } from '../../../common/contract/kiosk-api.js';
import type { Dictionary } from '../i18n/index.js';

/** Calm notices about the network and the printer: the visitor can still take a number. */
export function StatusNotices({
  connectivity,
  printer,
  reader = null,
  t,
}: {
  connectivity: Connectivity | null;
  printer: PrinterStatus | null;
  reader?: DeviceStatus | null;
  t: Dictionary;
}) {
  const printerNotice = printer ? t.printerNotice[printer.state] : null;
  const offline = connectivity?.state === ConnectivityState.Offline;
  // A kiosk without a reader says nothing; a reader that is there but broken is worth a word.
  const readerDown = reader !== null && (reader.state === DeviceState.Disconnected || reader.state === DeviceState.Fault);
  if (!offline && !printerNotice && !readerDown) return null;
  return (
    <div className="notices" role="status">
      {offline && (
        <p className="notice notice-offline" data-testid="offline-notice">
          {t.offlineNotice}
        </p>
      )}
      {readerDown && (
        <p className="notice notice-reader" data-testid="reader-notice" data-state={reader.state}>
          {t.readerUnavailable}
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

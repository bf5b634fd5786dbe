import { DeviceKind, DeviceState, PrinterState, type DeviceStatus, type PrinterStatus } from '../../common/contract/kiosk-api.js';

/** The printer's status in the device terms the technician screen uses for every device. */
export function printerDeviceStatus(status: PrinterStatus, at: Date): DeviceStatus {
  const state = ((): DeviceState => {
    switch (status.state) {
      case PrinterState.Ready:
      case PrinterState.PaperNearEnd:
        return DeviceState.Ready;
      case PrinterState.Offline:
        return DeviceState.Disconnected;
      case PrinterState.Unknown:
        return DeviceState.Connecting;
      case PrinterState.PaperOut:
      case PrinterState.CoverOpen:
      case PrinterState.Error:
        return DeviceState.Fault;
    }
  })();
  return { device: DeviceKind.Printer, state, detail: status.state, changedAt: status.checkedAt ?? at.toISOString() };
}

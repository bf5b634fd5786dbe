import { PrinterState } from '../../common/contract/kiosk-api.js';
import { DeviceError, DeviceErrorKind } from '../device-error.js';

/** Real-time status transmission, `DLE EOT n` (docs/devices.md). */
export enum StatusQuery {
  Printer = 1,
  OfflineCause = 2,
  ErrorCause = 3,
  RollPaper = 4,
}

export const DLE = 0x10;
export const EOT = 0x04;

export function dleEot(n: StatusQuery): Buffer {
  return Buffer.from([DLE, EOT, n]);
}

/** Every status byte has bits 1 and 4 set and bits 0 and 7 clear. */
export const STATUS_FIXED_ONES = 0x12;
export const STATUS_FIXED_ZEROS = 0x81;

export const StatusBits = {
  /** n=1 */
  printerOffline: 0x08,
  printerWaitingRecovery: 0x20,
  /** n=2 */
  coverOpen: 0x04,
  paperEndStop: 0x20,
  error: 0x40,
  /** n=3 */
  autocutterError: 0x08,
  unrecoverableError: 0x20,
  autoRecoverableError: 0x40,
  /** n=4 */
  paperNearEnd: 0x0c,
  paperEnd: 0x60,
} as const;

export interface PrinterStatusReplies {
  /** Reply to DLE EOT 1. */
  printer: number;
  /** Reply to DLE EOT 2. */
  offline: number;
  /** Reply to DLE EOT 4. */
  paper: number;
}

function checkFrame(name: string, byte: number): void {
  const ok =
    Number.isInteger(byte) &&
    byte >= 0 &&
    byte <= 0xff &&
    (byte & STATUS_FIXED_ONES) === STATUS_FIXED_ONES &&
    (byte & STATUS_FIXED_ZEROS) === 0;
  if (!ok) {
    throw new DeviceError(
      DeviceErrorKind.BadFrame,
      'printer',
      `DLE EOT ${name} reply 0x${byte.toString(16).padStart(2, '0')} is not a status byte (bits 1,4 set; 0,7 clear)`,
    );
  }
}

/** Precedence: paper out > cover open > error > offline > near end > ready. */
export function parsePrinterStatus(replies: PrinterStatusReplies): PrinterState {
  checkFrame('1', replies.printer);
  checkFrame('2', replies.offline);
  checkFrame('4', replies.paper);
  if (replies.offline & StatusBits.paperEndStop || replies.paper & StatusBits.paperEnd) return PrinterState.PaperOut;
  if (replies.offline & StatusBits.coverOpen) return PrinterState.CoverOpen;
  if (replies.offline & StatusBits.error) return PrinterState.Error;
  if (replies.printer & StatusBits.printerOffline) return PrinterState.Offline;
  if (replies.paper & StatusBits.paperNearEnd) return PrinterState.PaperNearEnd;
  return PrinterState.Ready;
}

import { STATUS_FIXED_ONES, StatusBits, StatusQuery } from '../escpos-status.js';

export interface SimulatedFaults {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  offline: boolean;
  /** The link drops at the first print byte of a job (see PrinterSimulator). */
  disconnectMidJob: boolean;
}

export const NO_FAULTS: SimulatedFaults = { paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, disconnectMidJob: false };

/** A printer with paper out or its cover open stops: it goes offline and prints nothing. */
export function isStopped(f: SimulatedFaults): boolean {
  return f.paperOut || f.coverOpen;
}

/** The byte a real printer sends back for `DLE EOT n` in this state, or null for an n it ignores. */
export function dleEotReply(n: number, f: SimulatedFaults): number | null {
  switch (n) {
    case StatusQuery.Printer:
      return STATUS_FIXED_ONES | (f.offline || isStopped(f) ? StatusBits.printerOffline : 0);
    case StatusQuery.OfflineCause:
      return STATUS_FIXED_ONES | (f.coverOpen ? StatusBits.coverOpen : 0) | (f.paperOut ? StatusBits.paperEndStop : 0);
    case StatusQuery.ErrorCause:
      return STATUS_FIXED_ONES;
    case StatusQuery.RollPaper:
      return STATUS_FIXED_ONES | (f.paperNearEnd || f.paperOut ? StatusBits.paperNearEnd : 0) | (f.paperOut ? StatusBits.paperEnd : 0);
    default:
      return null;
  }
}

/** `GS r 1` (paper sensor): bits 0-1 near end, bits 2-3 paper end. Other n: drawer etc., all clear. */
export function gsRReply(n: number, f: SimulatedFaults): number {
  if (n !== 1 && n !== 49) return 0;
  return (f.paperNearEnd || f.paperOut ? 0x03 : 0) | (f.paperOut ? 0x0c : 0);
}

import { PrintState } from '../common/contract/kiosk-api.js';

/** A print job's life (docs/architecture.md §4 (2)): recorded before a byte is sent. */
export type PrintJobState = 'recorded' | 'sending' | 'printed' | 'failed' | 'possibly-printed';

/** The states a caller may move a job to; 'possibly-printed' is only ever set by recovery. */
export type PrintJobMark = 'sending' | 'printed' | 'failed';

/**
 * Allowed moves. A job that was sending when the kiosk stopped is never sent again: nothing
 * leads out of 'possibly-printed', so only a new job (a technician's reprint) prints it again.
 */
const allowedFrom: Readonly<Record<PrintJobMark, readonly PrintJobState[]>> = {
  sending: ['recorded'],
  printed: ['sending'],
  failed: ['recorded', 'sending'],
};

export function canMarkPrintJob(from: PrintJobState, to: PrintJobMark): boolean {
  return allowedFrom[to].includes(from);
}

/** The ticket's print state that follows a job's state. */
export const ticketPrintStateFor: Readonly<Record<PrintJobMark, PrintState>> = {
  sending: PrintState.Printing,
  printed: PrintState.Printed,
  failed: PrintState.Failed,
};

export function isPrintJobState(value: string): value is PrintJobState {
  return ['recorded', 'sending', 'printed', 'failed', 'possibly-printed'].includes(value);
}

/**
 * The ESC/POS status parser over the three DLE EOT replies (n = 1, 2, 4): status bytes with
 * random cause bits, bit-flipped ones, random bytes, and now and then numbers that are not bytes
 * at all (the parser takes numbers). Legitimate: a DeviceError of kind bad-frame, exactly when a
 * reply breaks the status-byte rule (bits 1 and 4 set, 0 and 7 clear). Crashes: any other throw,
 * a refusal of well-formed replies, a state outside PrinterState, and the one rule that keeps
 * tickets off an empty printer broken: paper-end bits always mean paper-out.
 */
import { PrinterState } from '../../../common/contract/kiosk-api.js';
import { DeviceError, DeviceErrorKind } from '../../../devices/device-error.js';
import { parsePrinterStatus, STATUS_FIXED_ONES, STATUS_FIXED_ZEROS, StatusBits, type PrinterStatusReplies } from '../../../devices/printer/escpos-status.js';
import { chance, int, pick, weighted, type Random } from '../fuzz-random.js';
import { check, countRejection, newCounters, type FuzzRunner, type FuzzTarget } from '../fuzz-target.js';

const STATES = new Set<string>(Object.values(PrinterState));
const NOT_BYTES = [-1, 256, 0x112, 1.5, 18.000001, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 31, -(2 ** 31), Number.MAX_SAFE_INTEGER, -0] as const;
/** Bits a status byte may carry besides its fixed ones. */
const FREE_BITS = 0xff & ~STATUS_FIXED_ONES & ~STATUS_FIXED_ZEROS;

function reply(r: Random): number {
  return weighted(r, [
    [50, () => STATUS_FIXED_ONES | (int(r, 0, 255) & FREE_BITS)],
    [20, () => (STATUS_FIXED_ONES | (int(r, 0, 255) & FREE_BITS)) ^ (1 << int(r, 0, 7))],
    [25, () => int(r, 0, 255)],
    [5, () => pick(r, NOT_BYTES)],
  ] as const)();
}

function generate(r: Random): PrinterStatusReplies {
  // Most inputs well-formed, so the state logic (not only the frame check) is exercised.
  if (chance(r, 0.4)) {
    const ok = (): number => STATUS_FIXED_ONES | (int(r, 0, 255) & FREE_BITS);
    return { printer: ok(), offline: ok(), paper: ok() };
  }
  return { printer: reply(r), offline: reply(r), paper: reply(r) };
}

function isStatusByte(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 0xff && (n & STATUS_FIXED_ONES) === STATUS_FIXED_ONES && (n & STATUS_FIXED_ZEROS) === 0;
}

class EscPosStatusRunner implements FuzzRunner<PrinterStatusReplies> {
  readonly counters = newCounters();

  run(replies: PrinterStatusReplies): void {
    const wellFormed = isStatusByte(replies.printer) && isStatusByte(replies.offline) && isStatusByte(replies.paper);
    let state: PrinterState;
    try {
      state = parsePrinterStatus(replies);
    } catch (err) {
      if (err instanceof DeviceError && err.kind === DeviceErrorKind.BadFrame) {
        check(!wellFormed, () => `refused well-formed replies: ${err.message}`);
        countRejection(this.counters, err.kind);
        return;
      }
      throw err;
    }
    check(wellFormed, () => 'accepted a reply that is not a status byte');
    check(STATES.has(state), () => `state ${String(state)} is not a PrinterState`);
    const paperEnd = (replies.offline & StatusBits.paperEndStop) !== 0 || (replies.paper & StatusBits.paperEnd) !== 0;
    check(paperEnd === (state === PrinterState.PaperOut), () => `paper-end bits ${paperEnd ? 'set' : 'clear'} but state ${state}`);
    this.counters.accepted++;
  }

  close(): void {}
}

export const escPosStatusTarget: FuzzTarget<PrinterStatusReplies> = {
  name: 'escpos-status',
  generate,
  describe: (replies) => `printer=${String(replies.printer)} offline=${String(replies.offline)} paper=${String(replies.paper)}`,
  createRunner: () => new EscPosStatusRunner(),
};

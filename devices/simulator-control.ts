import { isSampleCardName, SampleCardName } from './id-card/simulator/sample-cards.js';
import { ReaderSimFault } from './id-card/simulator/id-reader-simulator.js';
import type { SimulatedFaults } from './printer/simulator/simulated-status.js';
import { ScanSuffix } from './scanner/simulator/scanner-simulator.js';

/**
 * The line-oriented control language of the device simulators (demo CLI over stdin, or POST
 * /command on its control port, as JSON {"line": ...}). One command a line:
 *
 *   place card <name> [pull-after <bytes>]   put a sample card on the reader (optionally pulled away mid-read)
 *   remove card
 *   reader fault none|unauthorized|silent|corrupt-frames
 *   reader corrupt <n>                        the next n replies are corrupted
 *   scan <code...>                            the scanner reads a code (rest of the line, spaces kept)
 *   scanner suffix cr|lf|crlf|none
 *   printer paper-out|near-end|cover-open|offline|disconnect-mid-job on|off
 *   unplug reader|scanner|printer             stop the PTY pair or TCP device server (as pulling the cable)
 *   plug reader|scanner|printer               a new one on the same path or port
 *   status | help
 */
export type SimCommand =
  | { kind: 'place-card'; card: SampleCardName; pullAwayAfterBytes: number | null }
  | { kind: 'remove-card' }
  | { kind: 'reader-fault'; fault: ReaderSimFault }
  | { kind: 'reader-corrupt'; replies: number }
  | { kind: 'scan'; code: string }
  | { kind: 'scanner-suffix'; suffix: ScanSuffix }
  | { kind: 'printer-fault'; fault: keyof SimulatedFaults; on: boolean }
  | { kind: 'unplug' | 'plug'; device: SimDevice }
  | { kind: 'status' }
  | { kind: 'help' };

export enum SimDevice {
  Reader = 'reader',
  Scanner = 'scanner',
  Printer = 'printer',
}

export enum SimCommandErrorCode {
  Empty = 'sim-command.empty',
  Unknown = 'sim-command.unknown',
  BadArgument = 'sim-command.bad-argument',
}

export class SimCommandError extends Error {
  constructor(
    readonly code: SimCommandErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SimCommandError';
  }
}

const PRINTER_FAULTS: Record<string, keyof SimulatedFaults> = {
  'paper-out': 'paperOut',
  'near-end': 'paperNearEnd',
  'cover-open': 'coverOpen',
  offline: 'offline',
  'disconnect-mid-job': 'disconnectMidJob',
};

export const SIM_COMMAND_HELP = `commands:
  place card <${Object.values(SampleCardName).join('|')}> [pull-after <bytes>]
  remove card
  reader fault <${Object.values(ReaderSimFault).join('|')}>
  reader corrupt <n>
  scan <code>
  scanner suffix <${Object.values(ScanSuffix).join('|')}>
  printer <${Object.keys(PRINTER_FAULTS).join('|')}> on|off
  unplug|plug <${Object.values(SimDevice).join('|')}>
  status | help`;

function bad(message: string): SimCommandError {
  return new SimCommandError(SimCommandErrorCode.BadArgument, message);
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T {
  if (value === undefined || !(allowed as readonly string[]).includes(value)) throw bad(`${what} must be one of ${allowed.join(', ')}; got '${value ?? ''}'`);
  return value as T;
}

function count(value: string | undefined, what: string): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 0) throw bad(`${what} must be a whole number; got '${value ?? ''}'`);
  return n;
}

/** Parses one control line. Throws SimCommandError. */
export function parseSimCommand(line: string): SimCommand {
  const trimmed = line.trim();
  if (trimmed === '') throw new SimCommandError(SimCommandErrorCode.Empty, 'empty command');
  const words = trimmed.split(/\s+/);
  const [verb, a, b, c, d] = words;
  switch (verb) {
    case 'place': {
      if (a !== 'card') throw bad("say 'place card <name>'");
      if (b === undefined || !isSampleCardName(b)) throw bad(`card must be one of ${Object.values(SampleCardName).join(', ')}; got '${b ?? ''}'`);
      if (c === undefined) return { kind: 'place-card', card: b, pullAwayAfterBytes: null };
      if (c !== 'pull-after') throw bad(`unexpected '${c}' after the card name`);
      return { kind: 'place-card', card: b, pullAwayAfterBytes: count(d, 'pull-after') };
    }
    case 'remove':
      if (a !== 'card') throw bad("say 'remove card'");
      return { kind: 'remove-card' };
    case 'reader':
      if (a === 'fault') return { kind: 'reader-fault', fault: oneOf(b, Object.values(ReaderSimFault), 'reader fault') };
      if (a === 'corrupt') return { kind: 'reader-corrupt', replies: count(b, 'reader corrupt') };
      throw bad("say 'reader fault <fault>' or 'reader corrupt <n>'");
    case 'scan': {
      const code = trimmed.slice(verb.length).trim();
      if (code === '') throw bad('scan needs a code');
      return { kind: 'scan', code };
    }
    case 'scanner':
      if (a !== 'suffix') throw bad("say 'scanner suffix <suffix>'");
      return { kind: 'scanner-suffix', suffix: oneOf(b, Object.values(ScanSuffix), 'suffix') };
    case 'printer': {
      const fault = a === undefined ? undefined : PRINTER_FAULTS[a];
      if (!fault) throw bad(`printer fault must be one of ${Object.keys(PRINTER_FAULTS).join(', ')}; got '${a ?? ''}'`);
      return { kind: 'printer-fault', fault, on: oneOf(b, ['on', 'off'] as const, 'printer fault state') === 'on' };
    }
    case 'unplug':
    case 'plug':
      return { kind: verb, device: oneOf(a, Object.values(SimDevice), 'device') };
    case 'status':
      return { kind: 'status' };
    case 'help':
      return { kind: 'help' };
    default:
      throw new SimCommandError(SimCommandErrorCode.Unknown, `unknown command '${verb}'; try 'help'`);
  }
}

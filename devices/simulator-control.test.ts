import { describe, expect, it } from 'vitest';
import { ReaderSimFault } from './id-card/simulator/id-reader-simulator.js';
import { SampleCardName } from './id-card/simulator/sample-cards.js';
import { ScanSuffix } from './scanner/simulator/scanner-simulator.js';
import { parseSimCommand, SimCommandError, SimCommandErrorCode, SimDevice } from './simulator-control.js';

function codeOf(line: string): SimCommandErrorCode | 'no error' {
  try {
    parseSimCommand(line);
    return 'no error';
  } catch (err) {
    if (err instanceof SimCommandError) return err.code;
    throw err;
  }
}

describe('parseSimCommand', () => {
  it('reads every command', () => {
    expect(parseSimCommand('place card rare-name')).toEqual({ kind: 'place-card', card: SampleCardName.RareName, pullAwayAfterBytes: null });
    expect(parseSimCommand('place card mainland pull-after 600')).toEqual({ kind: 'place-card', card: SampleCardName.Mainland, pullAwayAfterBytes: 600 });
    expect(parseSimCommand('  remove card ')).toEqual({ kind: 'remove-card' });
    expect(parseSimCommand('reader fault unauthorized')).toEqual({ kind: 'reader-fault', fault: ReaderSimFault.Unauthorized });
    expect(parseSimCommand('reader corrupt 2')).toEqual({ kind: 'reader-corrupt', replies: 2 });
    expect(parseSimCommand('scan https://e.cn/a b')).toEqual({ kind: 'scan', code: 'https://e.cn/a b' });
    expect(parseSimCommand('scanner suffix crlf')).toEqual({ kind: 'scanner-suffix', suffix: ScanSuffix.CrLf });
    expect(parseSimCommand('printer paper-out on')).toEqual({ kind: 'printer-fault', fault: 'paperOut', on: true });
    expect(parseSimCommand('printer disconnect-mid-job off')).toEqual({ kind: 'printer-fault', fault: 'disconnectMidJob', on: false });
    expect(parseSimCommand('unplug reader')).toEqual({ kind: 'unplug', device: SimDevice.Reader });
    expect(parseSimCommand('plug scanner')).toEqual({ kind: 'plug', device: SimDevice.Scanner });
    expect(parseSimCommand('status')).toEqual({ kind: 'status' });
  });

  it('says what is wrong with a code', () => {
    expect(codeOf('')).toBe(SimCommandErrorCode.Empty);
    expect(codeOf('dance')).toBe(SimCommandErrorCode.Unknown);
    for (const bad of ['place card nobody', 'place card mainland pull-after -1', 'place it', 'reader fault melt', 'reader corrupt x', 'scan', 'scanner suffix tab', 'printer paper-out maybe', 'printer jam on', 'unplug toaster']) {
      expect(codeOf(bad)).toBe(SimCommandErrorCode.BadArgument);
    }
  });
});

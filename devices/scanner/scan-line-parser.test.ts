import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ScanError, ScanErrorCode, ScanLineParser } from './scan-line-parser.js';

function collect(parser: ScanLineParser): { codes: string[]; errors: ScanError[] } {
  const out = { codes: [] as string[], errors: [] as ScanError[] };
  parser.on('data', (c: string) => out.codes.push(c));
  parser.on('scan-error', (e: ScanError) => out.errors.push(e));
  return out;
}

describe('ScanLineParser', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('ends codes at CR, LF and CRLF, and skips blank lines', () => {
    const parser = new ScanLineParser({ interByteTimeoutMs: null });
    const out = collect(parser);
    parser.write(Buffer.from('A1\rB2\nC3\r\n\r\nD4\n\n'));
    expect(out.codes).toEqual(['A1', 'B2', 'C3', 'D4']);
  });

  it('counts a CR LF split across chunks once', () => {
    const parser = new ScanLineParser({ interByteTimeoutMs: null });
    const out = collect(parser);
    parser.write(Buffer.from('APPT-1\r'));
    parser.write(Buffer.from('\nAPPT-2\r'));
    parser.write(Buffer.from('\n'));
    expect(out.codes).toEqual(['APPT-1', 'APPT-2']);
  });

  it('ends a suffix-less code after the inter-byte pause, not before', () => {
    vi.useFakeTimers();
    const parser = new ScanLineParser({ interByteTimeoutMs: 50 });
    const out = collect(parser);
    parser.write(Buffer.from('https://e.cn/'));
    vi.advanceTimersByTime(49);
    parser.write(Buffer.from('a/1'));
    vi.advanceTimersByTime(49);
    expect(out.codes).toEqual([]);
    // The pause (50 ms) and its grace (20 ms) have passed with no byte.
    vi.advanceTimersByTime(21);
    expect(out.codes).toEqual(['https://e.cn/a/1']);
    parser.write(Buffer.from('next'));
    vi.advanceTimersByTime(70);
    expect(out.codes).toEqual(['https://e.cn/a/1', 'next']);
  });

  it('does not split a code when bytes come during the grace after the pause timer (a stalled process)', () => {
    vi.useFakeTimers();
    const parser = new ScanLineParser({ interByteTimeoutMs: 50 });
    const out = collect(parser);
    parser.write(Buffer.from('ABC'));
    vi.advanceTimersByTime(55); // the pause timer has fired; the grace is running
    parser.write(Buffer.from('DEF'));
    vi.advanceTimersByTime(70);
    expect(out.codes).toEqual(['ABCDEF']);
  });

  it('waits for a suffix when the pause is turned off, and flushes at the end', async () => {
    vi.useFakeTimers();
    const parser = new ScanLineParser({ interByteTimeoutMs: null });
    const out = collect(parser);
    parser.write(Buffer.from('partial'));
    vi.advanceTimersByTime(10_000);
    expect(out.codes).toEqual([]);
    await new Promise<void>((resolve) => parser.end(resolve));
    expect(out.codes).toEqual(['partial']);
  });

  it('drops an oversize code with a coded error and reads the next one', () => {
    const parser = new ScanLineParser({ interByteTimeoutMs: null, maxLength: 8 });
    const out = collect(parser);
    parser.write(Buffer.from('0123456'));
    parser.write(Buffer.from('789ABCDEF'));
    parser.write(Buffer.from('GHI\rOK\r'));
    expect(out.codes).toEqual(['OK']);
    expect(out.errors.map((e) => e.code)).toEqual([ScanErrorCode.TooLong]);
  });

  it('reports a code that is not UTF-8 and goes on', () => {
    const parser = new ScanLineParser({ interByteTimeoutMs: null });
    const out = collect(parser);
    parser.write(Buffer.from([0xff, 0xfe, 0x0d, 0x4f, 0x4b, 0x0d]));
    expect(out.codes).toEqual(['OK']);
    expect(out.errors.map((e) => e.code)).toEqual([ScanErrorCode.BadEncoding]);
  });

  it('reads Chinese in UTF-8 across chunk boundaries', () => {
    const parser = new ScanLineParser({ interByteTimeoutMs: null });
    const out = collect(parser);
    const bytes = Buffer.from('预约号:办事\r\n');
    parser.write(bytes.subarray(0, 4));
    parser.write(bytes.subarray(4));
    expect(out.codes).toEqual(['预约号:办事']);
  });

  it('refuses bad options by name', () => {
    expect(() => new ScanLineParser({ interByteTimeoutMs: 0 })).toThrow(/interByteTimeoutMs/);
    expect(() => new ScanLineParser({ maxLength: 0 })).toThrow(/maxLength/);
  });

  it('fuzz: any bytes in any chunks give codes without line ends, within the limit, or coded errors', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 6 }), (bytes, sizes) => {
        const parser = new ScanLineParser({ interByteTimeoutMs: null, maxLength: 40 });
        const out = collect(parser);
        let pos = 0;
        for (let i = 0; pos < bytes.length; i++) {
          const size = sizes[i % sizes.length] ?? 1;
          parser.write(Buffer.from(bytes.subarray(pos, pos + size)));
          pos += size;
        }
        parser.end();
        for (const code of out.codes) {
          expect(code).not.toMatch(/[\r\n]/);
          expect(code.length).toBeGreaterThan(0);
          expect(Buffer.byteLength(code)).toBeLessThanOrEqual(40);
        }
        for (const e of out.errors) expect(Object.values(ScanErrorCode)).toContain(e.code);
        parser.destroy();
      }),
      { numRuns: 500 },
    );
  });
});

// Found by `npm run test:fuzz`: the UTF-8 decoder drops a leading byte-order mark, and a line of
// nothing else came out as an empty code.
describe('ScanLineParser: what fuzzing found', () => {
  it('skips a line that holds only a byte-order mark, and reads a code after one', () => {
    const parser = new ScanLineParser({ interByteTimeoutMs: null });
    const out = collect(parser);
    parser.write(Buffer.from([0xef, 0xbb, 0xbf, 0x0d, 0x0a, 0x41, 0x0a, 0xef, 0xbb, 0xbf, 0x42, 0x0a]));
    parser.end();
    expect(out.codes).toEqual(['A', 'B']);
    expect(out.errors).toEqual([]);
  });

  it('reports the bytes it holds, up to the limit', () => {
    const parser = new ScanLineParser({ interByteTimeoutMs: null, maxLength: 10 });
    parser.write(Buffer.from('HKA-'));
    parser.write(Buffer.from('7Q2'));
    expect(parser.bufferedLength).toBe(7);
    parser.write(Buffer.from('M9XKD'));
    expect(parser.bufferedLength).toBe(0);
    parser.write(Buffer.from('\n'));
    expect(parser.bufferedLength).toBe(0);
  });
});

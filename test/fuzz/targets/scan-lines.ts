/**
 * The scanner's line parser, driven through its Transform interface with clean codes (ticket QR
 * payloads, appointment references, URLs, Chinese text) ended by CR, LF or CRLF in random chunks,
 * mutated streams (line ends, invalid and overlong UTF-8, byte-order marks, codes at and past the
 * length limit), random bytes, and long lines. Some inputs run with the inter-byte pause armed.
 * Legitimate: 'scan-error' events with a ScanErrorCode. Crashes: a throw or an 'error' event; and
 * these oracles broken:
 * - a code is a non-empty string without CR or LF, at most maxLength bytes of UTF-8, and its
 *   bytes are a run of the input (it invents nothing);
 * - it never holds more than maxLength bytes; after end() it holds none and no timer is left;
 * - a clean stream gives back exactly its codes.
 */
import { ScanError, ScanErrorCode, ScanLineParser } from '../../../devices/scanner/scan-line-parser.js';
import { chance, int, pick, randomBytes, randomChunks, weighted, type Random } from '../fuzz-random.js';
import { check, countRejection, newCounters, type FuzzCounters, type FuzzRunner, type FuzzTarget } from '../fuzz-target.js';
import { hex, mutate, type Mutator } from '../mutate.js';

/** The parser's default, which the kiosk uses. */
export const SCAN_MAX_LENGTH = 2048;
const CODES = new Set<string>(Object.values(ScanErrorCode));
const ENDINGS = ['\r', '\n', '\r\n'] as const;
const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const CHINESE = '社会保障医疗住房公积金不动产登记户籍交管综合受理䶮𠮷';

export interface ScanInput {
  steps: Buffer[];
  /** Arm the inter-byte pause (50 ms; end() must clear it). */
  timed: boolean;
  /** For a clean stream: the codes it must give back, in order. */
  expected: string[] | null;
  stream: boolean;
}

function code(r: Random): string {
  const kind = int(r, 0, 5);
  const chars = (alphabet: string, n: number): string => Array.from({ length: n }, () => pick(r, [...alphabet])).join('');
  switch (kind) {
    case 0:
      return `HKA-${chars(BASE32, 8)}`;
    case 1:
      return `HK1:${[8, 4, 4, 4, 12].map((n) => chars('0123456789abcdef', n)).join('-')}:${pick(r, ['A', 'B', 'K'])}${String(int(r, 1, 9999)).padStart(3, '0')}`;
    case 2:
      return `https://zwfw.example.gov.cn/q/${chars('abcdefghijklmnopqrstuvwxyz0123456789', int(r, 1, 80))}`;
    case 3:
      return chars(CHINESE, int(r, 1, 40));
    case 4:
      // Printable ASCII, at and around the length limit now and then.
      return chars('!"#$%&()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~ ', chance(r, 0.1) ? SCAN_MAX_LENGTH : int(r, 1, 300));
    default:
      return chars(BASE32, int(r, 1, 32));
  }
}

function cleanStream(r: Random): { bytes: Buffer; codes: string[] } {
  const codes = Array.from({ length: int(r, 1, 5) }, () => code(r));
  const text = codes.map((c, i) => (i === codes.length - 1 && chance(r, 0.2) ? c : `${c}${pick(r, ENDINGS)}${chance(r, 0.1) ? pick(r, ENDINGS) : ''}`)).join('');
  return { bytes: Buffer.from(text, 'utf8'), codes };
}

const BAD_UTF8 = [
  [0xc0, 0x80], // overlong NUL
  [0xed, 0xa0, 0x80], // a UTF-16 surrogate
  [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
  [0x80], // a lone continuation byte
  [0xe4, 0xb8], // a sequence cut short
  [0xff],
  [0xef, 0xbb, 0xbf], // a byte-order mark
] as const;

const scanMutators: Mutator[] = [
  (r, input) => {
    const at = int(r, 0, input.length);
    return Buffer.concat([input.subarray(0, at), Buffer.from(pick(r, ['\r', '\n', '\r\n', '\n\r', '\r\r\n'])), input.subarray(at)]);
  },
  (r, input) => {
    const at = int(r, 0, input.length);
    return Buffer.concat([input.subarray(0, at), Buffer.from(pick(r, BAD_UTF8)), input.subarray(at)]);
  },
  // A byte-order mark alone on a line.
  (r, input) => {
    const at = int(r, 0, input.length);
    return Buffer.concat([input.subarray(0, at), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(pick(r, ENDINGS)), input.subarray(at)]);
  },
  (r, input) => Buffer.concat([input, Buffer.alloc(SCAN_MAX_LENGTH + int(r, -2, 2), 0x41), Buffer.from(chance(r, 0.7) ? pick(r, ENDINGS) : '')]),
];

function generate(r: Random): ScanInput {
  const mode = weighted(r, [
    [20, 'clean'],
    [50, 'mutated'],
    [18, 'random'],
    [12, 'long'],
  ] as const);
  const timed = chance(r, 0.1);
  const stream = !timed && chance(r, 0.25);
  switch (mode) {
    case 'clean': {
      const { bytes, codes } = cleanStream(r);
      return { steps: randomChunks(r, bytes), timed, expected: codes, stream };
    }
    case 'mutated':
      return { steps: randomChunks(r, mutate(r, cleanStream(r).bytes, scanMutators, 5)), timed, expected: null, stream };
    case 'random': {
      const bytes = randomBytes(r, int(r, 0, chance(r, 0.9) ? 200 : 5_000));
      // Line ends are rare in random bytes; sprinkle some so short lines happen too.
      if (chance(r, 0.5)) for (let i = 0; i < bytes.length; i += int(r, 1, 40)) bytes[i] = pick(r, [0x0d, 0x0a]);
      return { steps: randomChunks(r, bytes), timed, expected: null, stream };
    }
    case 'long': {
      const lines = Array.from({ length: int(r, 1, 3) }, () => {
        const line = Buffer.alloc(pick(r, [SCAN_MAX_LENGTH - 1, SCAN_MAX_LENGTH, SCAN_MAX_LENGTH + 1, int(r, 2_049, 5_000)]), pick(r, [0x41, 0xe4, 0x80]));
        return Buffer.concat([line, Buffer.from(chance(r, 0.8) ? pick(r, ENDINGS) : '')]);
      });
      return { steps: randomChunks(r, Buffer.concat(lines)), timed, expected: null, stream };
    }
  }
}

const timers = (): number => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

class Observed {
  readonly codes: string[] = [];
  maxBuffered = 0;
  failure: Error | null = null;

  constructor(
    readonly parser: ScanLineParser,
    counters: FuzzCounters,
  ) {
    parser.on('data', (c: unknown) => {
      if (typeof c !== 'string') {
        this.failure ??= new Error(`emitted a ${typeof c}, not a string`);
        return;
      }
      this.codes.push(c);
      counters.accepted++;
    });
    parser.on('scan-error', (err: unknown) => {
      if (!(err instanceof ScanError) || !CODES.has(err.code)) {
        this.failure ??= new Error(`scan-error that is not a coded ScanError: ${String(err)}`);
        return;
      }
      countRejection(counters, err.code);
    });
    parser.on('error', (err: Error) => {
      this.failure ??= err;
    });
  }

  write(chunk: Buffer): void {
    this.parser.write(chunk);
    this.maxBuffered = Math.max(this.maxBuffered, this.parser.bufferedLength);
    check(this.parser.bufferedLength <= SCAN_MAX_LENGTH, () => `holds ${this.parser.bufferedLength} bytes, bound ${SCAN_MAX_LENGTH}`);
    if (this.failure) throw this.failure;
  }

  end(): void {
    this.parser.end();
    if (this.failure) throw this.failure;
    check(this.parser.bufferedLength === 0, () => `still holds ${this.parser.bufferedLength} bytes after end()`);
  }
}

function checkShape(c: string): Buffer {
  check(c.length > 0, () => 'emitted an empty code');
  check(!/[\r\n]/.test(c), () => `emitted a code with a line end: ${JSON.stringify(c)}`);
  const bytes = Buffer.from(c, 'utf8');
  check(bytes.length <= SCAN_MAX_LENGTH, () => `emitted a code of ${bytes.length} bytes, limit ${SCAN_MAX_LENGTH}`);
  return bytes;
}

function checkCodes(codes: readonly string[], input: Buffer): void {
  for (const c of codes) {
    const bytes = checkShape(c);
    check(input.includes(bytes), () => `emitted a code that is not in the input: ${JSON.stringify(c)}`);
  }
}

class ScanRunner implements FuzzRunner<ScanInput> {
  readonly counters = newCounters();
  private long: Observed;

  constructor() {
    this.long = this.open(false);
  }

  run(input: ScanInput): void {
    const timersBefore = timers();
    const fresh = this.open(input.timed);
    for (const step of input.steps) fresh.write(step);
    fresh.end();
    check(timers() === timersBefore, () => `${timers() - timersBefore} timer(s) left after end()`);
    this.counters.maxBufferBytes = Math.max(this.counters.maxBufferBytes, fresh.maxBuffered);

    const all = Buffer.concat(input.steps);
    checkCodes(fresh.codes, all);
    if (input.expected) {
      const want = input.expected;
      const got = fresh.codes;
      check(want.length === got.length && want.every((w, i) => w === got[i]), () => `clean stream: ${JSON.stringify(want).slice(0, 200)} written, ${JSON.stringify(got).slice(0, 200)} read`);
    }

    if (input.stream) {
      try {
        for (const step of input.steps) this.long.write(step);
        // A code may span inputs here: its shape is checked, not where it came from.
        for (const c of this.long.codes) checkShape(c);
        this.long.codes.length = 0;
      } catch (err) {
        this.long = this.open(false);
        throw new Error(`long-lived parser: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      } finally {
        this.counters.maxBufferBytes = Math.max(this.counters.maxBufferBytes, this.long.maxBuffered);
      }
    }
  }

  close(): void {
    const long = this.long;
    this.long = this.open(false);
    long.end();
  }

  private open(timed: boolean): Observed {
    return new Observed(new ScanLineParser({ interByteTimeoutMs: timed ? 50 : null }), this.counters);
  }
}

export const scanLineTarget: FuzzTarget<ScanInput> = {
  name: 'scan-line',
  generate,
  describe: (input) => `${input.timed ? 'timed ' : ''}${input.steps.map(hex).join(' | ')}`,
  createRunner: () => new ScanRunner(),
};

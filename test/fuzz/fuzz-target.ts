import type { Random } from './fuzz-random.js';

/**
 * What one parser gets fuzzed with, and what it must never do. A target generates inputs from a
 * seeded generator and feeds them to the real parser through its real interface (a Transform is
 * written to and ended, a decoder is called). The parser's own coded rejections are counted;
 * anything else it throws or emits, and any broken promise of its contract (an oracle: a frame
 * that is not in the input, a buffer past its bound, a code with a line end in it), is thrown by
 * the runner and counted by the engine as a crash.
 */
export interface FuzzTarget<I = unknown> {
  readonly name: string;
  generate(r: Random): I;
  /** The input as text, for the reproducer on stderr. */
  describe(input: I): string;
  createRunner(): FuzzRunner<I>;
}

export interface FuzzRunner<I> {
  /** Feeds one input; throws on a crash or a broken oracle. */
  run(input: I): void;
  /** Ends whatever the runner kept across inputs (a long-lived stream), checking it too. */
  close(): void;
  readonly counters: FuzzCounters;
}

export interface FuzzCounters {
  /** Frames, codes, cards or states the parser produced. */
  accepted: number;
  /** Its coded rejections, by code. */
  rejected: Record<string, number>;
  /** The most bytes the parser held between two writes (0 for a stateless parser). */
  maxBufferBytes: number;
}

export function newCounters(): FuzzCounters {
  return { accepted: 0, rejected: {}, maxBufferBytes: 0 };
}

export function countRejection(counters: FuzzCounters, code: string): void {
  counters.rejected[code] = (counters.rejected[code] ?? 0) + 1;
}

/** A promise of the parser's contract that an input broke (not a throw of the parser itself). */
export class FuzzOracleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FuzzOracleError';
  }
}

export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new FuzzOracleError(message());
}

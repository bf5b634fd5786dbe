import { describe, expect, it } from 'vitest';
import { LaunchCodeCheck, LaunchCodes } from './launch-codes.js';

describe('LaunchCodes', () => {
  it('accepts a code once, then knows it was spent', () => {
    const codes = new LaunchCodes(() => 0);
    const code = codes.issue();
    expect(code).toMatch(/^[0-9a-f]{64}$/);
    expect(codes.redeem(code)).toBe(LaunchCodeCheck.Accepted);
    expect(codes.redeem(code)).toBe(LaunchCodeCheck.Spent);
    expect(codes.redeem('0'.repeat(64))).toBe(LaunchCodeCheck.Unknown);
  });

  it('refuses a code after its minute, and that attempt spends it too', () => {
    let now = 0;
    const codes = new LaunchCodes(() => now);
    const code = codes.issue();
    now = 59_999;
    const other = codes.issue();
    now = 60_000;
    expect(codes.redeem(code)).toBe(LaunchCodeCheck.Expired);
    expect(codes.redeem(code)).toBe(LaunchCodeCheck.Unknown);
    expect(codes.redeem(other)).toBe(LaunchCodeCheck.Accepted);
  });

  it('keeps at most 8 codes: issuing in a loop forgets the oldest', () => {
    const codes = new LaunchCodes(() => 0);
    const issued = Array.from({ length: 20 }, () => codes.issue());
    expect(issued.slice(0, 12).map((c) => codes.redeem(c))).toEqual(Array(12).fill(LaunchCodeCheck.Unknown));
    expect(issued.slice(12).map((c) => codes.redeem(c))).toEqual(Array(8).fill(LaunchCodeCheck.Accepted));
  });
});

const UNITS: readonly [number, string][] = [
  [86_400, 'd'],
  [3_600, 'h'],
  [60, 'min'],
  [1, 's'],
];

/** A signed duration to the second, largest units first: `+1 d 2 h`, `-5 min 30 s`, `+0 s`. */
export function formatClockJump(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  let rest = Math.round(Math.abs(ms) / 1_000);
  const parts: string[] = [];
  for (const [seconds, unit] of UNITS) {
    const n = Math.floor(rest / seconds);
    rest -= n * seconds;
    if (n > 0) parts.push(`${n} ${unit}`);
  }
  return `${sign}${parts.length > 0 ? parts.join(' ') : '0 s'}`;
}

/** One offset change as the alert, the audit log and the kiosk log say it. */
export function describeClockJump(fromOffsetMs: number, toOffsetMs: number): string {
  return `${fromOffsetMs} ms → ${toOffsetMs} ms (${formatClockJump(toOffsetMs - fromOffsetMs)})`;
}

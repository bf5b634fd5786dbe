/** Counting helpers for the "lost" and "duplicated" figures: computed from data, never assumed. */

/** How many of `expected` are not in `actual`. */
export function countMissing(expected: Iterable<string>, actual: Iterable<string>): number {
  const have = new Set(actual);
  let missing = 0;
  for (const e of expected) if (!have.has(e)) missing++;
  return missing;
}

/** Occurrences beyond the first, summed over all values. */
export function countSurplus(values: Iterable<string>): number {
  const seen = new Set<string>();
  let surplus = 0;
  for (const v of values) {
    if (seen.has(v)) surplus++;
    else seen.add(v);
  }
  return surplus;
}

/** Values that occur more than once, with their counts (for failure messages). */
export function repeated(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return new Map([...counts].filter(([, n]) => n > 1));
}

/** Numbers in 1..max that are not in `seqs`. */
export function holes(seqs: readonly number[], max: number): number[] {
  const have = new Set(seqs);
  const out: number[] = [];
  for (let s = 1; s <= max; s++) if (!have.has(s)) out.push(s);
  return out;
}

/**
 * Waits until `predicate` holds, polling every 5 ms. Generous by default: device tests wait for
 * states, not durations, and a loaded CI machine may be slow to reach them.
 */
export function waitFor(
  what: string,
  predicate: () => boolean,
  opts: { timeoutMs?: number; explain?: () => string } = {},
): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (predicate()) {
        clearInterval(timer);
        resolve();
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(timer);
        const detail = opts.explain ? `: ${opts.explain()}` : '';
        reject(new Error(`timed out waiting for ${what}${detail}`));
      }
    }, 5);
  });
}

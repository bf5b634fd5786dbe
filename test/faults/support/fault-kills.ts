/**
 * How many SIGKILLs the power-cut test delivers: FAULT_KILLS when set (issue 7 §10: a hall's scale
 * is `FAULT_KILLS=1000 npm run test:faults`), else the default CI runs. Validated, so a typo
 * fails at once instead of running a silently different test.
 */
export const FAULT_KILLS_ENV = 'FAULT_KILLS';
/** CI's count: 101 lives for each of the test's 2 kiosks, at least the 200 cuts the test promises. */
export const DEFAULT_FAULT_KILLS = 202;
/** One life for each of the test's kiosks at least. */
export const MIN_FAULT_KILLS = 2;
/** About 3 hours on two cores: beyond it, an extra zero typed by mistake is refused rather than run. */
export const MAX_FAULT_KILLS = 20_000;

export class FaultKillsError extends Error {
  readonly code = 'bad-fault-kills';
  constructor(message: string) {
    super(message);
    this.name = 'FaultKillsError';
  }
}

/** The kill count asked for; throws FaultKillsError for anything but a whole number in range. */
export function faultKills(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[FAULT_KILLS_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_FAULT_KILLS;
  const value = raw.trim();
  if (!/^\d+$/.test(value)) throw new FaultKillsError(`${FAULT_KILLS_ENV} must be a whole number of kills, got '${raw}'`);
  const kills = Number(value);
  if (kills < MIN_FAULT_KILLS || kills > MAX_FAULT_KILLS) {
    throw new FaultKillsError(`${FAULT_KILLS_ENV} must be between ${MIN_FAULT_KILLS} and ${MAX_FAULT_KILLS}, got ${kills}`);
  }
  return kills;
}

/** Lives per kiosk so that `kiosks` kiosks together take at least `kills` cuts (each life ends in one). */
export function livesPerKiosk(kills: number, kiosks: number): number {
  return Math.ceil(kills / kiosks);
}

/**
 * A small seeded PRNG (mulberry32) for fault schedules: the same seed gives the same sequence of
 * draws, so a failing run can be replayed with FAULTS_SEED.
 */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An integer in [min, max], both inclusive. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** The seed of a fault test: FAULTS_SEED when set (to replay or explore), else the test's own. */
export function faultSeed(fallback: number): number {
  const fromEnv = process.env.FAULTS_SEED;
  if (fromEnv === undefined || fromEnv === '') return fallback;
  const seed = Number(fromEnv);
  if (!Number.isInteger(seed)) throw new Error(`FAULTS_SEED must be an integer, got ${fromEnv}`);
  return seed;
}

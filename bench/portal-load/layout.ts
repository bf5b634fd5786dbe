/**
 * Who takes part in bench/portal-load.bench.ts, and how busy each is. A hall has at most ten
 * kiosks (the kiosk digit of its offline series is 0..9, unique in the hall), so 1,000 kiosks are
 * 100 halls of ten: one portal serving a city's halls. The clerks work in the first halls, ten
 * counters each (a hall's windows), all calling from the hall's one line, so the clerks of a hall
 * race for the same tickets; the displays hang in those halls too, spread evenly.
 */

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got '${raw}'`);
  return value;
}

export interface LoadLayout {
  /** Measured seconds, after the warm-up. */
  seconds: number;
  /** Everything runs, nothing is counted: tokens get cached, the JIT warms, the pool fills. */
  warmupSeconds: number;
  kiosks: number;
  clerks: number;
  displays: number;
  /** Halls with counters, clerks and displays (the first ones). */
  staffedHalls: number;
  /** Every kiosk pulls this often (the bench's brief; a kiosk's default is 30 s). */
  pullEveryMs: number;
  /** Mean time between two visitors at one kiosk (exponential). */
  issueEveryMs: number;
  /** A clerk's visit: the visitor walks to the counter, then is served (uniform within ±50 %). */
  walkMs: number;
  serveMs: number;
  /** Tickets waiting in each staffed hall before the clock starts, so no clerk runs out of visitors. */
  backlogPerStaffedHall: number;
}

export function loadLayoutFromEnv(): LoadLayout {
  const layout: LoadLayout = {
    seconds: envNumber('BENCH_SECONDS', 60),
    warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 10),
    kiosks: envNumber('BENCH_KIOSKS', 1_000),
    clerks: envNumber('BENCH_CLERKS', 100),
    displays: envNumber('BENCH_DISPLAYS', 20),
    staffedHalls: envNumber('BENCH_STAFFED_HALLS', 10),
    pullEveryMs: envNumber('BENCH_PULL_EVERY_MS', 5_000),
    issueEveryMs: envNumber('BENCH_ISSUE_EVERY_MS', 30_000),
    walkMs: envNumber('BENCH_WALK_MS', 500),
    serveMs: envNumber('BENCH_SERVE_MS', 2_000),
    backlogPerStaffedHall: envNumber('BENCH_BACKLOG', 500),
  };
  if (layout.staffedHalls > hallCount(layout)) throw new Error('more staffed halls than halls');
  if (layout.clerks > 0 && layout.staffedHalls === 0) throw new Error('clerks need a staffed hall');
  return layout;
}

export const KIOSKS_PER_HALL = 10;

export function hallCount(layout: Pick<LoadLayout, 'kiosks'>): number {
  return Math.max(1, Math.ceil(layout.kiosks / KIOSKS_PER_HALL));
}

export const hallIdOf = (index: number): string => `load-hall-${String(index + 1).padStart(3, '0')}`;

export interface LoadKiosk {
  hallId: string;
  kioskId: string;
  kioskDigit: number;
  token: string;
}

export interface LoadClerk {
  hallId: string;
  staffId: string;
  username: string;
  counterId: string;
  counterNumber: number;
}

export interface LoadDisplay {
  hallId: string;
  displayId: string;
  token: string;
}

/** Kiosk i: hall i / 10, digit i % 10. Tokens are the bench's own, never a demo token. */
export function kiosksOf(layout: LoadLayout): LoadKiosk[] {
  return Array.from({ length: layout.kiosks }, (_, i) => {
    const hallId = hallIdOf(Math.floor(i / KIOSKS_PER_HALL));
    const kioskDigit = i % KIOSKS_PER_HALL;
    return { hallId, kioskId: `kiosk-${kioskDigit}`, kioskDigit, token: `bench-load-kiosk-${hallId}-${kioskDigit}` };
  });
}

/** Clerk i works in staffed hall i % staffedHalls, at its own counter `desk-NN` (numbered 11, 12, …). */
export function clerksOf(layout: LoadLayout): LoadClerk[] {
  return Array.from({ length: layout.clerks }, (_, i) => {
    const hallId = hallIdOf(i % layout.staffedHalls);
    const n = Math.floor(i / layout.staffedHalls) + 1;
    const desk = String(n).padStart(2, '0');
    return { hallId, staffId: `load-clerk-${desk}`, username: `load-clerk-${desk}`, counterId: `desk-${desk}`, counterNumber: 10 + n };
  });
}

export function displaysOf(layout: LoadLayout): LoadDisplay[] {
  return Array.from({ length: layout.displays }, (_, i) => {
    const hallId = hallIdOf(i % layout.staffedHalls);
    const displayId = `wall-${Math.floor(i / layout.staffedHalls) + 1}`;
    return { hallId, displayId, token: `bench-load-display-${hallId}-${displayId}` };
  });
}

/** The bench's clerks' password (their accounts exist only in the bench's throw-away database). */
export const LOAD_CLERK_PASSWORD = 'bench-load-password';

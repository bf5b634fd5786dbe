/** What the rule needs from the store: the stored offsets and the two ways to change them. */
export interface ClockOffsetStore {
  syncState(): { clockOffsetMs: number | null; pendingClockOffsetMs: number | null };
  /** Accepts an offset (and drops a held one). */
  recordClockOffset(offsetMs: number): void;
  /** Holds a measured offset; the accepted one stays in use. */
  holdClockOffset(offsetMs: number): void;
}

/** When a measurement was taken: the kiosk's wall clock and its monotonic clock, ms. */
export interface SampleTime {
  wallMs: number;
  monoMs: number;
}

/** A measured offset held back from numbering, beside the one in use. */
export interface ClockJump {
  acceptedOffsetMs: number;
  measuredOffsetMs: number;
}

export enum ClockConfirmRefusal {
  /** Nothing is held: there is nothing to confirm. */
  NothingHeld = 'nothing-held',
  /** The held offset moved beyond the limit since the technician saw it: look again. */
  Moved = 'moved',
}

export type ClockConfirmation =
  | { confirmed: true; fromOffsetMs: number; toOffsetMs: number }
  | { confirmed: false; refusal: ClockConfirmRefusal };

/** A store that cannot be read at start (disk, corruption) reads as a fresh one: the sync loop shows the error. */
function readSaved(store: ClockOffsetStore): { clockOffsetMs: number | null; pendingClockOffsetMs: number | null } {
  try {
    return store.syncState();
  } catch {
    return { clockOffsetMs: null, pendingClockOffsetMs: null };
  }
}

export const DEFAULT_MAX_CLOCK_JUMP_MS = 5 * 60_000;

/** A stored offset is rewritten only when it moved this much: no disk write per online ticket. */
export const CLOCK_PERSIST_TOLERANCE_MS = 500;

export interface AcceptedClockOffsetOptions {
  store: ClockOffsetStore;
  /** A portal clock that moved further than this since the accepted measurement is held (default 5 minutes). */
  maxJumpMs?: number;
  /** A jump is held (or moved), or the hold ended: null. */
  onJump?: (jump: ClockJump | null) => void;
}

/**
 * The portal clock offset the kiosk takes its business day from (portal clock − kiosk clock).
 *
 * Every exchange measures one. The first is accepted as it is (a fresh kiosk has nothing to
 * compare with). After that, a measurement whose portal clock moved within `maxJumpMs` of what
 * the accepted one predicts is a drift and is accepted; one beyond is a jump: a wrong portal
 * clock, or an answer that was not the portal's, must not move the day the kiosk numbers tickets
 * for. It is held (stored, so a restart keeps it) and reported until a technician confirms it, or
 * until the measurements come back.
 *
 * Which clock jumped: the offset changes when either does. Within one run of the kiosk, its
 * monotonic clock says how much time really passed since the accepted measurement, so a jump of
 * the kiosk's own wall clock (a technician setting it, an NTP step) is told apart and followed at
 * once: the offset exists to make up for exactly that, and holding it would file tickets on a
 * wrong day. Across a restart there is no such reference, and a change of the offset beyond the
 * limit is held whichever clock moved.
 *
 * The accepted offset in memory is always the stored one: whoever reads either reads the same.
 */
export class AcceptedClockOffset {
  private readonly store: ClockOffsetStore;
  private readonly maxJumpMs: number;
  private readonly onJump: ((jump: ClockJump | null) => void) | undefined;
  private acceptedMs: number | null;
  private heldMs: number | null;
  /** When the accepted offset was measured, in this run; null after a restart until a measurement agrees. */
  private anchor: SampleTime | null = null;
  /** When the held offset was measured, in this run. */
  private heldAt: SampleTime | null = null;

  constructor(opts: AcceptedClockOffsetOptions) {
    this.store = opts.store;
    this.maxJumpMs = opts.maxJumpMs ?? DEFAULT_MAX_CLOCK_JUMP_MS;
    if (!(this.maxJumpMs > CLOCK_PERSIST_TOLERANCE_MS)) throw new RangeError(`maxJumpMs must exceed ${CLOCK_PERSIST_TOLERANCE_MS} ms`);
    this.onJump = opts.onJump;
    const saved = readSaved(this.store);
    this.acceptedMs = saved.clockOffsetMs;
    // A hold without an accepted offset cannot happen through this class; treat it as nothing held.
    this.heldMs = saved.clockOffsetMs === null ? null : saved.pendingClockOffsetMs;
  }

  /** The offset the business day is read with; null before the first measurement. */
  accepted(): number | null {
    return this.acceptedMs;
  }

  /** The jump waiting for a technician, if any. */
  jump(): ClockJump | null {
    if (this.acceptedMs === null || this.heldMs === null) return null;
    return { acceptedOffsetMs: this.acceptedMs, measuredOffsetMs: this.heldMs };
  }

  /**
   * One measurement, with when it was taken (without it, the whole change of the offset counts).
   * Throws what the store throws; nothing changes in memory then.
   */
  record(offsetMs: number, at?: SampleTime): void {
    const offset = Math.round(offsetMs);
    const accepted = this.acceptedMs;
    if (accepted === null || this.withinLimit(offset, accepted, at)) {
      const wasHeld = this.heldMs !== null;
      if (accepted === null || wasHeld || Math.abs(offset - accepted) >= CLOCK_PERSIST_TOLERANCE_MS) {
        this.store.recordClockOffset(offset);
        this.acceptedMs = offset;
        this.heldMs = null;
        this.heldAt = null;
        this.anchor = at ?? null;
      } else if (this.anchor === null && at) {
        // Agrees with the accepted offset to half a second: a reference for this run.
        this.anchor = at;
      }
      if (wasHeld) this.onJump?.(null);
      return;
    }
    if (this.heldMs !== null && Math.abs(offset - this.heldMs) < CLOCK_PERSIST_TOLERANCE_MS) return;
    this.store.holdClockOffset(offset);
    this.heldMs = offset;
    this.heldAt = at ?? null;
    this.onJump?.({ acceptedOffsetMs: accepted, measuredOffsetMs: offset });
  }

  /**
   * A drift, not a jump: the offset moved within the limit, or (in this run) the portal's clock
   * did. offset = portal − kiosk wall, so a change of the offset is the portal's jump minus the
   * kiosk wall clock's, and the latter is what the wall clock moved beyond the monotonic clock.
   * The monotonic clock only ever excuses a change: it stands still while the machine sleeps, so
   * after a night's suspend both wall clocks look as if they jumped, while the offset did not move.
   */
  private withinLimit(offset: number, accepted: number, at: SampleTime | undefined): boolean {
    const change = offset - accepted;
    if (Math.abs(change) <= this.maxJumpMs) return true;
    if (!at || !this.anchor) return false;
    const kioskJump = at.wallMs - this.anchor.wallMs - (at.monoMs - this.anchor.monoMs);
    return Math.abs(change + kioskJump) <= this.maxJumpMs;
  }

  /**
   * Accepts the held offset, provided it is still the one the technician saw (within the limit:
   * a held offset that moved further is a new jump, to be looked at again).
   */
  confirm(shownOffsetMs: number): ClockConfirmation {
    const jump = this.jump();
    if (!jump) return { confirmed: false, refusal: ClockConfirmRefusal.NothingHeld };
    if (Math.abs(jump.measuredOffsetMs - shownOffsetMs) > this.maxJumpMs) return { confirmed: false, refusal: ClockConfirmRefusal.Moved };
    this.store.recordClockOffset(jump.measuredOffsetMs);
    this.acceptedMs = jump.measuredOffsetMs;
    this.anchor = this.heldAt;
    this.heldMs = null;
    this.heldAt = null;
    this.onJump?.(null);
    return { confirmed: true, fromOffsetMs: jump.acceptedOffsetMs, toOffsetMs: jump.measuredOffsetMs };
  }
}

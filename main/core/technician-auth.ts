import { createHash, randomBytes } from 'node:crypto';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import {
  AuditAction,
  AuditOutcome,
  PIN_MAX_LENGTH,
  PIN_MIN_LENGTH,
  TechnicianPin,
  type TechnicianSession,
} from '../../common/contract/kiosk-api.js';
import type { LockoutRule, LockoutState, NewAuditEntry } from '../../offline-queue/technician-ledger.js';
import { DEFAULT_MAX_LOCKOUT_MS, lockoutMsAfter, type LockoutPolicy } from './technician-lockout.js';
import { verifyPin } from './technician-pin.js';

/** What the guard needs from the store: the lockout and the audit log, both durable. */
export interface TechnicianLedgerPort {
  lockout(): LockoutState;
  recordFailure(at: string, lockoutFor: LockoutRule): LockoutState;
  recordSuccess(): void;
  append(entry: NewAuditEntry): void;
}

export interface TechnicianAuthOptions {
  /** The configuration's hash, or the hall manager's pulled one read at each login (main/core/kiosk-settings.ts). */
  pinHash: string | (() => string);
  /** Wrong PINs in a row before the first lockout (default 5). */
  maxFailures: number;
  /** The first lockout; each further wrong PIN doubles it (see technician-lockout.ts). */
  lockoutMs: number;
  /** The longest lockout (default DEFAULT_MAX_LOCKOUT_MS). */
  maxLockoutMs?: number;
  sessionMs: number;
  ledger: TechnicianLedgerPort;
  now: () => Date;
  onLockout?: (lockedUntil: string) => void;
  onLogin?: () => void;
  random?: (n: number) => Buffer;
}

/** Who did it, for the audit log: the role and a short hash of the session token, never the token. */
export function actorOf(session: string): string {
  return `technician#${createHash('sha256').update(session).digest('hex').slice(0, 6)}`;
}

const ANONYMOUS = 'technician';

/**
 * The technician's PIN login (docs/architecture.md §7): scrypt-hashed PIN from the configuration,
 * escalating lockout after repeated failures (persisted, so a restart does not reset it),
 * sessions that expire, and every attempt and action in the audit log.
 */
export class TechnicianAuth {
  private readonly sessions = new Map<string, { expiresAt: number; actor: string }>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly random: (n: number) => Buffer;
  private readonly policy: LockoutPolicy;

  constructor(private readonly opts: TechnicianAuthOptions) {
    const maxLockoutMs = opts.maxLockoutMs ?? DEFAULT_MAX_LOCKOUT_MS;
    if (!(opts.maxFailures >= 1) || !(opts.lockoutMs > 0) || !(maxLockoutMs > 0) || !(opts.sessionMs > 0)) {
      throw new RangeError('technician auth: bad limits');
    }
    this.policy = { maxFailures: opts.maxFailures, lockoutMs: opts.lockoutMs, maxLockoutMs };
    this.random = opts.random ?? ((n) => randomBytes(n));
  }

  /**
   * One login at a time: concurrent guesses are counted one after the other. A PIN that is not
   * 6 to 12 digits is refused as a bad request and not counted: no configured PIN has that
   * shape, so it is never a guess that could succeed (the bridge refuses it before this too).
   */
  login(pin: string): Promise<TechnicianSession> {
    if (!TechnicianPin.safeParse(pin).success) {
      return Promise.reject(new KioskError(KioskErrorCode.BadRequest, `a technician PIN is ${PIN_MIN_LENGTH} to ${PIN_MAX_LENGTH} digits`));
    }
    const attempt = this.queue.then(() => this.attempt(pin));
    this.queue = attempt.catch(() => undefined);
    return attempt;
  }

  /** The actor behind a live session; throws session-expired (and audits the refusal) otherwise. */
  authorize(session: string, action: AuditAction): string {
    const now = this.opts.now().getTime();
    const entry = this.sessions.get(session);
    if (!entry || entry.expiresAt <= now) {
      this.sessions.delete(session);
      this.audit(ANONYMOUS, action, AuditOutcome.Refused, 'no live session');
      throw new KioskError(KioskErrorCode.SessionExpired, 'technician session expired; log in again');
    }
    return entry.actor;
  }

  logout(session: string): void {
    const entry = this.sessions.get(session);
    this.sessions.delete(session);
    if (entry) this.audit(entry.actor, AuditAction.Logout, AuditOutcome.Ok, 'logged out');
  }

  audit(actor: string, action: AuditAction, outcome: AuditOutcome, detail: string): void {
    this.opts.ledger.append({ at: this.opts.now().toISOString(), actor, action, outcome, detail: detail.slice(0, 300) });
  }

  /** Whether logins are refused right now, and until when. */
  lockedUntil(): string | null {
    const { lockedUntil } = this.opts.ledger.lockout();
    return lockedUntil !== null && Date.parse(lockedUntil) > this.opts.now().getTime() ? lockedUntil : null;
  }

  private async attempt(pin: string): Promise<TechnicianSession> {
    const locked = this.lockedUntil();
    if (locked !== null) {
      this.audit(ANONYMOUS, AuditAction.Login, AuditOutcome.Refused, `locked out until ${locked}`);
      throw new KioskError(KioskErrorCode.LockedOut, `too many wrong PINs; locked until ${locked}`);
    }
    const { pinHash } = this.opts;
    if (!(await verifyPin(pin, typeof pinHash === 'string' ? pinHash : pinHash()))) {
      const at = this.opts.now().toISOString();
      const state = this.opts.ledger.recordFailure(at, (failures) => lockoutMsAfter(failures, this.policy));
      if (state.lockedUntil !== null) {
        this.audit(ANONYMOUS, AuditAction.Login, AuditOutcome.Failed, `wrong PIN ${state.failures} times in a row; locked until ${state.lockedUntil}`);
        this.opts.onLockout?.(state.lockedUntil);
        throw new KioskError(KioskErrorCode.LockedOut, `too many wrong PINs; locked until ${state.lockedUntil}`);
      }
      const left = this.opts.maxFailures - state.failures;
      this.audit(ANONYMOUS, AuditAction.Login, AuditOutcome.Failed, `wrong PIN (${state.failures} in a row)`);
      throw new KioskError(KioskErrorCode.WrongPin, `${left} ${left === 1 ? 'attempt' : 'attempts'} left`);
    }
    this.opts.ledger.recordSuccess();
    const session = this.random(32).toString('base64url');
    const now = this.opts.now().getTime();
    this.pruneExpired(now);
    const actor = actorOf(session);
    const expiresAt = now + this.opts.sessionMs;
    this.sessions.set(session, { expiresAt, actor });
    this.audit(actor, AuditAction.Login, AuditOutcome.Ok, 'PIN accepted');
    this.opts.onLogin?.();
    return { session, expiresAt: new Date(expiresAt).toISOString() };
  }

  private pruneExpired(now: number): void {
    for (const [token, entry] of this.sessions) if (entry.expiresAt <= now) this.sessions.delete(token);
  }
}

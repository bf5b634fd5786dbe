import { createHash, randomBytes } from 'node:crypto';
import { KioskError, KioskErrorCode } from '../../common/contract/errors.js';
import { AuditAction, AuditOutcome, type TechnicianSession } from '../../common/contract/kiosk-api.js';
import type { LockoutState, NewAuditEntry } from '../../offline-queue/technician-ledger.js';
import { verifyPin } from './technician-pin.js';

/** What the guard needs from the store: the lockout and the audit log, both durable. */
export interface TechnicianLedgerPort {
  lockout(): LockoutState;
  recordFailure(at: string, maxFailures: number, lockoutMs: number): LockoutState;
  recordSuccess(): void;
  append(entry: NewAuditEntry): void;
}

export interface TechnicianAuthOptions {
  pinHash: string;
  /** Wrong PINs in a row before the lockout (default 5). */
  maxFailures: number;
  lockoutMs: number;
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
 * The technician's PIN login (ARCHITECTURE.md §7): scrypt-hashed PIN from the configuration,
 * lockout after repeated failures (persisted, so a restart does not reset it), sessions that
 * expire, and every attempt and action in the audit log.
 */
export class TechnicianAuth {
  private readonly sessions = new Map<string, { expiresAt: number; actor: string }>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly random: (n: number) => Buffer;

  constructor(private readonly opts: TechnicianAuthOptions) {
    if (!(opts.maxFailures >= 1) || !(opts.lockoutMs > 0) || !(opts.sessionMs > 0)) throw new RangeError('technician auth: bad limits');
    this.random = opts.random ?? ((n) => randomBytes(n));
  }

  /** One login at a time: concurrent guesses are counted one after the other. */
  login(pin: string): Promise<TechnicianSession> {
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
    if (!(await verifyPin(pin, this.opts.pinHash))) {
      const at = this.opts.now().toISOString();
      const state = this.opts.ledger.recordFailure(at, this.opts.maxFailures, this.opts.lockoutMs);
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

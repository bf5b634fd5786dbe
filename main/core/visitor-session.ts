import { VisitorClearReason, type VisitorView } from '../../common/contract/kiosk-api.js';
import type { IdCardData } from '../../devices/id-card/id-card-text.js';
import { toVisitorView } from './visitor-view.js';

export interface CurrentVisitor {
  /** The decoded card: memory only, never written anywhere, dropped on clear. */
  readonly card: IdCardData;
  readonly view: VisitorView;
}

export interface VisitorSessionOptions {
  /**
   * Forget the card after this long without activity (config, default 60 s; or the hall
   * manager's, read at each visitor: main/core/kiosk-settings.ts).
   */
  idleTimeoutMs: number | (() => number);
  /** Age from which the card earns elderly priority (config, default 60; or the manager's, as above). */
  elderlyAge: number | (() => number);
  now: () => Date;
  /** The hall's business day, YYYY-MM-DD: ages are counted on it. */
  today: () => string;
  onIdentified: (view: VisitorView) => void;
  onCleared: (reason: VisitorClearReason) => void;
}

/** Replaces every field of a card object, so no reference to its text outlives the visit. */
function scrub(card: IdCardData): void {
  const record = card as unknown as Record<string, unknown>;
  for (const key of Object.keys(record)) delete record[key];
}

/**
 * The visitor identified by the last card read, held in memory only (docs/architecture.md §7) and
 * wiped on Done (endVisit), after the idle timeout, and once their ticket is issued. A new card
 * replaces the previous visitor at once.
 */
export class VisitorSession {
  private visitor: CurrentVisitor | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: VisitorSessionOptions) {
    if (!(this.idleTimeoutMs() > 0)) throw new RangeError('idleTimeoutMs must be positive');
  }

  private idleTimeoutMs(): number {
    const { idleTimeoutMs } = this.opts;
    return typeof idleTimeoutMs === 'number' ? idleTimeoutMs : idleTimeoutMs();
  }

  identify(card: IdCardData): VisitorView {
    this.drop();
    const identifiedAt = this.opts.now();
    const { elderlyAge } = this.opts;
    const view = toVisitorView(card, {
      today: this.opts.today(),
      elderlyAge: typeof elderlyAge === 'number' ? elderlyAge : elderlyAge(),
      identifiedAt,
      expiresAt: new Date(identifiedAt.getTime() + this.idleTimeoutMs()),
    });
    this.visitor = { card, view };
    this.arm();
    this.opts.onIdentified(view);
    return view;
  }

  current(): CurrentVisitor | null {
    return this.visitor;
  }

  /** The visitor did something (a tap that reached the core): the idle timeout starts again. */
  touch(): void {
    if (!this.visitor) return;
    const expiresAt = new Date(this.opts.now().getTime() + this.idleTimeoutMs()).toISOString();
    this.visitor = { card: this.visitor.card, view: { ...this.visitor.view, expiresAt } };
    this.arm();
  }

  /** Wipes the card data; true if there was a visitor. */
  end(reason: VisitorClearReason): boolean {
    if (!this.drop()) return false;
    this.opts.onCleared(reason);
    return true;
  }

  /** Shutdown: wipes without telling anyone. */
  close(): void {
    this.drop();
  }

  private drop(): boolean {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const visitor = this.visitor;
    this.visitor = null;
    if (!visitor) return false;
    scrub(visitor.card);
    return true;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.end(VisitorClearReason.Idle), this.idleTimeoutMs());
    this.timer.unref();
  }
}

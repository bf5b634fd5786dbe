import {
  CardRejectReason,
  VisitorClearReason,
  type KioskEventName,
  type KioskEventPayload,
  type ScanResult,
  type ScanSource,
} from '../../common/contract/kiosk-api.js';
import { isIdCardExpired, type IdCardData } from '../../devices/id-card/id-card-text.js';
import type { KioskLog } from './kiosk-log.js';
import { classifyScan, type ScanLookup } from './scan-classifier.js';
import type { VisitorSession } from './visitor-session.js';

export interface VisitorFlowDeps {
  session: VisitorSession;
  emit: <E extends KioskEventName>(event: E, payload: KioskEventPayload<E>) => void;
  log: KioskLog;
  lookup: ScanLookup;
  /** The hall's business day, YYYY-MM-DD. */
  today: () => string;
  now: () => Date;
}

/**
 * Cards and scans as they reach the core: a valid card identifies the visitor (masked on the
 * screen), an expired or unreadable one is refused with a reason; every scan is validated and
 * reported. Nothing personal is logged.
 */
export class VisitorFlow {
  constructor(private readonly deps: VisitorFlowDeps) {}

  onCard(card: IdCardData): void {
    if (isIdCardExpired(card, this.deps.today())) {
      this.deps.log.info('visitor', `card refused: expired (${card.cardType})`);
      // The refused card's data goes nowhere; end any earlier visitor too, a new person is here.
      this.deps.session.end(VisitorClearReason.Ended);
      this.deps.emit('cardRejected', { reason: CardRejectReason.Expired });
      return;
    }
    const view = this.deps.session.identify(card);
    this.deps.log.info('visitor', `card read: ${view.cardType}, priority ${view.priority}`);
  }

  onUnreadableCard(): void {
    this.deps.emit('cardRejected', { reason: CardRejectReason.Unreadable });
  }

  onScan(code: string, source: ScanSource): ScanResult {
    const result = classifyScan(code, source, this.deps.lookup, this.deps.now());
    this.deps.session.touch();
    this.deps.log.info('scanner', `${source} scan: ${result.kind}${result.reference ? ` ${result.reference}` : ''}`);
    this.deps.emit('scanned', result);
    return result;
  }

  /** Done on the screen. */
  endVisit(): boolean {
    return this.deps.session.end(VisitorClearReason.Ended);
  }
}

import type { VisitorView } from '../../../common/contract/kiosk-api.js';
import type { Dictionary } from '../i18n/index.js';

/**
 * Who the kiosk has identified from the ID card: masked name and number, the card type and the
 * priority the card earns. Done tells the core to wipe the card data at once.
 */
export function VisitorPanel({ visitor, t, onDone }: { visitor: VisitorView; t: Dictionary; onDone: () => void }) {
  const badge = t.priorityBadge[visitor.priority];
  return (
    <section className="visitor-panel" data-testid="visitor-panel" data-priority={visitor.priority} aria-live="polite">
      <div className="visitor-identity">
        <p className="visitor-greeting" data-testid="visitor-name">
          {t.visitorGreeting(visitor.maskedName)}
        </p>
        <p className="visitor-id">
          <span className="visitor-card-type">{t.cardType[visitor.cardType]}</span>{' '}
          <span className="visitor-id-label">{t.visitorIdLabel}</span>{' '}
          <span className="visitor-id-number" data-testid="visitor-id-number">
            {visitor.maskedIdNumber}
          </span>
        </p>
        {badge && (
          <p className="badge badge-priority" data-testid="priority-badge" data-priority={visitor.priority}>
            {badge}
          </p>
        )}
        <p className="visitor-prompt">{t.visitorChooseService}</p>
      </div>
      <button type="button" className="visitor-done" data-testid="visitor-done" onClick={onDone}>
        {t.done}
      </button>
    </section>
  );
}

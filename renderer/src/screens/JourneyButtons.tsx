import type { Dictionary } from '../i18n/index.js';
import { JOURNEYS, type JourneyScreen } from '../state/screen.js';

/**
 * The journeys beside "take a ticket" (预约签到, 办事指南, 办件进度, 好差评, 证照核验): one tap opens
 * each, and a visitor already identified by a card is not asked for it again.
 */
export function JourneyButtons({ t, disabled, onOpen }: { t: Dictionary; disabled: boolean; onOpen: (journey: JourneyScreen) => void }) {
  return (
    <nav className="journey-bar" data-testid="journey-bar" aria-labelledby="journey-bar-heading">
      <h2 id="journey-bar-heading" className="journey-bar-heading">
        {t.journeys.heading}
      </h2>
      <div className="journey-buttons">
        {JOURNEYS.map((journey) => (
          <button type="button" key={journey} className="journey-button" data-testid={`journey-${journey}`} disabled={disabled} onClick={() => onOpen(journey)}>
            <span className="journey-button-title">{t.journeys.title[journey]}</span>
            <span className="journey-button-hint">{t.journeys.hint[journey]}</span>
          </button>
        ))}
      </div>
    </nav>
  );
}

import type { ServiceView } from '../../../../common/contract/kiosk-api.js';
import { searchServices } from '../../../../common/domain/guide-search.js';
import { localized, otherLanguage } from '../../i18n/index.js';
import type { GuideState } from '../../state/journeys/guide.js';
import { Screen } from '../../state/screen.js';
import { GuidePage } from './GuidePage.js';
import { JourneyFrame, type JourneyCommonProps } from './JourneyFrame.js';
import { LetterKeyboard } from './LetterKeyboard.js';

export interface GuideScreenProps {
  common: JourneyCommonProps;
  state: GuideState;
  services: ServiceView[];
  busy: boolean;
  onKey: (letter: string) => void;
  onBackspace: () => void;
  onClear: () => void;
  onOpenService: (serviceId: string) => void;
  onBackToList: () => void;
  onPrint: () => void;
  onTakeTicket: (serviceId: string) => void;
}

/** 办事指南: services found by name or pinyin initials (`gjj` → 住房公积金), then one service's guide. */
export function GuideScreen(props: GuideScreenProps) {
  const { common, state, services } = props;
  const { t, language } = common;
  const open = state.serviceId === null ? null : (services.find((s) => s.id === state.serviceId) ?? null);
  if (open) {
    return (
      <GuidePage
        common={common}
        service={open}
        print={state.print?.serviceId === open.id ? state.print.phase : null}
        busy={props.busy}
        onBack={props.onBackToList}
        onPrint={props.onPrint}
        onTakeTicket={props.onTakeTicket}
      />
    );
  }
  const found = searchServices(services, state.query);
  const keyboard = <LetterKeyboard t={t} onKey={props.onKey} onBackspace={props.onBackspace} onClear={props.onClear} />;
  return (
    <JourneyFrame screen={Screen.Guide} common={common} actions={keyboard}>
      <section className="guide-search" role="search" aria-label={t.guide.searchLabel}>
        <p className="guide-search-hint">{t.guide.searchHint}</p>
        <p className={`guide-query${state.query ? '' : ' guide-query-empty'}`} data-testid="guide-query" aria-label={t.guide.searchLabel}>
          {state.query || t.guide.queryEmpty}
        </p>
      </section>
      <h2 className="journey-subheading">{t.guide.listHeading}</h2>
      <p className="guide-count" data-testid="guide-count" data-count={found.length} role="status" aria-live="polite">
        {found.length > 0 ? t.guide.resultCount(found.length) : t.guide.noResults}
      </p>
      <ul className="guide-results" data-testid="guide-results">
        {found.map((service) => (
          <li key={service.id}>
            <button type="button" className="guide-result" data-testid={`guide-service-${service.id}`} onClick={() => props.onOpenService(service.id)}>
              <span className="service-prefix" aria-hidden="true">
                {service.prefix}
              </span>
              <span className="service-names">
                <span className="service-name-primary">{localized(service.name, language)}</span>
                <span className="service-name-secondary">{localized(service.name, otherLanguage(language))}</span>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </JourneyFrame>
  );
}

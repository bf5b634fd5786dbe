import type { ServiceView } from '../../../../common/contract/kiosk-api.js';
import type { ServiceGuide } from '../../../../common/contract/guide.js';
import { groupWeeklyHours } from '../../guide/weekly-hours.js';
import { localized, otherLanguage, type Dictionary, type Language } from '../../i18n/index.js';
import { PrintPhase } from '../../state/journeys/print-phase.js';
import { Screen } from '../../state/screen.js';
import { JourneyFrame, type JourneyCommonProps } from './JourneyFrame.js';

export interface GuidePageProps {
  common: JourneyCommonProps;
  service: ServiceView;
  print: PrintPhase | null;
  busy: boolean;
  onBack: () => void;
  onPrint: () => void;
  onTakeTicket: (serviceId: string) => void;
}

function HoursList({ service, t }: { service: ServiceView; t: Dictionary }) {
  const lines = groupWeeklyHours(service.hours);
  if (lines.length === 0) return <p data-testid="guide-hours">{t.guide.noHours}</p>;
  const days = (from: number, to: number): string => {
    if (from === to) return t.guide.weekday(from);
    if (to === from + 1) return `${t.guide.weekday(from)}${t.guide.listSeparator}${t.guide.weekday(to)}`;
    return t.guide.weekdayRange(t.guide.weekday(from), t.guide.weekday(to));
  };
  return (
    <ul className="guide-hours" data-testid="guide-hours">
      {lines.map((line) => (
        <li key={line.fromDay}>
          <span className="guide-hours-days">{days(line.fromDay, line.toDay)}</span>{' '}
          <span className="guide-hours-times">{line.ranges.map((r) => `${r.opens}–${r.closes}`).join(t.guide.listSeparator)}</span>
        </li>
      ))}
    </ul>
  );
}

/** Every part of a guide, as plain text: the portal's content is never markup. */
function GuideSections({ guide, t, language }: { guide: ServiceGuide; t: Dictionary; language: Language }) {
  return (
    <>
      <section className="guide-section" aria-labelledby="guide-conditions-heading">
        <h2 id="guide-conditions-heading">{t.guide.conditions}</h2>
        <ul data-testid="guide-conditions">
          {guide.conditions.map((condition, i) => (
            <li key={i}>{localized(condition, language)}</li>
          ))}
        </ul>
      </section>
      <section className="guide-section" aria-labelledby="guide-materials-heading">
        <h2 id="guide-materials-heading">{t.guide.materials}</h2>
        {guide.materials.length === 0 ? (
          <p data-testid="guide-materials">{t.guide.noMaterials}</p>
        ) : (
          <ol className="guide-materials" data-testid="guide-materials">
            {guide.materials.map((material, i) => (
              <li key={i} className="guide-material" data-testid="guide-material" data-form={material.form} data-count={material.count}>
                <span className="guide-material-name">{localized(material.name, language)}</span>
                <span className="guide-material-form">{t.guide.materialForm[material.form]}</span>
                <span className="guide-material-count">{t.guide.materialCount(material.count)}</span>
                {material.note && <span className="guide-material-note">{localized(material.note, language)}</span>}
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="guide-section" aria-labelledby="guide-fees-heading">
        <h2 id="guide-fees-heading">{t.guide.fees}</h2>
        <p data-testid="guide-fees">{localized(guide.fees, language)}</p>
      </section>
      <section className="guide-section" aria-labelledby="guide-limits-heading">
        <h2 id="guide-limits-heading">{t.guide.timeLimits}</h2>
        <p data-testid="guide-legal-limit">{t.guide.legalLimit(guide.legalTimeLimitDays)}</p>
        <p data-testid="guide-promised-limit">{t.guide.promisedLimit(guide.promisedTimeLimitDays)}</p>
      </section>
      <section className="guide-section" aria-labelledby="guide-location-heading">
        <h2 id="guide-location-heading">{t.guide.location}</h2>
        <p data-testid="guide-location">{localized(guide.location, language)}</p>
      </section>
      <section className="guide-section" aria-labelledby="guide-channel-heading">
        <h2 id="guide-channel-heading">{t.guide.channelHeading}</h2>
        <p data-testid="guide-channel" data-channel={guide.channel}>
          {t.guide.channel[guide.channel]}
        </p>
      </section>
    </>
  );
}

const PRINT_TEXT = (t: Dictionary): Record<PrintPhase, string> => ({
  [PrintPhase.Printing]: t.guide.printing,
  [PrintPhase.Printed]: t.guide.printed,
  [PrintPhase.Failed]: t.guide.printFailed,
});

/** One service's guide, with "print the materials list" and "take a ticket for this service" at hand height. */
export function GuidePage({ common, service, print, busy, onBack, onPrint, onTakeTicket }: GuidePageProps) {
  const { t, language } = common;
  const actions = (
    <>
      {print && (
        <p className={`print-result${print === PrintPhase.Failed ? ' print-result-problem' : ''}`} data-testid="guide-print-result" data-phase={print} role="status">
          {PRINT_TEXT(t)[print]}
        </p>
      )}
      <button type="button" className="journey-action" data-testid="guide-back" onClick={onBack}>
        {t.guide.backToList}
      </button>
      {service.guide && (
        <button type="button" className="journey-action" data-testid="guide-print" disabled={print === PrintPhase.Printing} onClick={onPrint}>
          {t.guide.print}
        </button>
      )}
      <button type="button" className="journey-action journey-action-primary" data-testid="guide-take-ticket" disabled={busy} onClick={() => onTakeTicket(service.id)}>
        {t.guide.takeTicket}
      </button>
    </>
  );
  return (
    <JourneyFrame screen={Screen.Guide} common={common} actions={actions}>
      <article className="guide-page" data-testid="guide-page" data-service={service.id}>
        <h2 className="guide-title" data-testid="guide-title">
          <span className="service-name-primary">{localized(service.name, language)}</span>
          <span className="service-name-secondary">{localized(service.name, otherLanguage(language))}</span>
        </h2>
        {service.description && <p className="guide-description">{localized(service.description, language)}</p>}
        {service.guide ? (
          <GuideSections guide={service.guide} t={t} language={language} />
        ) : (
          <p className="notice" data-testid="guide-none">
            {t.guide.noGuide}
          </p>
        )}
        <section className="guide-section" aria-labelledby="guide-hours-heading">
          <h2 id="guide-hours-heading">{t.guide.hours}</h2>
          <HoursList service={service} t={t} />
        </section>
      </article>
    </JourneyFrame>
  );
}

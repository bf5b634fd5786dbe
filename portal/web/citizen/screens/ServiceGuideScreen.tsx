import type { Service } from '../../../../common/contract/catalog.js';
import { Language, localized } from '../../shared/i18n/language.js';
import { FocusHeading } from '../components/FocusHeading.js';
import { Link } from '../components/Link.js';
import { formatLongDay } from '../format/citizen-format.js';
import { CitizenPage, emptyRoute } from '../routing/citizen-route.js';
import type { HallCatalog } from '../state/citizen-store.js';
import { isHoliday, upcomingExceptions, weeklyRanges } from './guide-data.js';
import type { PageProps } from './page-props.js';

/** 办事指南 of one service: conditions, materials, fees, time limits, where and when, how. */
export function ServiceGuideScreen(props: PageProps & { catalog: HallCatalog; today: string }) {
  const { t, language, nav, route, catalog } = props;
  const service = catalog.services.find((s) => s.id === route.serviceId && s.enabled);
  const back = (
    <p>
      <Link nav={nav} to={emptyRoute(CitizenPage.Guide, route.hallId)} testId="back-to-list">
        {t.guide.backToList}
      </Link>
    </p>
  );
  if (!service) {
    return (
      <>
        <FocusHeading>{t.pageTitle[CitizenPage.Service]}</FocusHeading>
        <p className="notice" role="status" data-testid="unknown-service">
          {t.guide.unknownService}
        </p>
        {back}
      </>
    );
  }

  const { guide } = service;
  const text = (value: { zh: string; en: string }) => localized(value, language);
  return (
    <article data-testid="service-guide" data-service={service.id}>
      <FocusHeading testId="service-title">{text(service.name)}</FocusHeading>
      {service.description && <p className="lead">{text(service.description)}</p>}
      <BookingPanel {...props} service={service} />
      {!guide ? (
        <p className="notice" data-testid="no-guide">
          {t.guide.noGuide}
        </p>
      ) : (
        <>
          <section aria-labelledby="guide-conditions">
            <h2 id="guide-conditions">{t.guide.conditionsHeading}</h2>
            {guide.conditions.length === 0 ? (
              <p>{t.guide.noConditions}</p>
            ) : (
              <ul data-testid="conditions">
                {guide.conditions.map((c, i) => (
                  <li key={i}>{text(c)}</li>
                ))}
              </ul>
            )}
          </section>
          <section aria-labelledby="guide-materials">
            <h2 id="guide-materials">{t.guide.materialsHeading}</h2>
            {guide.materials.length === 0 ? (
              <p>{t.guide.noMaterials}</p>
            ) : (
              <ol className="materials" data-testid="materials">
                {guide.materials.map((m, i) => (
                  <li key={i} className="material">
                    <span className="material-name">{text(m.name)}</span>
                    <span className="material-form">
                      {t.guide.materialForm[m.form]} · {t.guide.materialCount(m.count)}
                    </span>
                    {m.note && <span className="material-note">{text(m.note)}</span>}
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section aria-labelledby="guide-fees">
            <h2 id="guide-fees">{t.guide.feesHeading}</h2>
            <p data-testid="fees">{text(guide.fees)}</p>
          </section>
          <section aria-labelledby="guide-limits">
            <h2 id="guide-limits">{t.guide.timeLimitsHeading}</h2>
            <dl className="facts" data-testid="time-limits">
              <dt>{t.guide.legalLimitLabel}</dt>
              <dd>{guide.legalTimeLimitDays === null ? t.guide.noLimit : t.guide.workingDays(guide.legalTimeLimitDays)}</dd>
              <dt>{t.guide.promisedLimitLabel}</dt>
              <dd>{guide.promisedTimeLimitDays === null ? t.guide.noLimit : t.guide.workingDays(guide.promisedTimeLimitDays)}</dd>
              <dt>{t.guide.channelLabel}</dt>
              <dd data-testid="channel">{t.guide.channel[guide.channel]}</dd>
            </dl>
          </section>
        </>
      )}
      <section aria-labelledby="guide-where-when">
        <h2 id="guide-where-when">{t.guide.whereWhenHeading}</h2>
        <dl className="facts">
          <dt>{t.hall.label}</dt>
          <dd>{text(catalog.hall.name)}</dd>
          {guide && (
            <>
              <dt>{t.guide.locationLabel}</dt>
              <dd data-testid="location">{text(guide.location)}</dd>
            </>
          )}
        </dl>
        <OpeningHours {...props} service={service} />
      </section>
      {back}
    </article>
  );
}

function BookingPanel(props: PageProps & { service: Service }) {
  const { t, nav, route, service } = props;
  if (!service.booking) {
    return (
      <p className="notice" data-testid="not-bookable">
        {t.guide.notBookable}
      </p>
    );
  }
  return (
    <section className="card booking-panel" aria-labelledby="guide-booking">
      <h2 id="guide-booking">{t.guide.bookingHeading}</h2>
      <p>{t.guide.bookingRules(service.booking.minDaysAhead, service.booking.maxDaysAhead)}</p>
      <p>
        <Link nav={nav} className="button primary" to={{ ...emptyRoute(CitizenPage.Book, route.hallId), serviceId: service.id }} testId="book-service">
          {t.guide.bookThis}
        </Link>
      </p>
    </section>
  );
}

function OpeningHours(props: PageProps & { catalog: HallCatalog; service: Service; today: string }) {
  const { t, language, catalog, service, today } = props;
  const week = weeklyRanges(service.hours);
  const exceptions = upcomingExceptions(catalog.hall.calendar, today);
  if (week.every((ranges) => ranges.length === 0)) {
    return <p data-testid="no-hours">{t.guide.noHours}</p>;
  }
  return (
    <>
      <h3 id="guide-hours">{t.guide.hoursLabel}</h3>
      <table className="hours" aria-labelledby="guide-hours" data-testid="hours">
        <tbody>
          {week.map((ranges, i) => (
            <tr key={i}>
              <th scope="row">{t.guide.weekdays[i]}</th>
              <td>{ranges.length === 0 ? t.guide.closed : ranges.map((r) => `${r.opens}–${r.closes}`).join(language === Language.Zh ? '，' : ', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {exceptions.length > 0 && (
        <>
          <h3 id="guide-calendar">{t.guide.calendarHeading}</h3>
          <ul className="calendar" aria-labelledby="guide-calendar" data-testid="calendar">
            {exceptions.map((c) => (
              <li key={c.day}>
                <span className="calendar-day">{formatLongDay(c.day, language)}</span>{' '}
                <span>{isHoliday(c) ? t.guide.holiday : t.guide.adjustedWorkday(t.guide.weekdays[(c.asWeekday ?? 1) - 1] ?? '')}</span>
                {c.note && <span className="calendar-note">{` (${c.note})`}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

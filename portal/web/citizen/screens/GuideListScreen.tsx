import { useId, useState } from 'react';
import { searchServices } from '../../../../common/domain/guide-search.js';
import { localized } from '../../shared/i18n/language.js';
import { FocusHeading } from '../components/FocusHeading.js';
import { Link } from '../components/Link.js';
import { CitizenPage, emptyRoute } from '../routing/citizen-route.js';
import type { HallCatalog } from '../state/citizen-store.js';
import { publicServices } from './guide-data.js';
import type { PageProps } from './page-props.js';

/** 办事指南: the hall's services, searched by name or pinyin (`gjj` finds 住房公积金). */
export function GuideListScreen(props: PageProps & { catalog: HallCatalog; initialQuery?: string }) {
  const { t, language, nav, route } = props;
  const [query, setQuery] = useState(props.initialQuery ?? '');
  const hintId = useId();
  const services = publicServices(props.catalog.services);
  const found = searchServices(services, query);
  const trimmed = query.trim();

  return (
    <>
      <FocusHeading>{t.pageTitle[CitizenPage.Guide]}</FocusHeading>
      <p className="lead">{t.guide.intro}</p>
      <form className="search" role="search" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span className="field-label">{t.guide.searchLabel}</span>
          <input
            type="search"
            name="q"
            data-testid="guide-search"
            value={query}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            aria-describedby={hintId}
            onChange={(e) => setQuery(e.target.value)}
          />
        </label>
        <p id={hintId} className="field-hint">
          {t.guide.searchHint}
        </p>
      </form>
      <p role="status" className="result-count" data-testid="result-count">
        {services.length === 0 ? t.guide.noServices : found.length === 0 ? t.guide.noResults(trimmed) : t.guide.resultCount(found.length)}
      </p>
      <ul className="service-list" data-testid="service-list">
        {found.map((service) => {
          const name = localized(service.name, language);
          return (
            <li key={service.id} className="card service-card" data-testid={`service-${service.id}`}>
              <h2 className="service-name">
                <Link nav={nav} to={{ ...emptyRoute(CitizenPage.Service, route.hallId), serviceId: service.id }}>
                  {name}
                </Link>
              </h2>
              {service.description && <p className="service-description">{localized(service.description, language)}</p>}
              <p className="badges">
                {service.guide && <span className="badge">{t.guide.channel[service.guide.channel]}</span>}
                {service.booking && <span className="badge badge-bookable">{t.guide.bookableBadge}</span>}
              </p>
              {service.booking && (
                <p className="card-actions">
                  <Link nav={nav} className="button" to={{ ...emptyRoute(CitizenPage.Book, route.hallId), serviceId: service.id }} testId={`book-${service.id}`}>
                    {t.guide.bookThis}
                    <span className="visually-hidden">{`: ${name}`}</span>
                  </Link>
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

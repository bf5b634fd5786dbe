import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import { localized } from '../../shared/i18n/language.js';
import type { CitizenNav } from '../components/citizen-nav.js';
import { citizenDictionaries } from '../i18n/index.js';
import { CitizenPage, HALL_PAGES } from '../routing/citizen-route.js';
import type { BookingActions, BookingState } from '../state/booking-store.js';
import type { CancelActions, CancelState } from '../state/cancel-store.js';
import { hallToday, type CitizenShellState } from '../state/citizen-store.js';
import { LoadStatus } from '../state/loadable.js';
import type { ProgressActions, ProgressState } from '../state/progress-store.js';
import type { RatingActions, RatingState } from '../state/rating-store.js';
import type { VerifyActions, VerifyState } from '../state/verify-store.js';
import { BookingScreen } from './BookingScreen.js';
import { CancelScreen } from './CancelScreen.js';
import { CitizenLayout } from './CitizenLayout.js';
import { GuideListScreen } from './GuideListScreen.js';
import { HallChooser } from './HallChooser.js';
import type { PageProps } from './page-props.js';
import { ProgressScreen } from './ProgressScreen.js';
import { RateScreen } from './RateScreen.js';
import { ServiceGuideScreen } from './ServiceGuideScreen.js';
import { VerifyScreen } from './VerifyScreen.js';

/** Everything the pages show, as plain values (the stores' state), so each page renders without a browser. */
export interface CitizenSnapshot {
  shell: CitizenShellState;
  booking: BookingState;
  cancel: CancelState;
  progress: ProgressState;
  verify: VerifyState;
  rating: RatingState;
}

export interface CitizenHandlers {
  toggleLanguage(): void;
  retryHalls(): void;
  retryCatalog(hallId: string): void;
  print(): void;
  booking: BookingActions;
  cancel: CancelActions;
  progress: ProgressActions;
  verify: VerifyActions;
  rating: RatingActions;
}

/** The citizen pages: the layout around the page the address names, in the chosen language. */
export function CitizenView({ snapshot, handlers, nav, now }: { snapshot: CitizenSnapshot; handlers: CitizenHandlers; nav: CitizenNav; now: number }) {
  const { shell } = snapshot;
  const { route, language } = shell;
  const t = citizenDictionaries[language];
  const page: PageProps = { t, language, route, nav };
  const halls = shell.halls.status === LoadStatus.Ready ? shell.halls.value : null;
  const hall = halls?.find((h) => h.hallId === route.hallId) ?? null;
  const catalogEntry = route.hallId ? shell.catalogs[route.hallId] : undefined;
  const catalog = catalogEntry?.status === LoadStatus.Ready ? catalogEntry.value : null;
  const hallName = catalog ? localized(catalog.hall.name, language) : hall ? localized(hall.name, language) : null;
  const today = hallToday(catalog, now + shell.clockOffsetMs);

  function body() {
    if (!HALL_PAGES.has(route.page)) {
      // Keyed by what the address names: a new code or ticket starts a fresh form.
      if (route.page === CitizenPage.Verify) return <VerifyScreen key={route.certificateCode ?? ''} {...page} verify={snapshot.verify} actions={handlers.verify} {...(catalog ? { timeZone: catalog.hall.timeZone } : {})} />;
      return <RateScreen key={`${route.ticketId ?? ''}:${route.ticketNumber ?? ''}`} {...page} rating={snapshot.rating} actions={handlers.rating} />;
    }
    if (route.hallId === null && shell.halls.status === LoadStatus.Failed) {
      return <ErrorBanner error={shell.halls.error} messages={t.errorByCode} dismissLabel={t.retry} onDismiss={handlers.retryHalls} />;
    }
    // None named and several to choose from, or one named that the portal does not know: choose.
    const unknownHall = route.hallId !== null && halls !== null && hall === null && catalogEntry?.status === LoadStatus.Failed;
    if (halls && (route.hallId === null || unknownHall)) return <HallChooser {...page} halls={halls} unknownHall={unknownHall} />;
    if (!route.hallId || !catalogEntry || catalogEntry.status === LoadStatus.Loading) {
      return (
        <p role="status" aria-busy="true" data-testid="loading">
          {t.loading}
        </p>
      );
    }
    if (catalogEntry.status === LoadStatus.Failed) {
      const hallId = route.hallId;
      return <ErrorBanner error={catalogEntry.error} messages={t.errorByCode} dismissLabel={t.retry} onDismiss={() => handlers.retryCatalog(hallId)} />;
    }
    const ready = catalogEntry.value;
    switch (route.page) {
      case CitizenPage.Service:
        return <ServiceGuideScreen {...page} catalog={ready} today={today} />;
      case CitizenPage.Book:
        return <BookingScreen {...page} catalog={ready} booking={snapshot.booking} actions={handlers.booking} now={now} onPrint={handlers.print} />;
      case CitizenPage.Cancel:
        return <CancelScreen key={route.reference ?? ''} {...page} hallId={ready.hall.hallId} cancel={snapshot.cancel} actions={handlers.cancel} />;
      case CitizenPage.Progress:
        return <ProgressScreen {...page} catalog={ready} today={today} progress={snapshot.progress} actions={handlers.progress} />;
      default:
        return <GuideListScreen {...page} catalog={ready} />;
    }
  }

  return (
    <CitizenLayout
      {...page}
      hallName={HALL_PAGES.has(route.page) ? hallName : null}
      onToggleLanguage={handlers.toggleLanguage}
      onChangeHall={halls && halls.length > 1 && route.hallId ? () => nav.go({ ...route, hallId: null }) : null}
    >
      {body()}
    </CitizenLayout>
  );
}

import { localized } from '../../shared/i18n/language.js';
import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import { FocusHeading } from '../components/FocusHeading.js';
import { Link } from '../components/Link.js';
import { messagesFor } from '../i18n/messages-for.js';
import { CitizenPage, emptyRoute } from '../routing/citizen-route.js';
import { BookingPhase, type BookingActions, type BookingState } from '../state/booking-store.js';
import type { HallCatalog } from '../state/citizen-store.js';
import { ConfirmationView } from './ConfirmationView.js';
import { publicServices } from './guide-data.js';
import { HeldPanel } from './HeldPanel.js';
import type { PageProps } from './page-props.js';
import { SlotPicker } from './SlotPicker.js';

export interface BookingScreenProps extends PageProps {
  catalog: HallCatalog;
  booking: BookingState;
  actions: BookingActions;
  /** The phone's clock (the portal's offset is applied here). */
  now: number;
  onPrint: () => void;
}

/** 网上预约: service → day → slot → ID number → hold → confirm → confirmation. */
export function BookingScreen(props: BookingScreenProps) {
  const { t, language, nav, route, catalog, booking, actions } = props;
  const services = publicServices(catalog.services).filter((s) => s.booking);
  const service = route.serviceId ? catalog.services.find((s) => s.id === route.serviceId && s.enabled) : undefined;
  const cancelLink = (
    <p className="aside">
      {t.booking.cancelOffer}{' '}
      <Link nav={nav} to={emptyRoute(CitizenPage.Cancel, route.hallId)} testId="cancel-link">
        {t.pageTitle[CitizenPage.Cancel]}
      </Link>
    </p>
  );

  if (!route.serviceId || !service || !service.booking) {
    return (
      <>
        <FocusHeading>{t.pageTitle[CitizenPage.Book]}</FocusHeading>
        {route.serviceId && (
          <p className="notice" role="status" data-testid="not-bookable">
            {service ? t.guide.notBookable : t.guide.unknownService}
          </p>
        )}
        <h2>{t.booking.chooseServiceHeading}</h2>
        {services.length === 0 ? (
          <p data-testid="no-bookable">{t.booking.noBookable}</p>
        ) : (
          <ul className="choice-list" data-testid="bookable-services">
            {services.map((s) => (
              <li key={s.id}>
                <Link nav={nav} className="choice" to={{ ...emptyRoute(CitizenPage.Book, route.hallId), serviceId: s.id }} testId={`book-${s.id}`}>
                  {localized(s.name, language)}
                </Link>
              </li>
            ))}
          </ul>
        )}
        {cancelLink}
      </>
    );
  }

  if (booking.phase === BookingPhase.Confirmed && booking.confirmation) {
    return <ConfirmationView {...props} confirmation={booking.confirmation} />;
  }

  const serviceName = localized(service.name, language);
  const error = booking.error && (
    <ErrorBanner error={booking.error} messages={messagesFor(t, 'book')} dismissLabel={t.dismiss} onDismiss={actions.dismissError} />
  );
  return (
    <div data-testid="booking" data-phase={booking.phase}>
      <FocusHeading>{t.pageTitle[CitizenPage.Book]}</FocusHeading>
      <p className="lead" data-testid="booking-service">
        {serviceName}
      </p>
      {booking.phase === BookingPhase.Loading && (
        <p role="status" aria-busy="true">
          {t.loading}
        </p>
      )}
      {booking.phase === BookingPhase.Unavailable && (
        <>
          {error}
          <button type="button" className="button" onClick={() => void actions.reloadSlots()}>
            {t.retry}
          </button>
        </>
      )}
      {booking.phase === BookingPhase.Choosing && (
        <>
          <p>{t.booking.intro}</p>
          <SlotPicker {...props} error={error} />
        </>
      )}
      {booking.phase === BookingPhase.Held && booking.hold && <HeldPanel {...props} hold={booking.hold} serviceName={serviceName} error={error} />}
      {booking.phase === BookingPhase.Expired && (
        <section className="card" aria-labelledby="hold-expired" data-testid="hold-expired">
          <FocusHeading level={2} id="hold-expired">
            {t.booking.expiredHeading}
          </FocusHeading>
          {error}
          <p>{t.booking.expiredBody}</p>
          <button type="button" className="button primary" data-testid="choose-again" onClick={actions.chooseAgain}>
            {t.booking.chooseAgain}
          </button>
        </section>
      )}
      {cancelLink}
    </div>
  );
}

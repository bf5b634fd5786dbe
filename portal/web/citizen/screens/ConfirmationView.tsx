import type { BookingConfirmation } from '../../../../common/contract/booking-api.js';
import { localized } from '../../shared/i18n/language.js';
import { FocusHeading } from '../components/FocusHeading.js';
import { Link } from '../components/Link.js';
import { QrCode } from '../components/QrCode.js';
import { formatLongDay, formatTime } from '../format/citizen-format.js';
import { CitizenPage, emptyRoute } from '../routing/citizen-route.js';
import type { BookingScreenProps } from './BookingScreen.js';

/**
 * The booking: its reference and check-in QR code, when to check in, and the cancel code — shown
 * this once (only its hash is kept), so the citizen is told to keep it.
 */
export function ConfirmationView(props: BookingScreenProps & { confirmation: BookingConfirmation }) {
  const { t, language, nav, route, catalog, confirmation: c } = props;
  const zone = catalog.hall.timeZone;
  return (
    <article className="confirmation" data-testid="confirmation">
      <FocusHeading testId="confirmed-heading">{t.booking.confirmedHeading}</FocusHeading>
      <section className="card ticket" aria-labelledby="reference-label">
        <p className="reference">
          <span id="reference-label" className="reference-label">
            {t.booking.referenceLabel}
          </span>
          <span className="reference-value" data-testid="reference">
            {c.reference}
          </span>
        </p>
        <QrCode text={c.qrText} label={t.booking.qrLabel(c.reference)} testId="booking-qr" />
        <p className="field-hint">{t.booking.qrHint}</p>
      </section>
      <dl className="facts" data-testid="booking-facts">
        <dt>{t.hall.label}</dt>
        <dd>{localized(c.hallName, language)}</dd>
        <dt>{t.booking.serviceLabel}</dt>
        <dd>{localized(c.serviceName, language)}</dd>
        <dt>{t.booking.dayLabel}</dt>
        <dd>{formatLongDay(c.slot.day, language)}</dd>
        <dt>{t.booking.timeLabel}</dt>
        <dd data-testid="booked-time">{`${c.slot.opens}–${c.slot.closes}`}</dd>
        <dt>{t.booking.checkInLabel}</dt>
        <dd data-testid="check-in-window">{t.booking.checkInWindow(formatTime(c.checkInFrom, language, zone), formatTime(c.checkInUntil, language, zone))}</dd>
      </dl>
      <section className="card cancel-code" aria-labelledby="cancel-code-label">
        <p>
          <span id="cancel-code-label" className="reference-label">
            {t.booking.cancelCodeLabel}
          </span>
          <span className="reference-value" data-testid="cancel-code">
            {c.cancelCode}
          </span>
        </p>
        <p className="warning" role="note" data-testid="cancel-code-warning">
          {t.booking.cancelCodeWarning}
        </p>
      </section>
      <p className="button-row no-print">
        <button type="button" className="button" data-testid="print" onClick={props.onPrint}>
          {t.booking.printButton}
        </button>
        <Link nav={nav} className="button" to={{ ...emptyRoute(CitizenPage.Cancel, route.hallId), reference: c.reference }} testId="cancel-this">
          {t.booking.cancelLink}
        </Link>
        <button
          type="button"
          className="button"
          data-testid="book-another"
          onClick={() => {
            props.actions.startOver();
            nav.go(emptyRoute(CitizenPage.Book, route.hallId));
          }}
        >
          {t.booking.anotherBooking}
        </button>
      </p>
    </article>
  );
}

import { useEffect, useRef, type ReactNode } from 'react';
import { FocusHeading } from '../components/FocusHeading.js';
import { formatCountdown, formatLongDay } from '../format/citizen-format.js';
import type { Hold } from '../state/booking-store.js';
import type { BookingScreenProps } from './BookingScreen.js';

/** The held place: what it is, the time left to confirm (on the portal's clock), confirm or choose again. */
export function HeldPanel(props: BookingScreenProps & { hold: Hold; serviceName: string; error: ReactNode }) {
  const { t, language, booking, actions, hold } = props;
  const leftMs = Date.parse(hold.expiresAt) - (props.now + booking.clockOffsetMs);
  const expired = leftMs <= 0;
  const minutes = Math.max(1, Math.ceil(leftMs / 60_000));
  const expiredOnce = useRef(false);

  useEffect(() => {
    if (expired && !expiredOnce.current) {
      expiredOnce.current = true;
      actions.expire();
    }
  }, [expired, actions]);

  return (
    <section className="card held" aria-labelledby="held-heading" data-testid="held">
      <FocusHeading level={2} id="held-heading">
        {t.booking.heldHeading}
      </FocusHeading>
      <p>{t.booking.heldIntro}</p>
      <dl className="facts">
        <dt>{t.booking.serviceLabel}</dt>
        <dd>{props.serviceName}</dd>
        <dt>{t.booking.dayLabel}</dt>
        <dd>{formatLongDay(hold.slot.day, language)}</dd>
        <dt>{t.booking.timeLabel}</dt>
        <dd>{`${hold.slot.opens}–${hold.slot.closes}`}</dd>
      </dl>
      <p className="countdown">
        <span id="countdown-label">{t.booking.countdownLabel}</span>{' '}
        <span role="timer" aria-labelledby="countdown-label" aria-live="off" className="countdown-value" data-testid="countdown">
          {formatCountdown(leftMs)}
        </span>
      </p>
      {/* Said once a minute, not every second. */}
      <p className="visually-hidden" aria-live="polite">
        {t.booking.countdownAnnouncement(minutes)}
      </p>
      {props.error}
      <p className="button-row">
        <button type="button" className="button primary" data-testid="confirm" disabled={booking.busy} onClick={() => void actions.confirm()}>
          {booking.busy ? t.booking.confirming : t.booking.confirmButton}
        </button>
        <button type="button" className="button" data-testid="change-slot" disabled={booking.busy} onClick={actions.chooseAgain}>
          {t.booking.changeSlot}
        </button>
      </p>
      <p className="field-hint">{t.booking.changeNote}</p>
    </section>
  );
}

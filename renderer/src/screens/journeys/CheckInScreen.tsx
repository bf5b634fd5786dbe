import { CheckInOutcome, type CheckInResult } from '../../../../common/contract/kiosk-api.js';
import { formatDay } from '../../i18n/format-date.js';
import { formatIssuedTime } from '../../i18n/format-time.js';
import { localized, type Dictionary, type Language } from '../../i18n/index.js';
import { CheckInMethod, CheckInPhase, type CheckInState } from '../../state/journeys/check-in.js';
import { Screen } from '../../state/screen.js';
import { JourneyFrame, type JourneyCommonProps } from './JourneyFrame.js';

export interface CheckInScreenProps {
  common: JourneyCommonProps;
  state: CheckInState;
  busy: boolean;
  /** For "another day": whether the booked day is past. */
  now: Date;
  onCheckInWithCard: () => void;
  onRetry: (reference: string | null) => void;
  /** Late or cancelled: a regular ticket for the booked service. */
  onWalkIn: (serviceId: string) => void;
}

/** The outcome's explanation, with the times in the hall's zone. */
function outcomeDetail(result: CheckInResult, method: CheckInMethod, t: Dictionary, language: Language, timeZone: string | undefined, now: Date): string {
  const a = result.appointment;
  const time = (iso: string) => formatIssuedTime(iso, language, timeZone);
  switch (result.outcome) {
    case CheckInOutcome.Early:
      return a ? t.checkIn.early(time(a.checkInFrom), time(a.start)) : t.checkIn.outcome[result.outcome];
    case CheckInOutcome.Late:
      return a ? t.checkIn.late(time(a.start), time(a.checkInUntil)) : t.checkIn.outcome[result.outcome];
    case CheckInOutcome.OtherDay: {
      if (!a) return t.checkIn.outcome[result.outcome];
      const day = formatDay(a.businessDay, language);
      return Date.parse(a.end) < now.getTime() ? t.checkIn.otherDayPast(day, time(a.start)) : t.checkIn.otherDayFuture(day, time(a.start));
    }
    case CheckInOutcome.AlreadyCheckedIn:
      return t.checkIn.alreadyCheckedIn;
    case CheckInOutcome.Cancelled:
      return t.checkIn.cancelled;
    case CheckInOutcome.NotFound:
      return method === CheckInMethod.Card ? t.checkIn.notFoundCard : t.checkIn.notFoundReference;
    case CheckInOutcome.Ticket:
      return t.checkIn.ticketMissing;
  }
}

/** Outcomes after which a regular ticket of the booked service is offered. */
const WALK_IN: ReadonlySet<CheckInOutcome> = new Set([CheckInOutcome.Late, CheckInOutcome.Cancelled]);

/**
 * 预约签到: "scan your booking QR or swipe your ID card"; a ticket goes straight to the ticket screen
 * (with "预约 09:30"), every other outcome is explained here, and a new scan or card starts again.
 */
export function CheckInScreen({ common, state, busy, now, onCheckInWithCard, onRetry, onWalkIn }: CheckInScreenProps) {
  const { t, language, timeZone, visitor } = common;
  const working = state.phase === CheckInPhase.Checking;
  const result = state.phase === CheckInPhase.Result ? state.result : null;
  const walkIn = result?.appointment && WALK_IN.has(result.outcome) ? result.appointment : null;
  const actions = (
    <>
      {walkIn && (
        <button type="button" className="journey-action journey-action-primary" data-testid="check-in-walk-in" disabled={busy} onClick={() => onWalkIn(walkIn.serviceId)}>
          {t.checkIn.walkIn(localized(walkIn.serviceName, language))}
        </button>
      )}
      {state.phase === CheckInPhase.Failed && (
        <button type="button" className="journey-action" data-testid="check-in-retry" onClick={() => onRetry(state.reference)}>
          {t.journeys.retry}
        </button>
      )}
      {visitor && !working && state.phase !== CheckInPhase.Failed && (
        <button type="button" className="journey-action" data-testid="check-in-with-card" onClick={onCheckInWithCard}>
          {t.checkIn.withCard}
        </button>
      )}
    </>
  );
  return (
    <JourneyFrame screen={Screen.CheckIn} common={common} actions={actions}>
      <section className="journey-prompt" data-testid="check-in-prompt">
        <p className="journey-prompt-main">{t.checkIn.prompt}</p>
        <p className="journey-prompt-detail">{t.checkIn.promptDetail}</p>
      </section>
      <section className="journey-result" aria-live="polite" aria-busy={working}>
        {working && (
          <p className="journey-working" data-testid="check-in-busy" role="status">
            {t.checkIn.checking}
          </p>
        )}
        {state.phase === CheckInPhase.Result && (
          <div className="outcome" data-testid="check-in-outcome" data-outcome={state.result.outcome}>
            <h2 className="outcome-headline">{t.checkIn.outcome[state.result.outcome]}</h2>
            <p className="outcome-detail" data-testid="check-in-detail">
              {outcomeDetail(state.result, state.method, t, language, timeZone, now)}
            </p>
            {state.result.appointment && (
              <p className="outcome-appointment" data-testid="check-in-appointment">
                {t.checkIn.appointment(
                  localized(state.result.appointment.serviceName, language),
                  formatDay(state.result.appointment.businessDay, language),
                  formatIssuedTime(state.result.appointment.start, language, timeZone),
                )}
              </p>
            )}
          </div>
        )}
        {state.phase === CheckInPhase.Failed && (
          <div className="outcome outcome-problem" data-testid="check-in-failed" data-code={state.error.code} role="alert">
            <h2 className="outcome-headline">{t.checkIn.failed}</h2>
            <p className="outcome-detail">{t.errorByCode[state.error.code]}</p>
          </div>
        )}
      </section>
    </JourneyFrame>
  );
}

import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { FieldError } from '../components/FieldError.js';
import { formatDay } from '../format/citizen-format.js';
import { bookableDaysOf, chosenSlot } from '../state/booking-store.js';
import type { BookingScreenProps } from './BookingScreen.js';

/** Day, then slot with the places left, then the ID number: one form, submitted as the hold. */
export function SlotPicker(props: BookingScreenProps & { error: ReactNode }) {
  const { t, language, booking, actions } = props;
  const [idNumber, setIdNumber] = useState('');
  const idField = useId();
  const days = bookableDaysOf(booking.slots);
  const day = days.find((d) => d.day === booking.day) ?? null;
  const slot = chosenSlot(booking);
  const idProblem = booking.idProblem ? t.booking.idProblem[booking.idProblem] : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await actions.holdSlot(idNumber)) setIdNumber('');
  }

  return (
    <form className="booking-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={booking.busy}>
      {booking.slots && (
        <p className="window" data-testid="booking-window">
          {t.booking.window(formatDay(booking.slots.firstDay, language), formatDay(booking.slots.lastDay, language))}
        </p>
      )}
      {props.error}
      <fieldset className="step" aria-labelledby="step-day">
        <h2 id="step-day">{t.booking.stepDay}</h2>
        {days.length === 0 ? (
          <p data-testid="no-slots">{t.booking.noSlots}</p>
        ) : (
          <div className="chips" data-testid="days">
            {days.map((d) => (
              <label key={d.day} className="chip" data-testid={`day-${d.day}`}>
                <input type="radio" name="day" value={d.day} checked={booking.day === d.day} disabled={d.available === 0} onChange={() => actions.chooseDay(d.day)} />
                <span className="chip-main">{formatDay(d.day, language)}</span>
                <span className="chip-note">{d.available === 0 ? t.booking.dayFull : t.booking.dayPlaces(d.available)}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <fieldset className="step" aria-labelledby="step-slot">
        <h2 id="step-slot">{t.booking.stepSlot}</h2>
        {!day ? (
          <p className="field-hint">{t.booking.chooseDayFirst}</p>
        ) : (
          <div className="chips" data-testid="slots">
            {day.slots.map((s) => (
              <label key={s.start} className="chip" data-testid={`slot-${s.opens}`}>
                <input type="radio" name="slot" value={s.start} checked={booking.slotStart === s.start} disabled={s.available === 0} onChange={() => actions.chooseSlot(s.start)} />
                <span className="chip-main">{`${s.opens}–${s.closes}`}</span>
                <span className="chip-note">{s.available === 0 ? t.booking.slotFull : t.booking.slotPlaces(s.available)}</span>
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <fieldset className="step" aria-labelledby="step-id" disabled={!slot}>
        <h2 id="step-id">{t.booking.stepId}</h2>
        <label className="field" htmlFor={idField}>
          <span className="field-label">{t.booking.idLabel}</span>
        </label>
        <input
          id={idField}
          name="idNumber"
          data-testid="id-number"
          className="id-input"
          value={idNumber}
          maxLength={18}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          inputMode="text"
          aria-invalid={idProblem ? true : undefined}
          aria-describedby={`${idField}-hint${idProblem ? ` ${idField}-error` : ''}`}
          onChange={(e) => {
            setIdNumber(e.target.value);
            actions.clearIdProblem();
          }}
        />
        <p id={`${idField}-hint`} className="field-hint">
          {t.booking.idHint}
        </p>
        <FieldError id={`${idField}-error`} testId="id-problem" message={idProblem} />
      </fieldset>
      <button type="submit" className="button primary" data-testid="hold" disabled={!slot || booking.busy}>
        {booking.busy ? t.booking.holding : t.booking.holdButton}
      </button>
    </form>
  );
}

import { PIN_MIN_LENGTH } from '../../../common/contract/kiosk-api.js';
import type { Dictionary } from '../i18n/index.js';
import type { UiError } from '../state/ui-error.js';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export interface PinPadProps {
  pinLength: number;
  busy: boolean;
  error: UiError | null;
  t: Dictionary;
  onDigit: (digit: string) => void;
  onDelete: () => void;
  onClear: () => void;
  onSubmit: () => void;
  onBack: () => void;
}

/** A touch PIN pad: the digits are never shown, only how many were typed. */
export function PinPad(props: PinPadProps) {
  const tt = props.t.technician;
  return (
    <section className="pin-pad" data-testid="pin-pad" aria-busy={props.busy}>
      <h1 className="technician-title">{tt.title}</h1>
      <p className="pin-prompt">{tt.pinPrompt}</p>
      <p className="pin-dots" data-testid="pin-dots" data-length={props.pinLength} aria-live="polite">
        {props.pinLength > 0 ? '●'.repeat(props.pinLength) : '\u00a0'}
      </p>
      {props.error && (
        <p className="pin-error" data-testid="pin-error" data-code={props.error.code} role="alert">
          {props.t.errorByCode[props.error.code]}
          {props.error.detail && props.error.code !== 'session-expired' ? ` (${props.error.detail})` : ''}
        </p>
      )}
      <div className="pin-keys">
        {KEYS.map((digit) => (
          <button key={digit} type="button" className="pin-key" data-testid={`pin-key-${digit}`} disabled={props.busy} onClick={() => props.onDigit(digit)}>
            {digit}
          </button>
        ))}
        <button type="button" className="pin-key pin-key-small" data-testid="pin-clear" disabled={props.busy} onClick={props.onClear}>
          {tt.pinClear}
        </button>
        <button type="button" className="pin-key" data-testid="pin-key-0" disabled={props.busy} onClick={() => props.onDigit('0')}>
          0
        </button>
        <button type="button" className="pin-key pin-key-small" data-testid="pin-delete" disabled={props.busy} onClick={props.onDelete}>
          {tt.pinDelete}
        </button>
      </div>
      <div className="pin-actions">
        <button type="button" className="technician-button" data-testid="technician-back" onClick={props.onBack}>
          {tt.back}
        </button>
        <button type="button" className="technician-button technician-button-primary" data-testid="pin-submit" disabled={props.busy || props.pinLength < PIN_MIN_LENGTH} onClick={props.onSubmit}>
          {tt.pinSubmit}
        </button>
      </div>
    </section>
  );
}

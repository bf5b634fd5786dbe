import type { UiError } from '../api/ui-error.js';
import type { ErrorMessages } from '../i18n/error-messages.js';

/** A coded error in the page's language; role=alert, so a screen reader says it at once. */
export function ErrorBanner({ error, messages, dismissLabel, onDismiss }: { error: UiError; messages: ErrorMessages; dismissLabel: string; onDismiss: () => void }) {
  return (
    <div className="error-banner" role="alert" data-testid="error" data-code={error.code}>
      <p className="error-message">{messages[error.code]}</p>
      <button type="button" className="error-dismiss" onClick={onDismiss}>
        {dismissLabel}
      </button>
    </div>
  );
}

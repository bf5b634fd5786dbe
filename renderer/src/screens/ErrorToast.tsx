import type { Dictionary } from '../i18n/index.js';
import type { UiError } from '../state/ui-error.js';

export function ErrorToast({ error, t, onDismiss }: { error: UiError; t: Dictionary; onDismiss: () => void }) {
  return (
    <div className="error-toast" data-testid="error-toast" data-code={error.code} role="alert">
      <p className="error-message">{t.errorByCode[error.code]}</p>
      <button type="button" className="error-dismiss" onClick={onDismiss}>
        {t.dismiss}
      </button>
    </div>
  );
}

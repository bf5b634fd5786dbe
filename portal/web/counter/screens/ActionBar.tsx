import { ConsoleAction, KEY_OF_ACTION } from '../state/console-actions.js';
import type { ConsoleDictionary } from '../i18n/index.js';

const ORDER = Object.values(ConsoleAction);

/** The eight counter keys as buttons, each with its function key shown and declared. */
export function ActionBar({ t, enabled, busy, onPress }: { t: ConsoleDictionary; enabled: ReadonlySet<ConsoleAction>; busy: boolean; onPress: (action: ConsoleAction) => void }) {
  return (
    <section className="card actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading" className="visually-hidden">
        {t.keysHint}
      </h2>
      <p className="hint" aria-hidden="true">
        {t.keysHint}
      </p>
      <div className="action-grid" role="group" aria-labelledby="actions-heading">
        {ORDER.map((action) => (
          <button
            key={action}
            type="button"
            className={`action action-${action}`}
            data-testid={`action-${action}`}
            aria-keyshortcuts={KEY_OF_ACTION[action]}
            disabled={busy || !enabled.has(action)}
            onClick={() => onPress(action)}
          >
            <kbd className="key">{KEY_OF_ACTION[action]}</kbd>
            <span className="action-label">{t.actions[action]}</span>
          </button>
        ))}
      </div>
    </section>
  );
}

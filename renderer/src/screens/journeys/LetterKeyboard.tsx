import type { Dictionary } from '../../i18n/index.js';

const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

/**
 * The on-screen keyboard of the guide search: the kiosk has no keyboard, and pinyin initials need
 * only the 26 letters (no input method, so no IME window over the kiosk).
 */
export function LetterKeyboard({ t, onKey, onBackspace, onClear }: { t: Dictionary; onKey: (letter: string) => void; onBackspace: () => void; onClear: () => void }) {
  return (
    <div className="letter-keyboard" data-testid="guide-keyboard" role="group" aria-label={t.guide.keyboardLabel}>
      {ROWS.map((row) => (
        <div className="letter-row" key={row}>
          {[...row].map((letter) => (
            <button type="button" className="letter-key" key={letter} data-testid={`key-${letter}`} onClick={() => onKey(letter)}>
              {letter}
            </button>
          ))}
        </div>
      ))}
      <div className="letter-row">
        <button type="button" className="letter-key letter-key-wide" data-testid="key-backspace" onClick={onBackspace}>
          {t.guide.backspace}
        </button>
        <button type="button" className="letter-key letter-key-wide" data-testid="key-clear" onClick={onClear}>
          {t.guide.clear}
        </button>
      </div>
    </div>
  );
}

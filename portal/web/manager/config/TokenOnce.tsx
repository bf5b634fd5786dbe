import { useEffect, useRef, useState } from 'react';
import type { ManagerDictionary } from '../i18n/index.js';
import type { IssuedToken } from './config-store.js';

/** Copies with the Clipboard API where the page may (https, localhost), else from the selected field. */
async function copyText(field: HTMLInputElement, text: string): Promise<boolean> {
  try {
    if (navigator.clipboard) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Refused (plain http, no permission): the selection below still works in every browser.
  }
  field.focus();
  field.select();
  // Deprecated, but the one copy that works on a plain-http hall network.
  return document.execCommand('copy');
}

/**
 * A kiosk's new token, shown this once: the portal keeps only its hash. It says so, offers a copy
 * button, and is gone once closed or the page is left (it lives in memory only).
 */
export function TokenOnce({ t, issued, onDismiss }: { t: ManagerDictionary; issued: IssuedToken; onDismiss: () => void }) {
  const c = t.config;
  const field = useRef<HTMLInputElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<boolean | null>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card token-once" aria-labelledby="token-heading" data-testid="token-once">
      <h3 id="token-heading" ref={heading} tabIndex={-1}>
        {c.tokenHeading(issued.kioskId)}
      </h3>
      <p className="warn" id="token-warning" data-testid="token-warning">
        {c.tokenWarning}
      </p>
      <div className="field">
        <label htmlFor="issued-token">{c.tokenLabel}</label>
        <input ref={field} id="issued-token" data-testid="issued-token" readOnly value={issued.token} aria-describedby="token-warning" spellCheck={false} onFocus={(e) => e.target.select()} />
      </div>
      <div className="editor-buttons">
        <button
          type="button"
          className="primary"
          data-testid="token-copy"
          onClick={() => {
            if (field.current) void copyText(field.current, issued.token).then(setCopied);
          }}
        >
          {c.copy}
        </button>
        <button type="button" className="secondary" data-testid="token-dismiss" onClick={onDismiss}>
          {c.tokenDone}
        </button>
        <span role="status" data-testid="token-copied">
          {copied === null ? '' : copied ? c.copied : c.copyFailed}
        </span>
      </div>
    </section>
  );
}

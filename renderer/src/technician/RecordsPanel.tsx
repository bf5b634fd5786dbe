import type { Diagnostics } from '../../../common/contract/kiosk-api.js';
import type { Dictionary } from '../i18n/index.js';
import { formatDiagnosticTime } from '../i18n/format-time.js';

export interface RecordsPanelProps {
  diagnostics: Diagnostics;
  t: Dictionary;
  timeZone: string | undefined;
  busy: boolean;
  onReprint: (ticketId: string) => void;
}

/** Receipts to reprint, the audit log and the recent (masked) log lines. */
export function RecordsPanel({ diagnostics, t, timeZone, busy, onReprint }: RecordsPanelProps) {
  const tt = t.technician;
  const time = (iso: string | null) => formatDiagnosticTime(iso, timeZone) ?? tt.never;
  return (
    <>
      <section className="tech-section">
        <h2>{tt.reprintHeading}</h2>
        {diagnostics.reprintable.length === 0 ? (
          <p className="muted">{tt.nothingToReprint}</p>
        ) : (
          <ul className="reprint-list">
            {diagnostics.reprintable.map((r) => (
              <li key={r.ticketId}>
                <span className="reprint-number">{r.number}</span> {tt.printState[r.printState]} <span className="muted">{time(r.issuedAt)}</span>
                <button type="button" className="technician-button" data-testid={`reprint-${r.number}`} disabled={busy} onClick={() => onReprint(r.ticketId)}>
                  {tt.reprint}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="tech-section">
        <h2>{tt.auditHeading}</h2>
        <ul className="audit-list" data-testid="audit">
          {diagnostics.audit.map((a) => (
            <li key={a.id} data-testid="audit-row" data-action={a.action} data-outcome={a.outcome}>
              <span className="muted">{time(a.at)}</span> {a.actor} <code>{a.action}</code> <code>{a.outcome}</code> {a.detail}
            </li>
          ))}
        </ul>
      </section>
      <section className="tech-section">
        <h2>{tt.logsHeading}</h2>
        <pre className="log-lines" data-testid="logs">
          {diagnostics.logs.join('\n')}
        </pre>
      </section>
    </>
  );
}

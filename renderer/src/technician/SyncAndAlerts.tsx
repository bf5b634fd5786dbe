import type { Diagnostics } from '../../../common/contract/kiosk-api.js';
import type { Dictionary } from '../i18n/index.js';
import { formatDiagnosticTime } from '../i18n/format-time.js';

export interface SyncAndAlertsProps {
  diagnostics: Diagnostics;
  t: Dictionary;
  timeZone: string | undefined;
  busy?: boolean;
  /** Confirms the held clock jump shown (by its measured offset). */
  onConfirmClockJump?: (measuredOffsetMs: number) => void;
}

/** Alerts first (what needs a hand now), then the sync state and its quarantined events. */
export function SyncAndAlerts({ diagnostics, t, timeZone, busy = false, onConfirmClockJump }: SyncAndAlertsProps) {
  const tt = t.technician;
  const time = (iso: string | null) => formatDiagnosticTime(iso, timeZone) ?? tt.never;
  const { connectivity, quarantinedEvents, clockJump } = diagnostics.sync;
  return (
    <>
      <section className="tech-section">
        <h2>{tt.alertsHeading}</h2>
        {diagnostics.alerts.length === 0 ? (
          <p className="muted">{tt.noAlerts}</p>
        ) : (
          <ul className="alert-list" data-testid="alerts">
            {diagnostics.alerts.map((alert) => (
              <li
                key={alert.id}
                className={`alert alert-${alert.severity}${alert.resolvedAt ? ' alert-resolved' : ''}`}
                data-testid="alert"
                data-kind={alert.kind}
                data-open={alert.resolvedAt === null}
              >
                <strong>{tt.alertSeverity[alert.severity]}</strong> {alert.message}
                <span className="muted">
                  {' '}
                  {time(alert.raisedAt)}
                  {alert.count > 1 ? ` ×${alert.count}` : ''}
                  {alert.resolvedAt ? ` · ${tt.alertResolved} ${time(alert.resolvedAt)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="tech-section" data-testid="sync-panel" data-state={connectivity.state}>
        <h2>{tt.syncHeading}</h2>
        <dl className="facts">
          <div className="fact">
            <dt>{tt.syncHeading}</dt>
            <dd>{tt.connectivity[connectivity.state]}</dd>
          </div>
          <div className="fact">
            <dt>{tt.backlog}</dt>
            <dd data-testid="sync-backlog">{connectivity.backlog}</dd>
          </div>
          <div className="fact">
            <dt>{tt.lastSync}</dt>
            <dd>{time(connectivity.lastSyncAt)}</dd>
          </div>
          <div className="fact">
            <dt>{tt.clockOffset(connectivity.clockOffsetMs)}</dt>
            <dd />
          </div>
        </dl>
        {clockJump && (
          <div className="clock-jump" data-testid="clock-jump" data-measured={clockJump.measuredOffsetMs}>
            <p role="alert">{tt.clockJump(clockJump.acceptedOffsetMs, clockJump.measuredOffsetMs)}</p>
            <button
              type="button"
              className="technician-button"
              data-testid="confirm-clock-jump"
              disabled={busy || !onConfirmClockJump}
              onClick={() => onConfirmClockJump?.(clockJump.measuredOffsetMs)}
            >
              {tt.confirmClockJump}
            </button>
          </div>
        )}
        <h3>{tt.quarantineHeading}</h3>
        {quarantinedEvents.length === 0 ? (
          <p className="muted">{tt.noQuarantined}</p>
        ) : (
          <ul className="quarantine-list" data-testid="quarantined">
            {quarantinedEvents.map((e) => (
              <li key={e.eventId}>
                #{e.seq} <code>{e.code}</code> {e.reason} <span className="muted">{time(e.quarantinedAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

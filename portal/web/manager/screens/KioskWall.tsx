import { KioskHealthState, type KioskHealthView } from '../../../../common/contract/kiosk-health-api.js';
import type { UiError } from '../../shared/api/ui-error.js';
import type { Language } from '../../shared/i18n/language.js';
import { agoOf } from '../format/relative-time.js';
import { managerDictionaries, type ManagerDictionary } from '../i18n/index.js';
import { wallAlerts, wallCounts, wallOrder } from '../state/wall-store.js';

export interface KioskWallProps {
  language: Language;
  kiosks: KioskHealthView[];
  /** The wall has answered at least once. */
  loaded: boolean;
  /** The last poll failed: what is shown may be old. */
  error: UiError | null;
  /** Now on the portal's clock. */
  now: number;
}

/** "Last seen 12 seconds ago", or that the portal never heard from it; the exact time as a tooltip. */
function LastSeen({ kiosk, t, now }: { kiosk: KioskHealthView; t: ManagerDictionary; now: number }) {
  if (!kiosk.lastSeenAt) return <p className="last-seen">{t.neverSeen}</p>;
  const ago = agoOf(kiosk.lastSeenAt, now);
  return (
    <p className="last-seen">
      {t.lastSeenLabel}{' '}
      <time dateTime={kiosk.lastSeenAt} data-testid={`last-seen-${kiosk.kioskId}`}>
        {t.ago[ago.unit](ago.count)}
      </time>
    </p>
  );
}

function KioskTile({ kiosk, t, now }: { kiosk: KioskHealthView; t: ManagerDictionary; now: number }) {
  const latest = kiosk.latest;
  return (
    <li className={`tile tile-${kiosk.state}`} data-testid={`kiosk-${kiosk.kioskId}`} data-state={kiosk.state} aria-labelledby={`kiosk-${kiosk.kioskId}-name`}>
      <h3 id={`kiosk-${kiosk.kioskId}-name`} className="tile-name">
        {t.kioskName(kiosk.kioskDigit)} <span className="tile-id">{kiosk.kioskId}</span>
      </h3>
      <p className="tile-state">
        <span className="state-dot" aria-hidden="true" />
        <span data-testid={`kiosk-state-${kiosk.kioskId}`}>{t.healthState[kiosk.state]}</span>
      </p>
      {kiosk.findings.length > 0 && (
        <ul className="reasons" aria-label={t.reasonsLabel} data-testid={`kiosk-reasons-${kiosk.kioskId}`}>
          {kiosk.findings.map((f) => (
            <li key={f.reason} className={`reason reason-${f.severity}`} data-reason={f.reason}>
              {t.reason[f.reason]}
            </li>
          ))}
        </ul>
      )}
      <LastSeen kiosk={kiosk} t={t} now={now} />
      {latest && (
        <dl className="tile-facts">
          <dt>{t.fact.printer}</dt>
          <dd>{t.printerState[latest.printer.state]}</dd>
          <dt>{t.fact.reader}</dt>
          <dd>{t.deviceState[latest.reader.state]}</dd>
          <dt>{t.fact.scanner}</dt>
          <dd>{t.deviceState[latest.scanner.state]}</dd>
          <dt>{t.fact.backlog}</dt>
          <dd>{latest.backlog}</dd>
          <dt>{t.fact.quarantined}</dt>
          <dd>{latest.quarantined}</dd>
          <dt>{t.fact.clock}</dt>
          <dd>{t.clockOffset(Math.round(latest.observedClockOffsetMs / 1000))}</dd>
          <dt>{t.fact.version}</dt>
          <dd>{latest.appVersion}</dd>
        </dl>
      )}
    </li>
  );
}

/**
 * The kiosk wall: a tile per kiosk (green, amber or red, said in words as well as colour, with the
 * reasons and when the portal last heard from it), and the alerts of the whole hall, worst first.
 * The summary line is a polite live region: a kiosk turning red is announced without moving focus.
 */
export function KioskWall({ language, kiosks, loaded, error, now }: KioskWallProps) {
  const t = managerDictionaries[language];
  const counts = wallCounts(kiosks);
  const alerts = wallAlerts(kiosks);
  return (
    <section className="wall" aria-labelledby="section-heading" data-testid="wall">
      <h2 id="section-heading" tabIndex={-1}>{t.section.wall}</h2>
      <p role="status" className="wall-summary" data-testid="wall-summary">
        {loaded ? t.wallSummary(kiosks.length, counts[KioskHealthState.Green], counts[KioskHealthState.Amber], counts[KioskHealthState.Red]) : t.loading}
      </p>
      {error && loaded && (
        <p className="notice" data-testid="wall-stale">
          {t.wallStale}
        </p>
      )}
      <div className="wall-layout">
        {loaded && kiosks.length === 0 ? (
          <p className="none">{t.noKiosks}</p>
        ) : (
          <ul className="kiosk-tiles" aria-label={t.tilesLabel}>
            {wallOrder(kiosks).map((k) => (
              <KioskTile key={k.kioskId} kiosk={k} t={t} now={now} />
            ))}
          </ul>
        )}
        <section className="card alerts" aria-labelledby="alerts-heading" data-testid="alerts">
          <h3 id="alerts-heading">
            {t.alertsHeading}
            <span className="count">{alerts.length}</span>
          </h3>
          {alerts.length === 0 ? (
            <p className="none">{loaded ? t.noAlerts : t.loading}</p>
          ) : (
            <ul className="alert-list">
              {alerts.map((a) => (
                <li key={`${a.kioskId}-${a.reason}`} className={`alert alert-${a.severity}`} data-testid={`alert-${a.kioskId}-${a.reason}`}>
                  <span className="alert-severity">{t.healthState[a.severity]}</span> {t.alertText(t.kioskName(a.kioskDigit), a.kioskId, t.reason[a.reason])}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}

import { DeviceKind, DeviceState, type Diagnostics, type SelfTestResult } from '../../../common/contract/kiosk-api.js';
import type { Dictionary } from '../i18n/index.js';
import { formatDiagnosticTime } from '../i18n/format-time.js';

export interface DeviceCardsProps {
  diagnostics: Diagnostics;
  selfTests: Partial<Record<DeviceKind, SelfTestResult>>;
  testing: DeviceKind | null;
  t: Dictionary;
  timeZone: string | undefined;
  onSelfTest: (device: DeviceKind) => void;
}

function Fact({ label, value }: { label: string; value: string | number | null }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{value === null || value === '' ? '—' : value}</dd>
    </div>
  );
}

function errorText(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  return entries.length === 0 ? '0' : entries.map(([code, n]) => `${code}×${n}`).join(', ');
}

/** One card per device: state, its facts, error counts and a self-test button. */
export function DeviceCards({ diagnostics, selfTests, testing, t, timeZone, onSelfTest }: DeviceCardsProps) {
  const tt = t.technician;
  const time = (iso: string | null) => formatDiagnosticTime(iso, timeZone) ?? tt.never;
  const { reader, scanner, printer } = diagnostics;
  const printerDeviceState = printer.state === 'ready' || printer.state === 'paper-near-end' ? DeviceState.Ready : DeviceState.Fault;

  const cards: { device: DeviceKind; state: DeviceState; stateText: string; configured: boolean; facts: [string, string | number | null][]; errors: Record<string, number> }[] = [
    {
      device: DeviceKind.Reader,
      state: reader.state,
      stateText: tt.deviceState[reader.state],
      configured: reader.configured,
      facts: [
        [tt.port, reader.port && reader.baudRate ? `${reader.port} @ ${reader.baudRate}` : reader.port],
        [tt.samId, reader.samId],
        [tt.lastRead, time(reader.lastReadAt)],
        [tt.cardsRead, reader.cardsRead],
      ],
      errors: reader.errorCounts,
    },
    {
      device: DeviceKind.Scanner,
      state: scanner.state,
      stateText: tt.deviceState[scanner.state],
      configured: scanner.configured,
      facts: [
        [tt.port, scanner.port && scanner.baudRate ? `${scanner.port} @ ${scanner.baudRate}` : scanner.port],
        [tt.lastScan, time(scanner.lastScanAt)],
        [tt.scans, scanner.scans],
      ],
      errors: scanner.errorCounts,
    },
    {
      device: DeviceKind.Printer,
      state: printerDeviceState,
      stateText: tt.printerState[printer.state],
      configured: true,
      facts: [
        [tt.port, printer.endpoint],
        [tt.lastRead, time(printer.checkedAt)],
        [tt.jobsPrinted, printer.jobsPrinted],
      ],
      errors: printer.errorCounts,
    },
  ];

  return (
    <section className="tech-section">
      <h2>{tt.devicesHeading}</h2>
      <div className="device-cards">
        {cards.map((card) => {
          const result = selfTests[card.device];
          return (
            <article key={card.device} className="device-card" data-testid={`device-${card.device}`} data-state={card.state}>
              <h3>
                {tt.deviceName[card.device]} <span className={`device-state device-state-${card.state}`}>{card.stateText}</span>
              </h3>
              {card.configured ? (
                <dl className="facts">
                  {card.facts.map(([label, value]) => (
                    <Fact key={label} label={label} value={value} />
                  ))}
                  <Fact label={tt.errors} value={errorText(card.errors)} />
                </dl>
              ) : (
                <p className="muted">{tt.notConfigured}</p>
              )}
              <button
                type="button"
                className="technician-button"
                data-testid={`self-test-${card.device}`}
                disabled={!card.configured || testing !== null}
                onClick={() => onSelfTest(card.device)}
              >
                {testing === card.device ? tt.selfTestRunning : tt.selfTest}
              </button>
              <p className="muted">{tt.selfTestHint[card.device]}</p>
              {result && (
                <p className={`self-test-result ${result.ok ? 'ok' : 'problem'}`} data-testid={`self-test-result-${card.device}`} data-ok={result.ok}>
                  {result.ok ? tt.selfTestPassed : tt.selfTestFailed}: {result.message}
                </p>
              )}
            </article>
          );
        })}
      </div>
    </section>
  );
}

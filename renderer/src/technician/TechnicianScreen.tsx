import { dictionaryFor, type Language } from '../i18n/index.js';
import { formatDiagnosticTime } from '../i18n/format-time.js';
import { DeviceCards } from './DeviceCards.js';
import { downloadText } from './download-text.js';
import { PinPad } from './PinPad.js';
import { RecordsPanel } from './RecordsPanel.js';
import { SyncAndAlerts } from './SyncAndAlerts.js';
import { useTechnician, useTechnicianActions } from './technician-store-context.js';
import { TechnicianStage, type TechnicianActions, type TechnicianState } from './technician-store.js';

/** The technician's screen, connected to its store. */
export function TechnicianScreen({ language, timeZone }: { language: Language; timeZone: string | undefined }) {
  const state: TechnicianState = {
    stage: useTechnician((s) => s.stage),
    pin: useTechnician((s) => s.pin),
    busy: useTechnician((s) => s.busy),
    error: useTechnician((s) => s.error),
    session: useTechnician((s) => s.session),
    diagnostics: useTechnician((s) => s.diagnostics),
    selfTests: useTechnician((s) => s.selfTests),
    testing: useTechnician((s) => s.testing),
    outcome: useTechnician((s) => s.outcome),
  };
  return <TechnicianView state={state} actions={useTechnicianActions()} language={language} timeZone={timeZone} />;
}

export interface TechnicianViewProps {
  state: TechnicianState;
  actions: TechnicianActions;
  language: Language;
  timeZone: string | undefined;
}

/** The PIN pad, then diagnostics, self-tests, log export and reprints. */
export function TechnicianView({ state, actions, language, timeZone }: TechnicianViewProps) {
  const t = dictionaryFor(language);
  const tt = t.technician;
  const { stage, pin, busy, error, session, diagnostics, selfTests, testing, outcome } = state;

  if (stage === TechnicianStage.Closed) return null;

  if (stage === TechnicianStage.Pin) {
    return (
      <main className="screen technician-screen" data-testid="technician-screen" data-stage={stage}>
        <PinPad
          pinLength={pin.length}
          busy={busy}
          error={error}
          t={t}
          onDigit={actions.pressDigit}
          onDelete={actions.deleteDigit}
          onClear={actions.clearPin}
          onSubmit={() => void actions.submitPin()}
          onBack={actions.close}
        />
      </main>
    );
  }

  const exportLogs = async (): Promise<void> => {
    const exported = await actions.exportLogs();
    if (exported) downloadText(exported.fileName, exported.text);
  };

  return (
    <main className="screen technician-screen" data-testid="technician-screen" data-stage={stage}>
      <header className="technician-header">
        <h1 className="technician-title">{tt.title}</h1>
        {session && <p className="muted">{tt.sessionEnds(formatDiagnosticTime(session.expiresAt, timeZone) ?? '')}</p>}
        <div className="technician-toolbar">
          <button type="button" className="technician-button" data-testid="diagnostics-refresh" disabled={busy} onClick={() => void actions.refresh()}>
            {tt.refresh}
          </button>
          <button type="button" className="technician-button" data-testid="export-logs" onClick={() => void exportLogs()}>
            {tt.exportLogs}
          </button>
          <button type="button" className="technician-button technician-button-primary" data-testid="technician-logout" onClick={actions.close}>
            {tt.logout}
          </button>
        </div>
      </header>
      {error && (
        <p className="pin-error" data-testid="technician-error" data-code={error.code} role="alert">
          {t.errorByCode[error.code]}
        </p>
      )}
      {outcome && (
        <p className="technician-outcome" data-testid="technician-outcome" role="status">
          {outcome.kind === 'exported'
            ? tt.exported(outcome.fileName)
            : outcome.kind === 'reprinted'
              ? tt.reprinted(outcome.number)
              : tt.clockConfirmed(outcome.offsetMs)}
        </p>
      )}
      {diagnostics && (
        <div className="diagnostics" data-testid="diagnostics">
          <SyncAndAlerts
            diagnostics={diagnostics}
            t={t}
            timeZone={timeZone}
            busy={busy}
            onConfirmClockJump={(offsetMs) => void actions.confirmClockJump(offsetMs)}
          />
          <DeviceCards diagnostics={diagnostics} selfTests={selfTests} testing={testing} t={t} timeZone={timeZone} onSelfTest={(d) => void actions.runSelfTest(d)} />
          <RecordsPanel diagnostics={diagnostics} t={t} timeZone={timeZone} busy={busy} onReprint={(id) => void actions.reprint(id)} />
        </div>
      )}
    </main>
  );
}

import { CounterState } from '../../../../common/contract/counter-api.js';
import type { RatingInput } from '../../../../common/contract/ratings-api.js';
import { ErrorBanner } from '../../shared/components/ErrorBanner.js';
import { LanguageToggle } from '../../shared/components/LanguageToggle.js';
import { localized } from '../../shared/i18n/language.js';
import { consoleDictionaries } from '../i18n/index.js';
import { ConsoleAction, enabledActions, heldHere, nextRecallIsNoShow } from '../state/console-actions.js';
import type { ConsoleState, TransferChoice } from '../state/console-store.js';
import { ActionBar } from './ActionBar.js';
import { CurrentVisitor } from './CurrentVisitor.js';
import { CallBackDialog, CompleteDialog, TransferDialog } from './Dialogs.js';
import { counterLabel } from './labels.js';
import { QueuePanel } from './QueuePanel.js';
import { RatingPanel } from './RatingPanel.js';

export interface ConsoleHandlers {
  onPress: (action: ConsoleAction) => void;
  onComplete: (caseNumber: string | null) => void;
  onCallBack: (ticketId: string) => void;
  onTransfer: (choice: TransferChoice) => void;
  onRequeue: (ticketId: string) => void;
  onRate: (rating: RatingInput) => void;
  onSkipRating: () => void;
  onPause: () => void;
  onResume: () => void;
  onLeaveCounter: () => void;
  onSignOut: () => void;
  onCloseDialog: () => void;
  onToggleLanguage: () => void;
  onDismissError: () => void;
}

/** The console at work: the current visitor and the keys on the left, the queue on the right. */
export function ConsoleScreen({ state, now, handlers }: { state: ConsoleState; now: number; handlers: ConsoleHandlers }) {
  const t = consoleDictionaries[state.language];
  const counter = state.counters.find((c) => c.counterId === state.counterId) ?? null;
  const enabled = enabledActions(counter, state.queue);
  const held = heldHere(counter, state.queue);
  const current = counter?.currentTicket ?? null;
  const paused = counter?.state === CounterState.Paused;
  const staff = state.session?.staff;

  return (
    <div className="page console" data-testid="console" data-counter-state={counter?.state ?? 'unknown'}>
      <header className="page-header">
        <h1>
          <span className="counter-title" data-testid="counter-title">
            {counter ? counterLabel(counter, t, state.language) : t.loading}
          </span>
          {state.catalog && <span className="hall-title">{localized(state.catalog.hall.name, state.language)}</span>}
        </h1>
        {counter && (
          <span className={`state-badge state-${counter.state}`} data-testid="counter-state">
            {t.counterState[counter.state]}
          </span>
        )}
        <span className={`live live-${state.feed}`} role="status" data-testid="live-status" data-feed={state.feed}>
          {t.liveStatus[state.feed]}
        </span>
        {staff && <span className="who">{t.signedInAs(staff.displayName, t.roleName[staff.role])}</span>}
        <LanguageToggle language={state.language} label={t.languageToggleLabel} onToggle={handlers.onToggleLanguage} />
        {paused ? (
          <button type="button" onClick={handlers.onResume} disabled={state.busy} data-testid="resume">
            {t.resume}
          </button>
        ) : (
          <button type="button" onClick={handlers.onPause} disabled={state.busy} data-testid="pause">
            {t.pause}
          </button>
        )}
        <button type="button" onClick={handlers.onLeaveCounter} disabled={state.busy || current !== null} data-testid="leave-counter">
          {t.leaveCounter}
        </button>
        <button type="button" onClick={handlers.onSignOut} data-testid="sign-out">
          {t.signOut}
        </button>
      </header>

      <main className="console-main">
        <div className="console-left">
          {state.error && <ErrorBanner error={state.error} messages={t.errorByCode} dismissLabel={t.dismiss} onDismiss={handlers.onDismissError} />}
          {paused && (
            <p className="notice" role="status" data-testid="paused-notice">
              {t.pausedNotice}
            </p>
          )}
          {state.nobodyWaiting && (
            <p className="notice" role="status" data-testid="nobody-waiting">
              {t.nobodyWaiting}
            </p>
          )}
          <CurrentVisitor
            ticket={current}
            t={t}
            language={state.language}
            catalog={state.catalog}
            now={now}
            autoNoShowAt={nextRecallIsNoShow(counter, state.queue) ? (state.queue?.noShowAfterCalls ?? null) : null}
          />
          {state.ratingPrompt && (
            <RatingPanel key={state.ratingPrompt.ticketId} t={t} prompt={state.ratingPrompt} busy={state.busy} onSubmit={handlers.onRate} onSkip={handlers.onSkipRating} />
          )}
          {state.ratingThanks && (
            <p className="notice" role="status" data-testid="rating-thanks">
              {t.ratingThanks}
            </p>
          )}
          <ActionBar t={t} enabled={enabled} busy={state.busy} onPress={handlers.onPress} />
        </div>
        <QueuePanel
          queue={state.queue}
          counterId={state.counterId}
          t={t}
          language={state.language}
          catalog={state.catalog}
          now={now}
          busy={state.busy}
          canCallBack={enabled.has(ConsoleAction.CallBack)}
          onCallBack={handlers.onCallBack}
          onRequeue={handlers.onRequeue}
        />
      </main>

      {state.dialog?.kind === ConsoleAction.Complete && current && (
        <CompleteDialog t={t} busy={state.busy} onConfirm={handlers.onComplete} onClose={handlers.onCloseDialog} />
      )}
      {state.dialog?.kind === ConsoleAction.CallBack && (
        <CallBackDialog t={t} held={held} language={state.language} catalog={state.catalog} busy={state.busy} onCallBack={handlers.onCallBack} onClose={handlers.onCloseDialog} />
      )}
      {state.dialog?.kind === ConsoleAction.Transfer && current && (
        <TransferDialog
          t={t}
          ticket={current}
          language={state.language}
          catalog={state.catalog}
          counters={state.counters}
          ownCounterId={state.counterId}
          busy={state.busy}
          onTransfer={handlers.onTransfer}
          onClose={handlers.onCloseDialog}
        />
      )}
    </div>
  );
}

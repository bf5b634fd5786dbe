import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { htmlLang } from '../shared/i18n/language.js';
import { consoleDictionaries } from './i18n/index.js';
import { ChooseCounterScreen } from './screens/ChooseCounterScreen.js';
import { ConsoleScreen, type ConsoleHandlers } from './screens/ConsoleScreen.js';
import { SignInScreen } from './screens/SignInScreen.js';
import { actionOfKey } from './state/console-actions.js';
import { ConsolePhase, type ConsoleStore } from './state/console-store.js';

/** Waited minutes move on by themselves. */
const MINUTE_TICK_MS = 15_000;

export function CounterApp({ store }: { store: ConsoleStore }) {
  const state = useStore(store);
  const actions = store.getState();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), MINUTE_TICK_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    document.documentElement.lang = htmlLang(state.language);
    document.title = consoleDictionaries[state.language].appTitle;
  }, [state.language]);

  // F1–F8 anywhere on the console (F1 and F5 are the browser's help and reload otherwise);
  // while a dialog is open its own keys (Escape, Enter) rule.
  useEffect(() => {
    if (state.phase !== ConsolePhase.Console) return;
    const onKeyDown = (event: KeyboardEvent) => {
      const action = actionOfKey(event);
      if (!action) return;
      event.preventDefault();
      if (store.getState().dialog || event.repeat) return;
      void store.getState().press(action);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [state.phase, store]);

  const common = { language: state.language, onToggleLanguage: actions.toggleLanguage, onDismissError: actions.dismissError };

  switch (state.phase) {
    case ConsolePhase.Starting:
      return (
        <main className="page" aria-busy="true">
          <p role="status">{consoleDictionaries[state.language].loading}</p>
        </main>
      );
    case ConsolePhase.SignIn:
      return <SignInScreen {...common} halls={state.halls} busy={state.busy} error={state.error} onSignIn={actions.signIn} />;
    case ConsolePhase.ChooseCounter:
      return state.session ? (
        <ChooseCounterScreen
          {...common}
          session={state.session}
          counters={state.counters}
          catalog={state.catalog}
          busy={state.busy}
          error={state.error}
          onChoose={(counterId, serviceIds) => void actions.chooseCounter(counterId, serviceIds)}
          onSignOut={() => void actions.signOut()}
        />
      ) : null;
    case ConsolePhase.Console: {
      const handlers: ConsoleHandlers = {
        onPress: (action) => void actions.press(action),
        onComplete: (caseNumber) => void actions.complete(caseNumber),
        onCallBack: (ticketId) => void actions.callBack(ticketId),
        onTransfer: (choice) => void actions.transfer(choice),
        onRequeue: (ticketId) => void actions.requeue(ticketId),
        onRate: (rating) => void actions.submitRating(rating),
        onSkipRating: actions.skipRating,
        onPause: () => void actions.pause(),
        onResume: () => void actions.resume(),
        onLeaveCounter: () => void actions.leaveCounter(),
        onSignOut: () => void actions.signOut(),
        onCloseDialog: actions.closeDialog,
        onToggleLanguage: actions.toggleLanguage,
        onDismissError: actions.dismissError,
      };
      return <ConsoleScreen state={state} now={now + state.clockOffsetMs} handlers={handlers} />;
    }
  }
}

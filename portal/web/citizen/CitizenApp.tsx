import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { htmlLang } from '../shared/i18n/language.js';
import { FocusOnShowContext, type CitizenNav } from './components/citizen-nav.js';
import { citizenDictionaries } from './i18n/index.js';
import { CitizenView, type CitizenHandlers } from './screens/CitizenView.js';
import { BookingPhase } from './state/booking-store.js';
import type { CitizenFlows } from './state/citizen-flows.js';
import type { CitizenShellStore } from './state/citizen-store.js';

/** The hold's countdown ticks every second; nothing else on these pages moves by itself. */
const COUNTDOWN_TICK_MS = 1_000;

export function CitizenApp({ shell, flows, nav, print }: { shell: CitizenShellStore; flows: CitizenFlows; nav: CitizenNav; print: () => void }) {
  const shellState = useStore(shell);
  const booking = useStore(flows.booking);
  const cancel = useStore(flows.cancel);
  const progress = useStore(flows.progress);
  const verify = useStore(flows.verify);
  const rating = useStore(flows.rating);
  const [now, setNow] = useState(() => Date.now());
  const [loaded, setLoaded] = useState(false);

  const counting = booking.phase === BookingPhase.Held;
  useEffect(() => {
    if (!counting) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), COUNTDOWN_TICK_MS);
    return () => clearInterval(timer);
  }, [counting]);

  const { language, route } = shellState;
  useEffect(() => {
    const t = citizenDictionaries[language];
    document.documentElement.lang = htmlLang(language);
    document.title = `${t.pageTitle[route.page]} · ${t.appTitle}`;
  }, [language, route.page]);

  // Once the page has loaded, each heading that appears (a new page, a result) takes the focus.
  useEffect(() => setLoaded(true), []);

  const handlers = useMemo<CitizenHandlers>(
    () => ({
      toggleLanguage: () => shell.getState().toggleLanguage(),
      retryHalls: () => void shell.getState().loadHalls(),
      retryCatalog: (hallId) => void shell.getState().loadCatalog(hallId, { force: true }),
      print,
      booking: flows.booking.getState(),
      cancel: flows.cancel.getState(),
      progress: flows.progress.getState(),
      verify: flows.verify.getState(),
      rating: flows.rating.getState(),
    }),
    [shell, flows, print],
  );

  return (
    <FocusOnShowContext.Provider value={loaded}>
      <CitizenView snapshot={{ shell: shellState, booking, cancel, progress, verify, rating }} handlers={handlers} nav={nav} now={now} />
    </FocusOnShowContext.Provider>
  );
}

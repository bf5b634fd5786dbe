import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { htmlLang, type Language } from '../shared/i18n/language.js';
import { displayDictionaries } from './i18n/index.js';
import { DisplayScreen } from './screens/DisplayScreen.js';
import type { DisplayStore } from './state/display-store.js';

/** The clock ticks once a second; nothing else on the wall changes without an event. */
const CLOCK_TICK_MS = 1_000;

export function DisplayApp({ store, language }: { store: DisplayStore; language: Language }) {
  const state = useStore(store);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    document.documentElement.lang = htmlLang(language);
    document.title = displayDictionaries[language].title;
  }, [language]);

  return <DisplayScreen state={state} language={language} now={now + state.clockOffsetMs} />;
}

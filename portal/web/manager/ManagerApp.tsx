import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { htmlLang } from '../shared/i18n/language.js';
import { managerDictionaries } from './i18n/index.js';
import { ForbiddenScreen } from './screens/ForbiddenScreen.js';
import { KioskWall } from './screens/KioskWall.js';
import { ManagerShell } from './screens/ManagerShell.js';
import { SignInScreen } from './screens/SignInScreen.js';
import { StatsScreen } from './screens/StatsScreen.js';
import { ManagerPhase, ManagerSection, type SessionStore } from './state/session-store.js';
import { hallToday } from './state/stats-range.js';
import { statsCsvUrl, type StatsStore } from './state/stats-store.js';
import type { WallStore } from './state/wall-store.js';
import type { PortalClient } from '../shared/api/portal-client.js';
import { ConfigScreen } from './config/ConfigScreen.js';
import type { ConfigStore } from './config/config-store.js';

export interface ManagerStores {
  client: PortalClient;
  session: SessionStore;
  wall: WallStore;
  stats: StatsStore;
  config: ConfigStore;
}

/** "Last seen" moves on by itself between polls. */
const SECOND_TICK_MS = 1_000;

/** The browser's own zone: the hall's is unknown only when its catalog could not be read. */
const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export function ManagerApp({ stores }: { stores: ManagerStores }) {
  const session = useStore(stores.session);
  const wall = useStore(stores.wall);
  const stats = useStore(stores.stats);
  const config = useStore(stores.config);
  const [now, setNow] = useState(() => Date.now());
  const inConsole = session.phase === ManagerPhase.Console;
  const firstSection = useRef(true);

  useEffect(() => {
    document.documentElement.lang = htmlLang(session.language);
    document.title = managerDictionaries[session.language].appTitle;
  }, [session.language]);

  // The wall polls while it is shown, and only then.
  useEffect(() => {
    if (!inConsole || session.section !== ManagerSection.Wall) return;
    stores.wall.getState().start();
    const timer = setInterval(() => setNow(Date.now()), SECOND_TICK_MS);
    return () => {
      clearInterval(timer);
      stores.wall.getState().stop();
    };
  }, [inConsole, session.section, stores.wall]);

  /** The hall's business day now, on the portal's clock. */
  const today = () => hallToday(stores.session.getState().hall ?? { timeZone: localZone() }, Date.now() + stores.session.getState().clockOffsetMs);

  useEffect(() => {
    if (!inConsole || session.section !== ManagerSection.Stats) return;
    void stores.stats.getState().open(hallToday(session.hall ?? { timeZone: localZone() }, Date.now() + stores.session.getState().clockOffsetMs));
  }, [inConsole, session.section, session.hall, stores.stats, stores.session]);

  useEffect(() => {
    if (inConsole && session.section === ManagerSection.Config) void stores.config.getState().open();
  }, [inConsole, session.section, stores.config]);

  // A section chosen from the navigation takes the focus to its heading, so a screen reader starts there.
  useEffect(() => {
    if (!inConsole) return;
    if (firstSection.current) {
      firstSection.current = false;
      return;
    }
    document.getElementById('section-heading')?.focus();
  }, [inConsole, session.section]);

  const actions = stores.session.getState();
  switch (session.phase) {
    case ManagerPhase.Starting:
      return (
        <main className="page" aria-busy="true">
          <p role="status">{managerDictionaries[session.language].loading}</p>
        </main>
      );
    case ManagerPhase.SignIn:
      return (
        <SignInScreen
          language={session.language}
          halls={session.halls}
          busy={session.busy}
          error={session.error}
          onSignIn={actions.signIn}
          onToggleLanguage={actions.toggleLanguage}
          onDismissError={actions.dismissError}
        />
      );
    case ManagerPhase.Forbidden:
      return session.session ? (
        <ForbiddenScreen language={session.language} session={session.session} busy={session.busy} onSignOut={() => void actions.signOut()} onToggleLanguage={actions.toggleLanguage} />
      ) : null;
    case ManagerPhase.Console: {
      if (!session.session) return null;
      const statsActions = stores.stats.getState();
      return (
        <ManagerShell
          language={session.language}
          session={session.session}
          hall={session.hall}
          section={session.section}
          busy={session.busy}
          error={session.error}
          onSignOut={() => void actions.signOut()}
          onToggleLanguage={actions.toggleLanguage}
          onDismissError={actions.dismissError}
        >
          {session.section === ManagerSection.Wall && (
            <KioskWall language={session.language} kiosks={wall.kiosks} loaded={wall.serverTime !== null} error={wall.error} now={now + session.clockOffsetMs} />
          )}
          {session.section === ManagerSection.Stats && (
            <StatsScreen
              language={session.language}
              stats={stats}
              csvUrl={stats.result ? statsCsvUrl(stores.client, stats.result, session.language) : null}
              handlers={{
                onEdit: statsActions.editRange,
                onApply: () => void statsActions.apply(),
                onPreset: (preset) => void statsActions.choosePreset(preset, today()),
                onGroupBy: (by) => void statsActions.groupBy(by),
                onDismissError: statsActions.dismissError,
              }}
            />
          )}
          {session.section === ManagerSection.Config && <ConfigScreen language={session.language} config={config} handlers={stores.config.getState()} timeZone={session.hall?.timeZone} />}
        </ManagerShell>
      );
    }
  }
}

import { useEffect } from 'react';
import { dictionaryFor, Language } from './i18n/index.js';
import { ErrorToast } from './screens/ErrorToast.js';
import { HomeScreen } from './screens/HomeScreen.js';
import { TicketScreen } from './screens/TicketScreen.js';
import { useKiosk } from './state/kiosk-store-context.js';
import { Screen } from './state/kiosk-store.js';

export function App() {
  const language = useKiosk((s) => s.language);
  const screen = useKiosk((s) => s.screen);
  const ticket = useKiosk((s) => s.ticket);
  const hall = useKiosk((s) => s.hall);
  const services = useKiosk((s) => s.services);
  const servicesLoaded = useKiosk((s) => s.servicesLoaded);
  const busy = useKiosk((s) => s.busy);
  const connectivity = useKiosk((s) => s.connectivity);
  const printer = useKiosk((s) => s.printer);
  const error = useKiosk((s) => s.error);
  const takeTicket = useKiosk((s) => s.takeTicket);
  const toggleLanguage = useKiosk((s) => s.toggleLanguage);
  const backToHome = useKiosk((s) => s.backToHome);
  const dismissError = useKiosk((s) => s.dismissError);

  // The page language picks the CJK or Latin glyphs of the font stack and what a screen reader speaks.
  useEffect(() => {
    document.documentElement.lang = language === Language.En ? 'en' : 'zh-CN';
  }, [language]);

  return (
    <>
      {screen === Screen.Ticket && ticket ? (
        <TicketScreen ticket={ticket} language={language} timeZone={hall?.timeZone} onDone={backToHome} />
      ) : (
        <HomeScreen
          hall={hall}
          services={services}
          servicesLoaded={servicesLoaded}
          language={language}
          busy={busy}
          connectivity={connectivity}
          printer={printer}
          onTakeTicket={(serviceId) => void takeTicket(serviceId)}
          onToggleLanguage={toggleLanguage}
        />
      )}
      {error && <ErrorToast error={error} t={dictionaryFor(language)} onDismiss={dismissError} />}
    </>
  );
}

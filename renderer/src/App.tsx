import { useCallback, useEffect } from 'react';
import { DeviceKind } from '../../common/contract/kiosk-api.js';
import { dictionaryFor, Language } from './i18n/index.js';
import { useKeyboardWedge } from './scanner/use-keyboard-wedge.js';
import { ErrorToast } from './screens/ErrorToast.js';
import { HomeScreen } from './screens/HomeScreen.js';
import { JourneyScreens } from './screens/journeys/JourneyScreens.js';
import { TicketScreen } from './screens/TicketScreen.js';
import { useKiosk, useKioskActions } from './state/kiosk-store-context.js';
import { Screen } from './state/kiosk-store.js';
import { isJourneyScreen, type JourneyScreen } from './state/screen.js';
import { TECHNICIAN_LONG_PRESS_MS } from './technician/long-press.js';
import { TechnicianScreen } from './technician/TechnicianScreen.js';
import { useTechnician, useTechnicianActions } from './technician/technician-store-context.js';
import { TechnicianStage } from './technician/technician-store.js';
import { useLongPress } from './technician/use-long-press.js';

export function App() {
  const language = useKiosk((s) => s.language);
  const screen = useKiosk((s) => s.screen);
  const ticket = useKiosk((s) => s.ticket);
  const ticketNote = useKiosk((s) => s.ticketNote);
  const hall = useKiosk((s) => s.hall);
  const services = useKiosk((s) => s.services);
  const servicesLoaded = useKiosk((s) => s.servicesLoaded);
  const busy = useKiosk((s) => s.busy);
  const connectivity = useKiosk((s) => s.connectivity);
  const printer = useKiosk((s) => s.printer);
  const error = useKiosk((s) => s.error);
  const visitor = useKiosk((s) => s.visitor);
  const notice = useKiosk((s) => s.notice);
  const reader = useKiosk((s) => s.devices[DeviceKind.Reader] ?? null);
  const takeTicket = useKiosk((s) => s.takeTicket);
  const toggleLanguage = useKiosk((s) => s.toggleLanguage);
  const backToHome = useKiosk((s) => s.backToHome);
  const dismissError = useKiosk((s) => s.dismissError);
  const endVisit = useKiosk((s) => s.endVisit);
  const submitScan = useKiosk((s) => s.submitScan);
  const kiosk = useKioskActions();
  const technicianStage = useTechnician((s) => s.stage);
  const technician = useTechnicianActions();
  const technicianOpen = technicianStage !== TechnicianStage.Closed;

  const openTechnician = useCallback(() => technician.open(), [technician]);
  const hallNamePress = useLongPress(TECHNICIAN_LONG_PRESS_MS, openTechnician);
  const onScan = useCallback((code: string) => void submitScan(code), [submitScan]);
  const openJourney = useCallback(
    (journey: JourneyScreen) => {
      switch (journey) {
        case Screen.CheckIn:
          return kiosk.openCheckIn();
        case Screen.Guide:
          return kiosk.openGuide();
        case Screen.Progress:
          return kiosk.openProgress();
        case Screen.Rating:
          return kiosk.openRating();
        case Screen.Verify:
          return kiosk.openVerify();
      }
    },
    [kiosk],
  );
  // The scanner types into the page; on the technician screen its keys are not a visitor's scan.
  useKeyboardWedge(onScan, !technicianOpen);

  // The page language picks the CJK or Latin glyphs of the font stack and what a screen reader speaks.
  useEffect(() => {
    document.documentElement.lang = language === Language.En ? 'en' : 'zh-CN';
  }, [language]);

  if (technicianOpen) return <TechnicianScreen language={language} timeZone={hall?.timeZone} />;

  return (
    <>
      {screen === Screen.Ticket && ticket ? (
        <TicketScreen ticket={ticket} note={ticketNote} language={language} timeZone={hall?.timeZone} onDone={backToHome} />
      ) : isJourneyScreen(screen) ? (
        <JourneyScreens screen={screen} />
      ) : (
        <HomeScreen
          hall={hall}
          services={services}
          servicesLoaded={servicesLoaded}
          language={language}
          busy={busy}
          connectivity={connectivity}
          printer={printer}
          visitor={visitor}
          notice={notice}
          reader={reader}
          onTakeTicket={(serviceId) => void takeTicket(serviceId)}
          onToggleLanguage={toggleLanguage}
          onEndVisit={() => void endVisit()}
          hallNamePress={hallNamePress}
          onOpenJourney={openJourney}
        />
      )}
      {error && <ErrorToast error={error} t={dictionaryFor(language)} onDismiss={dismissError} />}
    </>
  );
}

import { dictionaryFor } from '../../i18n/index.js';
import { RatingPhase } from '../../state/journeys/rating.js';
import { useKiosk, useKioskActions } from '../../state/kiosk-store-context.js';
import { Screen, type JourneyScreen } from '../../state/screen.js';
import { CheckInScreen } from './CheckInScreen.js';
import { GuideScreen } from './GuideScreen.js';
import type { JourneyCommonProps } from './JourneyFrame.js';
import { ProgressScreen } from './ProgressScreen.js';
import { RatingScreen } from './RatingScreen.js';
import { VerifyScreen } from './VerifyScreen.js';

/** The journey on screen, wired to the kiosk store. */
export function JourneyScreens({ screen }: { screen: JourneyScreen }) {
  const language = useKiosk((s) => s.language);
  const hall = useKiosk((s) => s.hall);
  const visitor = useKiosk((s) => s.visitor);
  const notice = useKiosk((s) => s.notice);
  const connectivity = useKiosk((s) => s.connectivity);
  const services = useKiosk((s) => s.services);
  const busy = useKiosk((s) => s.busy);
  const checkIn = useKiosk((s) => s.checkIn);
  const guide = useKiosk((s) => s.guide);
  const progress = useKiosk((s) => s.progress);
  const verify = useKiosk((s) => s.verify);
  const rating = useKiosk((s) => s.rating);
  const actions = useKioskActions();

  const common: JourneyCommonProps = {
    t: dictionaryFor(language),
    language,
    timeZone: hall?.timeZone,
    visitor,
    notice,
    connectivity,
    onHome: actions.backToHome,
    onEndVisit: () => void actions.endVisit(),
    onToggleLanguage: actions.toggleLanguage,
    onTouch: actions.touch,
  };
  const takeTicket = (serviceId: string) => void actions.takeTicket(serviceId);

  switch (screen) {
    case Screen.CheckIn:
      return (
        <CheckInScreen
          common={common}
          state={checkIn}
          busy={busy}
          now={new Date()}
          onCheckInWithCard={() => void actions.startCheckIn(null)}
          onRetry={(reference) => void actions.startCheckIn(reference)}
          onWalkIn={takeTicket}
        />
      );
    case Screen.Guide:
      return (
        <GuideScreen
          common={common}
          state={guide}
          services={services}
          busy={busy}
          onKey={actions.typeGuideKey}
          onBackspace={actions.eraseGuideKey}
          onClear={actions.clearGuideQuery}
          onOpenService={actions.openGuideService}
          onBackToList={actions.closeGuideService}
          onPrint={() => void actions.printGuide()}
          onTakeTicket={takeTicket}
        />
      );
    case Screen.Progress:
      return <ProgressScreen common={common} state={progress} now={new Date()} onRetry={() => void actions.loadCases()} onPrintSlip={(n) => void actions.printCertificateSlip(n)} />;
    case Screen.Verify:
      return <VerifyScreen common={common} state={verify} />;
    case Screen.Rating:
      return (
        <RatingScreen
          common={common}
          state={rating}
          services={services}
          onRetry={() => void actions.findRateableTickets(rating.phase === RatingPhase.Failed ? rating.ticket : null)}
          onChooseTicket={actions.chooseRatingTicket}
          onChooseLevel={actions.chooseRatingLevel}
          onTogglePhrase={actions.toggleRatingPhrase}
          onSubmit={() => void actions.submitRating()}
          onRateNext={actions.rateNextTicket}
        />
      );
  }
}

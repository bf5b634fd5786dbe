import type { HallInfo } from '../../../common/contract/catalog.js';
import type { Connectivity, DeviceStatus, PrinterStatus, ServiceView, VisitorView } from '../../../common/contract/kiosk-api.js';
import { dictionaryFor, localized, type Language } from '../i18n/index.js';
import type { HomeNotice } from '../state/kiosk-store.js';
import type { JourneyScreen } from '../state/screen.js';
import type { LongPressHandlers } from '../technician/long-press.js';
import { HomeNoticeBanner } from './HomeNoticeBanner.js';
import { JourneyButtons } from './JourneyButtons.js';
import { LanguageToggle } from './LanguageToggle.js';
import { ServiceButton } from './ServiceButton.js';
import { StatusNotices } from './StatusNotices.js';
import { VisitorPanel } from './VisitorPanel.js';

export interface HomeScreenProps {
  hall: HallInfo | null;
  services: ServiceView[];
  servicesLoaded: boolean;
  language: Language;
  busy: boolean;
  connectivity: Connectivity | null;
  printer: PrinterStatus | null;
  onTakeTicket: (serviceId: string) => void;
  onToggleLanguage: () => void;
  visitor?: VisitorView | null;
  notice?: HomeNotice | null;
  reader?: DeviceStatus | null;
  onEndVisit?: () => void;
  /** The discreet way to the technician screen: a long press on the hall name. */
  hallNamePress?: LongPressHandlers;
  /** A journey button (check-in, guide, progress, rating, verify). */
  onOpenJourney?: (journey: JourneyScreen) => void;
}

export function HomeScreen(props: HomeScreenProps) {
  const t = dictionaryFor(props.language);
  return (
    <main className="screen home-screen" data-testid="home-screen" aria-busy={props.busy}>
      <header className="home-header">
        <h1 className="hall-name" data-testid="hall-name" {...props.hallNamePress}>
          {props.hall ? localized(props.hall.name, props.language) : t.hallNameLoading}
        </h1>
        <LanguageToggle language={props.language} label={t.languageToggleLabel} onToggle={props.onToggleLanguage} />
      </header>
      <StatusNotices connectivity={props.connectivity} printer={props.printer} reader={props.reader ?? null} t={t} />
      {props.notice && <HomeNoticeBanner notice={props.notice} t={t} />}
      {/* Low on the screen, near the journeys: within reach from a wheelchair. */}
      <section className="home-main">
        {props.visitor ? (
          <VisitorPanel visitor={props.visitor} t={t} onDone={props.onEndVisit ?? (() => undefined)} />
        ) : (
          <h2 className="home-prompt">{props.servicesLoaded ? t.chooseService : t.loadingServices}</h2>
        )}
        <div className="service-grid">
          {props.services.map((service) => (
            <ServiceButton key={service.id} service={service} language={props.language} disabled={props.busy} onChoose={props.onTakeTicket} />
          ))}
        </div>
      </section>
      <JourneyButtons t={t} disabled={props.busy} onOpen={props.onOpenJourney ?? (() => undefined)} />
      {props.busy && (
        <div className="busy-overlay" data-testid="busy" role="status">
          {t.takingTicket}
        </div>
      )}
    </main>
  );
}

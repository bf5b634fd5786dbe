import type { HallInfo } from '../../../common/contract/catalog.js';
import type { Connectivity, PrinterStatus, ServiceView } from '../../../common/contract/kiosk-api.js';
import { dictionaryFor, localized, type Language } from '../i18n/index.js';
import { LanguageToggle } from './LanguageToggle.js';
import { ServiceButton } from './ServiceButton.js';
import { StatusNotices } from './StatusNotices.js';

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
}

export function HomeScreen(props: HomeScreenProps) {
  const t = dictionaryFor(props.language);
  return (
    <main className="screen home-screen" data-testid="home-screen" aria-busy={props.busy}>
      <header className="home-header">
        <h1 className="hall-name" data-testid="hall-name">
          {props.hall ? localized(props.hall.name, props.language) : t.hallNameLoading}
        </h1>
        <LanguageToggle language={props.language} label={t.languageToggleLabel} onToggle={props.onToggleLanguage} />
      </header>
      <StatusNotices connectivity={props.connectivity} printer={props.printer} t={t} />
      <h2 className="home-prompt">{props.servicesLoaded ? t.chooseService : t.loadingServices}</h2>
      <div className="service-grid">
        {props.services.map((service) => (
          <ServiceButton key={service.id} service={service} language={props.language} disabled={props.busy} onChoose={props.onTakeTicket} />
        ))}
      </div>
      {props.busy && (
        <div className="busy-overlay" data-testid="busy" role="status">
          {t.takingTicket}
        </div>
      )}
    </main>
  );
}

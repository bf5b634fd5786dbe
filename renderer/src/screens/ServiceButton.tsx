import type { ServiceView } from '../../../common/contract/kiosk-api.js';
import { localized, otherLanguage, type Language } from '../i18n/index.js';

export function ServiceButton({ service, language, disabled, onChoose }: { service: ServiceView; language: Language; disabled: boolean; onChoose: (serviceId: string) => void }) {
  return (
    <button type="button" className="service-button" data-testid={`service-${service.id}`} disabled={disabled} onClick={() => onChoose(service.id)}>
      <span className="service-prefix" aria-hidden="true">
        {service.prefix}
      </span>
      <span className="service-names">
        <span className="service-name-primary">{localized(service.name, language)}</span>
        <span className="service-name-secondary">{localized(service.name, otherLanguage(language))}</span>
      </span>
    </button>
  );
}

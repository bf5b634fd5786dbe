import type { ConsoleCatalogResponse } from '../../../../common/contract/console-api.js';
import type { CounterView } from '../../../../common/contract/counter-api.js';
import { localized, type Language } from '../../shared/i18n/language.js';
import type { ConsoleDictionary } from '../i18n/index.js';

/** A service's name in the page's language; its id while the catalog is not loaded. */
export function serviceName(catalog: ConsoleCatalogResponse | null, serviceId: string, language: Language): string {
  const service = catalog?.services.find((s) => s.id === serviceId);
  return service ? localized(service.name, language) : serviceId;
}

/** `3 号窗口 综合受理` / `Counter 3 General`; just the sign when the name says no more (`3 号窗口`). */
export function counterLabel(counter: CounterView, t: ConsoleDictionary, language: Language): string {
  const sign = t.counterSign(counter.number);
  const name = localized(counter.name, language);
  const bare = (text: string) => text.replace(/\s+/g, '').toLowerCase();
  return bare(name) === bare(sign) ? sign : `${sign} ${name}`;
}

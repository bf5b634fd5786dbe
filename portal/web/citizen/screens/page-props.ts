import type { Language } from '../../shared/i18n/language.js';
import type { CitizenNav } from '../components/citizen-nav.js';
import type { CitizenDictionary } from '../i18n/index.js';
import type { CitizenRoute } from '../routing/citizen-route.js';

/** What every citizen page gets: its strings, language, the address it is at, and links. */
export interface PageProps {
  t: CitizenDictionary;
  language: Language;
  route: CitizenRoute;
  nav: CitizenNav;
}

import { Language, type Dictionary } from './dictionary.js';
import { en } from './strings-en.js';
import { zh } from './strings-zh.js';

export { DEFAULT_LANGUAGE, Language, type Dictionary } from './dictionary.js';

export const dictionaries: Readonly<Record<Language, Dictionary>> = { [Language.Zh]: zh, [Language.En]: en };

export function dictionaryFor(language: Language): Dictionary {
  return dictionaries[language];
}

/** Picks the visitor's language out of a contract text such as a service or hall name. */
export function localized(text: { zh: string; en: string }, language: Language): string {
  return language === Language.En ? text.en : text.zh;
}

/** The other language, shown small beside the chosen one. */
export function otherLanguage(language: Language): Language {
  return language === Language.En ? Language.Zh : Language.En;
}

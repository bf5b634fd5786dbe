/** The two languages of the hall's pages: Chinese by default, English on request. */
export enum Language {
  Zh = 'zh',
  En = 'en',
}

export const DEFAULT_LANGUAGE = Language.Zh;

/** Picks a contract text (a hall, service or counter name) in the page's language. */
export function localized(text: { zh: string; en: string }, language: Language): string {
  return language === Language.En ? text.en : text.zh;
}

export function otherLanguage(language: Language): Language {
  return language === Language.En ? Language.Zh : Language.En;
}

/** The `lang` attribute of the page: picks the CJK or Latin glyphs and what a screen reader speaks. */
export function htmlLang(language: Language): string {
  return language === Language.En ? 'en' : 'zh-CN';
}

/** Every key path of a dictionary, nested records included (`errorByCode.not-found`), for tests. */
export function keyPaths(value: object, prefix = ''): string[] {
  return Object.entries(value).flatMap(([key, inner]) =>
    inner !== null && typeof inner === 'object' ? keyPaths(inner as object, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

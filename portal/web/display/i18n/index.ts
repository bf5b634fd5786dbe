import { Language } from '../../shared/i18n/language.js';
import type { DisplayDictionary } from './display-dictionary.js';
import { displayEn } from './strings-en.js';
import { displayZh } from './strings-zh.js';

export type { DisplayDictionary } from './display-dictionary.js';

export const displayDictionaries: Readonly<Record<Language, DisplayDictionary>> = { [Language.Zh]: displayZh, [Language.En]: displayEn };

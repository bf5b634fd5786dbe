import { Language } from '../../shared/i18n/language.js';
import type { ConsoleDictionary } from './console-dictionary.js';
import { consoleEn } from './strings-en.js';
import { consoleZh } from './strings-zh.js';

export type { ConsoleDictionary } from './console-dictionary.js';

export const consoleDictionaries: Readonly<Record<Language, ConsoleDictionary>> = { [Language.Zh]: consoleZh, [Language.En]: consoleEn };

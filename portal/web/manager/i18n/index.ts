import { Language } from '../../shared/i18n/language.js';
import type { ManagerDictionary } from './manager-dictionary.js';
import { managerEn } from './strings-en.js';
import { managerZh } from './strings-zh.js';

export type { ManagerDictionary } from './manager-dictionary.js';

export const managerDictionaries: Readonly<Record<Language, ManagerDictionary>> = { [Language.Zh]: managerZh, [Language.En]: managerEn };
